#pragma once
// Retort's main window, the workbench: set-up panels on the left (task, teacher, student,
// layer mapping, stages and loss weights), views on the right (live loss curves, attention,
// results, model), a toolbar to run, pause and stop. Training runs on a worker thread
// (RunController); the window only receives what it shows.

#include <QMainWindow>
#include <QPointer>

#include <atomic>
#include <memory>
#include <thread>
#include <utility>
#include <vector>
#include <nlohmann/json.hpp>

#include "core/distill/metrics.h"

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTimer;

namespace retort {
namespace widgets {
class AttentionGrid;
class AttentionView;
class LayerMappingEditor;
class LossChart;
class ModelSummaryView;
class RunHistoryView;
}  // namespace widgets
}  // namespace retort

namespace retort {
namespace app {

class RunController;
class StagesPanel;
class StudentPanel;
class TaskPanel;
class TeacherPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens a checkpoint directory in the Model view; on failure the error is shown in the
  /// window's message bar (objectName "messageBar") and false is returned.
  bool openCheckpoint(const QString& directory);
  /// The last error shown, or empty.
  QString lastError() const;

  /// Opens an experiment file (or a preset, by path); false with a message when it cannot.
  bool openExperiment(const QString& path);
  /// Opens resources/presets/<name>.json as a new, unsaved experiment.
  bool openPreset(const QString& name);
  /// Writes the experiment to `path` (atomically); false with a message on failure.
  bool saveExperiment(const QString& path);
  /// The experiment as the panels show it (the JSON of an experiment file).
  nlohmann::json document() const;
  QString experimentPath() const { return m_path; }
  bool isModified() const { return m_modified; }

  /// Validates the experiment and starts a run into a new run directory under
  /// QStandardPaths::AppDataLocation/runs (or `runDir`); false with a message when invalid.
  bool startRun(const QString& runDir = QString());
  void pauseRun();
  void resumeRun();
  void stopRun();
  bool isRunning() const;
  RunController* runController() const { return m_run; }

  /// The largest delay, in ms, that the GUI thread's event loop showed during the last run
  /// (measured with a 10 ms timer).
  double longestStallMs() const { return m_longestStallMs; }

  void setPresenterMode(bool on);
  bool presenterMode() const { return m_presenter; }

  // The parts, for tests and screenshots.
  widgets::LossChart* lossChart() const { return m_chart; }
  widgets::AttentionView* attentionView() const { return m_attention; }
  widgets::AttentionGrid* attentionGrid() const { return m_grid; }
  widgets::LayerMappingEditor* mappingEditor() const { return m_mapping; }
  TaskPanel* taskPanel() const { return m_task; }
  StudentPanel* studentPanel() const { return m_student; }
  StagesPanel* stagesPanel() const { return m_stages; }
  QTabWidget* setupTabs() const { return m_setupTabs; }
  QTabWidget* viewTabs() const { return m_viewTabs; }
  QWidget* resultsView() const;
  widgets::RunHistoryView* runHistory() const { return m_history; }
  const distill::RunSummary& lastSummary() const { return m_summary; }

 Q_SIGNALS:
  void runFinished(bool ok);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void createActions();
  void createPanels();
  void retranslate();
  void showError(const QString& text);
  void clearError();
  void restoreSettings();
  void loadDocument(const nlohmann::json& doc, const QString& path, const QString& baseDir);
  void markModified();
  void syncLayerCounts();
  bool maybeSave();
  void updateRecentMenu();
  void addRecent(const QString& path);
  void updateRunActions();
  void onStep(const distill::StepMetrics& m);
  void onEval(const distill::EvalMetrics& m);
  void onSnapshot(const std::shared_ptr<const distill::AttentionSnapshot>& s);
  void onFinished(const distill::RunSummary& summary);
  void onFailed(const QString& text);
  void exportStudent();
  QString baseDir() const;
  QString runsRoot() const;
  void refreshHistory();
  void overlayRun(int index);
  /// Attention of `text` outside a run (teacher alone before training; teacher and student
  /// after it), computed on a worker thread.
  void probeNow(const QString& text);

  // Set-up.
  QTabWidget* m_setupTabs;
  TaskPanel* m_task;
  TeacherPanel* m_teacher;
  StudentPanel* m_student;
  widgets::LayerMappingEditor* m_mapping;
  StagesPanel* m_stages;
  // Views.
  QTabWidget* m_viewTabs;
  widgets::LossChart* m_chart;
  widgets::AttentionView* m_attention;
  widgets::AttentionGrid* m_grid;
  QWidget* m_results;
  widgets::RunHistoryView* m_history;
  QStringList m_historyRuns;  ///< run directories, in the history's order
  widgets::ModelSummaryView* m_summaryView;
  QSplitter* m_splitter;
  QLabel* m_messageBar;
  QProgressBar* m_progress;
  QLabel* m_speed;

  QMenu *m_fileMenu, *m_runMenu, *m_viewMenu, *m_helpMenu, *m_presetMenu, *m_recentMenu;
  QAction *m_newAction, *m_openAction, *m_saveAction, *m_saveAsAction, *m_openCheckpointAction, *m_quitAction;
  QAction *m_runAction, *m_pauseAction, *m_stopAction, *m_exportAction;
  QAction *m_presenterAction, *m_aboutAction;

  RunController* m_run;
  nlohmann::json m_doc;
  QString m_path;
  QString m_base;
  bool m_modified = false;
  bool m_loading = false;
  bool m_presenter = false;
  QString m_lastError;
  distill::RunSummary m_summary;
  QString m_currentStage;
  QString m_markedStage;
  QTimer* m_stallTimer;
  qint64 m_lastTick = 0;
  double m_longestStallMs = 0;
  int m_probeGeneration = 0;
  std::vector<std::pair<std::thread, std::shared_ptr<std::atomic<bool>>>> m_probeThreads;
};

}  // namespace app
}  // namespace retort
