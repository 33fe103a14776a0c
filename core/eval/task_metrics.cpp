#include "core/eval/task_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <string_view>
#include <tuple>

#include "core/util/error.h"

namespace retort::eval {
namespace {

void requireSameLength(const char* what, size_t a, const char* aName, size_t b, const char* bName) {
  if (a != b)
    throw Error(ErrorKind::InvalidArgument, std::string(what) + ": " + std::to_string(a) + " " + aName +
                                                " for " + std::to_string(b) + " " + bName);
}

/// Pearson of two finite sequences of equal length (no checks beyond constant input).
double pearsonUnchecked(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 2) return 0.0;
  // Exactly constant input has zero variance; tested directly because the rounded mean of
  // equal values can differ from them in the last bit.
  const auto constant = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [&](double e) { return e == v.front(); });
  };
  if (constant(x) || constant(y)) return 0.0;
  double meanX = 0.0, meanY = 0.0;
  for (size_t i = 0; i < n; ++i) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= static_cast<double>(n);
  meanY /= static_cast<double>(n);
  double sxx = 0.0, syy = 0.0, sxy = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double dx = x[i] - meanX, dy = y[i] - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const double denom = std::sqrt(sxx) * std::sqrt(syy);
  if (denom == 0.0) return 0.0;
  return std::clamp(sxy / denom, -1.0, 1.0);
}

/// Ranks 1..n of v, tied values getting the mean of the ranks they span (scipy's "average").
std::vector<double> averageRanks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i + 1;
    while (j < order.size() && v[order[j]] == v[order[i]]) ++j;
    // Sorted positions i..j-1 hold ranks i+1..j; their mean is exact in double.
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) ranks[order[k]] = rank;
    i = j;
  }
  return ranks;
}

/// seqeval's reading of a tag: the first character is the prefix, the text after the first
/// '-' of the rest the type ("_" when empty). A non-ASCII first character is one whole UTF-8
/// code point (as Python's chunk[0]) and compares unequal to every prefix letter.
struct ParsedTag {
  char prefix;
  std::string_view type;
};

ParsedTag parseTag(std::string_view chunk) {
  size_t restBegin = 1;
  char prefix = chunk[0];
  if (static_cast<unsigned char>(prefix) >= 0x80) {
    prefix = '\x80';
    while (restBegin < chunk.size() && (static_cast<unsigned char>(chunk[restBegin]) & 0xC0) == 0x80)
      ++restBegin;
  }
  std::string_view rest = chunk.substr(restBegin);
  const size_t dash = rest.find('-');
  std::string_view type = dash == std::string_view::npos ? rest : rest.substr(dash + 1);
  if (type.empty()) type = "_";
  return {prefix, type};
}

// seqeval.metrics.sequence_labeling.end_of_chunk
bool endOfChunk(char prevTag, char tag, std::string_view prevType, std::string_view type) {
  if (prevTag == 'E' || prevTag == 'S') return true;
  if ((prevTag == 'B' || prevTag == 'I') && (tag == 'B' || tag == 'S' || tag == 'O')) return true;
  return prevTag != 'O' && prevTag != '.' && prevType != type;
}

// seqeval.metrics.sequence_labeling.start_of_chunk
bool startOfChunk(char prevTag, char tag, std::string_view prevType, std::string_view type) {
  if (tag == 'B' || tag == 'S') return true;
  if ((prevTag == 'E' || prevTag == 'S' || prevTag == 'O') && (tag == 'E' || tag == 'I')) return true;
  return tag != 'O' && tag != '.' && prevType != type;
}

/// seqeval's get_entities loop, fed one tag at a time; finish() pushes its trailing "O".
class ChunkScanner {
 public:
  explicit ChunkScanner(std::vector<Entity>& out) : m_out(out) {}

  void push(std::string_view chunk, int64_t position) {
    const ParsedTag t = parseTag(chunk);
    if (endOfChunk(m_prevTag, t.prefix, m_prevType, t.type))
      m_out.push_back({m_prevType, m_begin, position});  // seqeval's inclusive end is position - 1
    if (startOfChunk(m_prevTag, t.prefix, m_prevType, t.type)) m_begin = position;
    m_prevTag = t.prefix;
    m_prevType.assign(t.type);
  }

  void finish(int64_t position) { push("O", position); }

 private:
  std::vector<Entity>& m_out;
  char m_prevTag = 'O';
  std::string m_prevType;  // seqeval starts with prev_type = ''
  int64_t m_begin = 0;
};

/// Throws unless a multi-label row has `labels` entries, each 0 or 1.
void checkRow(const char* side, size_t row, const std::vector<uint8_t>& values, size_t labels) {
  const std::string where = std::string("multi-label scoring: ") + side + " row " + std::to_string(row);
  if (values.size() != labels)
    throw Error(ErrorKind::InvalidArgument, where + " has " + std::to_string(values.size()) +
                                                " labels, expected " + std::to_string(labels));
  for (size_t k = 0; k < labels; ++k)
    if (values[k] > 1)
      throw Error(ErrorKind::InvalidArgument, where + ", label " + std::to_string(k) + " is " +
                                                  std::to_string(values[k]) + ", not 0 or 1");
}

void requireTag(const std::string& tag, const std::string& where) {
  if (tag.empty()) throw Error(ErrorKind::InvalidArgument, "entity tags: empty tag at " + where);
}

}  // namespace

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  requireSameLength("pearson", x.size(), "x values", y.size(), "y values");
  for (size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) return std::numeric_limits<double>::quiet_NaN();
  return pearsonUnchecked(x, y);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  requireSameLength("spearman", x.size(), "x values", y.size(), "y values");
  for (size_t i = 0; i < x.size(); ++i)
    if (std::isnan(x[i]) || std::isnan(y[i]))
      throw Error(ErrorKind::InvalidArgument,
                  "spearman: NaN at position " + std::to_string(i) + " cannot be ranked");
  return pearsonUnchecked(averageRanks(x), averageRanks(y));
}

double matthews(const std::vector<int64_t>& predicted, const std::vector<int64_t>& gold,
                int64_t numClasses) {
  requireSameLength("matthews", predicted.size(), "predictions", gold.size(), "gold labels");
  if (numClasses < 1)
    throw Error(ErrorKind::InvalidArgument,
                "matthews: numClasses must be at least 1, got " + std::to_string(numClasses));
  std::vector<int64_t> predictedCount(static_cast<size_t>(numClasses), 0);
  std::vector<int64_t> goldCount(static_cast<size_t>(numClasses), 0);
  int64_t correct = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    for (const auto& [side, id] : {std::pair<const char*, int64_t>{"prediction", predicted[i]},
                                   std::pair<const char*, int64_t>{"gold label", gold[i]}})
      if (id < 0 || id >= numClasses)
        throw Error(ErrorKind::InvalidArgument, std::string("matthews: ") + side + " " + std::to_string(id) +
                                                    " at position " + std::to_string(i) +
                                                    " is outside [0, " + std::to_string(numClasses) + ")");
    ++predictedCount[static_cast<size_t>(predicted[i])];
    ++goldCount[static_cast<size_t>(gold[i])];
    correct += predicted[i] == gold[i];
  }
  // sklearn: cov(yt, yp) = c*s - t.p, cov(yp, yp) = s^2 - p.p, cov(yt, yt) = s^2 - t.t,
  // all exact in integers.
  const auto n = static_cast<int64_t>(gold.size());
  int64_t tp = 0, pp = 0, tt = 0;
  for (size_t k = 0; k < goldCount.size(); ++k) {
    tp += goldCount[k] * predictedCount[k];
    pp += predictedCount[k] * predictedCount[k];
    tt += goldCount[k] * goldCount[k];
  }
  const int64_t covTP = correct * n - tp, covPP = n * n - pp, covTT = n * n - tt;
  if (covPP == 0 || covTT == 0) return 0.0;
  return static_cast<double>(covTP) / std::sqrt(static_cast<double>(covTT) * static_cast<double>(covPP));
}

MultiLabelScores scoreMultiLabel(const std::vector<std::vector<uint8_t>>& predicted,
                                 const std::vector<std::vector<uint8_t>>& gold) {
  requireSameLength("multi-label scoring", predicted.size(), "predicted rows", gold.size(), "gold rows");
  MultiLabelScores s;
  s.examples = static_cast<int64_t>(gold.size());
  if (gold.empty()) return s;
  const size_t labels = gold.front().size();
  std::vector<int64_t> tp(labels, 0), fp(labels, 0), fn(labels, 0);
  int64_t exact = 0;
  for (size_t row = 0; row < gold.size(); ++row) {
    checkRow("predicted", row, predicted[row], labels);
    checkRow("gold", row, gold[row], labels);
    bool same = true;
    for (size_t k = 0; k < labels; ++k) {
      const bool p = predicted[row][k] == 1, g = gold[row][k] == 1;
      tp[k] += p && g;
      fp[k] += p && !g;
      fn[k] += !p && g;
      same = same && p == g;
    }
    exact += same;
  }
  // F1 = 2tp / (2tp + fp + fn), as sklearn (>= 1.3) computes it; 0 for an empty denominator.
  const auto f1 = [](int64_t t, int64_t p, int64_t n) {
    const int64_t denom = 2 * t + p + n;
    return denom == 0 ? 0.0 : static_cast<double>(2 * t) / static_cast<double>(denom);
  };
  int64_t sumTp = 0, sumFp = 0, sumFn = 0;
  double macro = 0.0;
  for (size_t k = 0; k < labels; ++k) {
    macro += f1(tp[k], fp[k], fn[k]);
    sumTp += tp[k];
    sumFp += fp[k];
    sumFn += fn[k];
  }
  s.macroF1 = labels == 0 ? 0.0 : macro / static_cast<double>(labels);
  s.microF1 = f1(sumTp, sumFp, sumFn);
  s.exactMatch = static_cast<double>(exact) / static_cast<double>(gold.size());
  return s;
}

std::vector<Entity> entitiesOf(const std::vector<std::string>& tags) {
  std::vector<Entity> out;
  ChunkScanner scanner(out);
  for (size_t i = 0; i < tags.size(); ++i) {
    requireTag(tags[i], "position " + std::to_string(i));
    scanner.push(tags[i], static_cast<int64_t>(i));
  }
  scanner.finish(static_cast<int64_t>(tags.size()));
  return out;
}

EntityScores scoreEntities(const std::vector<std::vector<std::string>>& predicted,
                           const std::vector<std::vector<std::string>>& gold) {
  requireSameLength("entity scoring", predicted.size(), "predicted sentences", gold.size(),
                    "gold sentences");
  for (size_t s = 0; s < gold.size(); ++s)
    if (predicted[s].size() != gold[s].size())
      throw Error(ErrorKind::InvalidArgument, "entity scoring: sentence " + std::to_string(s) + " has " +
                                                  std::to_string(predicted[s].size()) + " predicted tags for " +
                                                  std::to_string(gold[s].size()) + " gold tags");
  // As seqeval does with a list of sentences: one flat sequence with an "O" after every
  // sentence, positions counted across it, entities compared as sets of (type, begin, end).
  using Key = std::tuple<std::string, int64_t, int64_t>;
  const auto extract = [](const std::vector<std::vector<std::string>>& sentences, const char* side) {
    std::vector<Entity> found;
    ChunkScanner scanner(found);
    int64_t position = 0;
    for (size_t s = 0; s < sentences.size(); ++s) {
      for (size_t i = 0; i < sentences[s].size(); ++i) {
        requireTag(sentences[s][i],
                   std::string(side) + " sentence " + std::to_string(s) + ", position " + std::to_string(i));
        scanner.push(sentences[s][i], position++);
      }
      scanner.finish(position++);
    }
    scanner.finish(position);
    std::set<Key> keys;
    for (auto& e : found) keys.emplace(std::move(e.type), e.begin, e.end);
    return keys;
  };
  const std::set<Key> predictedKeys = extract(predicted, "predicted");
  const std::set<Key> goldKeys = extract(gold, "gold");
  EntityScores r;
  r.predictedEntities = static_cast<int64_t>(predictedKeys.size());
  r.goldEntities = static_cast<int64_t>(goldKeys.size());
  for (const auto& k : predictedKeys) r.correctEntities += goldKeys.count(k) != 0;
  const auto correct = static_cast<double>(r.correctEntities);
  r.precision = r.predictedEntities == 0 ? 0.0 : correct / static_cast<double>(r.predictedEntities);
  r.recall = r.goldEntities == 0 ? 0.0 : correct / static_cast<double>(r.goldEntities);
  // seqeval: f = 2PR / (P + R), with 0 when P + R = 0.
  const double sum = r.precision + r.recall;
  r.f1 = sum == 0.0 ? 0.0 : 2.0 * r.precision * r.recall / sum;
  return r;
}

}  // namespace retort::eval
