#include "widgets/charts/loss_chart.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/charts/custom_plot.h"

namespace retort {
namespace widgets {
namespace {

constexpr int kReplotIntervalMs = 50;  // at most ~20 replots a second
}  // namespace

LossChart::LossChart(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);

  auto* bar = new QHBoxLayout;
  m_smoothingLabel = new QLabel(this);
  m_smoothingSlider = new QSlider(Qt::Horizontal, this);
  m_smoothingSlider->setObjectName(QStringLiteral("smoothingSlider"));
  m_smoothingSlider->setRange(0, 99);
  m_smoothingSlider->setMaximumWidth(180);
  m_smoothingValue = new QLabel(this);
  m_smoothingValue->setObjectName(QStringLiteral("smoothingValue"));
  m_smoothingValue->setMinimumWidth(QFontMetrics(font()).horizontalAdvance(QStringLiteral("0.000")));
  m_logCheck = new QCheckBox(this);
  m_logCheck->setObjectName(QStringLiteral("logScaleCheck"));
  m_resetButton = new QToolButton(this);
  m_resetButton->setObjectName(QStringLiteral("resetViewButton"));
  m_exportButton = new QToolButton(this);
  m_exportButton->setObjectName(QStringLiteral("exportButton"));
  m_exportButton->setPopupMode(QToolButton::InstantPopup);
  auto* exportMenu = new QMenu(m_exportButton);
  m_exportButton->setMenu(exportMenu);
  bar->addWidget(m_smoothingLabel);
  bar->addWidget(m_smoothingSlider);
  bar->addWidget(m_smoothingValue);
  bar->addSpacing(12);
  bar->addWidget(m_logCheck);
  bar->addStretch(1);
  bar->addWidget(m_resetButton);
  bar->addWidget(m_exportButton);
  layout->addLayout(bar);

  m_plot = new QCustomPlot(this);
  m_plot->setObjectName(QStringLiteral("lossPlot"));
  m_plot->setMinimumSize(240, 160);
  m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  m_plot->setNoAntialiasingOnDrag(true);
  m_plot->setPlottingHint(QCP::phFastPolylines, true);
  m_plot->legend->setVisible(true);
  m_plot->legend->setSelectableParts(QCPLegend::spItems);
  QFont legendFont = font();
  legendFont.setPointSizeF(std::max(6.0, legendFont.pointSizeF() * 0.85));
  m_plot->legend->setFont(legendFont);
  m_plot->legend->setBrush(QColor(255, 255, 255, 210));
  m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  m_plot->yAxis2->setVisible(true);
  m_plot->yAxis2->setRange(0.0, 1.0);
  m_plot->axisRect()->setRangeDragAxes(m_plot->xAxis, m_plot->yAxis);
  m_plot->axisRect()->setRangeZoomAxes(m_plot->xAxis, m_plot->yAxis);
  m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
  layout->addWidget(m_plot, 1);

  m_evalGraph = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
  m_evalGraph->setPen(QPen(QColor(0x2ca02c), 1.0, Qt::DotLine));
  m_evalGraph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(0x2ca02c), Qt::white, 6));
  m_evalGraph->removeFromLegend();  // added once the first evaluation arrives

  m_replotTimer.setSingleShot(true);
  m_replotTimer.setInterval(kReplotIntervalMs);
  connect(&m_replotTimer, &QTimer::timeout, this, &LossChart::onReplotTimer);
  connect(m_plot, &QCustomPlot::afterReplot, this, [this] { ++m_replots; });
  connect(m_plot, &QCustomPlot::legendClick, this, &LossChart::onLegendClick);
  // A zoom or pan by the user (any range change that fitAxes did not make) stops following.
  connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
    if (!m_fitting) m_follow = false;
  });
  connect(m_plot->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
    if (!m_fitting) m_follow = false;
  });
  connect(m_plot, &QWidget::customContextMenuRequested, this, &LossChart::showContextMenu);

  connect(m_smoothingSlider, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
  connect(m_logCheck, &QCheckBox::toggled, this, &LossChart::setLogScale);
  connect(m_resetButton, &QToolButton::clicked, this, &LossChart::resetView);
  exportMenu->addAction(QString(), this, [this] { askExport(QStringLiteral("png")); });
  exportMenu->addAction(QString(), this, [this] { askExport(QStringLiteral("pdf")); });
  exportMenu->addAction(QString(), this, [this] { askExport(QStringLiteral("csv")); });

  retranslate();
  fitAxes();
}

LossChart::~LossChart() = default;

void LossChart::retranslate() {
  m_smoothingLabel->setText(tr("Smoothing"));
  const QString smoothingHelp =
      tr("Exponential moving average of the curves: 0 shows every logged value, 0.99 a very "
         "smooth trend. The exported CSV always holds the raw values.");
  m_smoothingSlider->setToolTip(smoothingHelp);
  m_smoothingLabel->setToolTip(smoothingHelp);
  m_smoothingValue->setText(QLocale().toString(m_smoothing, 'f', 2));
  m_logCheck->setText(tr("Log scale"));
  m_logCheck->setToolTip(tr("Show the loss axis on a logarithmic scale"));
  m_resetButton->setText(tr("Reset view"));
  m_resetButton->setToolTip(tr("Fit the axes to the data again after zooming or panning "
                               "(wheel: zoom, drag: pan)"));
  m_exportButton->setText(tr("Export"));
  const auto actions = m_exportButton->menu()->actions();
  actions[0]->setText(tr("Image (PNG)…"));
  actions[1]->setText(tr("Document (PDF)…"));
  actions[2]->setText(tr("Data (CSV)…"));
  m_plot->xAxis->setLabel(tr("Step"));
  m_plot->yAxis->setLabel(tr("Loss"));
  m_plot->yAxis2->setLabel(tr("Dev accuracy"));
  m_evalGraph->setName(tr("Dev accuracy"));
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossChart::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

LossChart::Series& LossChart::series(const QString& term) {
  auto it = m_series.find(term);
  if (it != m_series.end()) return *it;
  m_order.append(term);
  Series s;
  s.graph = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
  s.graph->setName(term);
  styleGraph(s.graph, term, false);
  return *m_series.insert(term, s);
}

void LossChart::addPoint(const QString& term, double step, double value) {
  Series& s = series(term);
  s.steps.append(step);
  s.values.append(value);
  scheduleReplot();
}

void LossChart::addEvaluation(double step, double accuracy) {
  m_evalSteps.append(step);
  m_evalValues.append(accuracy);
  if (m_evalSteps.size() == 1) m_evalGraph->addToLegend();
  scheduleReplot();
}

void LossChart::markStage(double step, const QString& name) {
  m_stages.append({step, name});
  auto* line = new QCPItemStraightLine(m_plot);
  line->point1->setTypeY(QCPItemPosition::ptAxisRectRatio);
  line->point2->setTypeY(QCPItemPosition::ptAxisRectRatio);
  line->point1->setCoords(step, 0.0);
  line->point2->setCoords(step, 1.0);
  line->setPen(QPen(QColor(90, 90, 90), 1.0, Qt::DashDotLine));
  auto* label = new QCPItemText(m_plot);
  label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
  label->position->setCoords(step, 0.0);
  label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
  label->setPadding(QMargins(4, 2, 4, 2));
  label->setText(name);
  label->setColor(QColor(60, 60, 60));
  label->setBrush(QColor(255, 255, 255, 200));
  scheduleReplot();
}

void LossChart::addOverlayRun(const QString& label, const QMap<QString, QVector<QPointF>>& curves) {
  removeOverlayRun(label);
  Overlay overlay;
  overlay.label = label;
  overlay.curves = curves;
  for (auto it = curves.cbegin(); it != curves.cend(); ++it) {
    QCPGraph* graph = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
    graph->setName(QStringLiteral("%1 (%2)").arg(it.key(), label));
    styleGraph(graph, it.key(), true);
    overlay.graphs.append(graph);
  }
  fillOverlayGraphs(overlay);
  m_overlays.append(overlay);
  scheduleReplot();
}

void LossChart::removeOverlayRun(const QString& label) {
  for (int i = 0; i < m_overlays.size(); ++i) {
    if (m_overlays[i].label != label) continue;
    for (QCPGraph* g : m_overlays[i].graphs) m_plot->removeGraph(g);
    m_overlays.removeAt(i);
    scheduleReplot();
    return;
  }
}

QStringList LossChart::overlayRuns() const {
  QStringList labels;
  for (const Overlay& o : m_overlays) labels << o.label;
  return labels;
}

void LossChart::clear() {
  for (const Series& s : qAsConst(m_series)) m_plot->removeGraph(s.graph);
  for (const Overlay& o : qAsConst(m_overlays))
    for (QCPGraph* g : o.graphs) m_plot->removeGraph(g);
  m_series.clear();
  m_order.clear();
  m_overlays.clear();
  m_evalSteps.clear();
  m_evalValues.clear();
  m_evalApplied = 0;
  m_evalGraph->data()->clear();
  m_evalGraph->removeFromLegend();
  m_stages.clear();
  m_plot->clearItems();
  m_follow = true;
  fitAxes();
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int LossChart::pointCount(const QString& term) const {
  auto it = m_series.find(term);
  return it == m_series.end() ? 0 : it->steps.size();
}

QStringList LossChart::terms() const { return m_order; }

int LossChart::evaluationCount() const { return m_evalSteps.size(); }

QStringList LossChart::stageNames() const {
  QStringList names;
  for (const auto& s : m_stages) names << s.second;
  return names;
}

QVector<QPointF> LossChart::displayedPoints(const QString& term) {
  applyPending();
  QVector<QPointF> points;
  auto it = m_series.find(term);
  if (it == m_series.end()) return points;
  const auto data = it->graph->data();
  points.reserve(data->size());
  for (auto d = data->constBegin(); d != data->constEnd(); ++d) points.append({d->key, d->value});
  return points;
}

void LossChart::flush() {
  m_replotTimer.stop();
  applyPending();
  if (m_follow) fitAxes();
  m_plot->replot(QCustomPlot::rpImmediateRefresh);
}

int LossChart::replotCount() const { return m_replots; }

QCustomPlot* LossChart::plot() const { return m_plot; }

void LossChart::scheduleReplot() {
  if (!m_replotTimer.isActive()) m_replotTimer.start();
}

void LossChart::onReplotTimer() {
  applyPending();
  if (m_follow) fitAxes();
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossChart::applyPending() {
  const double a = m_smoothing;
  for (Series& s : m_series) {
    const int n = s.steps.size();
    if (s.applied == n) continue;
    QVector<QCPGraphData> batch;
    batch.reserve(n - s.applied);
    bool sorted = true;
    double last = s.applied > 0 ? s.steps[s.applied - 1] : -std::numeric_limits<double>::infinity();
    for (int i = s.applied; i < n; ++i) {
      s.ema = i == 0 ? s.values[i] : a * s.ema + (1.0 - a) * s.values[i];
      batch.append(QCPGraphData(s.steps[i], s.ema));
      if (s.steps[i] < last) sorted = false;
      last = s.steps[i];
    }
    s.graph->data()->add(batch, sorted);
    s.applied = n;
  }
  if (m_evalApplied < m_evalSteps.size()) {
    QVector<QCPGraphData> batch;
    for (int i = m_evalApplied; i < m_evalSteps.size(); ++i)
      batch.append(QCPGraphData(m_evalSteps[i], m_evalValues[i]));
    m_evalGraph->data()->add(batch, false);
    m_evalApplied = m_evalSteps.size();
  }
}

void LossChart::rebuildSmoothed() {
  const double a = m_smoothing;
  for (Series& s : m_series) {
    QVector<QCPGraphData> data;
    data.reserve(s.steps.size());
    double ema = 0.0;
    for (int i = 0; i < s.steps.size(); ++i) {
      ema = i == 0 ? s.values[i] : a * ema + (1.0 - a) * s.values[i];
      data.append(QCPGraphData(s.steps[i], ema));
    }
    s.graph->data()->set(data, false);
    s.ema = ema;
    s.applied = s.steps.size();
  }
  for (Overlay& o : m_overlays) fillOverlayGraphs(o);
  if (m_follow) fitAxes();
}

void LossChart::fillOverlayGraphs(Overlay& overlay) {
  const double a = m_smoothing;
  int i = 0;
  for (auto it = overlay.curves.cbegin(); it != overlay.curves.cend(); ++it, ++i) {
    QVector<QCPGraphData> data;
    data.reserve(it->size());
    double ema = 0.0;
    for (int k = 0; k < it->size(); ++k) {
      ema = k == 0 ? it->at(k).y() : a * ema + (1.0 - a) * it->at(k).y();
      data.append(QCPGraphData(it->at(k).x(), ema));
    }
    overlay.graphs[i]->data()->set(data, false);
  }
}

}  // namespace widgets
}  // namespace retort
