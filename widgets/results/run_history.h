#pragma once
// The run history of an experiment: one row per finished run with when it ended, its name, a
// summary of its key settings (written by app/), the student's accuracy, the retention, the
// speed-up and the compression; and one per interrupted run (killed or stopped, with a
// checkpoint), marked so, with where it stopped. Selecting a row emits runSelected; "Show
// curves" (or a double click) asks app/ to overlay that run's curves on the loss chart;
// "Resume" asks app/ to continue the selected interrupted run; the Compare column's check
// boxes mark runs to compare. Takes plain data (RunFigures); knows nothing of LibTorch.

#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include "widgets/results/run_figures.h"

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace retort {
namespace widgets {

class RunHistoryView : public QWidget {
  Q_OBJECT
 public:
  enum Column {
    CompareColumn = 0,  ///< a check box
    DateColumn,
    NameColumn,
    SettingsColumn,
    AccuracyColumn,     ///< the student's dev accuracy
    RetentionColumn,
    SpeedupColumn,      ///< at batch 1
    CompressionColumn,
    ColumnCount
  };

  explicit RunHistoryView(QWidget* parent = nullptr);

  /// Replaces the rows: run i with settings[i] ("" where settings is shorter). Nothing is
  /// selected or ticked afterwards; emits nothing.
  void setRuns(const QVector<RunFigures>& runs, const QStringList& settings);
  /// Appends a row and returns its index; the other rows keep their selection and ticks.
  int addRun(const RunFigures& run, const QString& settings);
  void clear();

  int runCount() const;
  RunFigures run(int index) const;
  QString settings(int index) const;
  /// The selected row, -1 when none.
  int currentIndex() const;
  /// Selects a row (-1: none); emits runSelected when it changes.
  void setCurrentIndex(int index);
  bool isCompared(int index) const;
  /// Ticks or unticks a row's Compare box; emits compareToggled when it changes.
  void setCompared(int index, bool on);
  /// The ticked rows, in row order.
  QList<int> comparedRuns() const;
  /// Enables or disables Resume for every row (off while a run goes on).
  void setResumeAllowed(bool allowed);
  QPushButton* resumeButton() const { return m_resume; }

  // For tests.
  QTreeWidget* tree() const;
  QString cellText(int row, int column) const;

 Q_SIGNALS:
  /// A row was selected by the user or setCurrentIndex; -1 when the selection was removed.
  void runSelected(int index);
  /// "Show curves" was clicked, or a row double-clicked (activated).
  void showCurvesRequested(int index);
  void compareToggled(int index, bool on);
  /// "Resume" was clicked on an interrupted run.
  void resumeRequested(int index);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  QTreeWidgetItem* makeItem(int index);
  void updateItem(int index);
  void updateButtons();
  void onItemChanged(QTreeWidgetItem* item, int column);
  int indexOf(const QTreeWidgetItem* item) const;

  QLabel* m_title;
  QTreeWidget* m_tree;
  QPushButton* m_showCurves;
  QPushButton* m_resume;
  bool m_resumeAllowed = true;
  QVector<RunFigures> m_runs;
  QStringList m_settings;
  int m_selected = -1;     ///< the row runSelected last reported
  bool m_filling = false;  ///< the view is changing items: no signals
};

}  // namespace widgets
}  // namespace retort
