#include "core/eval/classification.h"

#include <cmath>
#include <string>

#include "core/eval/task_metrics.h"
#include "core/util/error.h"

namespace retort::eval {

ClassificationScores scoreClassification(const std::vector<int64_t>& predicted,
                                         const std::vector<int64_t>& gold, int64_t numClasses) {
  if (predicted.size() != gold.size())
    throw Error(ErrorKind::Shape, "scoring: " + std::to_string(predicted.size()) + " predictions for " +
                                      std::to_string(gold.size()) + " gold labels");
  ClassificationScores s;
  s.examples = static_cast<int64_t>(gold.size());
  s.binary = numClasses == 2;
  if (gold.empty()) return s;
  double tp = 0, tn = 0, fp = 0, fn = 0, correct = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    correct += predicted[i] == gold[i];
    if (s.binary) {
      const bool p = predicted[i] == 1, g = gold[i] == 1;
      tp += p && g;
      tn += !p && !g;
      fp += p && !g;
      fn += !p && g;
    }
  }
  s.accuracy = correct / static_cast<double>(gold.size());
  if (s.binary) {
    s.f1 = tp == 0 ? 0.0 : 2 * tp / (2 * tp + fp + fn);
    const double denom = std::sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
    s.mcc = denom == 0 ? 0.0 : (tp * tn - fp * fn) / denom;
  } else if (numClasses > 2) {
    s.mcc = matthews(predicted, gold, numClasses);  // Gorodkin's R_K
  }
  return s;
}

ClassificationScores scoreRegression(const std::vector<double>& predicted, const std::vector<double>& gold) {
  if (predicted.size() != gold.size())
    throw Error(ErrorKind::Shape, "scoring: " + std::to_string(predicted.size()) + " predictions for " +
                                      std::to_string(gold.size()) + " gold values");
  ClassificationScores s;
  s.kind = "regression";
  s.accuracy = -1.0;
  s.mcc = -1.0;
  s.examples = static_cast<int64_t>(gold.size());
  if (gold.size() < 2) return s;
  s.pearson = pearson(predicted, gold);
  s.spearman = spearman(predicted, gold);
  return s;
}

ClassificationScores scoreMultiLabelTask(const std::vector<std::vector<uint8_t>>& predicted,
                                         const std::vector<std::vector<uint8_t>>& gold) {
  ClassificationScores s;
  s.kind = "multi_label";
  s.mcc = -1.0;
  const MultiLabelScores m = scoreMultiLabel(predicted, gold);
  s.examples = m.examples;
  s.microF1 = m.microF1;
  s.macroF1 = m.macroF1;
  s.exactMatch = s.accuracy = m.exactMatch;
  return s;
}

ClassificationScores scoreTokenTask(const std::vector<std::vector<std::string>>& predicted,
                                    const std::vector<std::vector<std::string>>& gold) {
  ClassificationScores s;
  s.kind = "token_classification";
  s.mcc = -1.0;
  const EntityScores e = scoreEntities(predicted, gold);  // checks the lengths
  s.entityPrecision = e.precision;
  s.entityRecall = e.recall;
  s.entityF1 = e.f1;
  s.examples = static_cast<int64_t>(gold.size());
  int64_t correct = 0;
  for (size_t i = 0; i < gold.size(); ++i)
    for (size_t w = 0; w < gold[i].size(); ++w) {
      ++s.words;
      correct += predicted[i][w] == gold[i][w];
    }
  s.accuracy = s.words > 0 ? static_cast<double>(correct) / static_cast<double>(s.words) : 0.0;
  return s;
}

double metricScore(const ClassificationScores& scores, const std::string& metric) {
  if (metric == "accuracy") return scores.accuracy;
  if (metric == "f1") return scores.binary ? scores.f1 : -1.0;
  if (metric == "mcc") return scores.mcc;
  if (metric == "pearson") return scores.pearson;
  if (metric == "spearman") return scores.spearman;
  if (metric == "micro_f1") return scores.microF1;
  if (metric == "macro_f1") return scores.macroF1;
  if (metric == "exact_match") return scores.exactMatch;
  if (metric == "entity_f1") return scores.entityF1;
  if (metric == "entity_precision") return scores.entityPrecision;
  if (metric == "entity_recall") return scores.entityRecall;
  throw Error(ErrorKind::InvalidArgument, "unknown metric \"" + metric +
                                              "\" (accuracy, f1, mcc, pearson, spearman, micro_f1, macro_f1, exact_match, "
                                              "entity_f1, entity_precision, entity_recall)");
}

}  // namespace retort::eval
