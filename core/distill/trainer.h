#pragma once
// Trainer::run: the whole distillation run of an experiment, headless and Qt-free.
//   planRun (run_plan.h): data and tokenizer, the teacher's plan, the student, mapping and
//   projections, the phases; runPhases (phase_loop.h): every phase in order, each step through
//   trainStep (train_step.h), the position in a RunState (run_state.h); then the best dev
//   student, the figures (run_summary.h) and the run directory.

#include <string>

#include "core/distill/experiment.h"
#include "core/distill/metrics.h"
#include "core/distill/observer.h"

namespace retort::distill {

class Trainer {
 public:
  /// control may be null (no pause/cancel).
  explicit Trainer(RunControl* control = nullptr) : m_control(control) {}

  /// Runs the experiment and writes runDir (created if needed). Errors (bad files, shapes,
  /// a loss that is not finite) are thrown as retort::Error; what was logged stays in
  /// metrics.jsonl. A cancelled run still writes the student it has and summary.json.
  RunSummary run(const Experiment& experiment, Observer& observer, const std::string& runDir);

 private:
  RunControl* m_control;
};

}  // namespace retort::distill
