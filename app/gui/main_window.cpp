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
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

widgets::AttentionSnapshotData toWidgets(const distill::AttentionSnapshot& s) {
  widgets::AttentionSnapshotData d;
  d.stage = q(s.stage);
  d.globalStep = s.globalStep;
  for (const auto& t : s.tokens) d.tokens << q(t);
  for (const auto& p : s.pairs) {
    widgets::AttentionPairData w;
    w.studentLayer = static_cast<int>(p.studentLayer);
    w.teacherLayer = static_cast<int>(p.teacherLayer);
    w.studentHeads = static_cast<int>(p.studentHeads);
    w.teacherHeads = static_cast<int>(p.teacherHeads);
    w.studentProbs = QVector<float>(p.studentProbs.begin(), p.studentProbs.end());
    w.teacherProbs = QVector<float>(p.teacherProbs.begin(), p.teacherProbs.end());
    w.studentScores = QVector<float>(p.studentScores.begin(), p.studentScores.end());
    w.teacherScores = QVector<float>(p.teacherScores.begin(), p.teacherScores.end());
    d.pairs.push_back(std::move(w));
  }
  return d;
}

widgets::RunFigures toWidgets(const distill::RunSummary& s) {
  widgets::RunFigures f;
  f.teacherAccuracy = s.teacher.accuracy;
  f.studentAccuracy = s.student.accuracy;
  f.teacherParameters = s.teacher.parameters;
  f.studentParameters = s.student.parameters;
  f.teacherSizeMb = s.teacher.sizeMb;
  f.studentSizeMb = s.student.sizeMb;
  f.teacherLatencyMs = s.teacher.latencyMs;
  f.studentLatencyMs = s.student.latencyMs;
  f.teacherLatencyBatchMs = s.teacher.latencyBatchMs;
  f.studentLatencyBatchMs = s.student.latencyBatchMs;
  f.retention = s.retention;
  f.speedup = s.speedup;
  f.speedupBatch = s.speedupBatch;
  f.compression = s.compression;
  f.typicalLength = static_cast<int>(s.typicalLength);
  f.cancelled = s.cancelled;
  f.name = q(s.name);
  f.runDirectory = q(s.runDir);
  return f;
}

QString formatDuration(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                   : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

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
    if (isRunning()) statusBar()->showMessage(tr("The new probe sentence is used from the next run."), 6000);
    else probeNow(text);
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
