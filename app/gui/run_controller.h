#pragma once
// Runs a distillation (core's Trainer) on a worker thread and hands what the window shows to
// the GUI thread as queued signals. Only what is shown leaves the training thread: logged
// steps, evaluations, attention snapshots (at the experiment's cadence) and messages.
//
// Steps are throttled at the source: the observer on the training thread appends them to a
// queue under a mutex and posts one queued call while none is pending; the GUI thread
// delivers them as one stepsReported() batch at most every kStepIntervalMs. A stage's start,
// an evaluation, the run's end and its failure go through the same queue and are delivered
// at once, after the steps that came before them: no step is lost and the order holds.

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "core/distill/experiment.h"
#include "app/gui/core_metatypes.h"
#include "core/distill/metrics.h"
#include "core/distill/observer.h"

namespace retort {
namespace distill {
class Trainer;
}
namespace app {

class RunController : public QObject {
  Q_OBJECT

 public:
  /// The shortest time between two step batches (at most 10 a second).
  static constexpr int kStepIntervalMs = 100;

  explicit RunController(QObject* parent = nullptr);
  /// Cancels a running run and waits for the worker.
  ~RunController() override;

  bool isRunning() const { return m_running; }
  /// Local processes the next run is split over (data parallel, see core/distributed); 1
  /// runs in this process only. With more, ranks 1..N-1 are processes of rankProgram() and
  /// rank 0 trains here, so the window shows rank 0's curves, which are the run's.
  void setProcesses(int n) { m_processes = n < 1 ? 1 : n; }
  int processes() const { return m_processes; }
  /// The program the other ranks run: retort-cli beside this program unless set.
  void setRankProgram(const QString& path) { m_rankProgram = path; }
  QString rankProgram() const;
  /// Seconds a rank waits for the others before it ends the run with a message (default:
  /// RETORT_DIST_TIMEOUT, else 300).
  void setDistTimeout(int seconds) { m_distTimeoutSeconds = seconds; }
  /// Whether the running run can pause (not one on several processes: the others would time
  /// out waiting).
  bool canPause() const { return m_running && m_runProcesses == 1; }
  bool isPaused() const { return m_control && m_control->paused(); }
  QString runDirectory() const { return m_runDir; }

  /// Starts a run of `experiment` into `runDir`. False (and nothing starts) while one runs.
  bool start(const distill::Experiment& experiment, const QString& runDir);
  /// Continues the interrupted run in `runDir` from its newest checkpoint (Trainer::resume);
  /// the steps before the checkpoint are not reported again. False while one runs.
  bool startResumed(const QString& runDir);
  void pause();
  void resume();
  /// Asks the run to stop; it keeps the student trained so far and then emits finished().
  void stop();
  /// A new probe sentence for the running run's attention snapshots (from the next one on).
  void setProbe(const QString& text);
  /// Blocks until the worker has ended (for tests and shutdown).
  void wait();

  /// The observer the trainer reports to (called on the training thread; for tests, too).
  distill::Observer& observer();
  /// Step batches delivered so far (each one stepsReported()).
  int stepBatches() const { return m_stepBatches; }
  /// Delivers the buffered steps now (GUI thread).
  void flushSteps();

 Q_SIGNALS:
  void stageStarted(const QString& name, int index, int count, qint64 steps);
  /// Logged steps in order, batched (see the top of this file).
  void stepsReported(const std::vector<retort::distill::StepMetrics>& steps);
  void evaluated(const retort::distill::EvalMetrics& metrics);
  void attentionReported(const std::shared_ptr<const retort::distill::AttentionSnapshot>& snapshot);
  void message(const QString& text);
  void finished(const retort::distill::RunSummary& summary);
  /// The run stopped with an error; `text` names the file, field or tensor.
  void failed(const QString& text);

 private:
  class Bridge;
  using Job = std::function<distill::RunSummary(distill::RunControl*, distill::Observer&)>;
  bool launch(const QString& runDir, Job job);
  /// The job of a run on m_processes processes: `rankArgs` for the other ranks, `train` for
  /// rank 0 here; `fresh`: the others run `retort-cli run` (not `resume`).
  Job distributedJob(const std::vector<std::string>& rankArgs,
                     std::function<distill::RunSummary(distill::Trainer&, distill::Observer&)> train, bool fresh);
  void finishOnGuiThread();
  void scheduleStepFlush();

  std::unique_ptr<distill::RunControl> m_control;
  std::unique_ptr<Bridge> m_bridge;
  std::thread m_worker;
  bool m_running = false;
  QString m_runDir;
  QTimer m_flushTimer;
  QElapsedTimer m_sinceFlush;
  int m_stepBatches = 0;
  int m_processes = 1;
  int m_runProcesses = 1;
  int m_distTimeoutSeconds = 0;
  QString m_rankProgram;
};

}  // namespace app
}  // namespace retort
