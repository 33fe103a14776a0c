#include "widgets/attention/attention_data.h"

namespace retort {
namespace widgets {

bool AttentionMatrix::isValid() const {
  const qint64 n = tokens.size();
  return heads > 0 && n > 0 && values.size() == heads * n * n;
}

namespace {

AttentionMatrix makeMatrix(const QStringList& tokens, int heads, const QVector<float>& values) {
  AttentionMatrix m;
  m.tokens = tokens;
  m.heads = heads;
  m.values = values;
  return m;
}

}  // namespace

AttentionMatrix AttentionSnapshotData::studentMatrix(int pair, bool scores) const {
  if (pair < 0 || pair >= pairs.size()) return {};
  const AttentionPairData& p = pairs[pair];
  return makeMatrix(tokens, p.studentHeads, scores ? p.studentScores : p.studentProbs);
}

AttentionMatrix AttentionSnapshotData::teacherMatrix(int pair, bool scores) const {
  if (pair < 0 || pair >= pairs.size()) return {};
  const AttentionPairData& p = pairs[pair];
  return makeMatrix(tokens, p.teacherHeads, scores ? p.teacherScores : p.teacherProbs);
}

QVector<float> headValues(const AttentionMatrix& matrix, int head) {
  if (!matrix.isValid()) return {};
  const int n = matrix.size();
  const int cells = n * n;
  if (head >= 0 && head < matrix.heads)
    return QVector<float>(matrix.values.cbegin() + head * cells, matrix.values.cbegin() + (head + 1) * cells);
  QVector<double> sum(cells, 0.0);
  for (int h = 0; h < matrix.heads; ++h) {
    const float* v = matrix.values.constData() + h * cells;
    for (int i = 0; i < cells; ++i) sum[i] += v[i];
  }
  QVector<float> mean(cells);
  for (int i = 0; i < cells; ++i) mean[i] = static_cast<float>(sum[i] / matrix.heads);
  return mean;
}

AttentionMatrix groupHeads(const AttentionMatrix& matrix, int heads) {
  if (!matrix.isValid() || heads <= 0 || heads == matrix.heads) return matrix;
  AttentionMatrix out;
  out.tokens = matrix.tokens;
  if (heads > matrix.heads || matrix.heads % heads != 0) {
    out.heads = 1;
    out.values = headValues(matrix, -1);
    return out;
  }
  const int n = matrix.size();
  const int cells = n * n;
  const int group = matrix.heads / heads;
  out.heads = heads;
  out.values.resize(heads * cells);
  for (int g = 0; g < heads; ++g) {
    for (int i = 0; i < cells; ++i) {
      double sum = 0.0;
      for (int k = 0; k < group; ++k) sum += matrix.values[(g * group + k) * cells + i];
      out.values[g * cells + i] = static_cast<float>(sum / group);
    }
  }
  return out;
}

}  // namespace widgets
}  // namespace retort
