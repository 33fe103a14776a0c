// LossChart, part two: what the plot looks like and how the user drives it: colours and pens,
// smoothing, log scale, shown terms, the axes that follow the run, the legend and the menu.

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

constexpr double kMaxSmoothing = 0.99;

// Tableau's ten colours: distinct, and readable by most colour-blind viewers.
const QRgb kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                         0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

bool isTotal(const QString& term) { return term == QLatin1String("total"); }

}  // namespace

QColor LossChart::termColor(const QString& term) const {
  if (isTotal(term)) return QColor(0x20, 0x20, 0x20);
  int index = 0;
  for (const QString& t : m_order) {
    if (t == term) break;
    if (!isTotal(t)) ++index;
  }
  if (!m_order.contains(term)) index = static_cast<int>(qHash(term) % 10);
  return QColor(kPalette[index % 10]);
}

void LossChart::styleGraph(QCPGraph* graph, const QString& term, bool overlay) const {
  // Width 1 is drawn as a cosmetic pen, and phFastPolylines draws the wider total segment by
  // segment: a noisy 100,000-point curve with a 2 px stroked polyline took seconds to draw.
  QColor color = termColor(term);
  QPen pen(color, isTotal(term) && !overlay ? 2.0 : 1.0);
  if (overlay) {
    color.setAlpha(130);
    pen.setColor(color);
    pen.setStyle(Qt::DashLine);
  }
  graph->setPen(pen);
  graph->setAdaptiveSampling(true);
}

void LossChart::setSmoothing(double factor) {
  if (!std::isfinite(factor)) factor = 0.0;
  factor = std::clamp(factor, 0.0, kMaxSmoothing);
  {
    const QSignalBlocker block(m_smoothingSlider);
    m_smoothingSlider->setValue(static_cast<int>(std::lround(factor * 100.0)));
  }
  m_smoothingValue->setText(QLocale().toString(factor, 'f', 2));
  if (factor == m_smoothing) return;
  m_smoothing = factor;
  rebuildSmoothed();
  scheduleReplot();
}

double LossChart::smoothing() const { return m_smoothing; }

void LossChart::setLogScale(bool on) {
  {
    const QSignalBlocker block(m_logCheck);
    m_logCheck->setChecked(on);
  }
  if (on == isLogScale()) return;
  m_fitting = true;  // setScaleType may clamp the range; that is not the user's zoom
  if (on) {
    m_plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_plot->yAxis->setNumberFormat(QStringLiteral("gb"));  // 0.5, 2, 10³
    m_plot->yAxis->setNumberPrecision(3);
  } else {
    m_plot->yAxis->setScaleType(QCPAxis::stLinear);
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_plot->yAxis->setNumberFormat(QStringLiteral("gb"));
    m_plot->yAxis->setNumberPrecision(6);
  }
  m_fitting = false;
  fitAxes();  // a log axis cannot show the linear view's range (it may start at 0)
  scheduleReplot();
}

bool LossChart::isLogScale() const { return m_plot->yAxis->scaleType() == QCPAxis::stLogarithmic; }

void LossChart::setTermVisible(const QString& term, bool visible) {
  auto it = m_series.find(term);
  if (it == m_series.end() || it->graph->visible() == visible) return;
  it->graph->setVisible(visible);
  updateLegendItem(it->graph);
  if (m_follow) fitAxes();
  scheduleReplot();
  Q_EMIT termVisibilityChanged(term, visible);
}

bool LossChart::isTermVisible(const QString& term) const {
  auto it = m_series.find(term);
  return it != m_series.end() && it->graph->visible();
}

void LossChart::resetView() {
  applyPending();
  m_follow = true;
  fitAxes();
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool LossChart::isFollowingData() const { return m_follow; }

void LossChart::fitAxes() {
  m_fitting = true;
  bool anyKey = false, anyValue = false;
  QCPRange keys, values;
  const QCP::SignDomain domain = isLogScale() ? QCP::sdPositive : QCP::sdBoth;
  for (int i = 0; i < m_plot->graphCount(); ++i) {
    QCPGraph* g = m_plot->graph(i);
    if (!g->visible() || g->data()->isEmpty()) continue;
    bool found = false;
    const QCPRange k = g->getKeyRange(found);
    if (found) {
      keys = anyKey ? QCPRange(std::min(keys.lower, k.lower), std::max(keys.upper, k.upper)) : k;
      anyKey = true;
    }
    if (g->valueAxis() != m_plot->yAxis) continue;
    const QCPRange v = g->getValueRange(found, domain);
    if (found) {
      values = anyValue ? QCPRange(std::min(values.lower, v.lower), std::max(values.upper, v.upper)) : v;
      anyValue = true;
    }
  }
  for (const auto& s : qAsConst(m_stages)) {
    keys = anyKey ? QCPRange(std::min(keys.lower, s.first), std::max(keys.upper, s.first))
                  : QCPRange(s.first, s.first);
    anyKey = true;
  }
  if (!anyKey) keys = QCPRange(0.0, 100.0);
  if (keys.size() <= 0.0) keys = QCPRange(keys.lower - 1.0, keys.upper + 1.0);
  if (isLogScale()) {
    if (!anyValue) values = QCPRange(0.01, 10.0);
    if (values.upper <= values.lower) values = QCPRange(values.lower / 2.0, values.upper * 2.0);
    values = QCPRange(values.lower / 1.15, values.upper * 1.15);
  } else {
    if (!anyValue) values = QCPRange(0.0, 1.0);
    if (values.size() <= 0.0) values = QCPRange(values.lower - 0.5, values.upper + 0.5);
    const double pad = values.size() * 0.05;
    values = QCPRange(values.lower - pad, values.upper + pad);
  }
  m_plot->xAxis->setRange(keys);
  m_plot->yAxis->setRange(values);
  m_plot->yAxis2->setRange(0.0, 1.02);
  m_fitting = false;
}

void LossChart::onLegendClick(QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent* event) {
  auto* plItem = qobject_cast<QCPPlottableLegendItem*>(item);
  if (!plItem || event->button() != Qt::LeftButton) return;
  auto* graph = qobject_cast<QCPGraph*>(plItem->plottable());
  if (!graph) return;
  for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
    if (it->graph == graph) {
      setTermVisible(it.key(), !graph->visible());
      return;
    }
  }
  graph->setVisible(!graph->visible());  // an overlay or the evaluation curve
  updateLegendItem(graph);
  if (m_follow) fitAxes();
  scheduleReplot();
}

void LossChart::updateLegendItem(QCPGraph* graph) {
  if (QCPPlottableLegendItem* item = m_plot->legend->itemWithPlottable(graph))
    item->setTextColor(graph->visible() ? QColor(Qt::black) : QColor(160, 160, 160));
}

void LossChart::showContextMenu(const QPoint& pos) {
  QMenu menu(this);
  menu.addAction(tr("Reset view"), this, &LossChart::resetView);
  QAction* log = menu.addAction(tr("Log scale"));
  log->setCheckable(true);
  log->setChecked(isLogScale());
  connect(log, &QAction::toggled, this, &LossChart::setLogScale);
  menu.addSeparator();
  menu.addActions(m_exportButton->menu()->actions());
  menu.exec(m_plot->mapToGlobal(pos));
}

QString LossChart::lastError() const { return m_lastError; }

}  // namespace widgets
}  // namespace retort
