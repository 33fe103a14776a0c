#pragma once
// Accuracy, F1 and Matthews correlation from predicted and gold class ids. Torch-free.

#include <cstdint>
#include <string>
#include <vector>

namespace retort::eval {

struct ClassificationScores {
  double accuracy = 0.0;
  double f1 = 0.0;   ///< of class 1 (two classes only)
  double mcc = 0.0;  ///< Matthews correlation coefficient (two classes only)
  bool binary = false;
  int64_t examples = 0;
};

/// numClasses == 2 fills f1 and mcc. Empty input gives zeros. Throws retort::Error when the
/// two vectors differ in length.
ClassificationScores scoreClassification(const std::vector<int64_t>& predicted,
                                         const std::vector<int64_t>& gold, int64_t numClasses);

/// The value of a task's headline metric: "accuracy", "f1" or "mcc" (the last two of a
/// two-class task; otherwise -1). Throws retort::Error for another name.
double metricScore(const ClassificationScores& scores, const std::string& metric);

}  // namespace retort::eval
