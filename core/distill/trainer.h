#pragma once
// Trainer::run: the whole distillation run of an experiment, headless and Qt-free.
//   1. data and tokenizer; 2. the teacher (loaded, or trained: optional MLM pre-training, then
//   fine-tuning); 3. the student (random, from teacher layers, or from a checkpoint);
//   4. every stage; 5. the best dev student, figures, and the run directory.

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
