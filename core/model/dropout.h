#pragma once
// Inverted dropout with a fast random mask. LibTorch's CPU dropout draws one Bernoulli sample
// per element (~19 ns each here, a third of a small model's training step); this draws 31-bit
// words with randint (~1.7 ns per element) and splits each into two 15-bit uniform numbers.
// p is quantised to 1/32768 and the kept values are scaled by the exact inverse keep rate,
// so the expectation is unchanged. Deterministic given torch::manual_seed.

#include <ATen/core/Tensor.h>

namespace retort::model {

/// x unchanged when !training or p <= 0; otherwise x · mask / keep-rate.
at::Tensor fastDropout(const at::Tensor& x, double p, bool training);

}  // namespace retort::model
