#pragma once
// How long a phase trains and at which learning rate: the step count of a phase and
// Hugging Face's linear warmup/decay (or constant) schedule. Torch-free.

#include <cstddef>
#include <cstdint>

#include "core/distill/experiment.h"

namespace retort::distill {

/// Steps a phase takes on n examples: epochs · ceil(n / batch), capped by max_steps (> 0);
/// max_steps alone (epochs 0) gives max_steps. 0 examples give 0 steps.
int64_t phaseSteps(const OptimSpec& optim, size_t examples);

/// The learning rate over a phase of `total` steps, as Hugging Face's
/// get_linear_schedule_with_warmup / get_constant_schedule_with_warmup compute it.
struct LearningRateSchedule {
  double peak = 5e-5;         ///< optim.learningRate
  int64_t warmupSteps = 0;    ///< optim.warmup: round(fraction · total) when < 1, else the count
  int64_t totalSteps = 0;     ///< the phase's steps
  bool constant = false;      ///< optim.schedule "constant": the peak after the warmup

  static LearningRateSchedule of(const OptimSpec& optim, int64_t totalSteps);
  /// The rate at 0-based step s: peak · s / warmup during the warmup, then peak (constant) or
  /// peak · (total − s) / (total − warmup), never below 0 (linear).
  double at(int64_t step) const;
};

/// LearningRateSchedule::of(optim, total).at(step).
double scheduledLearningRate(const OptimSpec& optim, int64_t step, int64_t total);

}  // namespace retort::distill
