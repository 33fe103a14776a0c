#pragma once
// One training step, the one seam that Trainer::run (through runPhase), `retort-cli bench
// train` and the tests all call: teacher forward (no grad), student forward, the weighted loss
// terms, the finiteness check, backward, gradient clipping, the scheduled learning rate and
// the AdamW step. The optimiser (Hugging Face parameter groups), the clip list and the
// schedule are built once per phase into a StepContext.

#include <torch/optim/adamw.h>
#include <torch/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/data/batching.h"
#include "core/distill/experiment.h"
#include "core/distill/layer_mapping.h"
#include "core/distill/losses.h"
#include "core/distill/run_state.h"
#include "core/distill/schedule.h"
#include "core/distill/student.h"

namespace retort::distributed {
class World;
class GradientReducer;
}  // namespace retort::distributed

namespace retort::distill {

class TeacherLogitCache;

/// What a step trains and from what: the models, the mapped layers, the loss weights and the
/// optimisation settings. Handles and pointers only; the caller owns the models.
struct StepSpec {
  std::string name;                           ///< the phase's name, for messages
  /// task.kind: which hard and soft losses apply to the logits (classification: CE and
  /// softmax soft targets; regression: MSE; multi_label: BCE and Bernoulli soft targets;
  /// token_classification: CE and softmax soft targets per tagged word piece).
  std::string taskKind = "classification";
  OptimSpec optim;
  LossSpec losses;
  StudentModel* student = nullptr;            ///< the model that learns (a teacher being trained, too)
  model::BertModel teacher{nullptr};          ///< null when training without a teacher
  std::vector<LayerPair> pairs;               ///< mapped layers (attention, hidden, embedding terms)
  HiddenProjections* projections = nullptr;   ///< null when no hidden/embedding term
  HeadMismatch headMismatch = HeadMismatch::Average;
  /// The process group of a data-parallel run; null (or one rank) for a single process.
  distributed::World* world = nullptr;
  /// The teacher's logits of the phase's rows, kept between epochs (teacher_cache.h); null:
  /// the teacher computes them every step. Used only when the losses need no more of the
  /// teacher than its logits and the batch is not masked.
  TeacherLogitCache* teacherCache = nullptr;
};

/// Whether a phase with these losses needs the teacher's logits and nothing else of it.
bool needsOnlyTeacherLogits(const LossSpec& losses);
/// The teacher's logits of a batch, without gradients (for filling the cache).
torch::Tensor teacherLogits(const StepSpec& spec, const data::Batch& batch);

/// A phase's optimisation machinery, built once by makeStepContext.
struct StepContext {
  StepSpec spec;
  LearningRateSchedule schedule;
  /// AdamW (eps 1e-8) over the student's and the projections' trainable parameters in two
  /// groups, as Hugging Face does: weight decay optim.weightDecay, and 0 for names that
  /// contain "bias" or "LayerNorm".
  std::unique_ptr<torch::optim::AdamW> optimizer;
  /// Clipped together to optim.maxGradNorm (when > 0): the student's parameters, then the
  /// projections'.
  std::vector<torch::Tensor> clipped;
  /// With several ranks: the bucketed gradient all-reduce over the trainable parameters of
  /// `clipped` (null for one process).
  std::shared_ptr<distributed::GradientReducer> reducer;
};

/// Builds the context of a phase of `phaseSteps` steps (with several ranks: broadcasts rank
/// 0's student and projection parameters to every rank and makes the reducer), clears the gradients an earlier phase
/// left (a parameter this phase does not use is then not touched by AdamW), and puts the
/// student in training mode and the teacher in evaluation mode. Throws Error(InvalidArgument)
/// without a student.
StepContext makeStepContext(const StepSpec& spec, int64_t phaseSteps);

/// What one step did.
struct StepResult {
  std::map<std::string, torch::Tensor> terms;  ///< the weighted loss terms (scalars on the device)
  double total = 0.0;                          ///< their sum, read once (the finiteness check)
  double learningRate = 0.0;                   ///< the rate this step used
  int64_t examples = 0;                        ///< rows in the batch (the global batch's with several ranks)
  /// With several ranks: some rank asked to stop (RunControl) before this step; every rank
  /// then stops after it, at the same step.
  bool stop = false;
};

/// The normalisers of the loss terms' means over a batch: rows (soft targets, hard labels,
/// logit MSE, and the attention, hidden and embedding terms, which average over rows of a
/// common padded length), tokens (the cosine term: attention-mask ones) and masked
/// positions (the MLM term).
struct TermCounts {
  double rows = 0.0;
  double tokens = 0.0;
  double masked = 0.0;
  /// What the logit terms (soft targets, hard labels, logit MSE) average over: rows, or for
  /// a token classification the tagged word pieces (labels other than -100).
  double labeled = 0.0;
};
/// A batch's counts (read from its CPU tensors).
TermCounts termCounts(const data::Batch& batch);

/// One rank's part of a global batch: its rows (a placeholder row with zero counts when the
/// global batch has fewer rows than ranks) and both batches' counts. trainStep scales each
/// term by local/global count, so that the terms summed over ranks, and the gradients the
/// reducer sums, are the global batch's means: the single process's step.
struct BatchShare {
  TermCounts local;
  TermCounts global;
};

/// One optimisation step on a batch already on the model's device (and masked, for an MLM
/// term): learning rate schedule.at(state.phaseStep), zero_grad, computeLosses, backward,
/// clipping, AdamW. Advances state.globalStep and state.phaseStep by one; the position in the
/// data (epoch, batchesDone) is the caller's. One host synchronisation (the total's value).
/// Throws Error(InvalidArgument) when every loss weight is 0, and Error(Runtime) naming the
/// phase, the step and every term when the loss is not finite (the weights are then
/// untouched).
/// With a reducer (several ranks) the step also: scales the terms by `share`, sums the terms
/// and the stop requests over the ranks in one small all-reduce (the terms reported and
/// checked are the global batch's), reseeds the default generator with dropoutSeed, and
/// all-reduces the gradients during backward. Throws Error(Runtime) naming the rank, the
/// host and the step when a collective fails or times out.
StepResult trainStep(StepContext& context, const data::Batch& batch, RunState& state,
                     const BatchShare* share = nullptr, bool stopRequested = false);

/// The weighted loss terms of one batch (names: soft_targets, hard_labels, logit_mse, cosine,
/// mlm, attention, hidden, embedding). Terms with weight 0 are neither computed nor listed.
/// Gradients flow to the student (and projections) unless the caller holds a NoGradGuard.
std::map<std::string, torch::Tensor> computeLosses(const StepSpec& spec, const data::Batch& batch);

}  // namespace retort::distill
