#pragma once
// The teacher-vs-student results of one finished run: a table of accuracy, parameters, size
// and latency (at batch 1 and 32) with the student / teacher ratio of each, lines for the
// retention, speed-up and compression, and a bar chart of the student relative to the
// teacher (teacher = 100%). "Export student…" asks app/ to copy the student elsewhere.
// Takes plain numbers (RunFigures); knows nothing of LibTorch.

#include <QString>
#include <QVector>
#include <QWidget>

#include "widgets/results/run_figures.h"

class QCPBars;
class QCPItemText;
class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;

namespace retort {
namespace widgets {

class ResultsView : public QWidget {
  Q_OBJECT
 public:
  /// Rows of the table.
  enum Row { AccuracyRow = 0, ParametersRow, SizeRow, LatencyRow, LatencyBatchRow, RowCount };
  /// Columns of the table; RatioColumn is student / teacher as a percentage.
  enum Column { TeacherColumn = 0, StudentColumn, RatioColumn, ColumnCount };
  /// Categories of the bar chart, in the order of barValues().
  enum Bar { AccuracyBar = 0, ParametersBar, LatencyBar, BarCount };

  explicit ResultsView(QWidget* parent = nullptr);

  /// Shows a run's figures; the export button is enabled when it has a run directory.
  void setFigures(const RunFigures& figures);
  RunFigures figures() const;
  bool hasFigures() const;
  /// Empties the table, the lines and the chart; disables the export button.
  void clear();

  // For tests and for the app.
  QTableWidget* table() const;
  /// The text of a table cell ("" outside the table or with no figures).
  QString cellText(int row, int column) const;
  /// The student's plotted bars in Bar order, each student / teacher × 100; NaN for a
  /// category that has no bar (no dev set, or a figure of 0). Read back from the chart.
  QVector<double> barValues() const;
  /// The teacher's plotted bars (100 where the student has a bar), NaN where none.
  QVector<double> teacherBarValues() const;
  /// The lines under the table: retention, speed-up, compression (and the cancelled note).
  QString retentionText() const;
  QString speedupText() const;
  QString compressionText() const;
  QCustomPlot* chart() const;

 Q_SIGNALS:
  /// The user asked to export the student of figures().runDirectory.
  void exportRequested();

 protected:
  void changeEvent(QEvent* event) override;

  /// How the table names a task metric ("accuracy" -> "Accuracy", "f1" -> "F1", "mcc" -> "MCC").
  static QString metricName(const QString& metric);

 private:
  void retranslate();
  void fill();
  void fillChart();

  QLabel* m_title;
  QLabel* m_note;
  QTableWidget* m_table;
  QLabel* m_retention;
  QLabel* m_speedup;
  QLabel* m_compression;
  QCustomPlot* m_plot;
  QCPBars* m_teacherBars;
  QCPBars* m_studentBars;
  QVector<QCPItemText*> m_barLabels;
  QPushButton* m_export;
  RunFigures m_figures;
  bool m_hasFigures = false;
};

}  // namespace widgets
}  // namespace retort
