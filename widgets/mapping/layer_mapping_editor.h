#pragma once
// Edits which student layer learns from which teacher layer. The teacher's layers (0 = the
// embedding output, 1..N) stand in the left column and the student's (0..M) in the right one,
// with a line per mapped pair. Drag from a layer of one model to a layer of the other to
// connect them (a student layer has one teacher: connecting it again moves its link); drag an
// end of a link to another layer to move it, or away to remove it; right-click or
// double-click a link to remove it. A table beside the drawing sets per pair whether the
// attention scores and the hidden states are matched, and a weight.
//
// Presets follow core/distill/layer_mapping.cpp, and each adds the 0 -> 0 embedding pair
// (hidden states only):
//   Uniform           student m learns from teacher round(m·N/M), halves rounded up
//                     (TinyBERT's g(m) = m·N/M; 12 -> 4 gives 3, 6, 9, 12)
//   Last layers       teacher N − M + m (12 -> 4 gives 9, 10, 11, 12)
//   DistilBERT-style  teacher 2m: every other teacher layer (needs 2M <= N; 12 -> 6 gives
//                     2, 4, ..., 12)
//
// The mapping is checked as validateMapping in core does, and the reasons are shown in words.

#include <QVector>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace retort {
namespace widgets {

/// One mapped pair; layers are 1-based transformer layers and 0 is the embedding output
/// (as distill::LayerPair).
struct MappingPair {
  int student = 0;
  int teacher = 0;
  bool attention = true;  ///< match attention scores (impossible on layer 0)
  bool hidden = true;     ///< match hidden states
  double weight = 1.0;    ///< factor on the pair's losses, >= 0

  bool operator==(const MappingPair& o) const {
    return student == o.student && teacher == o.teacher && attention == o.attention && hidden == o.hidden &&
           weight == o.weight;
  }
};

class MappingCanvas;

class LayerMappingEditor : public QWidget {
  Q_OBJECT
 public:
  explicit LayerMappingEditor(QWidget* parent = nullptr);

  /// The teacher's and the student's transformer layer counts (N and M). Existing pairs are
  /// kept (and reported when they no longer fit).
  void setLayerCounts(int teacher, int student);
  int teacherLayers() const;
  int studentLayers() const;

  /// Replaces the mapping; pairs are shown sorted by student layer.
  void setPairs(const QVector<MappingPair>& pairs);
  QVector<MappingPair> pairs() const;

  /// Maps student layer `student` to teacher layer `teacher`, replacing the student's link if
  /// it has one (its features and weight are kept). New links match attention and hidden
  /// states, except on layer 0 (hidden only). False when a layer does not exist.
  bool connectLayers(int student, int teacher);
  /// Removes every link of a student layer; false when it had none.
  bool disconnectStudent(int student);

  /// Presets; false (mapping unchanged) when they do not apply to the layer counts.
  bool applyUniform();
  bool applyLastLayers();
  bool applyDistilBert();

  bool isValid() const;
  /// Every problem, one sentence each; empty when valid.
  QStringList validationMessages() const;
  /// The first problem, or empty.
  QString validationMessage() const;

  /// Centres of a layer's connection point, in the canvas' coordinates (for drags in tests).
  QPoint studentAnchor(int layer) const;
  QPoint teacherAnchor(int layer) const;
  /// The drawing that takes the drags.
  QWidget* canvas() const;

 Q_SIGNALS:
  void mappingChanged();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  friend class MappingCanvas;
  void retranslate();
  void sortPairs();
  void rebuildTable();
  void revalidate();
  void changed();
  void onTableItemChanged(int row, int column);
  void removePairAt(int index);
  void replacePairAt(int index, MappingPair pair);

  int m_teacherLayers = 0;
  int m_studentLayers = 0;
  QVector<MappingPair> m_pairs;
  QStringList m_problems;
  QVector<int> m_badRows;  ///< rows (indices into m_pairs) that have a problem
  bool m_updatingTable = false;

  MappingCanvas* m_canvas;
  QTableWidget* m_table;
  QPushButton* m_uniformButton;
  QPushButton* m_lastButton;
  QPushButton* m_distilButton;
  QLabel* m_hint;
  QLabel* m_status;
};

}  // namespace widgets
}  // namespace retort
