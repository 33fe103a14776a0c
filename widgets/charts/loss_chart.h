#pragma once
// Live loss curves of a distillation run: the total and every loss term against the global
// step, the dev accuracy on a second (right) axis, vertical lines at stage boundaries, and
// faded dashed overlays of earlier runs. Takes plain numbers; knows nothing of LibTorch.
//
// Points are kept as given (raw) and drawn smoothed by an exponential moving average:
//   s_0 = v_0,  s_i = a·s_(i-1) + (1 − a)·v_i   (a = smoothing(), 0 = raw, at most 0.99),
// in the order the points arrived (the trainer sends them in increasing step order).
// Adding points is cheap: they are queued, and a timer moves them into the plot and asks for
// one queued replot at most every 50 ms (~20/s), however many points arrive in between.

#include <QMap>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QCPGraph;
class QCPAbstractLegendItem;
class QCPLegend;
class QCustomPlot;
class QLabel;
class QMouseEvent;
class QSlider;
class QToolButton;

namespace retort {
namespace widgets {

class LossChart : public QWidget {
  Q_OBJECT
 public:
  explicit LossChart(QWidget* parent = nullptr);
  ~LossChart() override;

  /// Appends one point of a loss term ("total", "attention", ...); a new term gets a curve
  /// and a legend entry. Drawn at the next coalesced replot.
  void addPoint(const QString& term, double step, double value);
  /// Appends a dev evaluation (accuracy in 0..1) to the right axis.
  void addEvaluation(double step, double accuracy);
  /// Draws a vertical line with the stage's name at the step where it starts.
  void markStage(double step, const QString& name);
  /// Adds (or replaces, by label) an earlier run drawn dashed and faded: term -> (step, value).
  void addOverlayRun(const QString& label, const QMap<QString, QVector<QPointF>>& curves);
  void removeOverlayRun(const QString& label);
  QStringList overlayRuns() const;
  /// Removes every curve, evaluation, stage line and overlay.
  void clear();

  /// EMA factor in [0, 0.99]; values outside are clamped. Moves the slider too.
  void setSmoothing(double factor);
  double smoothing() const;
  void setLogScale(bool on);
  bool isLogScale() const;
  /// Shows or hides a term's curve (what a click on its legend entry does).
  void setTermVisible(const QString& term, bool visible);
  bool isTermVisible(const QString& term) const;
  /// Fits the axes to the data again and follows new points (after a zoom or pan).
  void resetView();
  /// True until the user zooms or pans; then new points no longer move the view.
  bool isFollowingData() const;

  /// Exports what is shown at the plot's current size. CSV holds every raw point:
  /// "step,term,value" with the live terms, "accuracy" for evaluations and
  /// "<run>/<term>" for overlays; written atomically. On failure returns false and
  /// lastError() says why.
  bool exportPng(const QString& path);
  bool exportPdf(const QString& path);
  bool exportCsv(const QString& path);
  QString lastError() const;

  // For tests and for the app.
  int pointCount(const QString& term) const;   ///< raw points of a live term (0 if unknown)
  QStringList terms() const;                   ///< live terms, in order of arrival
  int evaluationCount() const;
  QStringList stageNames() const;
  /// The points as drawn (smoothed), after the pending points are applied.
  QVector<QPointF> displayedPoints(const QString& term);
  /// Moves the pending points into the plot and replots now (the timer does this otherwise).
  void flush();
  int replotCount() const;                     ///< replots the plot has done
  QCustomPlot* plot() const;

 Q_SIGNALS:
  void termVisibilityChanged(const QString& term, bool visible);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  struct Series {
    QVector<double> steps, values;  ///< raw, in arrival order
    int applied = 0;                ///< how many are in the graph already
    double ema = 0.0;               ///< smoothed value of the last applied point
    QCPGraph* graph = nullptr;
  };
  struct Overlay {
    QString label;
    QMap<QString, QVector<QPointF>> curves;
    QVector<QCPGraph*> graphs;
  };

  void retranslate();
  Series& series(const QString& term);
  void styleGraph(QCPGraph* graph, const QString& term, bool overlay) const;
  QColor termColor(const QString& term) const;
  void applyPending();
  void rebuildSmoothed();
  void fillOverlayGraphs(Overlay& overlay);
  void scheduleReplot();
  void onReplotTimer();
  void fitAxes();
  void onLegendClick(QCPLegend* legend, QCPAbstractLegendItem* item, QMouseEvent* event);
  void updateLegendItem(QCPGraph* graph);
  void showContextMenu(const QPoint& pos);
  void askExport(const QString& kind);
  bool fail(const QString& message);

  QCustomPlot* m_plot;
  QSlider* m_smoothingSlider;
  QLabel* m_smoothingLabel;
  QLabel* m_smoothingValue;
  QCheckBox* m_logCheck;
  QToolButton* m_resetButton;
  QToolButton* m_exportButton;
  QTimer m_replotTimer;

  QStringList m_order;                  ///< live terms in order of arrival
  QMap<QString, Series> m_series;
  QVector<double> m_evalSteps, m_evalValues;
  int m_evalApplied = 0;
  QCPGraph* m_evalGraph = nullptr;
  QVector<QPair<double, QString>> m_stages;
  QVector<Overlay> m_overlays;
  double m_smoothing = 0.0;
  bool m_follow = true;
  bool m_fitting = false;     ///< fitAxes is setting the ranges (not a user zoom)
  int m_replots = 0;
  QString m_lastError;
};

}  // namespace widgets
}  // namespace retort
