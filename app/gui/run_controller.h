#pragma once
// Runs a distillation (core's Trainer) on a worker thread and hands what the window shows to
// the GUI thread as queued signals. Only what is shown leaves the training thread: logged
// steps, evaluations, attention snapshots (at the experiment's cadence) and messages.

#include <QObject>
#include <QString>

#include <memory>
#include <thread>

#include "core/distill/experiment.h"
#include "core/distill/metrics.h"
#include "core/distill/observer.h"

namespace retort {
namespace app {

class RunController : public QObject {
  Q_OBJECT

 public:
  explicit RunController(QObject* parent = nullptr);
  /// Cancels a running run and waits for the worker.
  ~RunController() override;

  bool isRunning() const { return m_running; }
  bool isPaused() const { return m_control && m_control->paused(); }
  QString runDirectory() const { return m_runDir; }

  /// Starts a run of `experiment` into `runDir`. False (and nothing starts) while one runs.
  bool start(const distill::Experiment& experiment, const QString& runDir);
  void pause();
  void resume();
  /// Asks the run to stop; it keeps the student trained so far and then emits finished().
  void stop();
  /// A new probe sentence for the running run's attention snapshots (from the next one on).
  void setProbe(const QString& text);
  /// Blocks until the worker has ended (for tests and shutdown).
  void wait();

 Q_SIGNALS:
  void stageStarted(const QString& name, int index, int count, qint64 steps);
  void stepReported(const retort::distill::StepMetrics& metrics);
  void evaluated(const retort::distill::EvalMetrics& metrics);
  void attentionReported(const std::shared_ptr<const retort::distill::AttentionSnapshot>& snapshot);
  void message(const QString& text);
  void finished(const retort::distill::RunSummary& summary);
  /// The run stopped with an error; `text` names the file, field or tensor.
  void failed(const QString& text);

 private:
  class Bridge;
  void finishOnGuiThread();

  std::unique_ptr<distill::RunControl> m_control;
  std::unique_ptr<Bridge> m_bridge;
  std::thread m_worker;
  bool m_running = false;
  QString m_runDir;
};

}  // namespace app
}  // namespace retort

Q_DECLARE_METATYPE(retort::distill::StepMetrics)
Q_DECLARE_METATYPE(retort::distill::EvalMetrics)
Q_DECLARE_METATYPE(retort::distill::RunSummary)
Q_DECLARE_METATYPE(std::shared_ptr<const retort::distill::AttentionSnapshot>)
