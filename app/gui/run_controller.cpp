#include "app/gui/run_controller.h"

#include <QMetaObject>
#include <QPointer>

#include <exception>

#include "core/distill/trainer.h"
#include "core/util/error.h"

namespace retort {
namespace app {

/// The observer on the training thread: copies what is shown and posts it to the GUI thread.
class RunController::Bridge : public distill::Observer {
 public:
  explicit Bridge(RunController* owner) : m_owner(owner) {}
  void onStageStart(const std::string& name, int index, int count, int64_t steps) override {
    post([=](RunController* o) { Q_EMIT o->stageStarted(QString::fromStdString(name), index, count, steps); });
  }
  void onStep(const distill::StepMetrics& m) override {
    post([m](RunController* o) { Q_EMIT o->stepReported(m); });
  }
  void onEval(const distill::EvalMetrics& m) override {
    post([m](RunController* o) { Q_EMIT o->evaluated(m); });
  }
  void onAttention(const distill::AttentionSnapshot& s) override {
    auto copy = std::make_shared<const distill::AttentionSnapshot>(s);
    post([copy](RunController* o) { Q_EMIT o->attentionReported(copy); });
  }
  void onMessage(const std::string& text) override {
    post([text](RunController* o) { Q_EMIT o->message(QString::fromStdString(text)); });
  }

  template <typename Fn>
  void post(Fn fn) {
    QPointer<RunController> owner(m_owner);
    QMetaObject::invokeMethod(
        m_owner, [owner, fn] { if (owner) fn(owner.data()); }, Qt::QueuedConnection);
  }

 private:
  RunController* m_owner;
};

RunController::RunController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<distill::StepMetrics>();
  qRegisterMetaType<distill::EvalMetrics>();
  qRegisterMetaType<distill::RunSummary>();
  qRegisterMetaType<std::shared_ptr<const distill::AttentionSnapshot>>();
}

RunController::~RunController() {
  if (m_control) m_control->requestCancel();
  if (m_worker.joinable()) m_worker.join();
}

bool RunController::start(const distill::Experiment& experiment, const QString& runDir) {
  if (m_running) return false;
  if (m_worker.joinable()) m_worker.join();
  m_control = std::make_unique<distill::RunControl>();
  m_bridge = std::make_unique<Bridge>(this);
  m_running = true;
  m_runDir = runDir;
  const std::string dir = runDir.toStdString();
  distill::RunControl* control = m_control.get();
  Bridge* bridge = m_bridge.get();
  m_worker = std::thread([this, experiment, dir, control, bridge] {
    try {
      distill::Trainer trainer(control);
      const auto summary = trainer.run(experiment, *bridge, dir);
      bridge->post([summary](RunController* o) {
        o->finishOnGuiThread();
        Q_EMIT o->finished(summary);
      });
    } catch (const std::exception& e) {
      std::string what = e.what();
      if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);  // LibTorch's backtrace
      bridge->post([what](RunController* o) {
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
