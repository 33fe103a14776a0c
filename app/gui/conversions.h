#pragma once
// Core's plain data (metrics, snapshots, summaries) as the widgets' plain data.

#include <QString>

#include "core/distill/metrics.h"
#include "widgets/attention/attention_data.h"
#include "widgets/results/run_figures.h"

namespace retort {
namespace app {

widgets::AttentionSnapshotData toWidgets(const distill::AttentionSnapshot& snapshot);
widgets::RunFigures toWidgets(const distill::RunSummary& summary);
/// "m:ss", or "h:mm:ss" from an hour on.
QString formatDuration(double seconds);

}  // namespace app
}  // namespace retort
