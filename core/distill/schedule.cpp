#include "core/distill/schedule.h"

#include <algorithm>
#include <cmath>

namespace retort::distill {

int64_t phaseSteps(const OptimSpec& optim, size_t examples) {
  if (examples == 0) return 0;
  const int64_t perEpoch = (static_cast<int64_t>(examples) + optim.batchSize - 1) / optim.batchSize;
  int64_t steps = perEpoch * optim.epochs;
  if (optim.maxSteps > 0 && (steps == 0 || optim.maxSteps < steps)) steps = optim.maxSteps;
  return steps;
}

LearningRateSchedule LearningRateSchedule::of(const OptimSpec& o, int64_t totalSteps) {
  LearningRateSchedule s;
  s.peak = o.learningRate;
  s.totalSteps = totalSteps;
  s.warmupSteps = o.warmup < 1.0 ? static_cast<int64_t>(std::llround(o.warmup * static_cast<double>(totalSteps)))
                                 : static_cast<int64_t>(o.warmup);
  s.constant = o.schedule == "constant";
  return s;
}

double LearningRateSchedule::at(int64_t step) const {
  if (step < warmupSteps)
    return peak * static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, warmupSteps));
  if (constant) return peak;
  const double left =
      static_cast<double>(totalSteps - step) / static_cast<double>(std::max<int64_t>(1, totalSteps - warmupSteps));
  return peak * std::max(0.0, left);
}

double scheduledLearningRate(const OptimSpec& optim, int64_t step, int64_t total) {
  return LearningRateSchedule::of(optim, total).at(step);
}

}  // namespace retort::distill
