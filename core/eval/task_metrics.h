#pragma once
// Task metrics beyond plain classification: correlations (regression tasks such as STS-B),
// multi-class Matthews correlation (CoLA-style), multi-label F1 and entity-level scores of
// IOB2 tagging. Each follows the definition of the reference Python library named on it,
// so that numbers can be compared with published ones. Torch-free and Qt-free.
//
// Every function that takes two sequences throws retort::Error (InvalidArgument) when their
// lengths differ; the message names both lengths.

#include <cstdint>
#include <string>
#include <vector>

namespace retort::eval {

/// Pearson correlation of x and y, computed in double with two passes (means first) and
/// clamped to [-1, 1], as scipy.stats.pearsonr. Returns 0 (where scipy gives NaN) for fewer
/// than 2 values or when x or y is constant (zero variance). A NaN or infinite value gives
/// NaN.
double pearson(const std::vector<double>& x, const std::vector<double>& y);

/// Spearman rank correlation: the Pearson correlation of the ranks, tied values getting the
/// mean of the ranks they span, as scipy.stats.spearmanr. Returns 0 for fewer than 2 values
/// or when either side is constant. Infinities rank as the largest or smallest values; a NaN
/// cannot be ranked and throws retort::Error (InvalidArgument) naming its position.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

/// Multi-class Matthews correlation coefficient (Gorodkin's R_K statistic, as
/// sklearn.metrics.matthews_corrcoef computes it) of class ids in [0, numClasses). Returns 0
/// for empty input and whenever the denominator is 0 (e.g. every prediction, or every gold
/// label, is one class). Throws retort::Error (InvalidArgument) when numClasses < 1 or an id
/// is out of range (the message names the position and the id).
double matthews(const std::vector<int64_t>& predicted, const std::vector<int64_t>& gold,
                int64_t numClasses);

/// Scores of a multi-label prediction (scoreMultiLabel).
struct MultiLabelScores {
  double microF1 = 0.0;     ///< F1 of the TP/FP/FN summed over all labels
  double macroF1 = 0.0;     ///< mean over labels of the per-label F1
  double exactMatch = 0.0;  ///< share of examples whose whole label row is right
  int64_t examples = 0;
};

/// Multi-label scores, as sklearn's f1_score(average="micro" / "macro") and accuracy_score
/// (subset accuracy) on indicator matrices. Each row has one 0/1 entry per label; all rows
/// of both sides have the same length. A label with no gold and no predicted positive has
/// F1 = 0 in the macro mean (sklearn's zero_division=0); microF1 is 0 when TP+FP+FN = 0.
/// Empty input (no rows) or rows without labels give zero F1s; exactMatch is 0 with no rows.
/// Throws retort::Error (InvalidArgument) when the row counts differ, when a row's length
/// differs from the first gold row's (the message names the row), or when an entry is
/// neither 0 nor 1.
MultiLabelScores scoreMultiLabel(const std::vector<std::vector<uint8_t>>& predicted,
                                 const std::vector<std::vector<uint8_t>>& gold);

/// One entity (chunk) of a tag sequence: tags [begin, end) have the given type. end is
/// exclusive (seqeval reports the inclusive end, end - 1).
struct Entity {
  std::string type;
  int64_t begin = 0;
  int64_t end = 0;  ///< one past the last tag of the entity

  bool operator==(const Entity& other) const {
    return type == other.type && begin == other.begin && end == other.end;
  }
  bool operator!=(const Entity& other) const { return !(*this == other); }
};

/// The entities of one tag sequence, by seqeval's default (non-strict) rules of
/// get_entities / end_of_chunk / start_of_chunk: the tag's first character is its prefix
/// (B, I, E, S, O), the text after the first '-' its type. "I-X" after "O" or after another
/// type starts a new entity, so does "B-X"; "E-X" and "S-X" close one. Entities are listed in
/// the order they end (for well-formed tags, by position); a sequence of only "O" tags, or an
/// empty one, has none. Throws retort::Error (InvalidArgument) on an empty tag, naming its position.
std::vector<Entity> entitiesOf(const std::vector<std::string>& tags);

/// Entity-level scores of a tagging (scoreEntities).
struct EntityScores {
  double precision = 0.0;  ///< correct / predicted entities; 0 when none was predicted
  double recall = 0.0;     ///< correct / gold entities; 0 when there is no gold entity
  double f1 = 0.0;         ///< harmonic mean of the two; 0 when both are 0
  int64_t predictedEntities = 0;
  int64_t goldEntities = 0;
  int64_t correctEntities = 0;  ///< predicted entities whose type, begin and end match a gold one
};

/// Micro-averaged entity precision, recall and F1 over all sentences, as seqeval's
/// precision_score / recall_score / f1_score in the default mode (entities as entitiesOf
/// finds them). Empty input gives zeros. Throws retort::Error (InvalidArgument) when the
/// sentence counts differ, or when a predicted and a gold sentence differ in length (the
/// message names the sentence index and both lengths).
EntityScores scoreEntities(const std::vector<std::vector<std::string>>& predicted,
                           const std::vector<std::vector<std::string>>& gold);

}  // namespace retort::eval
