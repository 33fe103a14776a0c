#pragma once
// A random classification task over the fixture vocabulary, for training-loop tests.

#include <random>
#include <string>

#include "core/data/batching.h"

namespace retort::test {

/// n random sentences of fixture tokens (tok5 .. tok49, 3 to 10 of them) with random labels of
/// three classes, encoded with `tokenizer` to at most 16 tokens.
inline data::EncodedDataset randomTask(const text::Tokenizer& tokenizer, int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  data::LabeledDataset d;
  d.labels = {"negative", "neutral", "positive"};
  for (int i = 0; i < n; ++i) {
    data::Example x;
    const int len = 3 + static_cast<int>(rng() % 8);
    for (int k = 0; k < len; ++k) x.text += (k ? " tok" : "tok") + std::to_string(5 + rng() % 45);
    x.label = static_cast<int64_t>(rng() % 3);
    d.examples.push_back(x);
  }
  auto enc = data::encodeDataset(d, tokenizer, 16);
  enc.numLabels = 3;
  return enc;
}

}  // namespace retort::test
