#include "widgets/attention/attention_grid.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "widgets/attention/color_map.h"

namespace retort {
namespace widgets {
namespace {

constexpr int kMargin = 4;
constexpr int kGap = 4;

QImage thumbnail(const QVector<float>& values, int n, bool diverging) {
  float hi = 0.0f, absMax = 0.0f;
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    hi = std::max(hi, v);
    absMax = std::max(absMax, std::abs(v));
  }
  const float scale = std::max(diverging ? absMax : hi, 1e-6f);
  QImage image(n, n, QImage::Format_RGB32);
  for (int r = 0; r < n; ++r) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(r));
    for (int c = 0; c < n; ++c) {
      const float v = values[r * n + c];
      line[c] = diverging ? divergingColor(v / scale) : sequentialColor(v / scale);
    }
  }
  return image;
}

}  // namespace

AttentionGrid::AttentionGrid(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setMouseTracking(true);
}

void AttentionGrid::setSnapshot(const AttentionSnapshotData& snapshot) {
  m_snapshot = snapshot;
  rebuildThumbnails();
}

void AttentionGrid::setModel(Model model) {
  if (model == m_model) return;
  m_model = model;
  rebuildThumbnails();
}

AttentionGrid::Model AttentionGrid::model() const { return m_model; }

void AttentionGrid::setShowScores(bool scores) {
  if (scores == m_scores) return;
  m_scores = scores;
  rebuildThumbnails();
}

bool AttentionGrid::showsScores() const { return m_scores; }

int AttentionGrid::rowCount() const { return m_thumbs.size(); }

int AttentionGrid::columnCount() const {
  int columns = 0;
  for (const auto& row : m_thumbs) columns = std::max(columns, static_cast<int>(row.size()));
  return columns;
}

int AttentionGrid::headsOfRow(int row) const {
  return row >= 0 && row < m_thumbs.size() ? static_cast<int>(m_thumbs[row].size()) : 0;
}

AttentionGrid::Model AttentionGrid::shownModel() const {
  if (m_model == Model::Teacher) return Model::Teacher;
  for (const AttentionPairData& p : m_snapshot.pairs)
    if (p.studentHeads > 0) return Model::Student;
  return m_snapshot.pairs.isEmpty() ? Model::Student : Model::Teacher;  // no student yet: the teacher's grid
}

int AttentionGrid::layerOfRow(int row) const {
  if (row < 0 || row >= m_snapshot.pairs.size()) return -1;
  const AttentionPairData& p = m_snapshot.pairs[row];
  return shownModel() == Model::Student ? p.studentLayer : p.teacherLayer;
}

QString AttentionGrid::rowLabel(int row) const {
  return shownModel() == Model::Student ? tr("Student %1").arg(layerOfRow(row)) : tr("Teacher %1").arg(layerOfRow(row));
}

QPoint AttentionGrid::selection() const { return m_selection; }

void AttentionGrid::setSelection(int row, int head) {
  m_selection = head >= 0 && head < headsOfRow(row) ? QPoint(row, head) : QPoint(-1, -1);
  update();
}

QSize AttentionGrid::sizeHint() const {
  const int columns = std::max(1, columnCount());
  const int rows = std::max(1, rowCount());
  return QSize(80 + columns * 60, 30 + rows * 60);
}

void AttentionGrid::rebuildThumbnails() {
  m_thumbs.clear();
  for (int i = 0; i < m_snapshot.pairs.size(); ++i) {
    const AttentionMatrix m = shownModel() == Model::Student ? m_snapshot.studentMatrix(i, m_scores)
                                                        : m_snapshot.teacherMatrix(i, m_scores);
    QVector<QImage> row;
    if (m.isValid())
      for (int h = 0; h < m.heads; ++h) row.append(thumbnail(headValues(m, h), m.size(), m_scores));
    m_thumbs.append(row);
  }
  if (m_selection.x() >= rowCount() || m_selection.y() >= headsOfRow(m_selection.x())) m_selection = {-1, -1};
  m_geometryValid = false;
  updateGeometry();
  update();
}

void AttentionGrid::layoutGeometry() const {
  if (m_geometryValid) return;
  m_geometryValid = true;
  const QFontMetrics fm(font());
  m_rowLabelWidth = 0;
  for (int r = 0; r < rowCount(); ++r)
    m_rowLabelWidth = std::max(m_rowLabelWidth, fm.horizontalAdvance(rowLabel(r)));
  const int top = kMargin + fm.height() + 2;
  const int left = kMargin + m_rowLabelWidth + 6;
  const int columns = std::max(1, columnCount());
  const int rows = std::max(1, rowCount());
  m_pitch = std::max(4.0, std::min(double(width() - left - kMargin) / columns, double(height() - top - kMargin) / rows));
  m_side = std::max(2.0, m_pitch - kGap);
  m_origin = QPointF(left, top);
}

QRect AttentionGrid::thumbnailRect(int row, int head) const {
  if (head < 0 || head >= headsOfRow(row)) return {};
  layoutGeometry();
  return QRectF(m_origin.x() + head * m_pitch, m_origin.y() + row * m_pitch, m_side, m_side).toAlignedRect();
}

QPoint AttentionGrid::thumbnailAt(const QPoint& pos) const {
  layoutGeometry();
  if (m_pitch <= 0.0) return {-1, -1};
  const int head = static_cast<int>(std::floor((pos.x() - m_origin.x()) / m_pitch));
  const int row = static_cast<int>(std::floor((pos.y() - m_origin.y()) / m_pitch));
  if (row < 0 || head < 0 || head >= headsOfRow(row)) return {-1, -1};
  if (!thumbnailRect(row, head).contains(pos)) return {-1, -1};  // in the gap
  return {row, head};
}

void AttentionGrid::paintEvent(QPaintEvent*) {
  layoutGeometry();
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Window));
  p.setPen(palette().color(QPalette::WindowText));
  if (rowCount() == 0) {
    p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, tr("No attention to show yet."));
    return;
  }
  const QFontMetrics fm(font());
  for (int h = 0; h < columnCount(); ++h)
    p.drawText(QRectF(m_origin.x() + h * m_pitch, kMargin, m_side, fm.height()), Qt::AlignCenter,
               QString::number(h + 1));
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  for (int r = 0; r < rowCount(); ++r) {
    p.drawText(QRectF(kMargin, m_origin.y() + r * m_pitch, m_rowLabelWidth, m_side), Qt::AlignRight | Qt::AlignVCenter,
               rowLabel(r));
    for (int h = 0; h < headsOfRow(r); ++h) p.drawImage(QRectF(thumbnailRect(r, h)), m_thumbs[r][h]);
  }
  p.setPen(QPen(palette().color(QPalette::Mid), 0));
  p.setBrush(Qt::NoBrush);
  for (int r = 0; r < rowCount(); ++r)
    for (int h = 0; h < headsOfRow(r); ++h) p.drawRect(QRectF(thumbnailRect(r, h)).adjusted(-0.5, -0.5, 0.5, 0.5));
  if (m_selection.x() >= 0) {
    p.setPen(QPen(palette().color(QPalette::Highlight), 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(thumbnailRect(m_selection.x(), m_selection.y()).adjusted(-1, -1, 1, 1));
  }
}

void AttentionGrid::mousePressEvent(QMouseEvent* event) {
  const QPoint at = thumbnailAt(event->position().toPoint());
  if (event->button() == Qt::LeftButton && at.x() >= 0) {
    setSelection(at.x(), at.y());
    Q_EMIT selected(layerOfRow(at.x()), at.y());
    return;
  }
  QWidget::mousePressEvent(event);
}

bool AttentionGrid::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QPoint at = thumbnailAt(help->pos());
    if (at.x() >= 0)
      QToolTip::showText(help->globalPos(),
                         (shownModel() == Model::Student ? tr("Student layer %1, head %2") : tr("Teacher layer %1, head %2"))
                             .arg(layerOfRow(at.x()))
                             .arg(at.y() + 1),
                         this, thumbnailRect(at.x(), at.y()));
    else
      QToolTip::hideText();
    return true;
  }
  return QWidget::event(event);
}

void AttentionGrid::resizeEvent(QResizeEvent* event) {
  m_geometryValid = false;
  QWidget::resizeEvent(event);
}

void AttentionGrid::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange || event->type() == QEvent::LanguageChange) {
    m_geometryValid = false;
    update();
  }
  QWidget::changeEvent(event);
}

}  // namespace widgets
}  // namespace retort
