#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QSpinBox>
#include <QToolBar>
#include <QVBoxLayout>
#include <QWhatsThis>

#include "app/gui/checkpoint_summary.h"
#include "app/gui/document_controller.h"
#include "app/gui/history_controller.h"
#include "app/gui/probe_controller.h"
#include "app/gui/run_controller.h"
#include "app/gui/setup_panels.h"
#include "app/gui/task_panel.h"
#include "app/gui/training_controller.h"
#include "widgets/attention/attention_grid.h"
#include "widgets/attention/attention_view.h"
#include "widgets/charts/loss_chart.h"
#include "widgets/mapping/layer_mapping_editor.h"
#include "widgets/model/model_summary_view.h"
#include "widgets/results/results_view.h"
#include "widgets/results/run_history.h"

namespace retort {
namespace app {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("mainWindow"));
  createViews();
  m_documents = new DocumentController(m_setup, this);
  m_training = new TrainingController(RunViews{m_chart, m_attention, m_grid, m_results, m_progress, m_speed}, this);
  m_probes = new ProbeController(this);
  m_historyController = new HistoryController(m_history, m_results, m_chart, this);
  createMenus();

  connect(m_documents, &DocumentController::loaded, this, &MainWindow::onDocumentLoaded);
  connect(m_documents, &DocumentController::errorOccurred, this, &MainWindow::showError);
  connect(m_documents, &DocumentController::statusMessage, this, &MainWindow::showStatus);
  connect(m_documents, &DocumentController::modifiedChanged, this, &QWidget::setWindowModified);
  connect(m_documents, &DocumentController::titleChanged, this,
          [this](const QString& title) { setWindowTitle(tr("%1[*] — Retort").arg(title)); });
  connect(m_setup, &SetupPanels::useDemoRequested, this, [this] {
    if (m_documents->maybeSave()) openPreset(QStringLiteral("demo"));
  });

  connect(m_training, &TrainingController::startRequested, this, [this] { startRun(); });
  connect(m_training, &TrainingController::errorOccurred, this, &MainWindow::showError);
  connect(m_training, &TrainingController::statusMessage, this, &MainWindow::showStatus);
  connect(m_training, &TrainingController::runningChanged, this, [this](bool running) {
    m_setup->setEnabled(!running);
    m_history->setResumeAllowed(!running);
    updateResumeAction();
  });
  connect(m_training, &TrainingController::runFinished, this, [this](bool ok) {
    if (ok) m_viewTabs->setCurrentWidget(m_results->parentWidget());
    m_historyController->refresh(m_documents->current().name());  // a failed run may be resumable
    Q_EMIT runFinished(ok);
  });
  connect(m_historyController, &HistoryController::resumeRequested, this,
          [this](const QString& dir) { resumeInterruptedRun(dir); });
  connect(m_historyController, &HistoryController::refreshed, this, [this] {
    updateResumeAction();
    if (!isRunning() && !m_historyController->interruptedLatest().isEmpty()) {
      const qint64 step = m_historyController->interruptedStep(), total = m_historyController->interruptedTotal();
      showStatus(total > 0 ? tr("The last run of this experiment was interrupted at step %1 of %2; "
                                "Run ▸ Resume Interrupted Run continues it.").arg(step).arg(total)
                           : tr("The last run of this experiment was interrupted at step %1; "
                                "Run ▸ Resume Interrupted Run continues it.").arg(step),
                 0);
    }
  });

  connect(m_probes, &ProbeController::snapshotReady, this, [this](const auto& snapshot) {
    if (!isRunning()) m_training->showSnapshot(snapshot);
  });
  connect(m_probes, &ProbeController::failed, this,
          [this](const QString& text) { showStatus(tr("No attention for the probe: %1").arg(text), 8000); });
  // Before a run the teacher's attention on the probe, or on the first training example.
  connect(m_setup->task(), &TaskPanel::previewReady, this, [this] {
    if (m_attention->probe().isEmpty() && m_attention->snapshot().pairs.isEmpty() && !isRunning())
      probe(m_setup->task()->firstText());
  });
  connect(m_attention, &widgets::AttentionView::probeChanged, this, [this](const QString& text) {
    m_documents->setProbe(text);
    if (isRunning()) {
      m_training->runController()->setProbe(text);
      showStatus(tr("The new probe sentence is used from the next attention snapshot."), 6000);
    } else {
      probe(text);
    }
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
  connect(m_historyController, &HistoryController::overlayShown, this, [this] { m_viewTabs->setCurrentWidget(m_chart); });

  retranslate();
  restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::createViews() {
  m_splitter = new QSplitter(Qt::Horizontal, this);
  m_splitter->setObjectName(QStringLiteral("mainSplitter"));
  m_setup = new SetupPanels(m_splitter);

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
  m_results = new widgets::ResultsView(resultsPage);
  m_results->setObjectName(QStringLiteral("resultsView"));
  m_history = new widgets::RunHistoryView(resultsPage);
  m_history->setObjectName(QStringLiteral("runHistoryView"));
  m_summaryView = new widgets::ModelSummaryView(m_viewTabs);
  m_summaryView->setObjectName(QStringLiteral("modelSummary"));
  for (QWidget* page : std::initializer_list<QWidget*>{m_chart, attentionPage, resultsPage, m_summaryView})
    m_viewTabs->addTab(page, QString());
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
}

void MainWindow::createMenus() {
  m_fileMenu = menuBar()->addMenu(QString());
  m_fileMenu->addAction(m_documents->newAction());
  m_fileMenu->addAction(m_documents->openAction());
  m_fileMenu->addMenu(m_documents->recentMenu());
  m_fileMenu->addMenu(m_documents->presetMenu());
  m_fileMenu->addAction(m_documents->saveAction());
  m_fileMenu->addAction(m_documents->saveAsAction());
  m_fileMenu->addSeparator();
  m_openCheckpointAction = m_fileMenu->addAction(QString(), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Checkpoint"),
                                                          QSettings().value(QStringLiteral("lastCheckpointDir")).toString());
    if (!dir.isEmpty()) openCheckpoint(dir);
  });
  m_fileMenu->addAction(m_training->exportAction());
  m_fileMenu->addSeparator();
  m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
  m_quitAction->setShortcut(QKeySequence::Quit);

  m_runMenu = menuBar()->addMenu(QString());
  m_runMenu->addAction(m_training->startAction());
  m_runMenu->addAction(m_training->pauseAction());
  m_runMenu->addAction(m_training->stopAction());
  m_runMenu->addSeparator();
  m_resumeInterruptedAction = m_runMenu->addAction(QString(), this, [this] { resumeInterruptedRun(); });
  m_resumeInterruptedAction->setObjectName(QStringLiteral("resumeInterruptedAction"));
  m_resumeInterruptedAction->setEnabled(false);

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
  bar->addAction(m_documents->newAction());
  bar->addAction(m_documents->openAction());
  bar->addAction(m_documents->saveAction());
  bar->addSeparator();
  bar->addAction(m_training->startAction());
  bar->addAction(m_training->pauseAction());
  bar->addAction(m_training->stopAction());
  bar->addSeparator();
  bar->addWidget(m_training->processesLabel());
  bar->addWidget(m_training->processesBox());
}

void MainWindow::retranslate() {
  m_fileMenu->setTitle(tr("&File"));
  m_documents->retranslate();
  m_training->retranslate();
  m_openCheckpointAction->setText(tr("Open &Checkpoint…"));
  m_openCheckpointAction->setStatusTip(tr("Open a model directory in the Hugging Face layout"));
  m_quitAction->setText(tr("&Quit"));
  m_runMenu->setTitle(tr("&Run"));
  m_resumeInterruptedAction->setText(tr("Resume &Interrupted Run"));
  m_resumeInterruptedAction->setStatusTip(
      tr("Continue this experiment's last run, which was killed or stopped, from its newest checkpoint"));
  m_viewMenu->setTitle(tr("&View"));
  m_presenterAction->setText(tr("&Presenter Mode"));
  m_presenterAction->setStatusTip(tr("Larger fonts and views, for a projector"));
  m_helpMenu->setTitle(tr("&Help"));
  m_aboutAction->setText(tr("&About Retort"));
  m_viewTabs->setTabText(0, tr("Loss curves"));
  m_viewTabs->setTabText(1, tr("Attention"));
  m_viewTabs->setTabText(2, tr("Results"));
  m_viewTabs->setTabText(3, tr("Model"));
}

// ---- documents ----------------------------------------------------------------------------

bool MainWindow::openExperiment(const QString& path) { return m_documents->openExperiment(path); }
bool MainWindow::openPreset(const QString& name) { return m_documents->openPreset(name); }
bool MainWindow::saveExperiment(const QString& path) { return m_documents->saveExperiment(path); }
ExperimentDocument MainWindow::document() const { return m_documents->current(); }
QString MainWindow::experimentPath() const { return m_documents->path(); }
bool MainWindow::isModified() const { return m_documents->isModified(); }

void MainWindow::onDocumentLoaded(const ExperimentDocument& document) {
  clearError();
  const QString probeText = QString::fromStdString(document.experiment().observer.probe);
  m_attention->setProbe(probeText);
  m_attention->clear();
  m_grid->setSnapshot({});
  m_training->resetSummary();
  m_historyController->refresh(document.name());
  if (!probeText.isEmpty()) probe(probeText);  // else the first example, once the preview has it
}

void MainWindow::probe(const QString& text) {
  if (text.isEmpty()) return;
  m_probes->probe(text, m_documents->current(), m_training->lastSummary(), m_setup->mapping()->pairs());
}

// ---- runs ---------------------------------------------------------------------------------

bool MainWindow::startRun(const QString& runDir) {
  if (isRunning()) return false;
  distill::Experiment e;
  try {
    e = m_documents->current().validated(m_documents->path().isEmpty() ? QStringLiteral("experiment") : m_documents->path());
  } catch (const std::exception& ex) {
    showError(tr("The experiment cannot run: %1").arg(QString::fromUtf8(ex.what())));
    return false;
  }
  if (!m_setup->mapping()->isValid()) {
    showError(tr("The layer mapping is invalid: %1").arg(m_setup->mapping()->validationMessage()));
    return false;
  }
  QString dir = runDir;
  if (dir.isEmpty())
    dir = HistoryController::runsRoot() + QLatin1Char('/') + QString::fromStdString(e.name) + QLatin1Char('-') +
          QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
  clearError();
  m_probes->cancel();
  if (!m_training->start(e, dir)) return false;
  m_viewTabs->setCurrentWidget(m_chart);
  return true;
}

bool MainWindow::resumeInterruptedRun(const QString& runDir) {
  const QString dir = runDir.isEmpty() ? m_historyController->interruptedLatest() : runDir;
  if (isRunning() || dir.isEmpty()) return false;
  clearError();
  m_probes->cancel();
  if (!m_training->resumeRun(dir)) return false;
  m_viewTabs->setCurrentWidget(m_chart);
  return true;
}

void MainWindow::updateResumeAction() {
  m_resumeInterruptedAction->setEnabled(!isRunning() && !m_historyController->interruptedLatest().isEmpty());
}

void MainWindow::pauseRun() { m_training->pause(); }
void MainWindow::resumeRun() { m_training->resume(); }
void MainWindow::stopRun() { m_training->stop(); }
bool MainWindow::isRunning() const { return m_training->isRunning(); }
RunController* MainWindow::runController() const { return m_training->runController(); }
double MainWindow::longestStallMs() const { return m_training->longestStallMs(); }
const distill::RunSummary& MainWindow::lastSummary() const { return m_training->lastSummary(); }

// ---- window -------------------------------------------------------------------------------

widgets::LayerMappingEditor* MainWindow::mappingEditor() const { return m_setup->mapping(); }
TaskPanel* MainWindow::taskPanel() const { return m_setup->task(); }
StudentPanel* MainWindow::studentPanel() const { return m_setup->student(); }
StagesPanel* MainWindow::stagesPanel() const { return m_setup->stages(); }
QTabWidget* MainWindow::setupTabs() const { return m_setup; }
QWidget* MainWindow::resultsView() const { return m_results; }

bool MainWindow::openCheckpoint(const QString& directory) {
  try {
    m_summaryView->setSummary(summarizeCheckpoint(directory));
    QSettings().setValue(QStringLiteral("lastCheckpointDir"), directory);
    clearError();
    m_viewTabs->setCurrentWidget(m_summaryView);
    showStatus(tr("Opened %1").arg(directory), 5000);
    return true;
  } catch (const std::exception& e) {
    showError(tr("Could not open the checkpoint: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

void MainWindow::showError(const QString& text) {
  m_lastError = text;
  m_messageBar->setText(text);
  m_messageBar->show();
}

void MainWindow::clearError() {
  m_lastError.clear();
  m_messageBar->hide();
}

void MainWindow::showStatus(const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); }

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
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  if (m_activated) return;
  m_activated = true;
  // A fresh window takes the keyboard (Ctrl+R starts the run before anyone clicks into it).
  raise();
  activateWindow();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!m_documents->maybeSave()) {
    event->ignore();
    return;
  }
  if (isRunning()) {
    m_training->stop();
    m_training->runController()->wait();
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
