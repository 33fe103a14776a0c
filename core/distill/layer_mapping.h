#pragma once
// Which student layer learns from which teacher layer (TinyBERT's mapping function g), and
// which teacher layers a student is initialised from (DistilBERT). Torch-free.
//
// Layers in a LayerPair are 1-based transformer layers; 0 is the embedding output
// (BertOutputs::hiddenStates[0]), which has hidden states but no attention. So a pair
// {m, n} compares the student's hiddenStates[m] with the teacher's hiddenStates[n] and,
// for m, n >= 1, the student's attentionScores[m - 1] with the teacher's attentionScores[n - 1].

#include <cstdint>
#include <vector>

namespace retort::distill {

/// One student layer matched to one teacher layer.
struct LayerPair {
  int64_t student;         ///< student layer, 1-based; 0 = embedding output
  int64_t teacher;         ///< teacher layer, 1-based; 0 = embedding output
  bool attention = true;   ///< match the attention scores (never on layer 0)
  bool hidden = true;      ///< match the hidden states
  double weight = 1.0;     ///< factor on this pair's losses; finite and >= 0
};

/// TinyBERT's uniform mapping: student layer m (1..M) learns from teacher layer
/// g(m) = round(m·N/M), rounding halves up. When M divides N this is TinyBERT's
/// g(m) = m·k with k = N/M (12 -> 4 gives 3, 6, 9, 12); otherwise it still ends on the
/// teacher's last layer and spreads the others evenly (6 -> 4 gives 2, 3, 5, 6).
/// The embedding pair is not included (see withEmbeddingPair).
/// Throws Error(InvalidArgument) when a count is not positive or M > N.
std::vector<LayerPair> uniformMapping(int64_t teacherLayers, int64_t studentLayers, bool attention,
                                      bool hidden);

/// Student layer m (1..M) learns from teacher layer N - M + m: the teacher's last M layers
/// (12 -> 4 gives 9, 10, 11, 12). Throws Error(InvalidArgument) as uniformMapping.
std::vector<LayerPair> lastLayersMapping(int64_t teacherLayers, int64_t studentLayers,
                                         bool attention, bool hidden);

/// DistilBERT-style initialisation: the 0-based teacher layers whose weights initialise the
/// student's layers 0..M-1, spread evenly and including the first and the last:
/// round(i·(N-1)/(M-1)) for i = 0..M-1, halves rounded up. 12 -> 6 gives 0, 2, 4, 7, 9, 11
/// (the DistilBERT release); M = 1 gives {N-1}.
/// Throws Error(InvalidArgument) when a count is not positive or M > N.
std::vector<int64_t> everyOtherLayer(int64_t teacherLayers, int64_t studentLayers);

/// Checks a mapping against the two models' layer counts. Throws Error(InvalidArgument)
/// naming the pair (0-based index, "pair 2 (student 3 -> teacher 13)") and the reason:
/// a layer out of range, a student layer listed twice, attention asked on layer 0, a
/// weight that is negative or not finite, a pair that matches nothing, or an empty mapping.
void validateMapping(const std::vector<LayerPair>& pairs, int64_t teacherLayers,
                     int64_t studentLayers);

/// Returns pairs with the embedding pair {0, 0, attention = false, hidden = true, weight 1}
/// put first, unless a pair for student layer 0 is already there (then unchanged).
std::vector<LayerPair> withEmbeddingPair(std::vector<LayerPair> pairs);

}  // namespace retort::distill
