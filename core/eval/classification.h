#pragma once
// Accuracy, F1 and Matthews correlation from predicted and gold class ids. Torch-free.

#include <cstdint>
#include <string>
#include <vector>

namespace retort::eval {

/// The dev figures of a model. A classification fills accuracy, f1 and mcc; a regression
/// pearson and spearman (accuracy stays -1: it has none); a multi-label task microF1, macroF1
/// and exactMatch (accuracy = exactMatch, scikit-learn's subset accuracy).
struct ClassificationScores {
  std::string kind = "classification";
  double accuracy = 0.0;
  double f1 = 0.0;   ///< of class 1 (two classes only)
  double mcc = 0.0;  ///< Matthews correlation coefficient; with more than two classes Gorodkin's R_K
  bool binary = false;
  int64_t examples = 0;
  double pearson = 0.0, spearman = 0.0;
  double microF1 = 0.0, macroF1 = 0.0, exactMatch = 0.0;
  /// token_classification: seqeval's entity-level micro precision, recall and F1 (accuracy is
  /// then the share of words tagged right; examples counts sentences).
  double entityPrecision = 0.0, entityRecall = 0.0, entityF1 = 0.0;
  int64_t words = 0;
};

/// numClasses == 2 fills f1 and mcc, more classes the multi-class mcc (as scikit-learn's
/// matthews_corrcoef). Empty input gives zeros. Throws retort::Error when the
/// two vectors differ in length.
ClassificationScores scoreClassification(const std::vector<int64_t>& predicted,
                                         const std::vector<int64_t>& gold, int64_t numClasses);

/// Regression figures: Pearson and Spearman of the predictions against the gold values.
ClassificationScores scoreRegression(const std::vector<double>& predicted, const std::vector<double>& gold);

/// Multi-label figures from 0/1 rows (eval::scoreMultiLabel).
ClassificationScores scoreMultiLabelTask(const std::vector<std::vector<uint8_t>>& predicted,
                                         const std::vector<std::vector<uint8_t>>& gold);

/// Token-classification figures from predicted and gold tag names per sentence:
/// scoreEntities (seqeval's default mode) plus the word accuracy.
ClassificationScores scoreTokenTask(const std::vector<std::vector<std::string>>& predicted,
                                    const std::vector<std::vector<std::string>>& gold);

/// The value of a task's headline metric: "accuracy", "f1" (of a two-class task; otherwise
/// -1), "mcc", "pearson", "spearman", "micro_f1", "macro_f1", "exact_match", "entity_f1",
/// "entity_precision" or "entity_recall". Throws
/// retort::Error for another name.
double metricScore(const ClassificationScores& scores, const std::string& metric);

}  // namespace retort::eval
