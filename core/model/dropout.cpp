#include "core/model/dropout.h"

#include <torch/torch.h>

#include <cmath>

namespace retort::model {

at::Tensor fastDropout(const at::Tensor& x, double p, bool training) {
  if (!training || p <= 0.0) return x;
  if (p >= 1.0) return x * 0.0;
  constexpr int64_t kRange = 1 << 15;
  const int64_t threshold = std::llround(p * static_cast<double>(kRange));
  const int64_t n = x.numel();
  const auto words = torch::randint(0, 2147483647LL, {(n + 1) / 2}, torch::TensorOptions(torch::kInt).device(x.device()));
  const auto draws = torch::cat({words.bitwise_and(kRange - 1), words.__rshift__(15).bitwise_and(kRange - 1)})
                         .narrow(0, 0, n)
                         .view(x.sizes());
  const double scale = static_cast<double>(kRange) / static_cast<double>(kRange - threshold);
  const auto mask = draws.ge(threshold).to(x.scalar_type()).mul_(scale);
  return x * mask;
}

}  // namespace retort::model
