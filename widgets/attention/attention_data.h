#pragma once
// Plain attention data for the attention widgets. AttentionPairData and AttentionSnapshotData
// mirror core/distill/metrics.h (AttentionPair, AttentionSnapshot) field by field, so that
// app/ converts one into the other one-to-one; widgets never see LibTorch.

#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {
namespace widgets {

/// One model's attention for one layer: `heads` matrices of N×N (N = tokens.size()),
/// row-major [head][query row][key column].
struct AttentionMatrix {
  QStringList tokens;
  int heads = 0;
  QVector<float> values;  ///< heads·N·N

  int size() const { return static_cast<int>(tokens.size()); }
  /// True when values holds heads·N·N numbers and there is at least one head and token.
  bool isValid() const;
};

/// Attention of one mapped pair of layers for the probe sentence (as distill::AttentionPair).
struct AttentionPairData {
  int studentLayer = 0;  ///< 1-based
  int teacherLayer = 0;  ///< 1-based
  int studentHeads = 0;
  int teacherHeads = 0;
  QVector<float> studentProbs, teacherProbs;    ///< [heads][N][N] after softmax
  QVector<float> studentScores, teacherScores;  ///< [heads][N][N] before softmax (QKᵀ/√d)
};

/// One snapshot (as distill::AttentionSnapshot).
struct AttentionSnapshotData {
  QString stage;
  qint64 globalStep = 0;
  QStringList tokens;  ///< the probe's tokens, specials included
  QVector<AttentionPairData> pairs;

  /// The student's or the teacher's matrix of a pair (probabilities, or scores when
  /// `scores`); an invalid (empty) matrix when the index is out of range.
  AttentionMatrix studentMatrix(int pair, bool scores) const;
  AttentionMatrix teacherMatrix(int pair, bool scores) const;
};

/// The N×N values of one head (0-based), or the mean over the heads for head = -1
/// (or for a head out of range). Empty for an invalid matrix.
QVector<float> headValues(const AttentionMatrix& matrix, int head);

/// The matrix with its heads averaged in consecutive groups so that it has `heads` heads:
/// teacher heads [g·k, g·k + k) become head g with k = matrix.heads / heads, as the attention
/// loss does when the student has fewer heads (core's HeadMismatch::Average). Unchanged when
/// the counts are equal; a single averaged head when `heads` does not divide matrix.heads.
AttentionMatrix groupHeads(const AttentionMatrix& matrix, int heads);

}  // namespace widgets
}  // namespace retort
