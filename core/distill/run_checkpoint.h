#pragma once
// Training checkpoints: what `retort-cli resume` continues from, exactly.
//
//   RUN/checkpoints/step-N/            one per checkpoint, the last observer.checkpoint_keep kept
//     weights.safetensors              student/<name>, projections/<name>, teacher/<name> (when
//                                      Retort trains the teacher), optimizer/<group>/<i>/exp_avg
//                                      and exp_avg_sq (AdamW's moments of the phase in progress)
//     best.safetensors                 the best dev student so far (a hard link while unchanged)
//     metrics.jsonl                    the run's log as it was at step N
//     experiment.json                  the experiment the run was started with
//     state.json                       written last: RunState (position, every generator, the
//                                      best score), AdamW's step counts, the file list
//
// A checkpoint is made in RUN/checkpoints/.tmp-step-N, each file fsync'ed, then renamed to
// step-N and the directory fsync'ed: a process killed while writing leaves a .tmp directory
// that the next resume removes, never a half checkpoint.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/distill/experiment.h"
#include "core/distill/losses.h"
#include "core/distill/observer.h"
#include "core/distill/run_state.h"
#include "core/distill/student.h"
#include "core/distill/training_loop.h"

namespace retort::distill {

/// The models a checkpoint saves and a resume restores; the run plan owns them.
struct CheckpointModels {
  StudentModel* student = nullptr;
  HiddenProjections* projections = nullptr;  ///< null without hidden or embedding terms
  StudentModel* teacher = nullptr;           ///< null unless Retort trains the teacher
  std::vector<torch::Tensor>* bestWeights = nullptr;
};

/// A checkpoint read back, checked and ready to restore.
struct TrainingCheckpoint {
  std::string path;              ///< RUN/checkpoints/step-N
  RunState state;
  std::string phaseName;
  nlohmann::json experiment;     ///< the checkpoint's experiment.json
  std::string metrics;           ///< the checkpoint's metrics.jsonl bytes
  std::map<std::string, torch::Tensor> weights;  ///< weights.safetensors
  std::vector<torch::Tensor> best;               ///< best.safetensors (empty: no best)
  /// AdamW step counts of the phase in progress, [group][parameter] (-1: no state yet);
  /// empty when the checkpoint was made between phases.
  std::vector<std::vector<int64_t>> optimizerSteps;
};

/// Reads checkpoint directory `path` (step-N). Throws Error(Format) naming the file and field
/// ("RUN/checkpoints/step-40/state.json: \"global_step\" is missing") or Error(Io).
TrainingCheckpoint readCheckpoint(const std::string& path);

/// The newest readable checkpoint of runDir: step-N directories from the highest N down; one
/// that cannot be read is reported through note (when given) and the next older one tried.
/// Throws Error(Format) "RUN/checkpoints: no checkpoint to resume from" when there is none,
/// or the newest one's error when none can be read.
TrainingCheckpoint readLatestCheckpoint(const std::string& runDir, Observer* note = nullptr);

/// The first difference between two experiment documents as "field: A <currentName>, B
/// <savedName>" (field as a dotted path, e.g. "stages[0].optim.learning_rate: 0.0001 here,
/// 5e-05 in the checkpoint"); empty when equal.
std::string firstDifference(const nlohmann::json& current, const nlohmann::json& saved,
                            const std::string& currentName = "here",
                            const std::string& savedName = "in the checkpoint");

/// Writes checkpoints while a run trains and restores one when it resumes.
class RunCheckpoints final : public CheckpointSink {
 public:
  /// metricsPath: the run's metrics.jsonl (copied into each checkpoint); experiment: the
  /// run's experiment as written to RUN/experiment.json.
  RunCheckpoints(std::string runDir, const ObserverSpec& policy, nlohmann::json experiment, CheckpointModels models,
                 std::string metricsPath);

  /// Due when checkpointEvery steps have passed since the last one or checkpointMinutes of
  /// time (always when stopping, unless the last checkpoint is at this very step).
  void afterStep(const StepContext* step, RunState& state, bool stopping) override;
  void restoreOptimizer(StepContext& step, const RunState& state) override;

  /// Writes a checkpoint of the present state now (captures the generators into state).
  /// Throws Error(Io) naming the file when it cannot be written (the previous checkpoints
  /// are then untouched).
  void write(const StepContext* step, RunState& state, const std::string& phaseName);

  /// Puts a checkpoint's weights into the models (the optimiser moments wait for
  /// restoreOptimizer). Throws Error(Shape) naming the tensor that does not fit.
  void restore(TrainingCheckpoint checkpoint);

  /// Removes RUN/checkpoints (a run that completed no longer needs it).
  void removeAll();

  /// Where each checkpoint written is announced ("checkpoint step-40: 12.3 MB in 0.05 s"); may be null.
  void setObserver(Observer* observer) { m_observer = observer; }

  /// false: write nothing (the ranks above 0 of a data-parallel run); restoring still works.
  void setWriting(bool writing) { m_writing = writing; }

  /// The last checkpoint written or restored (empty before any).
  const std::string& lastPath() const { return m_lastPath; }

 private:
  void prune();
  static int64_t hasBestStep(const RunState& state);

  std::string m_runDir;
  std::string m_dir;  // RUN/checkpoints
  ObserverSpec m_policy;
  nlohmann::json m_experiment;
  CheckpointModels m_models;
  std::string m_metricsPath;
  Observer* m_observer = nullptr;
  int64_t m_lastStep = -1;
  bool m_writing = true;
  double m_lastTime = 0;  // steady clock seconds
  std::string m_lastPath;
  int64_t m_lastBestStep = -2;  // the best step whose weights m_lastPath holds
  // A resume's pending AdamW state, applied once by restoreOptimizer.
  int64_t m_pendingPhase = -1;
  std::vector<std::vector<int64_t>> m_pendingSteps;
  std::map<std::string, torch::Tensor> m_pendingMoments;
};

}  // namespace retort::distill
