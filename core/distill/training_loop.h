#pragma once
// One training phase: batches in the run's epoch order, trainStep for each, logging,
// evaluation, the best dev student, attention snapshots, pause and cancel. Used for the
// teacher's own training (no teacher, hard labels or MLM) and for every distillation stage.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/data/batching.h"
#include "core/data/streamed_corpus.h"
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

/// A phase's training texts read from a corpus file as they are needed (general distillation
/// and MLM pre-training): memory holds one chunk of the file, whatever its size. An epoch's
/// order is StreamedCorpus's shuffled chunks (seed phaseOrderSeed(seed, phase)); batch b of
/// it is positions [b·batchSize, (b+1)·batchSize), encoded when it is trained.
struct StreamSource {
  data::StreamedCorpus corpus;
  const text::Tokenizer* tokenizer = nullptr;
  int64_t maxLength = 128;
};

/// Writes and restores training checkpoints for runPhase (RunCheckpoints, run_checkpoint.h).
class CheckpointSink {
 public:
  virtual ~CheckpointSink() = default;
  /// After each step, and with `stopping` when the run is cancelled: writes a checkpoint when
  /// one is due (always when stopping). step is null between phases.
  virtual void afterStep(const StepContext* step, RunState& state, bool stopping) = 0;
  /// Right after a phase's optimiser is made: gives it the moments a resumed checkpoint saved
  /// for this phase, if any.
  virtual void restoreOptimizer(StepContext& step, const RunState& state) = 0;
};

/// A phase: what its steps train (StepSpec) plus its data, its place in the run and where
/// it reports. The position (steps, epoch, batch) and the best score live in RunState.
struct PhaseContext : StepSpec {
  int index = 0;                              ///< the phase's index in the run (its epoch-order seed)
  int count = 1;                              ///< phases in the run
  const data::EncodedDataset* train = nullptr;  ///< in memory; or
  const StreamSource* stream = nullptr;         ///< streamed from a corpus (train is null then)
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
  std::string metric = "accuracy";            ///< task.metric: what "best" means
  double threshold = 0.5;                     ///< task.threshold (multi_label evaluation)
  std::string teacherCache = "off";           ///< experiment teacher_cache: auto | memory | off
  double teacherCacheLimitGb = 2.0;
  CheckpointSink* checkpoints = nullptr;      ///< null: no checkpoints
};

/// Runs the phase from where state stands: a state at another phase starts this one from
/// its beginning; a state inside this phase (a resume) continues at its epoch and batch.
/// Leaves state at the next phase (phase index + 1, step, epoch and batch 0). Returns false
/// when it was cancelled (state then points at the first batch not trained).
bool runPhase(PhaseContext& context, RunState& state);

/// Rows the phase trains on per epoch (its dataset's or its stream's).
size_t phaseExamples(const PhaseContext& context);

/// Batches per epoch of a stream of `examples` texts: ceil(examples / batchSize), for every
/// rank (each trains its share of every batch).
int64_t streamBatches(size_t examples, int64_t batchSize);

/// A training batch as one rank trains it: the global batch itself for one process, else the
/// rank's share of its rows (shareOf), padded to the global batch's length and masked as
/// the global batch was, with the counts trainStep needs.
struct PhaseBatch {
  data::Batch batch;                 ///< on the phase's device
  std::optional<BatchShare> share;   ///< set with several ranks
  int64_t size() const { return batch.size(); }
};

/// The training batch at state's position in a streamed phase (batch state.batchesDone of
/// the epoch), encoded, masked for an MLM term, shared out over the ranks, on the device.
PhaseBatch streamBatch(const PhaseContext& context, const RunState& state);

/// The training batch of the given rows (the global batch): collated, masked for an MLM term
/// (maskSeed of state.seed and state.globalStep), shared out over state's ranks, on the device.
PhaseBatch phaseBatch(const PhaseContext& context, const std::vector<size_t>& indices, const RunState& state);

/// The dev figures of a model on an encoded, labeled dataset, as data.kind says: accuracy
/// (and F1/MCC) of a classification, Pearson/Spearman of a regression's one output, the
/// micro/macro F1 and exact match of a multi-label task (a class is predicted when its
/// sigmoid is at least `threshold`), the entity-level precision/recall/F1 and the word
/// accuracy of a token classification (the tag of a word is the argmax at its first piece; a
/// word cut off by max_length counts as "O"). With a world of several ranks each rank predicts its
/// share of the rows and the predictions are summed over the ranks, so every rank gets the
/// scores of the whole set.
eval::ClassificationScores evaluateModel(StudentModel& model, const data::EncodedDataset& data,
                                         const torch::Device& device, int64_t batchSize = 64,
                                         distributed::World* world = nullptr, double threshold = 0.5);

/// Teacher and student attention of the probe for every mapped pair with attention.
AttentionSnapshot takeAttentionSnapshot(const PhaseContext& context, int64_t globalStep);

/// One mapped pair's attention (batch row 0) from forward passes that kept scores and
/// probabilities; layers are 1-based. A null student gives the teacher's side only.
AttentionPair attentionPairOf(const model::BertOutputs* student, const model::BertOutputs& teacher,
                              int64_t studentLayer, int64_t teacherLayer);

}  // namespace retort::distill
