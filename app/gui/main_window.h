#pragma once
// Retort's main window, the workbench: set-up panels on the left (SetupPanels), views on the
// right (live loss curves, attention, results, model), a toolbar to run, pause and stop.
// The window assembles the parts and leaves the work to its controllers:
//   DocumentController  the experiment file (new, open, save, recent, modified)
//   TrainingController  the run (start, pause, stop, progress, the views it fills)
//   ProbeController     attention of a probe sentence outside a run
//   HistoryController   the experiment's earlier runs

#include <QMainWindow>

#include "app/gui/experiment_document.h"
#include "core/distill/metrics.h"

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;

namespace retort {
namespace widgets {
class AttentionGrid;
class AttentionView;
class LayerMappingEditor;
class LossChart;
class ModelSummaryView;
class ResultsView;
class RunHistoryView;
}  // namespace widgets
}  // namespace retort

namespace retort {
namespace app {

class DocumentController;
class HistoryController;
class ProbeController;
class RunController;
class SetupPanels;
class StagesPanel;
class StudentPanel;
class TaskPanel;
class TrainingController;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens a checkpoint directory in the Model view; on failure the error is shown in the
  /// window's message bar (objectName "messageBar") and false is returned.
  bool openCheckpoint(const QString& directory);
  /// The last error shown, or empty.
  QString lastError() const { return m_lastError; }

  /// Opens an experiment file; false with core's message when core rejects it.
  bool openExperiment(const QString& path);
  /// Opens resources/presets/<name>.json as a new, unsaved experiment.
  bool openPreset(const QString& name);
  /// Writes the experiment (core's toJson) to `path` atomically; false with a message on failure.
  bool saveExperiment(const QString& path);
  /// The experiment as the panels show it.
  ExperimentDocument document() const;
  QString experimentPath() const;
  bool isModified() const;

  /// Validates the experiment (core's reader) and starts a run into a new run directory under
  /// QStandardPaths::AppDataLocation/runs (or `runDir`); false with a message when invalid.
  bool startRun(const QString& runDir = QString());
  void pauseRun();
  /// Continues a paused run.
  void resumeRun();
  /// Continues an interrupted run (killed, or stopped) from its newest checkpoint: `runDir`,
  /// or the experiment's newest run when it is interrupted. False when there is none.
  bool resumeInterruptedRun(const QString& runDir = QString());
  QAction* resumeInterruptedAction() const { return m_resumeInterruptedAction; }
  void stopRun();
  bool isRunning() const;
  RunController* runController() const;

  /// The largest delay, in ms, that the GUI thread's event loop showed during the last run
  /// (measured with a 10 ms timer).
  double longestStallMs() const;

  void setPresenterMode(bool on);
  bool presenterMode() const { return m_presenter; }

  // The parts, for tests and screenshots.
  widgets::LossChart* lossChart() const { return m_chart; }
  widgets::AttentionView* attentionView() const { return m_attention; }
  widgets::AttentionGrid* attentionGrid() const { return m_grid; }
  widgets::LayerMappingEditor* mappingEditor() const;
  TaskPanel* taskPanel() const;
  StudentPanel* studentPanel() const;
  StagesPanel* stagesPanel() const;
  QTabWidget* setupTabs() const;
  QTabWidget* viewTabs() const { return m_viewTabs; }
  QWidget* resultsView() const;
  widgets::RunHistoryView* runHistory() const { return m_history; }
  ProbeController* probes() const { return m_probes; }
  const distill::RunSummary& lastSummary() const;

 Q_SIGNALS:
  void runFinished(bool ok);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  void createViews();
  void createMenus();
  void retranslate();
  void showError(const QString& text);
  void clearError();
  void restoreSettings();
  void onDocumentLoaded(const ExperimentDocument& document);
  void probe(const QString& text);
  void showStatus(const QString& text, int timeoutMs);

  SetupPanels* m_setup;
  QTabWidget* m_viewTabs;
  widgets::LossChart* m_chart;
  widgets::AttentionView* m_attention;
  widgets::AttentionGrid* m_grid;
  widgets::ResultsView* m_results;
  widgets::RunHistoryView* m_history;
  widgets::ModelSummaryView* m_summaryView;
  QSplitter* m_splitter;
  QLabel* m_messageBar;
  QProgressBar* m_progress;
  QLabel* m_speed;

  DocumentController* m_documents;
  TrainingController* m_training;
  ProbeController* m_probes;
  HistoryController* m_historyController;

  QMenu *m_fileMenu, *m_runMenu, *m_viewMenu, *m_helpMenu;
  QAction *m_openCheckpointAction, *m_quitAction, *m_presenterAction, *m_aboutAction;
  QAction* m_resumeInterruptedAction;
  void updateResumeAction();
  QString m_lastError;
  bool m_presenter = false;
  bool m_activated = false;
};

}  // namespace app
}  // namespace retort
