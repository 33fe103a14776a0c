#include "core/distill/teacher_cache.h"

#include <torch/torch.h>

#include <string>

#include "core/util/error.h"

namespace retort::distill {

TeacherLogitCache::TeacherLogitCache(int64_t rows, int64_t classes)
    : m_logits(torch::zeros({rows, classes}, torch::kFloat)), m_have(static_cast<size_t>(rows), 0) {}

torch::Tensor TeacherLogitCache::lookup(const std::vector<size_t>& rows, const torch::Device& device) {
  for (size_t r : rows)
    if (r >= m_have.size() || !m_have[r]) {
      ++m_misses;
      return {};
    }
  ++m_hits;
  std::vector<int64_t> index(rows.begin(), rows.end());
  auto picked = m_logits.index_select(0, torch::tensor(index, torch::kLong));
  return device.is_cpu() ? picked : picked.to(device);
}

void TeacherLogitCache::store(const std::vector<size_t>& rows, const torch::Tensor& logits) {
  if (logits.dim() != 2 || logits.size(0) != static_cast<int64_t>(rows.size()) || logits.size(1) != m_logits.size(1))
    throw Error(ErrorKind::Shape, "teacher cache: logits [" + std::to_string(logits.size(0)) + "," +
                                      std::to_string(logits.dim() > 1 ? logits.size(1) : 0) + "] for " +
                                      std::to_string(rows.size()) + " rows of " + std::to_string(m_logits.size(1)) +
                                      " classes");
  std::vector<int64_t> index(rows.begin(), rows.end());
  for (size_t r : rows)
    if (r >= m_have.size())
      throw Error(ErrorKind::InvalidArgument, "teacher cache: row " + std::to_string(r) + " outside its " +
                                                  std::to_string(m_have.size()) + " rows");
  m_logits.index_copy_(0, torch::tensor(index, torch::kLong), logits.detach().to(torch::kCPU, torch::kFloat));
  for (size_t r : rows)
    if (!m_have[r]) {
      m_have[r] = 1;
      ++m_cachedRows;
    }
}

}  // namespace retort::distill
