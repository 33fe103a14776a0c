#pragma once
// Accuracy, F1 and Matthews correlation from predicted and gold class ids. Torch-free.

#include <cstdint>
#include <string>
#include <vector>

namespace retort::eval {

struct ClassificationScores {
  double accuracy = 0.0;
  double f1 = 0.0;   ///< of class 1 (two classes only)
  double mcc = 0.0;  ///< Matthews correlation coefficient; with more than two classes Gorodkin's R_K
  bool binary = false;
  int64_t examples = 0;
};

/// numClasses == 2 fills f1 and mcc, more classes the multi-class mcc (as scikit-learn's
/// matthews_corrcoef). Empty input gives zeros. Throws retort::Error when the
/// two vectors differ in length.
ClassificationScores scoreClassification(const std::vector<int64_t>& predicted,
                                         const std::vector<int64_t>& gold, int64_t numClasses);

/// The value of a task's headline metric: "accuracy", "f1" (of a two-class task; otherwise
/// -1) or "mcc". Throws retort::Error for another name.
double metricScore(const ClassificationScores& scores, const std::string& metric);

}  // namespace retort::eval
