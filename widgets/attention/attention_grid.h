#pragma once
// Every recorded layer × head of one model as a grid of small heat maps (like bertviz's model
// view): one row per mapped pair (the student's or the teacher's layer), one column per head.
// Each thumbnail is scaled to its own range (probabilities from 0 to its largest value, scores
// symmetric around 0) so that the pattern shows. A click selects a thumbnail and emits
// selected(layer, head). Painted from cached images, not one widget per thumbnail.

#include <QImage>
#include <QVector>
#include <QWidget>

#include "widgets/attention/attention_data.h"

namespace retort {
namespace widgets {

class AttentionGrid : public QWidget {
  Q_OBJECT
 public:
  enum class Model { Student, Teacher };

  explicit AttentionGrid(QWidget* parent = nullptr);

  void setSnapshot(const AttentionSnapshotData& snapshot);
  void setModel(Model model);
  Model model() const;
  /// The model whose grid is drawn: the chosen one, except that a snapshot without student
  /// attention (before a run) shows the teacher's.
  Model shownModel() const;
  void setShowScores(bool scores);
  bool showsScores() const;

  int rowCount() const;            ///< mapped pairs
  int columnCount() const;         ///< the most heads of the shown model's layers
  int layerOfRow(int row) const;   ///< the shown model's 1-based layer of a row
  QString rowLabel(int row) const; ///< "Student 2" / "Teacher 4", as drawn left of the row
  /// Where a thumbnail is drawn (widget coordinates); empty when it does not exist.
  QRect thumbnailRect(int row, int head) const;
  /// The selected thumbnail as (row, head), or (-1, -1).
  QPoint selection() const;
  void setSelection(int row, int head);
  QSize sizeHint() const override;

 Q_SIGNALS:
  /// A thumbnail was clicked: the shown model's 1-based layer and the 0-based head.
  void selected(int layer, int head);

 protected:
  bool event(QEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void rebuildThumbnails();
  void layoutGeometry() const;
  QPoint thumbnailAt(const QPoint& pos) const;
  int headsOfRow(int row) const;

  AttentionSnapshotData m_snapshot;
  Model m_model = Model::Student;
  bool m_scores = false;
  QVector<QVector<QImage>> m_thumbs;  ///< [row][head], N×N pixels each
  QPoint m_selection{-1, -1};

  mutable bool m_geometryValid = false;
  mutable QPointF m_origin;           ///< top-left of thumbnail (0, 0)
  mutable double m_pitch = 0.0;       ///< distance between thumbnails
  mutable double m_side = 0.0;        ///< thumbnail side
  mutable int m_rowLabelWidth = 0;
};

}  // namespace widgets
}  // namespace retort
