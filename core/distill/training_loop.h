#pragma once
// One training phase: an optimiser, a schedule, batches, the active loss terms, logging,
// evaluation, attention snapshots. Used for the teacher's own training (no teacher, hard
// labels or MLM) and for every distillation stage.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/data/batching.h"
#include "core/distill/experiment.h"
#include "core/distill/layer_mapping.h"
#include "core/distill/losses.h"
#include "core/distill/observer.h"
#include "core/distill/student.h"
#include "core/eval/classification.h"

namespace retort::distill {

/// Keeps the best dev accuracy of the student and a copy of its weights.
struct BestKeeper {
  double accuracy = -1.0;
  std::vector<torch::Tensor> weights;
};

/// The probe sentence for attention snapshots, already encoded.
struct Probe {
  model::BertInputs inputs;
  std::vector<std::string> tokens;
};

struct PhaseContext {
  std::string name;
  int index = 0;
  int count = 1;
  OptimSpec optim;
  LossSpec losses;
  const data::EncodedDataset* train = nullptr;
  const data::EncodedDataset* dev = nullptr;  ///< null: no evaluation
  StudentModel* student = nullptr;
  model::BertModel teacher{nullptr};          ///< null when training without a teacher
  std::vector<LayerPair> pairs;
  HiddenProjections* projections = nullptr;   ///< null when no hidden/embedding term
  HeadMismatch headMismatch = HeadMismatch::Average;
  text::SpecialTokens specials;
  int64_t vocabSize = 0;
  uint64_t seed = 42;
  torch::Device device{torch::kCPU};
  int64_t* globalStep = nullptr;
  int64_t totalSteps = 0;
  Observer* observer = nullptr;
  RunControl* control = nullptr;
  Probe* probe = nullptr;
  /// Encodes a new probe sentence (set by the trainer); used when RunControl has one.
  std::function<Probe(const std::string&)> encodeProbe;
  int64_t attentionEvery = 0;
  BestKeeper* best = nullptr;                 ///< null: do not keep the best (teacher training)
  std::string modelName = "student";          ///< for evaluation reports
};

/// Steps a phase takes on n examples: epochs · ceil(n / batch), capped by max_steps (> 0).
int64_t phaseSteps(const OptimSpec& optim, size_t examples);

/// Learning rate at 0-based step s of `total` (Hugging Face's linear warmup / decay).
double scheduledLearningRate(const OptimSpec& optim, int64_t step, int64_t total);

/// Runs the phase. Returns false when it was cancelled.
bool runPhase(PhaseContext& context);

/// Accuracy (and F1/MCC for two classes) of a model on an encoded, labeled dataset.
eval::ClassificationScores evaluateModel(StudentModel& model, const data::EncodedDataset& data,
                                         const torch::Device& device, int64_t batchSize = 64);

/// The weighted loss terms of one batch (names: soft_targets, hard_labels, logit_mse, cosine,
/// mlm, attention, hidden, embedding). Terms with weight 0 are neither computed nor listed.
std::map<std::string, torch::Tensor> computeLosses(const PhaseContext& context, const data::Batch& batch);

/// Teacher and student attention of the probe for every mapped pair with attention.
AttentionSnapshot takeAttentionSnapshot(const PhaseContext& context);

/// One mapped pair's attention (batch row 0) from forward passes that kept scores and
/// probabilities; layers are 1-based. A null student gives the teacher's side only.
AttentionPair attentionPairOf(const model::BertOutputs* student, const model::BertOutputs& teacher,
                              int64_t studentLayer, int64_t teacherLayer);

}  // namespace retort::distill
