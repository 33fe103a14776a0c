#pragma once
// Plain data that leaves the training thread: per-step metrics, evaluations, attention
// snapshots and the run summary. Torch-free and Qt-free, so that widgets can take it as is.

#include <cstdint>
#include <map>
#include <utility>
#include <string>
#include <vector>

namespace retort::distill {

/// One logged training step (every optim.log_every steps).
struct StepMetrics {
  std::string stage;          ///< stage name ("teacher-finetune" while Retort trains the teacher)
  int stageIndex = 0;         ///< 0-based among the run's phases
  int64_t epoch = 0;          ///< 0-based
  int64_t step = 0;           ///< 1-based step within the stage
  int64_t stageSteps = 0;     ///< steps the stage will take
  int64_t globalStep = 0;     ///< 1-based over the whole run
  int64_t totalSteps = 0;     ///< over the whole run
  std::map<std::string, double> losses;  ///< each active term, weighted as it enters the total
  double total = 0.0;         ///< the loss that was minimised
  double learningRate = 0.0;
  double examplesPerSecond = 0.0;
  double elapsedSeconds = 0.0;
};

/// Classification quality on a split. f1 and mcc are set for two classes (positive = class 1).
struct EvalMetrics {
  std::string stage;
  std::string model;          ///< "student" or "teacher"
  std::string split;          ///< "dev" or "test"
  int64_t globalStep = 0;
  int64_t examples = 0;
  double accuracy = 0.0;      ///< -1 for a regression (it has none)
  double f1 = -1.0;           ///< -1 when not two classes
  double mcc = -1.0;          ///< Matthews correlation (multi-class R_K with more than two classes)
  bool binary = false;
  bool best = false;          ///< the best student so far (its checkpoint is kept)
  std::string metric = "accuracy";  ///< the task's headline metric (task.metric)
  double score = 0.0;         ///< its value
  /// A regression's or multi-label task's own figures, by metric name (pearson, spearman;
  /// micro_f1, macro_f1, exact_match); empty for a classification.
  std::vector<std::pair<std::string, double>> figures;
};

/// Attention of one mapped pair of layers for the probe sentence; matrices are row-major
/// [heads][seq][seq] (query rows, key columns).
struct AttentionPair {
  int64_t studentLayer = 0;   ///< 1-based
  int64_t teacherLayer = 0;   ///< 1-based
  int64_t studentHeads = 0;
  int64_t teacherHeads = 0;
  std::vector<float> studentProbs, teacherProbs;
  std::vector<float> studentScores, teacherScores;
};

struct AttentionSnapshot {
  std::string stage;
  int64_t globalStep = 0;
  std::vector<std::string> tokens;  ///< the probe's tokens, specials included
  std::vector<AttentionPair> pairs;
};

/// What a model keeps and costs.
struct ModelFigures {
  bool evaluated = false;     ///< measured on a dev set (accuracy and score are then set)
  double accuracy = -1.0;     ///< dev accuracy; -1 without a dev set, or for a regression (it has none)
  double score = -1.0;        ///< dev value of the task's metric (RunSummary::metric); -1 without a dev set
  int64_t parameters = 0;
  double sizeMb = 0.0;        ///< float32 bytes / 10^6
  double latencyMs = 0.0;     ///< median forward latency at batch 1 and the task's typical length
  double latencyBatchMs = 0.0;  ///< the same at batch 32 (0 = not measured)
};

struct RunSummary {
  std::string runDir;
  ModelFigures teacher, student;
  std::string metric = "accuracy";  ///< the task's headline metric (task.metric)
  double retention = 0.0;     ///< student score / teacher score (0 when the teacher's is not positive)
  double speedup = 0.0;       ///< teacher latency / student latency (batch 1)
  double speedupBatch = 0.0;  ///< the same at batch 32 (0 = not measured)
  double compression = 0.0;   ///< teacher parameters / student parameters
  int64_t typicalLength = 0;  ///< tokens used for the latency figures
  bool cancelled = false;
  double seconds = 0.0;
  std::string name;           ///< the experiment's name
  std::string studentKind;    ///< bert | bilstm
};

}  // namespace retort::distill
