#pragma once
// A run seen from the window: start, pause, resume, stop and export the student (the Run
// menu's actions), the progress bar and the speed line, and the RunController's signals
// turned into chart points, heat maps and results. Measures how long the GUI thread's event
// loop stalls while a run goes on.

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

#include "core/distill/experiment.h"
#include "core/distill/metrics.h"

class QAction;
class QLabel;
class QProgressBar;
class QSpinBox;
class QTimer;
class QWidget;

namespace retort {
namespace widgets {
class AttentionGrid;
class AttentionView;
class LossChart;
class ResultsView;
}  // namespace widgets
}  // namespace retort

namespace retort {
namespace app {

class RunController;

/// The views a run fills.
struct RunViews {
  widgets::LossChart* chart = nullptr;
  widgets::AttentionView* attention = nullptr;
  widgets::AttentionGrid* grid = nullptr;
  widgets::ResultsView* results = nullptr;
  QProgressBar* progress = nullptr;
  QLabel* speed = nullptr;
};

class TrainingController : public QObject {
  Q_OBJECT
 public:
  TrainingController(const RunViews& views, QWidget* window);

  /// Starts a validated experiment into `runDir`; false while a run goes on.
  bool start(const distill::Experiment& experiment, const QString& runDir);
  /// Continues the interrupted run in `runDir` from its newest checkpoint, with its curves so
  /// far on the chart; false while a run goes on or when it has no checkpoint (errorOccurred).
  bool resumeRun(const QString& runDir);
  void pause();
  void resume();
  void stop();
  bool isRunning() const;
  bool isPaused() const;
  RunController* runController() const { return m_run; }
  const distill::RunSummary& lastSummary() const { return m_summary; }
  /// Forgets the last run (another experiment was opened).
  void resetSummary() { m_summary = distill::RunSummary{}; }
  double longestStallMs() const { return m_longestStallMs; }
  /// Shows a snapshot in the attention view and the grid (runs and probes).
  void showSnapshot(const std::shared_ptr<const distill::AttentionSnapshot>& snapshot);

  QAction* startAction() const { return m_startAction; }
  QAction* pauseAction() const { return m_pauseAction; }
  QAction* stopAction() const { return m_stopAction; }
  QAction* exportAction() const { return m_exportAction; }
  /// How many local processes a run is split over (beside Start on the tool bar; kept in the
  /// settings). More than 1 runs data parallel: rank 0 here, the others as retort-cli.
  QSpinBox* processesBox() const { return m_processes; }
  QLabel* processesLabel() const { return m_processesLabel; }
  void retranslate();

 Q_SIGNALS:
  /// The start action was triggered (the window validates the document and calls start()).
  void startRequested();
  void runStarted();
  void runFinished(bool ok);
  void runningChanged(bool running);
  void errorOccurred(const QString& text);
  void statusMessage(const QString& text, int timeoutMs);

 private:
  void updateActions();
  void prepareViews();
  void announceStart();
  void onSteps(const std::vector<distill::StepMetrics>& steps);
  void onEval(const distill::EvalMetrics& m);
  void onFinished(const distill::RunSummary& summary);
  void onFailed(const QString& text);
  void exportStudent();

  RunViews m_views;
  QWidget* m_window;
  RunController* m_run;
  distill::RunSummary m_summary;
  QString m_currentStage;
  QString m_markedStage;
  QTimer* m_stallTimer;
  qint64 m_lastTick = 0;
  double m_longestStallMs = 0;
  QAction *m_startAction, *m_pauseAction, *m_stopAction, *m_exportAction;
  QSpinBox* m_processes;
  QLabel* m_processesLabel;
};

}  // namespace app
}  // namespace retort
