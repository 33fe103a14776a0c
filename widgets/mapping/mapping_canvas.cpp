#include "widgets/mapping/mapping_canvas.h"

#include <QLineF>
#include <QMouseEvent>
#include <QPainter>
#include <QTableWidget>

#include <algorithm>

#include "widgets/mapping/layer_mapping_editor.h"

namespace retort {
namespace widgets {

MappingCanvas::MappingCanvas(LayerMappingEditor* editor) : QWidget(editor), m_editor(editor) {
  setMouseTracking(true);
  setMinimumSize(240, 200);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QRectF MappingCanvas::boxRect(Side side, int layer) const {
  const int count = side == Side::Teacher ? m_editor->m_teacherLayers : m_editor->m_studentLayers;
  const QFontMetrics fm(font());
  const double top = kMargin + fm.height() + 10;
  const double bottom = height() - kMargin;
  const double span = std::max(1.0, bottom - top);
  const int most = std::max({1, m_editor->m_teacherLayers, m_editor->m_studentLayers});
  const double boxH = std::clamp(span / (most + 1) * 0.8, 8.0, 26.0);
  const double usable = span - boxH;
  const double y = count > 0 ? bottom - boxH / 2 - usable * layer / count : bottom - boxH / 2;
  const double boxW = std::min(120.0, width() * 0.3);
  const double x = side == Side::Teacher ? kMargin : width() - kMargin - boxW;
  return QRectF(x, y - boxH / 2, boxW, boxH);
}

QPointF MappingCanvas::anchor(Side side, int layer) const {
  const QRectF r = boxRect(side, layer);
  return side == Side::Teacher ? QPointF(r.right(), r.center().y()) : QPointF(r.left(), r.center().y());
}

QPainterPath MappingCanvas::linkPath(const MappingPair& p) const {
  const QPointF a = anchor(Side::Teacher, p.teacher);
  const QPointF b = anchor(Side::Student, p.student);
  const double dx = (b.x() - a.x()) * 0.45;
  QPainterPath path(a);
  path.cubicTo(a + QPointF(dx, 0), b - QPointF(dx, 0), b);
  return path;
}

QPair<MappingCanvas::Side, int> MappingCanvas::boxAt(const QPointF& pos) const {
  for (Side side : {Side::Teacher, Side::Student}) {
    const int count = side == Side::Teacher ? m_editor->m_teacherLayers : m_editor->m_studentLayers;
    for (int layer = 0; layer <= count; ++layer)
      if (boxRect(side, layer).adjusted(-2, -2, 2, 2).contains(pos)) return {side, layer};
  }
  return {Side::None, -1};
}

int MappingCanvas::linkAt(const QPointF& pos) const {
  int best = -1;
  double bestDistance = 5.0;
  const auto& pairs = m_editor->m_pairs;
  for (int i = 0; i < pairs.size(); ++i) {
    if (!drawable(pairs[i])) continue;
    const QPainterPath path = linkPath(pairs[i]);
    QPointF prev = path.pointAtPercent(0.0);
    for (int k = 1; k <= 32; ++k) {
      const QPointF next = path.pointAtPercent(k / 32.0);
      const double d = distanceToSegment(pos, prev, next);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
      prev = next;
    }
  }
  return best;
}

void MappingCanvas::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.fillRect(rect(), palette().color(QPalette::Base));
  const QFontMetrics fm(font());
  p.setPen(palette().color(QPalette::Text));
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  const QRectF t0 = boxRect(Side::Teacher, 0), s0 = boxRect(Side::Student, 0);
  p.drawText(QRectF(t0.left(), kMargin, t0.width(), fm.height() + 4), Qt::AlignCenter,
             LayerMappingEditor::tr("Teacher"));
  p.drawText(QRectF(s0.left(), kMargin, s0.width(), fm.height() + 4), Qt::AlignCenter,
             LayerMappingEditor::tr("Student"));
  p.setFont(font());

  // Links under the boxes.
  const auto& pairs = m_editor->m_pairs;
  for (int i = 0; i < pairs.size(); ++i) {
    const MappingPair& pair = pairs[i];
    if (!drawable(pair) || i == m_dragLink) continue;
    QColor color = pair.attention && pair.hidden ? QColor(0x1f77b4)
                   : pair.attention              ? QColor(0xff7f0e)
                   : pair.hidden                 ? QColor(0x2ca02c)
                                                 : QColor(0x999999);
    if (m_editor->m_badRows.contains(i)) color = QColor(0xd62728);
    QPen pen(color, 1.5 + std::min(pair.weight, 4.0) * 0.5);
    if (!pair.attention && pair.hidden) pen.setStyle(Qt::DashLine);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawPath(linkPath(pair));
  }
  // The link being dragged: from its fixed end to the mouse.
  if (m_dragSide != Side::None && m_moved) {
    p.setPen(QPen(palette().color(QPalette::Highlight), 2.0, Qt::DashLine));
    p.drawLine(anchor(m_dragSide, m_dragLayer), m_mouse);
  }

  for (Side side : {Side::Teacher, Side::Student}) {
    const int count = side == Side::Teacher ? m_editor->m_teacherLayers : m_editor->m_studentLayers;
    for (int layer = 0; layer <= count; ++layer) {
      const QRectF r = boxRect(side, layer);
      QColor fill = side == Side::Teacher ? QColor(0xfde0c5) : QColor(0xcfe3f5);
      if (layer == 0) fill = fill.lighter(108);
      const bool target = m_target.first == side && m_target.second == layer;
      p.setPen(QPen(target ? palette().color(QPalette::Highlight) : QColor(0x777777), target ? 2.0 : 1.0));
      p.setBrush(fill);
      p.drawRoundedRect(r, 4, 4);
      p.setPen(QColor(0x202020));
      const QString text = layer == 0 ? LayerMappingEditor::tr("Embeddings") : LayerMappingEditor::tr("Layer %1").arg(layer);
      if (r.height() >= fm.height() * 0.7)
        p.drawText(r, Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, static_cast<int>(r.width()) - 4));
    }
  }
}

void MappingCanvas::mousePressEvent(QMouseEvent* event) {
  const QPointF pos = event->position();
  const auto box = boxAt(pos);
  const int link = box.first == Side::None ? linkAt(pos) : -1;
  if (event->button() == Qt::RightButton) {
    if (link >= 0) m_editor->removePairAt(link);
    else if (box.first == Side::Student) m_editor->disconnectStudent(box.second);
    return;
  }
  if (event->button() != Qt::LeftButton) return;
  m_press = pos;
  m_mouse = pos;
  m_moved = false;
  if (box.first != Side::None) {
    m_dragSide = box.first;
    m_dragLayer = box.second;
    m_dragLink = -1;
  } else if (link >= 0) {
    // Grab the nearer end; the other end stays where it is.
    const MappingPair& pair = m_editor->m_pairs[link];
    const bool teacherEnd = QLineF(pos, anchor(Side::Teacher, pair.teacher)).length() <
                            QLineF(pos, anchor(Side::Student, pair.student)).length();
    m_dragSide = teacherEnd ? Side::Student : Side::Teacher;
    m_dragLayer = teacherEnd ? pair.student : pair.teacher;
    m_dragLink = link;
  }
}

void MappingCanvas::mouseMoveEvent(QMouseEvent* event) {
  if (m_dragSide == Side::None) return;
  m_mouse = event->position();
  if ((m_mouse - m_press).manhattanLength() > 3) m_moved = true;
  const auto box = boxAt(m_mouse);
  m_target = box.first != Side::None && box.first != m_dragSide ? box : qMakePair(Side::None, -1);
  update();
}

void MappingCanvas::mouseReleaseEvent(QMouseEvent* event) {
  if (m_dragSide == Side::None || event->button() != Qt::LeftButton) return;
  const Side fixedSide = m_dragSide;
  const int fixedLayer = m_dragLayer;
  const int link = m_dragLink;
  const bool moved = m_moved || (event->position() - m_press).manhattanLength() > 3;
  const auto box = boxAt(event->position());
  m_dragSide = Side::None;
  m_dragLink = -1;
  m_target = {Side::None, -1};
  m_moved = false;
  update();
  if (!moved) {
    if (link >= 0) m_editor->m_table->selectRow(link);
    return;
  }
  const bool onOtherSide = box.first != Side::None && box.first != fixedSide;
  if (link < 0) {  // a new link
    if (!onOtherSide) return;
    if (fixedSide == Side::Student) m_editor->connectLayers(fixedLayer, box.second);
    else m_editor->connectLayers(box.second, fixedLayer);
    return;
  }
  MappingPair pair = m_editor->m_pairs[link];
  if (!onOtherSide) {  // dragged away: remove
    m_editor->removePairAt(link);
    return;
  }
  if (fixedSide == Side::Student) pair.teacher = box.second;
  else pair.student = box.second;
  m_editor->replacePairAt(link, pair);
}

void MappingCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
  const int link = boxAt(event->position()).first == Side::None ? linkAt(event->position()) : -1;
  if (link >= 0) m_editor->removePairAt(link);
}

bool MappingCanvas::drawable(const MappingPair& p) const {
  return p.student >= 0 && p.student <= m_editor->m_studentLayers && p.teacher >= 0 &&
         p.teacher <= m_editor->m_teacherLayers;
}

double MappingCanvas::distanceToSegment(const QPointF& p, const QPointF& a, const QPointF& b) {
  const QPointF ab = b - a;
  const double len2 = QPointF::dotProduct(ab, ab);
  const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
  return QLineF(p, a + t * ab).length();
}

}  // namespace widgets
}  // namespace retort
