#pragma once
// The drawing of LayerMappingEditor (private to it): the teacher's layers in the left column,
// the student's in the right one, a curve per mapped pair, and the mouse gestures that
// connect, move and remove links. Reads and changes the editor's pairs through the editor.

#include <QPair>
#include <QPainterPath>
#include <QPointF>
#include <QRectF>
#include <QWidget>

namespace retort {
namespace widgets {

class LayerMappingEditor;
struct MappingPair;

class MappingCanvas : public QWidget {
 public:
  enum class Side { None, Teacher, Student };

  explicit MappingCanvas(LayerMappingEditor* editor);
  QSize sizeHint() const override { return {340, 380}; }

  /// A layer's box, in canvas coordinates.
  QRectF boxRect(Side side, int layer) const;
  /// Where links attach: the inner edge of a layer's box.
  QPointF anchor(Side side, int layer) const;
  QPainterPath linkPath(const MappingPair& p) const;
  /// The box under a point (only existing layers), or Side::None.
  QPair<Side, int> boxAt(const QPointF& pos) const;
  /// The index of the link passing within 5 px of a point, or -1.
  int linkAt(const QPointF& pos) const;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;

 private:
  static constexpr double kMargin = 8.0;

  bool drawable(const MappingPair& p) const;
  static double distanceToSegment(const QPointF& p, const QPointF& a, const QPointF& b);

  LayerMappingEditor* m_editor;
  Side m_dragSide = Side::None;  ///< the fixed end of the link being drawn or moved
  int m_dragLink = -1;           ///< the link being moved, or -1 for a new one
  int m_dragLayer = -1;
  bool m_moved = false;
  QPointF m_press, m_mouse;
  QPair<Side, int> m_target{Side::None, -1};
};

}  // namespace widgets
}  // namespace retort
