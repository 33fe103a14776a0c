#pragma once
// The run history of the open experiment: the finished runs under the runs directory
// (<runs>/<name>-<date>-<time>/summary.json) and the interrupted ones (a checkpoint and no
// summary of a completed run: killed, or stopped), their figures in the Results view, their
// loss curves as overlays on the chart, and Resume for an interrupted one. The files are
// read on a worker (LatestJob).

#include <QObject>
#include <QString>
#include <QStringList>

namespace retort {
namespace widgets {
class LossChart;
class ResultsView;
class RunHistoryView;
}  // namespace widgets
}  // namespace retort

namespace retort {
namespace app {

class LatestJob;

class HistoryController : public QObject {
  Q_OBJECT
 public:
  HistoryController(widgets::RunHistoryView* history, widgets::ResultsView* results, widgets::LossChart* chart,
                    QObject* parent);

  /// Where runs go: QStandardPaths::AppDataLocation/runs.
  static QString runsRoot();
  /// Lists the runs of the experiment `name` (asynchronously; refreshed() when shown).
  void refresh(const QString& name);
  /// The run directories in the history's order.
  QStringList runs() const { return m_runs; }
  /// The newest run when it is interrupted (resumable), else empty.
  QString interruptedLatest() const { return m_interruptedLatest; }
  /// Where that run stopped, for the window's message.
  qint64 interruptedStep() const { return m_interruptedStep; }
  qint64 interruptedTotal() const { return m_interruptedTotal; }

 Q_SIGNALS:
  void refreshed();
  /// An overlay was added to the chart (the window shows the chart).
  void overlayShown(const QString& label);
  /// Resume was asked for the interrupted run in `runDir`.
  void resumeRequested(const QString& runDir);

 private:
  void overlayRun(int index);

  widgets::RunHistoryView* m_history;
  widgets::ResultsView* m_results;
  widgets::LossChart* m_chart;
  LatestJob* m_listJob;
  LatestJob* m_curveJob;
  QStringList m_runs;
  QString m_interruptedLatest;
  qint64 m_interruptedStep = 0, m_interruptedTotal = 0;
};

}  // namespace app
}  // namespace retort
