#include "app/gui/main_window.h"

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
#include "app/gui/conversions.h"
#include "app/gui/document_fields.h"
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

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("mainWindow"));
  m_run = new RunController(this);
  createPanels();
  createActions();
  connect(m_run, &RunController::stageStarted, this, [this](const QString& name, int index, int count, qint64) {
    m_currentStage = name;
    statusBar()->showMessage(tr("Stage %1 of %2: %3").arg(index + 1).arg(count).arg(name));
  });
  connect(m_run, &RunController::stepReported, this, &MainWindow::onStep);
  connect(m_run, &RunController::evaluated, this, &MainWindow::onEval);
  connect(m_run, &RunController::attentionReported, this, &MainWindow::onSnapshot);
  connect(m_run, &RunController::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });
  connect(m_run, &RunController::finished, this, &MainWindow::onFinished);
  connect(m_run, &RunController::failed, this, &MainWindow::onFailed);
  m_stallTimer = new QTimer(this);
  m_stallTimer->setInterval(10);
  connect(m_stallTimer, &QTimer::timeout, this, [this] {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_lastTick > 0) m_longestStallMs = std::max(m_longestStallMs, static_cast<double>(now - m_lastTick - 10));
    m_lastTick = now;
  });
  retranslate();
  restoreSettings();
  updateRunActions();
}

MainWindow::~MainWindow() {
  for (auto& t : m_probeThreads) t.first.join();
}

void MainWindow::createPanels() {
  m_splitter = new QSplitter(Qt::Horizontal, this);
  m_splitter->setObjectName(QStringLiteral("mainSplitter"));
  m_setupTabs = new QTabWidget(m_splitter);
  m_setupTabs->setObjectName(QStringLiteral("setupTabs"));
  m_task = new TaskPanel(m_setupTabs);
  m_teacher = new TeacherPanel(m_setupTabs);
  m_student = new StudentPanel(m_setupTabs);
  m_mapping = new widgets::LayerMappingEditor(m_setupTabs);
  m_mapping->setObjectName(QStringLiteral("mappingEditor"));
  m_stages = new StagesPanel(m_setupTabs);
  m_setupTabs->addTab(m_task, QString());
  m_setupTabs->addTab(m_teacher, QString());
  m_setupTabs->addTab(m_student, QString());
  m_setupTabs->addTab(m_mapping, QString());
  m_setupTabs->addTab(m_stages, QString());

  auto* right = new QWidget(m_splitter);
  auto* layout = new QVBoxLayout(right);
  layout->setContentsMargins(0, 0, 0, 0);
  m_messageBar = new QLabel(right);
  m_messageBar->setObjectName(QStringLiteral("messageBar"));
  m_messageBar->setWordWrap(true);
  m_messageBar->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_messageBar->setStyleSheet(QStringLiteral("QLabel { padding: 6px; border-radius: 4px; "
                                             "background: palette(highlight); color: palette(highlighted-text); }"));
  m_messageBar->hide();
  layout->addWidget(m_messageBar);
  m_viewTabs = new QTabWidget(right);
  m_viewTabs->setObjectName(QStringLiteral("viewTabs"));
  m_chart = new widgets::LossChart(m_viewTabs);
  m_chart->setObjectName(QStringLiteral("lossChart"));
  auto* attentionPage = new QSplitter(Qt::Vertical, m_viewTabs);
  attentionPage->setObjectName(QStringLiteral("attentionSplitter"));
  m_attention = new widgets::AttentionView(attentionPage);
  m_attention->setObjectName(QStringLiteral("attentionView"));
  m_grid = new widgets::AttentionGrid(attentionPage);
  m_grid->setObjectName(QStringLiteral("attentionGrid"));
  auto* resultsPage = new QSplitter(Qt::Vertical, m_viewTabs);
  resultsPage->setObjectName(QStringLiteral("resultsSplitter"));
  auto* results = new widgets::ResultsView(resultsPage);
  results->setObjectName(QStringLiteral("resultsView"));
  m_results = results;
  m_history = new widgets::RunHistoryView(resultsPage);
  m_history->setObjectName(QStringLiteral("runHistoryView"));
  m_summaryView = new widgets::ModelSummaryView(m_viewTabs);
  m_summaryView->setObjectName(QStringLiteral("modelSummary"));
  m_viewTabs->addTab(m_chart, QString());
  m_viewTabs->addTab(attentionPage, QString());
  m_viewTabs->addTab(resultsPage, QString());
  m_viewTabs->addTab(m_summaryView, QString());
  layout->addWidget(m_viewTabs, 1);
  m_splitter->setStretchFactor(0, 2);
  m_splitter->setStretchFactor(1, 3);
  setCentralWidget(m_splitter);

  m_progress = new QProgressBar(this);
  m_progress->setObjectName(QStringLiteral("runProgress"));
  m_progress->setRange(0, 1000);
  m_progress->setMaximumWidth(220);
  m_progress->setTextVisible(true);
  m_speed = new QLabel(this);
  m_speed->setObjectName(QStringLiteral("runSpeed"));
  statusBar()->addPermanentWidget(m_speed);
  statusBar()->addPermanentWidget(m_progress);

  auto edited = [this] { markModified(); };
  connect(m_task, &TaskPanel::edited, this, edited);
  connect(m_task, &TaskPanel::useDemoRequested, this, [this] { openPreset(QStringLiteral("demo")); });
  connect(m_teacher, &TeacherPanel::edited, this, [this] {
    syncLayerCounts();
    markModified();
  });
  connect(m_student, &StudentPanel::edited, this, [this] {
    syncLayerCounts();
    markModified();
  });
  connect(m_stages, &StagesPanel::edited, this, edited);
  connect(m_mapping, &widgets::LayerMappingEditor::mappingChanged, this, [this] {
    if (m_loading) return;
    json& m = m_doc["mapping"];
    if (!m.is_object()) m = json::object();
    m["kind"] = "explicit";
    m["pairs"] = json::array();
    for (const auto& p : m_mapping->pairs())
      m["pairs"].push_back({{"student", p.student}, {"teacher", p.teacher}, {"attention", p.attention},
                            {"hidden", p.hidden}, {"weight", p.weight}});
    m["embeddings"] = false;  // the editor's pairs include 0 <-> 0 when wanted
    markModified();
  });
  connect(m_grid, &widgets::AttentionGrid::selected, this, [this](int layer, int head) {
    const auto& pairs = m_attention->snapshot().pairs;
    for (int i = 0; i < pairs.size(); ++i)
      if (pairs[i].studentLayer == layer || pairs[i].teacherLayer == layer) {
        m_attention->setCurrentPair(i);
        m_attention->setCurrentHead(head);
        break;
      }
  });
  connect(m_attention, &widgets::AttentionView::probeChanged, this, [this](const QString& text) {
    json& o = m_doc["observer"];
    if (!o.is_object()) o = json::object();
    o["probe"] = text.toStdString();
    markModified();
    if (isRunning()) {
      m_run->setProbe(text);
      statusBar()->showMessage(tr("The new probe sentence is used from the next attention snapshot."), 6000);
    } else {
      probeNow(text);
    }
  });
  connect(results, &widgets::ResultsView::exportRequested, this, &MainWindow::exportStudent);
  connect(m_history, &widgets::RunHistoryView::runSelected, this, [this](int index) {
    if (index >= 0 && index < m_historyRuns.size()) static_cast<widgets::ResultsView*>(m_results)->setFigures(m_history->run(index));
  });
  connect(m_history, &widgets::RunHistoryView::showCurvesRequested, this, [this](int index) { overlayRun(index); });
  connect(m_history, &widgets::RunHistoryView::compareToggled, this, [this](int index, bool on) {
    if (on) overlayRun(index);
    else if (index >= 0 && index < m_historyRuns.size()) m_chart->removeOverlayRun(QFileInfo(m_historyRuns[index]).fileName());
  });
}

void MainWindow::createActions() {
  m_fileMenu = menuBar()->addMenu(QString());
  m_newAction = m_fileMenu->addAction(QString(), this, [this] {
    if (maybeSave()) openPreset(QStringLiteral("quickstart"));
  });
  m_newAction->setShortcut(QKeySequence::New);
  m_openAction = m_fileMenu->addAction(QString(), this, [this] {
    if (!maybeSave()) return;
    const QString file = QFileDialog::getOpenFileName(this, tr("Open Experiment"), baseDir(), tr("Experiments (*.json)"));
    if (!file.isEmpty()) openExperiment(file);
  });
  m_openAction->setShortcut(QKeySequence::Open);
  m_recentMenu = m_fileMenu->addMenu(QString());
  m_presetMenu = m_fileMenu->addMenu(QString());
  try {
    for (const auto& name : util::presetNames()) {
      const QString n = q(name);
      m_presetMenu->addAction(n, this, [this, n] {
        if (maybeSave()) openPreset(n);
      });
    }
  } catch (const std::exception&) {
  }
  m_saveAction = m_fileMenu->addAction(QString(), this, [this] {
    if (m_path.isEmpty()) m_saveAsAction->trigger();
    else saveExperiment(m_path);
  });
  m_saveAction->setShortcut(QKeySequence::Save);
  m_saveAsAction = m_fileMenu->addAction(QString(), this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Save Experiment"), m_path, tr("Experiments (*.json)"));
    if (!file.isEmpty()) saveExperiment(file);
  });
  m_saveAsAction->setShortcut(QKeySequence::SaveAs);
  m_fileMenu->addSeparator();
  m_openCheckpointAction = m_fileMenu->addAction(QString(), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Checkpoint"),
                                                          QSettings().value(QStringLiteral("lastCheckpointDir")).toString());
    if (!dir.isEmpty()) openCheckpoint(dir);
  });
  m_exportAction = m_fileMenu->addAction(QString(), this, &MainWindow::exportStudent);
  m_fileMenu->addSeparator();
  m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
  m_quitAction->setShortcut(QKeySequence::Quit);

  m_runMenu = menuBar()->addMenu(QString());
  m_runAction = m_runMenu->addAction(QString(), this, [this] {
    if (m_run->isPaused()) resumeRun();
    else startRun();
  });
  m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  m_pauseAction = m_runMenu->addAction(QString(), this, &MainWindow::pauseRun);
  m_pauseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
  m_stopAction = m_runMenu->addAction(QString(), this, &MainWindow::stopRun);
  m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));

  m_viewMenu = menuBar()->addMenu(QString());
  m_presenterAction = m_viewMenu->addAction(QString(), this, [this](bool on) { setPresenterMode(on); });
  m_presenterAction->setCheckable(true);
  m_presenterAction->setShortcut(QKeySequence(Qt::Key_F11));

  m_helpMenu = menuBar()->addMenu(QString());
  m_helpMenu->addAction(QWhatsThis::createAction(this));
  m_aboutAction = m_helpMenu->addAction(QString(), this, [this] {
    QMessageBox::about(this, tr("About Retort"),
                       tr("<b>Retort %1</b><p>A workbench for knowledge distillation of BERT models: "
                          "pick a teacher and a student, watch the student learn, and judge what it keeps.</p>")
                           .arg(QStringLiteral(RETORT_VERSION)));
  });

  auto* bar = addToolBar(QString());
  bar->setObjectName(QStringLiteral("mainToolBar"));
  bar->addAction(m_newAction);
  bar->addAction(m_openAction);
  bar->addAction(m_saveAction);
  bar->addSeparator();
  bar->addAction(m_runAction);
  bar->addAction(m_pauseAction);
  bar->addAction(m_stopAction);
}

void MainWindow::retranslate() {
  m_fileMenu->setTitle(tr("&File"));
  m_newAction->setText(tr("&New Experiment"));
  m_openAction->setText(tr("&Open Experiment…"));
  m_recentMenu->setTitle(tr("Open &Recent"));
  m_presetMenu->setTitle(tr("&Presets"));
  m_saveAction->setText(tr("&Save"));
  m_saveAsAction->setText(tr("Save &As…"));
  m_openCheckpointAction->setText(tr("Open &Checkpoint…"));
  m_openCheckpointAction->setStatusTip(tr("Open a model directory in the Hugging Face layout"));
  m_exportAction->setText(tr("&Export Student…"));
  m_quitAction->setText(tr("&Quit"));
  m_runMenu->setTitle(tr("&Run"));
  m_runAction->setText(tr("&Start"));
  m_runAction->setToolTip(tr("Start the distillation run (Ctrl+R)"));
  m_pauseAction->setText(tr("&Pause"));
  m_stopAction->setText(tr("S&top"));
  m_stopAction->setToolTip(tr("Stop the run; the student trained so far is kept"));
  m_viewMenu->setTitle(tr("&View"));
  m_presenterAction->setText(tr("&Presenter Mode"));
  m_presenterAction->setStatusTip(tr("Larger fonts and views, for a projector"));
  m_helpMenu->setTitle(tr("&Help"));
  m_aboutAction->setText(tr("&About Retort"));
  m_setupTabs->setTabText(0, tr("Task"));
  m_setupTabs->setTabText(1, tr("Teacher"));
  m_setupTabs->setTabText(2, tr("Student"));
  m_setupTabs->setTabText(3, tr("Layer mapping"));
  m_setupTabs->setTabText(4, tr("Stages and losses"));
  m_viewTabs->setTabText(0, tr("Loss curves"));
  m_viewTabs->setTabText(1, tr("Attention"));
  m_viewTabs->setTabText(2, tr("Results"));
  m_viewTabs->setTabText(3, tr("Model"));
  updateRecentMenu();
  updateRunActions();
}

// ---- documents ----------------------------------------------------------------------------

QString MainWindow::baseDir() const { return m_base.isEmpty() ? QDir::currentPath() : m_base; }

void MainWindow::loadDocument(const json& doc, const QString& path, const QString& base) {
  m_loading = true;
  m_doc = doc;
  m_path = path;
  m_base = base;
  m_task->load(doc, base);
  m_teacher->load(doc, base);
  m_student->load(doc);
  m_stages->load(doc);
  syncLayerCounts();
  const json m = doc.contains("mapping") && doc["mapping"].is_object() ? doc["mapping"] : json::object();
  const std::string kind = m.contains("kind") && m["kind"].is_string() ? m["kind"].get<std::string>() : "uniform";
  if (kind == "explicit" && m.contains("pairs")) {
    QVector<widgets::MappingPair> pairs;
    for (const auto& p : m["pairs"]) {
      widgets::MappingPair w;
      w.student = p.value("student", 0);
      w.teacher = p.value("teacher", 0);
      w.attention = p.value("attention", w.student != 0);
      w.hidden = p.value("hidden", true);
      w.weight = p.value("weight", 1.0);
      pairs.push_back(w);
    }
    m_mapping->setPairs(pairs);
  } else if (kind == "last") {
    m_mapping->applyLastLayers();
  } else {
    m_mapping->applyUniform();
  }
  m_loading = false;
  m_modified = false;
  clearError();
  setWindowTitle(tr("%1[*] — Retort").arg(path.isEmpty() ? q(doc.value("name", std::string("experiment"))) : QFileInfo(path).fileName()));
  setWindowModified(false);
  QString probe = q(doc.contains("observer") ? doc["observer"].value("probe", std::string()) : std::string());
  m_attention->setProbe(probe);
  m_summary = distill::RunSummary{};
  refreshHistory();
  // Before training: the teacher's own attention on the probe (or the first training example).
  auto* preview = m_task->preview();
  if (probe.isEmpty() && preview->rowCount() > 0 && preview->item(0, 0)) probe = preview->item(0, 0)->text();
  if (!probe.isEmpty()) probeNow(probe);
}

void MainWindow::syncLayerCounts() {
  m_student->setTeacher(m_teacher->parameters(), m_teacher->flopsPerToken(), 0);
  const bool was = m_loading;
  m_loading = true;
  m_mapping->setLayerCounts(m_teacher->layers(), m_student->layers());
  m_loading = was;
}

void MainWindow::markModified() {
  if (m_loading) return;
  m_modified = true;
  setWindowModified(true);
}

json MainWindow::document() const {
  json d = m_doc;
  m_task->store(d);
  m_teacher->store(d);
  m_student->store(d);
  m_stages->store(d);
  return d;
}

bool MainWindow::openExperiment(const QString& path) {
  try {
    const json doc = distill::Experiment::readDocument(path.toStdString());
    distill::Experiment::fromJson(doc, path.toStdString(), QFileInfo(path).absolutePath().toStdString());  // validate
    loadDocument(doc, QFileInfo(path).absoluteFilePath(), QFileInfo(path).absolutePath());
    addRecent(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(QStringLiteral("lastExperiment"), QFileInfo(path).absoluteFilePath());
    return true;
  } catch (const std::exception& e) {
    showError(tr("Could not open the experiment: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

bool MainWindow::openPreset(const QString& name) {
  try {
    const std::string path = util::experimentPath(name.toStdString());
    const json doc = distill::Experiment::readDocument(path);
    loadDocument(doc, QString(), QFileInfo(q(path)).absolutePath());
    QSettings().setValue(QStringLiteral("lastPreset"), name);
    statusBar()->showMessage(tr("Preset \"%1\" loaded; Start runs it.").arg(name), 6000);
    return true;
  } catch (const std::exception& e) {
    showError(tr("Could not open the preset: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

bool MainWindow::saveExperiment(const QString& path) {
  json d = document();
  const QString target = QFileInfo(path).absoluteFilePath();
  if (QFileInfo(target).absolutePath() != QDir(baseDir()).absolutePath()) {
    // Another directory: relative paths would point elsewhere; write them resolved.
    try {
      d = distill::Experiment::fromJson(d, target.toStdString(), baseDir().toStdString()).toJson();
    } catch (const std::exception& e) {
      showError(tr("Could not save the experiment: %1").arg(QString::fromUtf8(e.what())));
      return false;
    }
  }
  QSaveFile file(target);
  const QByteArray bytes = QByteArray::fromStdString(d.dump(2) + "\n");
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    showError(tr("Could not save the experiment: %1: %2").arg(target, file.errorString()));
    return false;
  }
  m_doc = d;
  m_path = target;
  m_base = QFileInfo(target).absolutePath();
  m_modified = false;
  setWindowModified(false);
  setWindowTitle(tr("%1[*] — Retort").arg(QFileInfo(target).fileName()));
  addRecent(target);
  QSettings().setValue(QStringLiteral("lastExperiment"), target);
  statusBar()->showMessage(tr("Saved %1").arg(target), 5000);
  return true;
}

bool MainWindow::maybeSave() {
  if (!m_modified) return true;
  const auto answer = QMessageBox::question(this, tr("Unsaved changes"),
                                            tr("The experiment has unsaved changes. Save them?"),
                                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (answer == QMessageBox::Cancel) return false;
  if (answer == QMessageBox::Save) {
    if (m_path.isEmpty()) {
      const QString file = QFileDialog::getSaveFileName(this, tr("Save Experiment"), QString(), tr("Experiments (*.json)"));
      return !file.isEmpty() && saveExperiment(file);
    }
    return saveExperiment(m_path);
  }
  return true;
}

void MainWindow::addRecent(const QString& path) {
  QSettings s;
  QStringList recent = s.value(QStringLiteral("recentExperiments")).toStringList();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > 8) recent.removeLast();
  s.setValue(QStringLiteral("recentExperiments"), recent);
  updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
  m_recentMenu->clear();
  const QStringList recent = QSettings().value(QStringLiteral("recentExperiments")).toStringList();
  for (const QString& path : recent)
    m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] {
      if (maybeSave()) openExperiment(path);
    })->setToolTip(path);
  m_recentMenu->setEnabled(!recent.isEmpty());
}

// ---- window -------------------------------------------------------------------------------

bool MainWindow::openCheckpoint(const QString& directory) {
  try {
    m_summaryView->setSummary(summarizeCheckpoint(directory));
    QSettings().setValue(QStringLiteral("lastCheckpointDir"), directory);
    clearError();
    m_viewTabs->setCurrentWidget(m_summaryView);
    statusBar()->showMessage(tr("Opened %1").arg(directory), 5000);
    return true;
  } catch (const std::exception& e) {
    showError(tr("Could not open the checkpoint: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

QString MainWindow::lastError() const { return m_lastError; }

void MainWindow::showError(const QString& text) {
  m_lastError = text;
  m_messageBar->setText(text);
  m_messageBar->show();
}

void MainWindow::clearError() {
  m_lastError.clear();
  m_messageBar->hide();
}

void MainWindow::setPresenterMode(bool on) {
  if (on == m_presenter) return;
  m_presenter = on;
  m_presenterAction->setChecked(on);
  QFont f = QApplication::font();
  if (on) f.setPointSizeF(f.pointSizeF() * 1.6);
  setFont(f);
  // Plots and heatmaps get the room: the set-up panels shrink.
  const int total = m_splitter->width();
  m_splitter->setSizes(on ? QList<int>{total / 5, total * 4 / 5} : QList<int>{total * 2 / 5, total * 3 / 5});
}

void MainWindow::restoreSettings() {
  QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray())) resize(1280, 800);
  restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
  m_splitter->restoreState(settings.value(QStringLiteral("mainWindow/splitter")).toByteArray());
  const QString last = settings.value(QStringLiteral("lastExperiment")).toString();
  if (!last.isEmpty() && QFileInfo::exists(last) && openExperiment(last)) return;
  const QString preset = settings.value(QStringLiteral("lastPreset"), QStringLiteral("demo")).toString();
  if (!openPreset(preset)) openPreset(QStringLiteral("demo"));
  m_modified = false;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!maybeSave()) {
    event->ignore();
    return;
  }
  if (isRunning()) {
    m_run->stop();
    m_run->wait();
  }
  QSettings settings;
  settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("mainWindow/state"), saveState());
  settings.setValue(QStringLiteral("mainWindow/splitter"), m_splitter->saveState());
  event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QMainWindow::changeEvent(event);
}

}  // namespace app
}  // namespace retort
