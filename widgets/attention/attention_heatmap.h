#pragma once
// An N×N attention matrix as a heat map: query tokens down the left, key tokens along the
// bottom (rotated), a colour scale on the right and the value of the cell under the mouse as
// a tooltip. Probabilities use a sequential map from 0 to the largest value; raw scores and
// differences (student − teacher) a diverging map centred on 0.
//
// The picture is painted once into a cached QImage (one pixel per cell, scaled up without
// smoothing, then labels and scale) and only blitted on later paints, so 128 tokens stay
// responsive.

#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>

#include "widgets/attention/attention_data.h"
#include "widgets/attention/token_labels.h"

namespace retort {
namespace widgets {

class AttentionHeatmap : public QWidget {
  Q_OBJECT
 public:
  /// How values are coloured and named.
  enum class Mode {
    Probabilities,  ///< after softmax: sequential map from 0 to the largest value
    Scores          ///< before softmax: diverging map, symmetric around 0
  };

  explicit AttentionHeatmap(QWidget* parent = nullptr);

  /// Shows one matrix (the selected head, or the head average).
  void setMatrix(const AttentionMatrix& matrix);
  /// Shows student − teacher, cell by cell, for the selected head (or the head averages).
  /// With different head counts the teacher's heads are grouped first (groupHeads).
  /// Matrices of different token counts show a message instead.
  void setDifference(const AttentionMatrix& student, const AttentionMatrix& teacher);
  void clear();
  /// No matrix, and `text` where it would be (e.g. "appears once training starts").
  void setPlaceholder(const QString& text);
  /// The text shown instead of a matrix (a placeholder or why the data cannot be shown).
  QString message() const;
  /// The token labels as drawn (see token_labels.h).
  QStringList labelTexts() const;

  /// 0-based head, or -1 for the average over the heads (the default).
  void setHead(int head);
  int head() const;
  void setMode(Mode mode);
  Mode mode() const;
  bool isDifference() const;
  /// A line above the matrix ("Teacher layer 6"); empty = none.
  void setTitle(const QString& title);
  QString title() const;
  /// Compact form for thumbnails: no labels, no colour scale, no title.
  void setCompact(bool compact);

  // For tests and tooltips.
  int tokenCount() const;
  /// The value shown in a cell (after head selection or averaging, and the difference).
  float value(int row, int column) const;
  /// The cell under a point in widget coordinates, or (-1, -1).
  QPoint cellAt(const QPoint& pos) const;
  /// The rectangle of a cell in widget coordinates.
  QRectF cellRect(int row, int column) const;
  /// The tooltip text of a cell.
  QString cellToolTip(int row, int column) const;
  /// The ends of the colour scale.
  float scaleMinimum() const;
  float scaleMaximum() const;
  /// Milliseconds the last rebuild of the cached picture took.
  double lastRenderMs() const;
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 Q_SIGNALS:
  /// The mouse is over a cell (row = query token, column = key token).
  void cellHovered(int row, int column, float value);

 protected:
  bool event(QEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void recompute();
  void invalidate();
  void layoutGeometry() const;
  void render();
  QRgb colorOf(float v) const;
  QString valueName() const;

  AttentionMatrix m_matrix;   ///< the student's in difference mode
  QVector<TokenLabel> m_labels;  ///< m_matrix.tokens as drawn
  AttentionMatrix m_teacher;  ///< difference mode only (heads grouped to the student's)
  bool m_difference = false;
  int m_head = -1;
  Mode m_mode = Mode::Probabilities;
  bool m_compact = false;
  QString m_title;
  QString m_message;          ///< shown instead of the matrix (mismatched inputs)

  QVector<float> m_values;    ///< N×N as shown
  float m_min = 0.0f, m_max = 1.0f;
  bool m_diverging = false;

  // Geometry (computed lazily from the size, the tokens and the font).
  mutable bool m_geometryValid = false;
  mutable QRectF m_matrixRect;
  mutable QRectF m_scaleRect;
  mutable double m_cell = 0.0;
  mutable int m_labelWidth = 0;
  mutable int m_labelStep = 1;

  QImage m_cache;
  bool m_cacheValid = false;
  double m_renderMs = 0.0;
  QPoint m_hover{-1, -1};
};

}  // namespace widgets
}  // namespace retort
