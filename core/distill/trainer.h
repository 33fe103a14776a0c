#pragma once
// Trainer::run: the whole distillation run of an experiment, headless and Qt-free.
//   planRun (run_plan.h): data and tokenizer, the teacher's plan, the student, mapping and
//   projections, the phases; runPhases (phase_loop.h): every phase in order, each step through
//   trainStep (train_step.h), the position in a RunState (run_state.h), checkpoints through
//   RunCheckpoints (run_checkpoint.h); then the best dev student, the figures (run_summary.h)
//   and the run directory. Trainer::resume continues a run from its newest checkpoint.

#include <memory>
#include <string>

#include "core/distill/experiment.h"
#include "core/distill/metrics.h"
#include "core/distill/observer.h"

namespace retort::distributed {
class World;
}

namespace retort::distill {

class Trainer {
 public:
  /// control may be null (no pause/cancel).
  explicit Trainer(RunControl* control = nullptr) : m_control(control) {}
  /// A rank of a data-parallel run (world null or of one rank: a single process). Every rank
  /// runs the same experiment; only rank 0 writes runDir (the others read it to resume, and
  /// keep their logs in a private temporary directory, removed at the end); rank 0's
  /// summary has the figures, the others' only the accuracies.
  Trainer(RunControl* control, std::shared_ptr<distributed::World> world)
      : m_control(control), m_world(std::move(world)) {}

  /// Runs the experiment and writes runDir (created if needed; refused when it holds a run
  /// already). Errors (bad files, shapes, a loss that is not finite) are thrown as
  /// retort::Error; what was logged stays in metrics.jsonl and the last checkpoint stays in
  /// checkpoints/. A cancelled run writes a checkpoint, the student it has and summary.json;
  /// a completed run removes its checkpoints.
  RunSummary run(const Experiment& experiment, Observer& observer, const std::string& runDir);

  /// Continues the run in runDir from its newest readable checkpoint, with the experiment
  /// the run was started with (runDir/experiment.json). The result equals the uninterrupted
  /// run's (same metrics lines, summary metrics and weights, at the same thread count).
  /// Throws Error naming the file and field when it cannot continue: no checkpoint, a
  /// corrupt one, experiment.json edited since, the run complete, or another Retort in it.
  RunSummary resume(const std::string& runDir, Observer& observer);

 private:
  RunControl* m_control;
  std::shared_ptr<distributed::World> m_world;
};

}  // namespace retort::distill
