#pragma once
// The teacher's and the student's attention side by side for one mapped pair of layers, on a
// probe sentence the user types: pair and head selectors, probabilities or raw scores, and an
// optional difference map (student − teacher). Takes AttentionSnapshotData (plain data).
//
// Heads: the head list is the student's. When the teacher has k times as many heads, student
// head g is shown beside the average of teacher heads [g·k, g·k + k), the group the attention
// loss compares it with.

#include <QWidget>

#include "widgets/attention/attention_data.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace retort {
namespace widgets {

class AttentionHeatmap;

class AttentionView : public QWidget {
  Q_OBJECT
 public:
  explicit AttentionView(QWidget* parent = nullptr);

  /// Shows a snapshot; the selected pair (by student layer) and head are kept when they exist.
  void setSnapshot(const AttentionSnapshotData& snapshot);
  const AttentionSnapshotData& snapshot() const;
  void clear();

  /// Puts a sentence in the probe field without emitting probeChanged.
  void setProbe(const QString& text);
  QString probe() const;

  int currentPair() const;  ///< index into snapshot().pairs, -1 when there is none
  void setCurrentPair(int index);
  int currentHead() const;  ///< 0-based student head, -1 = average of the heads
  void setCurrentHead(int head);
  bool showsScores() const;
  void setShowScores(bool scores);
  bool showsDifference() const;
  void setShowDifference(bool on);

  AttentionHeatmap* teacherHeatmap() const;
  AttentionHeatmap* studentHeatmap() const;
  AttentionHeatmap* differenceHeatmap() const;

 Q_SIGNALS:
  /// The user edited the probe sentence and pressed Enter (trimmed, never empty).
  void probeChanged(const QString& text);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void fillPairs();
  void fillHeads();
  void refresh();
  void onProbeEntered();

  AttentionSnapshotData m_snapshot;
  QString m_lastProbe;

  QLabel* m_probeLabel;
  QLineEdit* m_probeEdit;
  QLabel* m_pairLabel;
  QComboBox* m_pairCombo;
  QLabel* m_headLabel;
  QComboBox* m_headCombo;
  QRadioButton* m_probsRadio;
  QRadioButton* m_scoresRadio;
  QButtonGroup* m_modeGroup;
  QCheckBox* m_diffCheck;
  QLabel* m_status;
  AttentionHeatmap* m_teacher;
  AttentionHeatmap* m_student;
  AttentionHeatmap* m_difference;
};

}  // namespace widgets
}  // namespace retort
