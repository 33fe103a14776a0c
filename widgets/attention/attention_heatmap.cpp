#include "widgets/attention/attention_heatmap.h"

#include <QElapsedTimer>
#include <QEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/attention/color_map.h"
#include "widgets/attention/token_labels.h"

namespace retort {
namespace widgets {
namespace {

constexpr int kMargin = 4;
constexpr int kMaxLabelWidth = 110;
constexpr int kScaleBarWidth = 12;

QFont labelFont(const QFont& base) {
  QFont f = base;
  f.setPointSizeF(std::max(6.0, base.pointSizeF() * 0.85));
  return f;
}

QString scaleText(float v) { return QLocale().toString(static_cast<double>(v), 'g', 3); }

}  // namespace

AttentionHeatmap::AttentionHeatmap(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void AttentionHeatmap::setMatrix(const AttentionMatrix& matrix) {
  m_matrix = matrix;
  m_labels = widgets::tokenLabels(matrix.tokens);
  m_teacher = {};
  m_difference = false;
  m_message.clear();
  if (!matrix.tokens.isEmpty() && !matrix.isValid())
    m_message = tr("The attention data does not fit the tokens (%1 numbers for %2 heads of %3 tokens).")
                    .arg(matrix.values.size())
                    .arg(matrix.heads)
                    .arg(matrix.tokens.size());
  m_geometryValid = false;
  recompute();
}

void AttentionHeatmap::setDifference(const AttentionMatrix& student, const AttentionMatrix& teacher) {
  m_matrix = student;
  m_labels = widgets::tokenLabels(student.tokens);
  m_teacher = groupHeads(teacher, student.heads);
  m_difference = true;
  m_message.clear();
  if (!student.isValid() || !teacher.isValid())
    m_message = tr("The difference needs the student's and the teacher's attention.");
  else if (student.size() != teacher.size())
    m_message = tr("The student's and the teacher's attention cover different tokens (%1 and %2).")
                    .arg(student.size())
                    .arg(teacher.size());
  m_geometryValid = false;
  recompute();
}

void AttentionHeatmap::clear() { setMatrix({}); }

void AttentionHeatmap::setPlaceholder(const QString& text) {
  setMatrix({});
  m_message = text;
  invalidate();
}

QString AttentionHeatmap::message() const { return m_message; }

QStringList AttentionHeatmap::labelTexts() const {
  QStringList out;
  for (const TokenLabel& l : m_labels) out << l.text;
  return out;
}

void AttentionHeatmap::setHead(int head) {
  head = std::max(-1, head);
  if (head == m_head) return;
  m_head = head;
  recompute();
}

int AttentionHeatmap::head() const { return m_head; }

void AttentionHeatmap::setMode(Mode mode) {
  if (mode == m_mode) return;
  m_mode = mode;
  recompute();
}

AttentionHeatmap::Mode AttentionHeatmap::mode() const { return m_mode; }

bool AttentionHeatmap::isDifference() const { return m_difference; }

void AttentionHeatmap::setTitle(const QString& title) {
  if (title == m_title) return;
  m_title = title;
  m_geometryValid = false;
  invalidate();
}

QString AttentionHeatmap::title() const { return m_title; }

void AttentionHeatmap::setCompact(bool compact) {
  m_compact = compact;
  m_geometryValid = false;
  updateGeometry();
  invalidate();
}

int AttentionHeatmap::tokenCount() const { return m_values.isEmpty() ? 0 : m_matrix.size(); }

float AttentionHeatmap::value(int row, int column) const {
  const int n = tokenCount();
  if (row < 0 || column < 0 || row >= n || column >= n) return std::numeric_limits<float>::quiet_NaN();
  return m_values[row * n + column];
}

float AttentionHeatmap::scaleMinimum() const { return m_min; }
float AttentionHeatmap::scaleMaximum() const { return m_max; }
double AttentionHeatmap::lastRenderMs() const { return m_renderMs; }

QSize AttentionHeatmap::sizeHint() const { return m_compact ? QSize(72, 72) : QSize(440, 420); }

QSize AttentionHeatmap::minimumSizeHint() const { return m_compact ? QSize(24, 24) : QSize(160, 150); }

void AttentionHeatmap::recompute() {
  m_values.clear();
  m_diverging = m_difference || m_mode == Mode::Scores;
  if (m_message.isEmpty() && m_matrix.isValid()) {
    if (m_difference) {
      // Same head counts after grouping: head by head; otherwise compare the averages.
      const bool sameHeads = m_teacher.heads == m_matrix.heads;
      const QVector<float> s = headValues(m_matrix, sameHeads ? m_head : -1);
      const QVector<float> t = headValues(m_teacher, sameHeads ? m_head : -1);
      m_values.resize(s.size());
      for (int i = 0; i < s.size(); ++i) m_values[i] = s[i] - t[i];
    } else {
      m_values = headValues(m_matrix, m_head);
    }
  }
  float lo = 0.0f, hi = 0.0f, absMax = 0.0f;
  for (float v : qAsConst(m_values)) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    absMax = std::max(absMax, std::abs(v));
  }
  const float tiny = 1e-6f;
  if (m_diverging) {
    m_min = -std::max(absMax, tiny);
    m_max = std::max(absMax, tiny);
  } else {
    m_min = 0.0f;
    m_max = std::max(hi, tiny);
  }
  m_geometryValid = false;  // the scale's labels may have changed width
  invalidate();
}

void AttentionHeatmap::invalidate() {
  m_cacheValid = false;
  update();
}

QRgb AttentionHeatmap::colorOf(float v) const {
  if (m_diverging) return divergingColor(v / m_max);
  return sequentialColor((v - m_min) / (m_max - m_min));
}

QString AttentionHeatmap::valueName() const {
  if (m_difference) return tr("Student − teacher");
  return m_mode == Mode::Scores ? tr("Score") : tr("Probability");
}

void AttentionHeatmap::layoutGeometry() const {
  if (m_geometryValid) return;
  m_geometryValid = true;
  const int n = tokenCount();
  if (m_compact) {
    const double side = std::max(0, std::min(width(), height()) - 2);
    m_matrixRect = QRectF((width() - side) / 2.0, (height() - side) / 2.0, side, side);
    m_scaleRect = QRectF();
    m_cell = n > 0 ? side / n : 0.0;
    m_labelWidth = 0;
    m_labelStep = 1;
    return;
  }
  const QFontMetrics fm(labelFont(font()));
  int labelWidth = 0;
  for (const TokenLabel& t : m_labels) labelWidth = std::max(labelWidth, fm.horizontalAdvance(t.text));
  m_labelWidth = std::min(labelWidth, kMaxLabelWidth) + 2;
  const int top = kMargin + (m_title.isEmpty() ? 0 : QFontMetrics(font()).height() + 4);
  const int scaleWidth = kScaleBarWidth + 6 +
                         std::max({fm.horizontalAdvance(scaleText(m_min)), fm.horizontalAdvance(scaleText(m_max)),
                                   fm.horizontalAdvance(scaleText(0.5f * (m_min + m_max)))}) +
                         kMargin;
  const double availW = width() - 2 * kMargin - m_labelWidth - 4 - 8 - scaleWidth;
  const double availH = height() - top - kMargin - m_labelWidth - 4;
  const double side = std::max(0.0, std::min(availW, availH));
  m_matrixRect = QRectF(kMargin + m_labelWidth + 4, top, side, side);
  m_scaleRect = QRectF(m_matrixRect.right() + 8, m_matrixRect.top(), kScaleBarWidth, side);
  m_cell = n > 0 ? side / n : 0.0;
  m_labelStep = m_cell > 0.0 ? std::max(1, static_cast<int>(std::ceil(fm.height() / m_cell))) : 1;
}

QPoint AttentionHeatmap::cellAt(const QPoint& pos) const {
  layoutGeometry();
  const int n = tokenCount();
  if (n == 0 || m_cell <= 0.0 || !m_matrixRect.contains(pos)) return {-1, -1};
  const int column = std::min(n - 1, static_cast<int>((pos.x() - m_matrixRect.left()) / m_cell));
  const int row = std::min(n - 1, static_cast<int>((pos.y() - m_matrixRect.top()) / m_cell));
  return {row, column};
}

QRectF AttentionHeatmap::cellRect(int row, int column) const {
  layoutGeometry();
  return QRectF(m_matrixRect.left() + column * m_cell, m_matrixRect.top() + row * m_cell, m_cell, m_cell);
}

QString AttentionHeatmap::cellToolTip(int row, int column) const {
  const int n = tokenCount();
  if (row < 0 || column < 0 || row >= n || column >= n) return {};
  return tr("Query: %1 (#%2)\nKey: %3 (#%4)\n%5: %6")
      .arg(m_matrix.tokens[row], QString::number(row), m_matrix.tokens[column], QString::number(column),
           valueName(), QLocale().toString(static_cast<double>(value(row, column)), 'f', 4));
}

void AttentionHeatmap::render() {
  QElapsedTimer timer;
  timer.start();
  layoutGeometry();
  const qreal dpr = devicePixelRatioF();
  m_cache = QImage((QSizeF(size()) * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
  m_cache.setDevicePixelRatio(dpr);
  m_cache.fill(palette().color(m_compact ? QPalette::Base : QPalette::Window));
  QPainter p(&m_cache);
  const int n = tokenCount();
  if (n == 0) {
    if (!m_compact) {
      p.setPen(palette().color(QPalette::WindowText));
      p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
                 m_message.isEmpty() ? tr("No attention to show yet.") : m_message);
    }
    m_cacheValid = true;
    m_renderMs = timer.nsecsElapsed() / 1e6;
    return;
  }

  QImage cells(n, n, QImage::Format_RGB32);
  for (int r = 0; r < n; ++r) {
    auto* line = reinterpret_cast<QRgb*>(cells.scanLine(r));
    const float* v = m_values.constData() + r * n;
    for (int c = 0; c < n; ++c) line[c] = colorOf(v[c]);
  }
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.drawImage(m_matrixRect, cells);

  if (!m_compact) {
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.setPen(QPen(palette().color(QPalette::Mid), 0));
    p.drawRect(m_matrixRect);
    if (!m_title.isEmpty()) {
      p.setPen(palette().color(QPalette::WindowText));
      const QFontMetrics tm(font());
      p.drawText(QRectF(m_matrixRect.left(), kMargin, width() - m_matrixRect.left() - kMargin, tm.height()),
                 Qt::AlignLeft | Qt::AlignVCenter, tm.elidedText(m_title, Qt::ElideRight, width()));
    }
    const QFont lf = labelFont(font());
    const QFontMetrics fm(lf);
    p.setFont(lf);
    p.setPen(palette().color(QPalette::WindowText));
    const double fh = fm.height();
    for (int i = 0; i < n; i += m_labelStep) {
      const QString text = fm.elidedText(m_labels[i].text, Qt::ElideRight, m_labelWidth);
      p.setPen(m_labels[i].continuation ? palette().color(QPalette::PlaceholderText) : palette().color(QPalette::WindowText));
      const double centre = (i + 0.5) * m_cell;
      p.drawText(QRectF(kMargin, m_matrixRect.top() + centre - fh / 2, m_labelWidth, fh),
                 Qt::AlignRight | Qt::AlignVCenter, text);
      p.save();
      p.translate(m_matrixRect.left() + centre, m_matrixRect.bottom() + 4);
      p.rotate(-90);
      p.drawText(QRectF(-m_labelWidth, -fh / 2, m_labelWidth, fh), Qt::AlignRight | Qt::AlignVCenter, text);
      p.restore();
    }
    // Colour scale: the top is the maximum.
    QImage bar(1, 256, QImage::Format_RGB32);
    for (int i = 0; i < 256; ++i) {
      const float v = m_max - (m_max - m_min) * i / 255.0f;
      bar.setPixel(0, i, colorOf(v));
    }
    p.drawImage(m_scaleRect, bar);
    p.setPen(QPen(palette().color(QPalette::Mid), 0));
    p.drawRect(m_scaleRect);
    p.setPen(palette().color(QPalette::WindowText));
    const double x = m_scaleRect.right() + 4;
    const double w = width() - x;
    p.drawText(QRectF(x, m_scaleRect.top(), w, fh), Qt::AlignLeft | Qt::AlignTop, scaleText(m_max));
    p.drawText(QRectF(x, m_scaleRect.center().y() - fh / 2, w, fh), Qt::AlignLeft | Qt::AlignVCenter,
               scaleText(0.5f * (m_min + m_max)));
    p.drawText(QRectF(x, m_scaleRect.bottom() - fh, w, fh), Qt::AlignLeft | Qt::AlignBottom, scaleText(m_min));
  }
  m_cacheValid = true;
  m_renderMs = timer.nsecsElapsed() / 1e6;
}

void AttentionHeatmap::paintEvent(QPaintEvent*) {
  if (!m_cacheValid || m_cache.size() != (QSizeF(size()) * devicePixelRatioF()).toSize()) render();
  QPainter p(this);
  p.drawImage(0, 0, m_cache);
  if (m_hover.x() >= 0 && m_cell >= 3.0) {
    p.setPen(QPen(palette().color(QPalette::Highlight), 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(cellRect(m_hover.x(), m_hover.y()));
  }
}

void AttentionHeatmap::resizeEvent(QResizeEvent* event) {
  m_geometryValid = false;
  m_cacheValid = false;
  QWidget::resizeEvent(event);
}

bool AttentionHeatmap::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QPoint cell = cellAt(help->pos());
    if (cell.x() >= 0) {
      QToolTip::showText(help->globalPos(), cellToolTip(cell.x(), cell.y()), this,
                         cellRect(cell.x(), cell.y()).toAlignedRect());
    } else {
      QToolTip::hideText();
      event->ignore();
    }
    return true;
  }
  return QWidget::event(event);
}

void AttentionHeatmap::mouseMoveEvent(QMouseEvent* event) {
  const QPoint cell = cellAt(event->position().toPoint());
  if (cell != m_hover) {
    m_hover = cell;
    update();
    if (cell.x() >= 0) Q_EMIT cellHovered(cell.x(), cell.y(), value(cell.x(), cell.y()));
  }
  QWidget::mouseMoveEvent(event);
}

void AttentionHeatmap::leaveEvent(QEvent* event) {
  if (m_hover.x() >= 0) {
    m_hover = {-1, -1};
    update();
  }
  QWidget::leaveEvent(event);
}

void AttentionHeatmap::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange ||
      event->type() == QEvent::LanguageChange) {
    m_geometryValid = false;
    invalidate();
  }
  QWidget::changeEvent(event);
}

}  // namespace widgets
}  // namespace retort
