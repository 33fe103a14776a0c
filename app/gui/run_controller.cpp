#include "app/gui/run_controller.h"

#include <QMetaObject>

#include <exception>
#include <mutex>

#include "core/distill/trainer.h"
#include "core/util/error.h"

namespace retort {
namespace app {

/// The observer on the training thread: copies what is shown and posts it to the GUI thread;
/// steps go into a buffer that the GUI thread takes in batches.
class RunController::Bridge : public distill::Observer {
 public:
  explicit Bridge(RunController* owner) : m_owner(owner) {}
  void onStageStart(const std::string& name, int index, int count, int64_t steps) override {
    post([=](RunController* o) {
      o->flushSteps();
      Q_EMIT o->stageStarted(QString::fromStdString(name), index, count, steps);
    });
  }
  void onStep(const distill::StepMetrics& m) override {
    bool schedule = false;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_steps.push_back(m);
      schedule = !m_flushQueued;
      m_flushQueued = true;
    }
    if (schedule) post([](RunController* o) { o->scheduleStepFlush(); });
  }
  void onEval(const distill::EvalMetrics& m) override {
    post([m](RunController* o) {
      o->flushSteps();
      Q_EMIT o->evaluated(m);
    });
  }
  void onAttention(const distill::AttentionSnapshot& s) override {
    auto copy = std::make_shared<const distill::AttentionSnapshot>(s);
    post([copy](RunController* o) { Q_EMIT o->attentionReported(copy); });
  }
  void onMessage(const std::string& text) override {
    post([text](RunController* o) { Q_EMIT o->message(QString::fromStdString(text)); });
  }

  /// The buffered steps, emptied; the next step posts again.
  std::vector<distill::StepMetrics> takeSteps() {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<distill::StepMetrics> out;
    out.swap(m_steps);
    m_flushQueued = false;
    return out;
  }

  /// Runs fn(owner) on the GUI thread. Posted events die with the owner, and the owner's
  /// destructor joins the worker first, so the owner outlives every post.
  template <typename Fn>
  void post(Fn fn) {
    RunController* owner = m_owner;
    QMetaObject::invokeMethod(owner, [owner, fn] { fn(owner); }, Qt::QueuedConnection);
  }

 private:
  RunController* m_owner;
  std::mutex m_mutex;
  std::vector<distill::StepMetrics> m_steps;
  bool m_flushQueued = false;
};

RunController::RunController(QObject* parent) : QObject(parent), m_bridge(std::make_unique<Bridge>(this)) {
  qRegisterMetaType<distill::StepMetrics>();
  qRegisterMetaType<std::vector<distill::StepMetrics>>();
  qRegisterMetaType<distill::EvalMetrics>();
  qRegisterMetaType<distill::RunSummary>();
  qRegisterMetaType<std::shared_ptr<const distill::AttentionSnapshot>>();
  m_flushTimer.setSingleShot(true);
  connect(&m_flushTimer, &QTimer::timeout, this, &RunController::flushSteps);
  m_sinceFlush.start();
}

RunController::~RunController() {
  if (m_control) m_control->requestCancel();
  if (m_worker.joinable()) m_worker.join();
}

distill::Observer& RunController::observer() { return *m_bridge; }

void RunController::scheduleStepFlush() {
  const qint64 since = m_sinceFlush.elapsed();
  if (since >= kStepIntervalMs) flushSteps();
  else if (!m_flushTimer.isActive()) m_flushTimer.start(static_cast<int>(kStepIntervalMs - since));
}

void RunController::flushSteps() {
  m_flushTimer.stop();
  std::vector<distill::StepMetrics> steps = m_bridge->takeSteps();
  if (steps.empty()) return;
  m_sinceFlush.restart();
  ++m_stepBatches;
  Q_EMIT stepsReported(steps);
}

bool RunController::start(const distill::Experiment& experiment, const QString& runDir) {
  if (m_running) return false;
  if (m_worker.joinable()) m_worker.join();
  m_bridge->takeSteps();
  m_control = std::make_unique<distill::RunControl>();
  m_running = true;
  m_runDir = runDir;
  const std::string dir = runDir.toStdString();
  distill::RunControl* control = m_control.get();
  Bridge* bridge = m_bridge.get();
  m_worker = std::thread([experiment, dir, control, bridge] {
    try {
      distill::Trainer trainer(control);
      const auto summary = trainer.run(experiment, *bridge, dir);
      bridge->post([summary](RunController* o) {
        o->flushSteps();
        o->finishOnGuiThread();
        Q_EMIT o->finished(summary);
      });
    } catch (const std::exception& e) {
      std::string what = e.what();
      if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);  // LibTorch's backtrace
      bridge->post([what](RunController* o) {
        o->flushSteps();
        o->finishOnGuiThread();
        Q_EMIT o->failed(QString::fromStdString(what));
      });
    }
  });
  return true;
}

void RunController::finishOnGuiThread() {
  m_running = false;
  if (m_worker.joinable()) m_worker.join();
}

void RunController::pause() {
  if (m_control) m_control->pause();
}

void RunController::resume() {
  if (m_control) m_control->resume();
}

void RunController::stop() {
  if (m_control) m_control->requestCancel();
}

void RunController::setProbe(const QString& text) {
  if (m_control && m_running) m_control->setProbe(text.toStdString());
}

void RunController::wait() {
  if (m_worker.joinable()) m_worker.join();
}

}  // namespace app
}  // namespace retort
