#pragma once
// The run history of the open experiment: the finished runs under the runs directory
// (<runs>/<name>-<date>-<time>/summary.json), their figures in the Results view, and their
// loss curves as overlays on the chart. The files are read on a worker (LatestJob).

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

 Q_SIGNALS:
  void refreshed();
  /// An overlay was added to the chart (the window shows the chart).
  void overlayShown(const QString& label);

 private:
  void overlayRun(int index);

  widgets::RunHistoryView* m_history;
  widgets::ResultsView* m_results;
  widgets::LossChart* m_chart;
  LatestJob* m_listJob;
  LatestJob* m_curveJob;
  QStringList m_runs;
};

}  // namespace app
}  // namespace retort
