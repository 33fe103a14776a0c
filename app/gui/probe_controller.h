#pragma once
// Attention of a probe sentence outside a run: the teacher alone before training, the
// teacher and the trained student after it (core's probeAttention), computed on a worker
// (LatestJob). A newer sentence makes an older result stale; nothing is delivered after a
// run has started or after the window is gone.

#include <QObject>
#include <QString>
#include <QVector>

#include <memory>

#include "app/gui/core_metatypes.h"
#include "app/gui/experiment_document.h"
#include "core/distill/metrics.h"
#include "widgets/mapping/layer_mapping_editor.h"

namespace retort {
namespace app {

class LatestJob;

class ProbeController : public QObject {
  Q_OBJECT
 public:
  explicit ProbeController(QObject* parent = nullptr);

  /// Probes `text` with the experiment's teacher checkpoint (or the last run's teacher and
  /// student when `lastRun` has them). Nothing happens for a teacher Retort has not trained yet.
  /// False when there is nothing to probe with.
  bool probe(const QString& text, const ExperimentDocument& document, const distill::RunSummary& lastRun,
             const QVector<widgets::MappingPair>& pairs);
  /// Drops the result of a probe under way (a run starts).
  void cancel();
  /// Results dropped because a newer probe (or a run) came first.
  int droppedResults() const;

 Q_SIGNALS:
  void snapshotReady(const std::shared_ptr<const retort::distill::AttentionSnapshot>& snapshot);
  void failed(const QString& text);

 private:
  LatestJob* m_job;
};

}  // namespace app
}  // namespace retort
