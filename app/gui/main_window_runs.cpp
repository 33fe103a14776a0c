// MainWindow, part two: runs (start, pause, stop, the observer's signals), the run history and
// attention probes outside a run.

#include "app/gui/main_window.h"
#include "app/gui/conversions.h"
#include "app/gui/document_fields.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSaveFile>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <QWhatsThis>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/distill/run_directory.h"

#include "app/gui/checkpoint_summary.h"
#include "app/gui/experiment_panels.h"
#include "app/gui/run_controller.h"
#include "core/distill/experiment.h"
#include "core/distill/probe.h"
#include "core/util/error.h"
#include "core/util/resources.h"
#include "widgets/attention/attention_grid.h"
#include "widgets/attention/attention_view.h"
#include "widgets/charts/loss_chart.h"
#include "widgets/mapping/layer_mapping_editor.h"
#include "widgets/model/model_summary_view.h"
#include "widgets/results/results_view.h"
#include "widgets/results/run_history.h"

using nlohmann::json;
namespace fs = std::filesystem;

namespace retort {
namespace app {

void MainWindow::probeNow(const QString& text) {
  // Teacher: the run's own (it may have been trained or fine-tuned) or the experiment's.
  distill::ProbeRequest r;
  r.text = text.toStdString();
  const std::string runDir = m_summary.runDir;
  if (!runDir.empty() && fs::exists(fs::path(runDir) / "teacher" / "config.json")) {
    r.teacherDir = (fs::path(runDir) / "teacher").string();
  } else {
    QString dir = q(m_doc.contains("teacher") ? m_doc["teacher"].value("checkpoint", std::string()) : std::string());
    if (dir.isEmpty()) return;  // a teacher that Retort trains: nothing to show before the run
    if (!QDir::isAbsolutePath(dir)) dir = QDir(baseDir()).absoluteFilePath(dir);
    r.teacherDir = dir.toStdString();
  }
  if (!runDir.empty() && m_summary.studentKind != "bilstm" && fs::exists(fs::path(runDir) / "student" / "config.json")) {
    r.studentDir = (fs::path(runDir) / "student").string();
    for (const auto& p : m_mapping->pairs())
      if (p.student > 0) r.pairs.push_back({p.student, p.teacher, p.attention, p.hidden, p.weight});
  }
  const int generation = ++m_probeGeneration;
  QPointer<MainWindow> self(this);
  for (auto it = m_probeThreads.begin(); it != m_probeThreads.end();) {
    // Finished probes are joined as new ones start; the destructor joins the rest.
    if (it->second->load()) {
      it->first.join();
      it = m_probeThreads.erase(it);
    } else {
      ++it;
    }
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread worker([self, r, generation, done] {
    std::shared_ptr<const distill::AttentionSnapshot> snap;
    QString error;
    try {
      snap = std::make_shared<const distill::AttentionSnapshot>(distill::probeAttention(r));
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(qApp, [self, snap, error, generation] {
      if (!self || generation != self->m_probeGeneration || self->isRunning()) return;
      if (snap) self->onSnapshot(snap);
      else self->statusBar()->showMessage(tr("No attention for the probe: %1").arg(error), 8000);
    }, Qt::QueuedConnection);
    done->store(true);
  });
  m_probeThreads.emplace_back(std::move(worker), done);
}

// ---- runs ---------------------------------------------------------------------------------

bool MainWindow::startRun(const QString& runDir) {
  if (isRunning()) return false;
  distill::Experiment e;
  const json d = document();
  try {
    e = distill::Experiment::fromJson(d, m_path.isEmpty() ? "experiment" : m_path.toStdString(), baseDir().toStdString());
  } catch (const std::exception& ex) {
    showError(tr("The experiment cannot run: %1").arg(QString::fromUtf8(ex.what())));
    return false;
  }
  if (!m_mapping->isValid()) {
    showError(tr("The layer mapping is invalid: %1").arg(m_mapping->validationMessage()));
    return false;
  }
  QString dir = runDir;
  if (dir.isEmpty()) {
    dir = runsRoot() + QLatin1Char('/') + q(e.name) + QLatin1Char('-') + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
  }
  clearError();
  // The previous run's curves stay as a faded overlay for comparison.
  if (!m_chart->terms().isEmpty()) {
    QMap<QString, QVector<QPointF>> curves;
    for (const QString& term : m_chart->terms()) curves[term] = m_chart->displayedPoints(term);
    const QString label = tr("previous run");
    m_chart->removeOverlayRun(label);
    m_chart->clear();
    m_chart->addOverlayRun(label, curves);
  }
  m_attention->clear();
  m_markedStage.clear();
  m_progress->setValue(0);
  m_speed->clear();
  m_longestStallMs = 0;
  m_lastTick = 0;
  m_stallTimer->start();
  m_run->start(e, dir);
  m_viewTabs->setCurrentWidget(m_chart);
  updateRunActions();
  return true;
}

void MainWindow::pauseRun() {
  m_run->pause();
  statusBar()->showMessage(tr("Paused"));
  updateRunActions();
}

void MainWindow::resumeRun() {
  m_run->resume();
  statusBar()->showMessage(tr("Resumed"), 3000);
  updateRunActions();
}

void MainWindow::stopRun() {
  m_run->resume();
  m_run->stop();
  statusBar()->showMessage(tr("Stopping… the student trained so far is kept"));
}

bool MainWindow::isRunning() const { return m_run->isRunning(); }

void MainWindow::updateRunActions() {
  const bool running = m_run && m_run->isRunning();
  const bool paused = running && m_run->isPaused();
  m_runAction->setEnabled(!running || paused);
  m_runAction->setText(paused ? tr("&Resume") : tr("&Start"));
  m_pauseAction->setEnabled(running && !paused);
  m_stopAction->setEnabled(running);
  m_exportAction->setEnabled(!running && !m_summary.runDir.empty());
  m_setupTabs->setEnabled(!running);
}

void MainWindow::onStep(const distill::StepMetrics& m) {
  const double x = static_cast<double>(m.globalStep);
  m_chart->addPoint(tr("total"), x, m.total);
  for (const auto& [term, value] : m.losses) m_chart->addPoint(q(term), x, value);
  if (q(m.stage) != m_markedStage) {  // the first step of a stage: mark where it began
    m_markedStage = q(m.stage);
    m_chart->markStage(static_cast<double>(m.globalStep - m.step), m_markedStage);
  }
  const double fraction = m.totalSteps > 0 ? static_cast<double>(m.globalStep) / static_cast<double>(m.totalSteps) : 0;
  m_progress->setValue(static_cast<int>(fraction * 1000));
  m_progress->setFormat(QStringLiteral("%1 / %2").arg(m.globalStep).arg(m.totalSteps));
  const double eta = fraction > 0 ? m.elapsedSeconds * (1 - fraction) / fraction : 0;
  m_speed->setText(tr("%1 examples/s · ETA %2").arg(m.examplesPerSecond, 0, 'f', 0).arg(formatDuration(eta)));
}

void MainWindow::onEval(const distill::EvalMetrics& m) {
  if (m.model == "student" || m_currentStage.startsWith(QStringLiteral("teacher")))
    m_chart->addEvaluation(static_cast<double>(m.globalStep), m.accuracy);
}

void MainWindow::onSnapshot(const std::shared_ptr<const distill::AttentionSnapshot>& s) {
  const auto data = toWidgets(*s);
  m_attention->setSnapshot(data);
  m_grid->setSnapshot(data);
}

void MainWindow::onFinished(const distill::RunSummary& summary) {
  m_stallTimer->stop();
  m_summary = summary;
  m_chart->flush();
  static_cast<widgets::ResultsView*>(m_results)->setFigures(toWidgets(summary));
  m_viewTabs->setCurrentWidget(m_results);
  m_progress->setValue(1000);
  statusBar()->showMessage(summary.cancelled ? tr("Run stopped; the student so far is in %1").arg(q(summary.runDir))
                                             : tr("Run finished in %1; files in %2").arg(formatDuration(summary.seconds), q(summary.runDir)));
  updateRunActions();
  refreshHistory();
  Q_EMIT runFinished(true);
}

void MainWindow::onFailed(const QString& text) {
  m_stallTimer->stop();
  showError(tr("The run stopped with an error: %1").arg(text));
  updateRunActions();
  Q_EMIT runFinished(false);
}

void MainWindow::exportStudent() {
  if (m_summary.runDir.empty()) return;
  const QString target = QFileDialog::getExistingDirectory(this, tr("Export the student to"));
  if (target.isEmpty()) return;
  std::error_code ec;
  fs::copy(fs::path(m_summary.runDir) / "student", target.toStdString(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
  if (ec) showError(tr("Could not export the student: %1").arg(q(ec.message())));
  else statusBar()->showMessage(tr("Student exported to %1 (Hugging Face layout)").arg(target), 6000);
}

QWidget* MainWindow::resultsView() const { return m_results; }

QString MainWindow::runsRoot() const {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/runs");
}

void MainWindow::refreshHistory() {
  // Runs of this experiment: <runs>/<name>-<date>-<time>/summary.json, oldest first.
  const std::string name = m_doc.value("name", std::string("experiment"));
  QDir root(runsRoot());
  const QStringList dirs = root.entryList({q(name) + QStringLiteral("-*")}, QDir::Dirs, QDir::Name);
  QVector<widgets::RunFigures> runs;
  QStringList settings;
  m_historyRuns.clear();
  for (const QString& d : dirs) {
    const QString path = root.filePath(d);
    try {
      const auto summary = distill::readSummary((path + QStringLiteral("/summary.json")).toStdString());
      auto f = toWidgets(summary);
      f.finishedAt = QFileInfo(path + QStringLiteral("/summary.json")).lastModified();
      runs.push_back(f);
      QString line;
      try {
        const auto e = distill::Experiment::readDocument((path + QStringLiteral("/experiment.json")).toStdString());
        const auto& a = e["student"]["architecture"];
        line = e["student"].value("kind", std::string("bert")) == "bilstm"
                   ? tr("BiLSTM student")
                   : tr("student %1×%2, %n stage(s)", nullptr, static_cast<int>(e["stages"].size()))
                         .arg(a.value("layers", 0))
                         .arg(a.value("hidden", 0));
      } catch (const std::exception&) {
      }
      settings << line;
      m_historyRuns << path;
    } catch (const std::exception&) {
      // Not a finished run (no or a malformed summary.json): not listed.
    }
  }
  m_history->setRuns(runs, settings);
}

void MainWindow::overlayRun(int index) {
  if (index < 0 || index >= m_historyRuns.size()) return;
  QMap<QString, QVector<QPointF>> curves;
  std::ifstream in((m_historyRuns[index] + QStringLiteral("/metrics.jsonl")).toStdString());
  std::string line;
  while (std::getline(in, line)) {
    const json j = json::parse(line, nullptr, false);
    if (!j.is_object() || j.value("type", std::string()) != "step") continue;
    const double x = j.value("global_step", 0.0);
    curves[tr("total")].push_back(QPointF(x, j.value("loss", 0.0)));
    if (j.contains("losses"))
      for (auto it = j["losses"].begin(); it != j["losses"].end(); ++it)
        if (it->is_number()) curves[q(it.key())].push_back(QPointF(x, it->get<double>()));
  }
  const QString label = QFileInfo(m_historyRuns[index]).fileName();
  m_chart->removeOverlayRun(label);
  m_chart->addOverlayRun(label, curves);
  m_viewTabs->setCurrentWidget(m_chart);
}

}  // namespace app
}  // namespace retort
