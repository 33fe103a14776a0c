#pragma once
// The frozen teacher's logits, kept between the epochs of a phase. During distillation the
// teacher is in evaluation mode (no dropout) and its weights do not change, so the logits of
// a training row are the same every epoch: the first epoch computes them, the later ones
// read them. A phase whose losses need only the teacher's logits (soft targets, logit MSE)
// and whose inputs are not re-masked per step (no MLM term) skips the teacher's forward
// pass from its second epoch on. Keyed by the row of the phase's training set (an augmented
// copy is a row of its own). Float32 on the CPU: 4 bytes × classes per row.
//
// The cached logits equal the recomputed ones up to float rounding: a row is padded to its
// batch's longest row, and batches differ between epochs (measured: test core.teacher_cache).

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace retort::distill {

class TeacherLogitCache {
 public:
  /// Room for `rows` rows of `classes` logits.
  TeacherLogitCache(int64_t rows, int64_t classes);

  /// The bytes a cache of rows × classes float32 logits takes.
  static double bytesFor(int64_t rows, int64_t classes) { return 4.0 * static_cast<double>(rows) * static_cast<double>(classes); }

  /// The logits [B, classes] of `rows` on `device` when every one is cached; else undefined.
  torch::Tensor lookup(const std::vector<size_t>& rows, const torch::Device& device);
  /// Keeps logits [B, classes] (any device) for `rows`. Throws Error(Shape) for another shape
  /// and Error(InvalidArgument) for a row outside the cache.
  void store(const std::vector<size_t>& rows, const torch::Tensor& logits);

  int64_t hits() const { return m_hits; }      ///< batches served from the cache
  int64_t misses() const { return m_misses; }  ///< batches the teacher computed
  int64_t cachedRows() const { return m_cachedRows; }

 private:
  torch::Tensor m_logits;  ///< [rows, classes] float32, CPU
  std::vector<uint8_t> m_have;
  int64_t m_hits = 0, m_misses = 0, m_cachedRows = 0;
};

}  // namespace retort::distill
