#include "app/gui/run_controller.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QTemporaryDir>

#include <exception>
#include <functional>
#include <mutex>

#include "core/distill/trainer.h"
#include "core/distributed/local_launch.h"
#include "core/distributed/world.h"
#include "core/util/files.h"
#include "core/util/error.h"

namespace retort {
namespace app {

/// The observer on the training thread: copies what is shown and hands it to the GUI thread.
/// Steps and the events whose order matters with them (a stage's start, an evaluation, the
/// run's end) go into one queue under a mutex; the GUI thread drains it in order, steps
/// batched between the events. Steps ask for a throttled drain, the events for one at once.
class RunController::Bridge : public distill::Observer {
 public:
  using Event = std::function<void(RunController*)>;
  struct Item {
    bool isStep = false;
    distill::StepMetrics step;
    Event event;
  };

  explicit Bridge(RunController* owner) : m_owner(owner) {}
  void onStageStart(const std::string& name, int index, int count, int64_t steps) override {
    enqueue([=](RunController* o) { Q_EMIT o->stageStarted(QString::fromStdString(name), index, count, steps); });
  }
  void onStep(const distill::StepMetrics& m) override {
    bool schedule = false;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      Item item;
      item.isStep = true;
      item.step = m;
      m_items.push_back(std::move(item));
      schedule = !m_drainQueued;
      m_drainQueued = true;
    }
    if (schedule) post([](RunController* o) { o->scheduleStepFlush(); });
  }
  void onEval(const distill::EvalMetrics& m) override {
    enqueue([m](RunController* o) { Q_EMIT o->evaluated(m); });
  }
  void onAttention(const distill::AttentionSnapshot& s) override {
    auto copy = std::make_shared<const distill::AttentionSnapshot>(s);
    post([copy](RunController* o) { Q_EMIT o->attentionReported(copy); });
  }
  void onMessage(const std::string& text) override {
    post([text](RunController* o) { Q_EMIT o->message(QString::fromStdString(text)); });
  }

  /// An event in order with the steps, delivered (with the steps before it) at once.
  void enqueue(Event event) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      Item item;
      item.event = std::move(event);
      m_items.push_back(std::move(item));
    }
    post([](RunController* o) { o->flushSteps(); });
  }

  /// The queue, emptied; the next step asks for a drain again.
  std::vector<Item> take() {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Item> out;
    out.swap(m_items);
    m_drainQueued = false;
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
  std::vector<Item> m_items;
  bool m_drainQueued = false;
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
  std::vector<distill::StepMetrics> steps;
  auto emitSteps = [&] {
    if (steps.empty()) return;
    m_sinceFlush.restart();
    ++m_stepBatches;
    Q_EMIT stepsReported(steps);
    steps.clear();
  };
  for (auto& item : m_bridge->take()) {
    if (item.isStep) {
      steps.push_back(std::move(item.step));
    } else {
      emitSteps();
      item.event(this);
    }
  }
  emitSteps();
}

QString RunController::rankProgram() const {
  if (!m_rankProgram.isEmpty()) return m_rankProgram;
  return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("retort-cli"));
}

bool RunController::start(const distill::Experiment& experiment, const QString& runDir) {
  const std::string dir = QFileInfo(runDir).absoluteFilePath().toStdString();
  if (m_processes <= 1 || m_running)
    return launch(runDir, [experiment, dir](distill::RunControl* control, distill::Observer& observer) {
      distill::Trainer trainer(control);
      return trainer.run(experiment, observer, dir);
    });
  // The other ranks read the experiment from a file: toJson() writes it whole, paths absolute.
  // Each rank gets its share of the cores unless the experiment names a thread count; rank 0
  // and the others must hold the same document (the ranks compare its hash).
  distill::Experiment shared = experiment;
  if (shared.threads <= 0)
    shared.threads = std::max(1, static_cast<int>(std::max(1u, std::thread::hardware_concurrency()) / m_processes));
  auto tmp = std::make_shared<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("retort-ranks-XXXXXX")));
  const std::string file = QDir(tmp->path()).filePath(QStringLiteral("experiment.json")).toStdString();
  try {
    if (!tmp->isValid()) throw Error(ErrorKind::Io, "cannot make a temporary directory: " + tmp->errorString().toStdString());
    util::writeFileAtomic(file, shared.toJson().dump(2) + "\n");
  } catch (const std::exception& e) {
    // Reported like a failed run, so the window shows it where it shows the others.
    const std::string what = e.what();
    return launch(runDir, [what](distill::RunControl*, distill::Observer&) -> distill::RunSummary {
      throw Error(ErrorKind::Io, what);
    });
  }
  return launch(runDir, distributedJob({"run", file, "--out", dir},
                                       [shared, dir, tmp](distill::Trainer& t, distill::Observer& o) {
                                         return t.run(shared, o, dir);
                                       },
                                       true));
}

bool RunController::startResumed(const QString& runDir) {
  const std::string dir = QFileInfo(runDir).absoluteFilePath().toStdString();
  if (m_processes <= 1 || m_running)
    return launch(runDir, [dir](distill::RunControl* control, distill::Observer& observer) {
      distill::Trainer trainer(control);
      return trainer.resume(dir, observer);
    });
  return launch(runDir, distributedJob({"resume", dir},
                                       [dir](distill::Trainer& t, distill::Observer& o) { return t.resume(dir, o); },
                                       false));
}

RunController::Job RunController::distributedJob(
    const std::vector<std::string>& rankArgs,
    std::function<distill::RunSummary(distill::Trainer&, distill::Observer&)> train, bool fresh) {
  const std::string program = rankProgram().toStdString();
  const int64_t processes = m_processes;
  int64_t seconds = m_distTimeoutSeconds;
  if (seconds <= 0) seconds = distributed::launchFromEnvironment().timeout.count() / 1000;
  const std::chrono::milliseconds timeout(1000 * std::max<int64_t>(1, seconds));
  return [=](distill::RunControl* control, distill::Observer& observer) {
    if (!QFileInfo(QString::fromStdString(program)).isExecutable())
      throw Error(ErrorKind::Io, program + ": the program that runs the other ranks is not there; "
                                                 "install retort-cli beside the workbench, or run on 1 process");
    distributed::LocalLaunch launch(program, rankArgs, processes, 1, timeout);
    // Wait for the others to reach the store first: one that dies on the way is reported at
    // once, instead of after the process group's whole timeout.
    launch.awaitJoined([control] { return control->cancelled(); });
    auto world = distributed::World::connect(launch.specFor(0));
    // `retort-cli run` has rank 0 tell the others whether --resume continues the directory
    // (never here: the window starts a new run); the collectives must pair up.
    if (fresh) world->broadcastValue(0, "run: --resume");
    distill::RunSummary summary;
    {
      distill::Trainer trainer(control, world);
      summary = train(trainer, observer);
    }
    world.reset();
    std::string failures;
    const int rc = launch.wait([&](const std::string& line) { failures += (failures.empty() ? "" : "; ") + line; },
                               [] { return false; });
    if (rc != 0 && !summary.cancelled)
      throw Error(ErrorKind::Runtime, "the run finished on rank 0, but " + failures);
    return summary;
  };
}

bool RunController::launch(const QString& runDir, Job job) {
  if (m_running) return false;
  if (m_worker.joinable()) m_worker.join();
  m_bridge->take();
  m_control = std::make_unique<distill::RunControl>();
  m_running = true;
  m_runProcesses = m_processes;
  m_runDir = runDir;
  distill::RunControl* control = m_control.get();
  Bridge* bridge = m_bridge.get();
  m_worker = std::thread([job = std::move(job), control, bridge] {
    try {
      const auto summary = job(control, *bridge);
      bridge->enqueue([summary](RunController* o) {
        o->finishOnGuiThread();
        Q_EMIT o->finished(summary);
      });
    } catch (const std::exception& e) {
      std::string what = e.what();
      if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);  // LibTorch's backtrace
      bridge->enqueue([what](RunController* o) {
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
  if (m_control && canPause()) m_control->pause();
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
