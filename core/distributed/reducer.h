#pragma once
// What PyTorch's DistributedDataParallel does for gradients, on c10d: the parameters are
// put in buckets (about bucketBytes each, in reverse order, as gradients arrive), a hook on
// each parameter's gradient accumulator marks it ready during backward, and a bucket whose
// gradients are all ready is flattened and all-reduced (summed) asynchronously while
// backward goes on. Buckets are launched in the same order on every rank. finish() launches
// what is left, waits, and writes the sums back. A parameter that backward did not reach
// keeps an undefined gradient on every rank (AdamW then leaves it alone, as in one process).
//
// The sum is what a step needs: each rank scales its loss terms by its share of the global
// batch's normaliser (train_step.cpp), so the summed gradient is the single-process one.

#include <torch/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace retort::distributed {

class World;

class GradientReducer {
 public:
  /// params: those that may get gradients (requires_grad), in a fixed order on every rank.
  GradientReducer(World& world, std::vector<torch::Tensor> params, size_t bucketBytes = 25u << 20);
  ~GradientReducer();
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  /// Before backward: arms the hooks for one step.
  void prepare();
  /// After backward: launches the buckets not yet launched, waits for all, and writes the
  /// summed gradients. `what` names the step in a failure message.
  void finish(const std::string& what);

  size_t buckets() const;
  /// Seconds finish() waited for the collectives after backward (the part not overlapped),
  /// and the bytes reduced, in the last step.
  double lastWaitSeconds() const;
  size_t lastBytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m;
};

}  // namespace retort::distributed
