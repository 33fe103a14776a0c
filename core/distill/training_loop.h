#pragma once
// One training phase: batches in the run's epoch order, trainStep for each, logging,
// evaluation, the best dev student, attention snapshots, pause and cancel. Used for the
// teacher's own training (no teacher, hard labels or MLM) and for every distillation stage.

#include <functional>
#include <string>
#include <vector>

#include "core/data/batching.h"
#include "core/distill/observer.h"
#include "core/distill/run_state.h"
#include "core/distill/train_step.h"
#include "core/eval/classification.h"

namespace retort::distill {

/// The probe sentence for attention snapshots, already encoded.
struct Probe {
  model::BertInputs inputs;
  std::vector<std::string> tokens;
};

/// A phase: what its steps train (StepSpec) plus its data, its place in the run and where
/// it reports. The position (steps, epoch, batch) and the best score live in RunState.
struct PhaseContext : StepSpec {
  int index = 0;                              ///< the phase's index in the run (its epoch-order seed)
  int count = 1;                              ///< phases in the run
  const data::EncodedDataset* train = nullptr;
  const data::EncodedDataset* dev = nullptr;  ///< null: no evaluation
  text::SpecialTokens specials;               ///< for MLM masking
  int64_t vocabSize = 0;                      ///< for MLM masking
  torch::Device device{torch::kCPU};
  int64_t totalSteps = 0;                     ///< steps of the whole run, for progress
  Observer* observer = nullptr;
  RunControl* control = nullptr;
  Probe* probe = nullptr;
  /// Encodes a new probe sentence (set by the trainer); used when RunControl has one.
  std::function<Probe(const std::string&)> encodeProbe;
  int64_t attentionEvery = 0;
  /// Where a new best dev student is copied (RunState::bestScore says when); null: do not
  /// keep the best (teacher training).
  std::vector<torch::Tensor>* bestWeights = nullptr;
  std::string modelName = "student";          ///< for evaluation reports
};

/// Runs the phase from where state stands: a state at another phase starts this one from
/// its beginning; a state inside this phase (a resume) continues at its epoch and batch.
/// Leaves state at the next phase (phase index + 1, step, epoch and batch 0). Returns false
/// when it was cancelled (state then points at the first batch not trained).
bool runPhase(PhaseContext& context, RunState& state);

/// The training batch of the given rows: collated, masked for an MLM term (maskSeed of
/// state.seed and state.globalStep), on the phase's device.
data::Batch phaseBatch(const PhaseContext& context, const std::vector<size_t>& indices, const RunState& state);

/// Accuracy (and F1/MCC for two classes) of a model on an encoded, labeled dataset.
eval::ClassificationScores evaluateModel(StudentModel& model, const data::EncodedDataset& data,
                                         const torch::Device& device, int64_t batchSize = 64);

/// Teacher and student attention of the probe for every mapped pair with attention.
AttentionSnapshot takeAttentionSnapshot(const PhaseContext& context, int64_t globalStep);

/// One mapped pair's attention (batch row 0) from forward passes that kept scores and
/// probabilities; layers are 1-based. A null student gives the teacher's side only.
AttentionPair attentionPairOf(const model::BertOutputs* student, const model::BertOutputs& teacher,
                              int64_t studentLayer, int64_t teacherLayer);

}  // namespace retort::distill
