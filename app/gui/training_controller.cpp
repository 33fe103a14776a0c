#include "app/gui/training_controller.h"

#include <QAction>
#include <QDateTime>
#include <QFileInfo>
#include <QFileDialog>
#include <QLabel>
#include <QProgressBar>
#include <QSettings>
#include <QSpinBox>
#include <QThread>
#include <QTimer>
#include <QWidget>

#include <algorithm>
#include <filesystem>

#include "app/gui/conversions.h"
#include "app/gui/run_controller.h"
#include "core/distill/metrics_reader.h"
#include "core/distill/resume_info.h"
#include "widgets/attention/attention_grid.h"
#include "widgets/attention/attention_view.h"
#include "widgets/charts/loss_chart.h"
#include "widgets/results/results_view.h"

namespace fs = std::filesystem;

namespace retort {
namespace app {

namespace {
constexpr int kStallTickMs = 10;
}  // namespace

TrainingController::TrainingController(const RunViews& views, QWidget* window)
    : QObject(window), m_views(views), m_window(window), m_run(new RunController(this)) {
  m_startAction = new QAction(window);
  m_startAction->setObjectName(QStringLiteral("startRunAction"));
  m_startAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  connect(m_startAction, &QAction::triggered, this, [this] {
    if (m_run->isPaused()) resume();
    else Q_EMIT startRequested();
  });
  m_pauseAction = new QAction(window);
  m_pauseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
  connect(m_pauseAction, &QAction::triggered, this, &TrainingController::pause);
  m_stopAction = new QAction(window);
  m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
  connect(m_stopAction, &QAction::triggered, this, &TrainingController::stop);
  // The run's keys work wherever the focus is, also in a window nobody has clicked into yet.
  for (QAction* a : {m_startAction, m_pauseAction, m_stopAction}) a->setShortcutContext(Qt::ApplicationShortcut);
  m_exportAction = new QAction(window);
  connect(m_exportAction, &QAction::triggered, this, &TrainingController::exportStudent);
  connect(m_views.results, &widgets::ResultsView::exportRequested, this, &TrainingController::exportStudent);

  m_processesLabel = new QLabel(window);
  m_processes = new QSpinBox(window);
  m_processes->setObjectName(QStringLiteral("processesSpin"));
  m_processes->setRange(1, std::max(1, QThread::idealThreadCount()));
  m_processes->setValue(std::clamp(QSettings().value(QStringLiteral("run/processes"), 1).toInt(), 1, m_processes->maximum()));
  m_processesLabel->setBuddy(m_processes);
  m_run->setProcesses(m_processes->value());
  connect(m_processes, &QSpinBox::valueChanged, this, [this](int n) {
    m_run->setProcesses(n);
    QSettings().setValue(QStringLiteral("run/processes"), n);
  });

  connect(m_run, &RunController::stageStarted, this, [this](const QString& name, int index, int count, qint64) {
    m_currentStage = name;
    Q_EMIT statusMessage(tr("Stage %1 of %2: %3").arg(index + 1).arg(count).arg(name), 0);
  });
  connect(m_run, &RunController::stepsReported, this, &TrainingController::onSteps);
  connect(m_run, &RunController::evaluated, this, &TrainingController::onEval);
  connect(m_run, &RunController::attentionReported, this, &TrainingController::showSnapshot);
  connect(m_run, &RunController::message, this, [this](const QString& text) { Q_EMIT statusMessage(text, 8000); });
  connect(m_run, &RunController::finished, this, &TrainingController::onFinished);
  connect(m_run, &RunController::failed, this, &TrainingController::onFailed);

  m_stallTimer = new QTimer(this);
  m_stallTimer->setInterval(kStallTickMs);
  connect(m_stallTimer, &QTimer::timeout, this, [this] {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_lastTick > 0) m_longestStallMs = std::max(m_longestStallMs, static_cast<double>(now - m_lastTick - kStallTickMs));
    m_lastTick = now;
  });
  retranslate();
}

void TrainingController::retranslate() {
  m_startAction->setToolTip(tr("Start the distillation run (Ctrl+R)"));
  m_pauseAction->setText(tr("&Pause"));
  m_stopAction->setText(tr("S&top"));
  m_stopAction->setToolTip(tr("Stop the run; the student trained so far is kept"));
  m_exportAction->setText(tr("&Export Student…"));
  m_processesLabel->setText(tr("Pro&cesses:"));
  m_processes->setToolTip(tr("Local processes the run is split over (data parallel): each trains its share of every "
                             "batch, and the charts show the first one's, which are the run's. Pause is not "
                             "available with more than one."));
  updateActions();
}

bool TrainingController::isRunning() const { return m_run->isRunning(); }
bool TrainingController::isPaused() const { return m_run->isPaused(); }

bool TrainingController::start(const distill::Experiment& experiment, const QString& runDir) {
  if (isRunning()) return false;
  prepareViews();
  m_run->start(experiment, runDir);
  if (m_run->processes() > 1)
    Q_EMIT statusMessage(tr("Running on %1 processes (data parallel); the charts show rank 0").arg(m_run->processes()), 0);
  announceStart();
  return true;
}

bool TrainingController::resumeRun(const QString& runDir) {
  if (isRunning()) return false;
  const auto info = distill::resumeInfo(runDir.toStdString());
  if (!info.resumable) {
    Q_EMIT errorOccurred(tr("%1 has no checkpoint to resume from").arg(runDir));
    return false;
  }
  prepareViews();
  // The curves up to the checkpoint, from its copy of the log; the run reports what follows.
  try {
    const auto log = distill::readMetricsLog(info.checkpoint + "/metrics.jsonl");
    onSteps(log.steps);
    for (const auto& e : log.evals) onEval(e);
  } catch (const std::exception&) {
    // The curves before the checkpoint are only shown; the resume reports a corrupt checkpoint.
  }
  m_run->startResumed(runDir);
  Q_EMIT statusMessage(tr("Resuming %1 from step %2").arg(QFileInfo(runDir).fileName()).arg(info.globalStep), 0);
  announceStart();
  return true;
}

void TrainingController::announceStart() {
  updateActions();
  Q_EMIT runStarted();
  Q_EMIT runningChanged(true);
}

void TrainingController::prepareViews() {
  // The previous run's curves stay as a faded overlay for comparison.
  widgets::LossChart* chart = m_views.chart;
  if (!chart->terms().isEmpty()) {
    QMap<QString, QVector<QPointF>> curves;
    for (const QString& term : chart->terms()) curves[term] = chart->displayedPoints(term);
    const QString label = tr("previous run");
    chart->removeOverlayRun(label);
    chart->clear();
    chart->addOverlayRun(label, curves);
  }
  m_views.attention->clear();
  m_views.grid->setSnapshot({});
  m_markedStage.clear();
  m_views.progress->setValue(0);
  m_views.speed->clear();
  m_longestStallMs = 0;
  m_lastTick = 0;
  m_stallTimer->start();
}

void TrainingController::pause() {
  m_run->pause();
  Q_EMIT statusMessage(tr("Paused"), 0);
  updateActions();
}

void TrainingController::resume() {
  m_run->resume();
  Q_EMIT statusMessage(tr("Resumed"), 3000);
  updateActions();
}

void TrainingController::stop() {
  m_run->resume();
  m_run->stop();
  Q_EMIT statusMessage(tr("Stopping… the student trained so far is kept"), 0);
}

void TrainingController::updateActions() {
  const bool running = m_run->isRunning();
  const bool paused = running && m_run->isPaused();
  m_startAction->setEnabled(!running || paused);
  m_startAction->setText(paused ? tr("&Resume") : tr("&Start"));
  m_pauseAction->setEnabled(running && !paused && m_run->canPause());
  m_stopAction->setEnabled(running);
  m_processes->setEnabled(!running);
  m_exportAction->setEnabled(!running && !m_summary.runDir.empty());
}

void TrainingController::onSteps(const std::vector<distill::StepMetrics>& steps) {
  widgets::LossChart* chart = m_views.chart;
  const QString total = tr("total");
  for (const auto& m : steps) {
    const double x = static_cast<double>(m.globalStep);
    chart->addPoint(total, x, m.total);
    for (const auto& [term, value] : m.losses) chart->addPoint(QString::fromStdString(term), x, value);
    const QString stage = QString::fromStdString(m.stage);
    if (stage != m_markedStage) {  // the first step of a stage: mark where it began
      m_markedStage = stage;
      chart->markStage(static_cast<double>(m.globalStep - m.step), m_markedStage);
    }
  }
  if (steps.empty()) return;
  const auto& m = steps.back();
  const double fraction = m.totalSteps > 0 ? static_cast<double>(m.globalStep) / static_cast<double>(m.totalSteps) : 0;
  m_views.progress->setValue(static_cast<int>(fraction * 1000));
  m_views.progress->setFormat(QStringLiteral("%1 / %2").arg(m.globalStep).arg(m.totalSteps));
  const double eta = fraction > 0 ? m.elapsedSeconds * (1 - fraction) / fraction : 0;
  m_views.speed->setText(tr("%1 examples/s · ETA %2").arg(m.examplesPerSecond, 0, 'f', 0).arg(formatDuration(eta)));
}

void TrainingController::onEval(const distill::EvalMetrics& m) {
  if (m.model == "student" || m_currentStage.startsWith(QStringLiteral("teacher")))
    m_views.chart->addEvaluation(static_cast<double>(m.globalStep), m.accuracy);
}

void TrainingController::showSnapshot(const std::shared_ptr<const distill::AttentionSnapshot>& s) {
  const auto data = toWidgets(*s);
  m_views.attention->setSnapshot(data);
  m_views.grid->setSnapshot(data);
}

void TrainingController::onFinished(const distill::RunSummary& summary) {
  m_stallTimer->stop();
  m_summary = summary;
  m_views.chart->flush();
  m_views.results->setFigures(toWidgets(summary));
  m_views.progress->setValue(1000);
  Q_EMIT statusMessage(summary.cancelled
                           ? tr("Run stopped; the student so far and a checkpoint are in %1 (Run ▸ Resume Interrupted Run continues it)")
                                 .arg(QString::fromStdString(summary.runDir))
                           : tr("Run finished in %1; files in %2").arg(formatDuration(summary.seconds), QString::fromStdString(summary.runDir)),
                       0);
  updateActions();
  Q_EMIT runningChanged(false);
  Q_EMIT runFinished(true);
}

void TrainingController::onFailed(const QString& text) {
  m_stallTimer->stop();
  Q_EMIT errorOccurred(tr("The run stopped with an error: %1").arg(text));
  updateActions();
  Q_EMIT runningChanged(false);
  Q_EMIT runFinished(false);
}

void TrainingController::exportStudent() {
  if (m_summary.runDir.empty()) return;
  const QString target = QFileDialog::getExistingDirectory(m_window, tr("Export the student to"));
  if (target.isEmpty()) return;
  std::error_code ec;
  fs::copy(fs::path(m_summary.runDir) / "student", target.toStdString(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
  if (ec) Q_EMIT errorOccurred(tr("Could not export the student: %1").arg(QString::fromStdString(ec.message())));
  else Q_EMIT statusMessage(tr("Student exported to %1 (Hugging Face layout)").arg(target), 6000);
}

}  // namespace app
}  // namespace retort
