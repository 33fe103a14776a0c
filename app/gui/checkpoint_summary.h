#pragma once
// Wiring between core and widgets: loads a checkpoint with core and describes it as
// plain data for the widgets. The only GUI file that includes LibTorch headers (through core).

#include <QString>

#include "widgets/model/model_summary_view.h"

namespace retort {
namespace app {

/// Loads the checkpoint in `directory` and describes it. Throws retort::Error on bad input.
widgets::ArchitectureSummary summarizeCheckpoint(const QString& directory);

}  // namespace app
}  // namespace retort
