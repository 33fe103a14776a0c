#include "core/data/batching.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <utility>

#include "core/util/error.h"
#include "core/util/random.h"

namespace retort::data {

namespace {

using util::mix64;
using util::uniform01;
using util::uniformBelow;

torch::Tensor tensorFrom(std::vector<int64_t>& buffer, torch::IntArrayRef shape) {
  return torch::from_blob(buffer.data(), shape, torch::kInt64).clone();
}

/// A CPU copy of an integer tensor as int64 values in row-major order.
std::vector<int64_t> toVector(const torch::Tensor& t) {
  const torch::Tensor cpu = t.to(torch::kCPU, torch::kInt64).contiguous();
  const int64_t* p = cpu.data_ptr<int64_t>();
  return std::vector<int64_t>(p, p + cpu.numel());
}

EncodedExample encodeOne(const text::Tokenizer& tokenizer, const std::string& text,
                         const std::string& pair, int64_t label, const std::vector<float>& targets,
                         const text::EncodeOptions& options) {
  const bool hasPair = !pair.empty();
  text::Encoding enc = tokenizer.encodeIds(tokenizer.tokenizeToIds(text),
                                           hasPair ? tokenizer.tokenizeToIds(pair)
                                                   : std::vector<int64_t>{},
                                           hasPair, options);
  EncodedExample out;
  out.inputIds = std::move(enc.input_ids);
  out.tokenTypeIds = std::move(enc.token_type_ids);
  out.label = label;
  out.targets = targets;
  return out;
}

/// [CLS] w1-pieces w2-pieces ... [SEP], tags on the first piece of each word.
EncodedExample encodeWords(const text::Tokenizer& tokenizer, const Example& ex, int64_t maxLength) {
  const text::SpecialTokens sp = tokenizer.specialTokens();
  if (sp.cls < 0 || sp.sep < 0)
    throw Error(ErrorKind::Format, "the tokenizer's vocabulary has no [CLS] or no [SEP] token");
  if (maxLength > 0 && maxLength < 3)
    throw Error(ErrorKind::InvalidArgument, "maxLength " + std::to_string(maxLength) +
                                                " leaves no room for a word between [CLS] and [SEP]");
  const bool labeled = !ex.tags.empty();
  EncodedExample out;
  out.inputIds.push_back(sp.cls);
  out.tokenLabels.push_back(-100);
  const size_t room = maxLength > 0 ? static_cast<size_t>(maxLength - 1) : std::numeric_limits<size_t>::max();
  for (size_t w = 0; w < ex.words.size(); ++w) {
    std::vector<int64_t> pieces = tokenizer.tokenizeToIds(ex.words[w]);
    if (pieces.empty()) pieces.push_back(sp.unk >= 0 ? sp.unk : sp.sep);
    if (out.inputIds.size() + pieces.size() > room) {
      // Part of a word that does not fit: its first piece still carries the tag.
      const size_t left = room - out.inputIds.size();
      if (left == 0) break;
      pieces.resize(left);
    }
    for (size_t p = 0; p < pieces.size(); ++p) {
      out.inputIds.push_back(pieces[p]);
      out.tokenLabels.push_back(p == 0 && labeled ? ex.tags[w] : -100);
    }
    if (out.inputIds.size() >= room) break;
  }
  out.inputIds.push_back(sp.sep);
  out.tokenLabels.push_back(-100);
  out.tokenTypeIds.assign(out.inputIds.size(), 0);
  out.wordTags = ex.tags;
  return out;
}

text::EncodeOptions encodeOptions(int64_t maxLength) {
  if (maxLength < 0)
    throw Error(ErrorKind::InvalidArgument,
                "maxLength must be 0 (no limit) or positive, not " + std::to_string(maxLength));
  text::EncodeOptions options;
  options.maxLength = maxLength;
  options.truncation = true;
  options.padToMaxLength = false;
  return options;
}

int64_t padIdOf(const text::Tokenizer& tokenizer) {
  const int64_t pad = tokenizer.specialTokens().pad;
  return pad >= 0 ? pad : 0;
}

}  // namespace

EncodedDataset encodeDataset(const LabeledDataset& data, const text::Tokenizer& tokenizer,
                             int64_t maxLength) {
  const text::EncodeOptions options = encodeOptions(maxLength);
  EncodedDataset out;
  out.padId = padIdOf(tokenizer);
  out.numLabels = static_cast<int64_t>(data.labels.size());
  out.kind = data.kind;
  out.labelNames = data.labels;
  out.examples.reserve(data.examples.size());
  if (data.kind == "token_classification") {
    for (const auto& ex : data.examples) out.examples.push_back(encodeWords(tokenizer, ex, maxLength));
    return out;
  }
  for (const auto& ex : data.examples)
    out.examples.push_back(encodeOne(tokenizer, ex.text, ex.pair, ex.label, ex.targets, options));
  return out;
}

EncodedDataset encodeCorpus(const std::vector<std::string>& texts, const text::Tokenizer& tokenizer,
                            int64_t maxLength) {
  const text::EncodeOptions options = encodeOptions(maxLength);
  EncodedDataset out;
  out.padId = padIdOf(tokenizer);
  out.examples.reserve(texts.size());
  static const std::string kNoPair;
  static const std::vector<float> kNoTargets;
  for (const auto& text : texts)
    out.examples.push_back(encodeOne(tokenizer, text, kNoPair, -1, kNoTargets, options));
  return out;
}

int64_t Batch::size() const { return inputIds.defined() ? inputIds.size(0) : 0; }

model::BertInputs Batch::inputs() const {
  model::BertInputs in;
  in.inputIds = inputIds;
  in.tokenTypeIds = tokenTypeIds;
  in.attentionMask = attentionMask;
  return in;
}

Batch Batch::to(torch::Device device) const {
  auto move = [&](const torch::Tensor& t) { return t.defined() ? t.to(device) : t; };
  Batch out;
  out.inputIds = move(inputIds);
  out.tokenTypeIds = move(tokenTypeIds);
  out.attentionMask = move(attentionMask);
  out.labels = move(labels);
  out.mlmLabels = move(mlmLabels);
  out.indices = indices;
  return out;
}

Batch collate(const EncodedDataset& data, const std::vector<size_t>& indices) {
  if (indices.empty()) throw Error(ErrorKind::InvalidArgument, "collate: no rows given");
  size_t seq = 0;
  for (size_t index : indices) {
    if (index >= data.examples.size())
      throw Error(ErrorKind::InvalidArgument,
                  "collate: row " + std::to_string(index) + " is outside the dataset of " +
                      std::to_string(data.examples.size()) + " examples");
    seq = std::max(seq, data.examples[index].inputIds.size());
  }
  const size_t rows = indices.size();
  std::vector<int64_t> ids(rows * seq, data.padId), types(rows * seq, 0), mask(rows * seq, 0);
  std::vector<int64_t> labels;
  std::vector<float> targets;
  const bool labeled = data.numLabels > 0;
  const bool tokens = data.kind == "token_classification";
  if (labeled && tokens) labels.assign(rows * seq, -100);
  const bool floatTargets = data.kind == "regression" || data.kind == "multi_label";
  const size_t width = data.kind == "multi_label" ? static_cast<size_t>(data.numLabels) : 1;
  if (labeled && floatTargets) targets.reserve(rows * width);
  else if (labeled) labels.reserve(rows);
  for (size_t r = 0; r < rows; ++r) {
    const EncodedExample& ex = data.examples[indices[r]];
    const size_t n = ex.inputIds.size();
    std::copy(ex.inputIds.begin(), ex.inputIds.end(), ids.begin() + static_cast<std::ptrdiff_t>(r * seq));
    if (ex.tokenTypeIds.size() == n)
      std::copy(ex.tokenTypeIds.begin(), ex.tokenTypeIds.end(),
                types.begin() + static_cast<std::ptrdiff_t>(r * seq));
    std::fill_n(mask.begin() + static_cast<std::ptrdiff_t>(r * seq), n, 1);
    if (labeled && tokens) {
      if (ex.tokenLabels.size() != n)
        throw Error(ErrorKind::InvalidArgument, "collate: row " + std::to_string(indices[r]) + " has " +
                                                    std::to_string(ex.tokenLabels.size()) + " token labels for " +
                                                    std::to_string(n) + " tokens");
      for (size_t i = 0; i < n; ++i) {
        const int64_t t = ex.tokenLabels[i];
        if (t != -100 && (t < 0 || t >= data.numLabels))
          throw Error(ErrorKind::InvalidArgument, "collate: row " + std::to_string(indices[r]) + " has tag " +
                                                      std::to_string(t) + ", outside the " +
                                                      std::to_string(data.numLabels) + " tags");
        labels[r * seq + i] = t;
      }
    } else if (labeled && floatTargets) {
      if (ex.targets.size() != width)
        throw Error(ErrorKind::InvalidArgument,
                    "collate: row " + std::to_string(indices[r]) + " has " + std::to_string(ex.targets.size()) +
                        " targets, a " + data.kind + " of " + std::to_string(data.numLabels) + " outputs needs " +
                        std::to_string(width));
      targets.insert(targets.end(), ex.targets.begin(), ex.targets.end());
    } else if (labeled) {
      if (ex.label < 0 || ex.label >= data.numLabels)
        throw Error(ErrorKind::InvalidArgument,
                    "collate: row " + std::to_string(indices[r]) + " has label " +
                        std::to_string(ex.label) + ", outside the " +
                        std::to_string(data.numLabels) + " classes");
      labels.push_back(ex.label);
    }
  }
  const auto b = static_cast<int64_t>(rows), s = static_cast<int64_t>(seq);
  Batch batch;
  batch.inputIds = tensorFrom(ids, {b, s});
  batch.tokenTypeIds = tensorFrom(types, {b, s});
  batch.attentionMask = tensorFrom(mask, {b, s});
  if (labeled && floatTargets) {
    batch.labels = torch::from_blob(targets.data(), {static_cast<int64_t>(targets.size())}, torch::kFloat).clone();
    if (data.kind == "multi_label") batch.labels = batch.labels.view({b, data.numLabels});
  } else if (labeled && tokens) {
    batch.labels = tensorFrom(labels, {b, s});
  } else if (labeled) {
    batch.labels = tensorFrom(labels, {b});
  }
  batch.indices = indices;
  return batch;
}

std::vector<std::vector<size_t>> epochBatches(size_t datasetSize, int64_t batchSize, bool shuffle,
                                              uint64_t seed, int64_t epoch) {
  if (batchSize < 1)
    throw Error(ErrorKind::InvalidArgument,
                "the batch size must be at least 1, not " + std::to_string(batchSize));
  std::vector<size_t> order(datasetSize);
  std::iota(order.begin(), order.end(), size_t{0});
  if (shuffle && datasetSize > 1) {
    std::mt19937_64 rng(mix64(seed ^ mix64(static_cast<uint64_t>(epoch))));
    for (size_t i = datasetSize - 1; i > 0; --i) {
      const auto j = static_cast<size_t>(uniformBelow(rng, static_cast<uint64_t>(i) + 1));
      std::swap(order[i], order[j]);
    }
  }
  std::vector<std::vector<size_t>> batches;
  const auto size = static_cast<size_t>(batchSize);
  batches.reserve((datasetSize + size - 1) / size);
  for (size_t start = 0; start < datasetSize; start += size)
    batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(start),
                         order.begin() + static_cast<std::ptrdiff_t>(std::min(start + size, datasetSize)));
  return batches;
}

void maskTokens(Batch& batch, const text::SpecialTokens& specials, int64_t vocabSize,
                double probability, uint64_t seed) {
  if (!batch.inputIds.defined() || batch.inputIds.dim() != 2)
    throw Error(ErrorKind::InvalidArgument, "maskTokens: the batch has no [B,S] inputIds");
  if (!(probability >= 0.0 && probability <= 1.0))
    throw Error(ErrorKind::InvalidArgument,
                "maskTokens: the masking probability must lie in [0, 1], not " +
                    std::to_string(probability));
  if (vocabSize < 1)
    throw Error(ErrorKind::InvalidArgument,
                "maskTokens: vocabSize must be positive, not " + std::to_string(vocabSize));
  if (specials.mask < 0)
    throw Error(ErrorKind::Format, "maskTokens: the tokenizer has no [MASK] token");
  const int64_t special[] = {specials.cls, specials.sep, specials.pad, specials.mask, specials.unk};
  auto isSpecial = [&](int64_t id) { return std::find(std::begin(special), std::end(special), id) != std::end(special); };
  std::vector<int64_t> distinct;
  for (int64_t id : special)
    if (id >= 0 && id < vocabSize && std::find(distinct.begin(), distinct.end(), id) == distinct.end())
      distinct.push_back(id);
  if (static_cast<int64_t>(distinct.size()) >= vocabSize)
    throw Error(ErrorKind::Format, "maskTokens: every id below vocabSize " +
                                       std::to_string(vocabSize) + " is a special token");

  const torch::Device device = batch.inputIds.device();
  const int64_t rows = batch.inputIds.size(0), seq = batch.inputIds.size(1);
  std::vector<int64_t> ids = toVector(batch.inputIds);
  std::vector<int64_t> attention;
  if (batch.attentionMask.defined()) {
    if (batch.attentionMask.sizes() != batch.inputIds.sizes())
      throw Error(ErrorKind::Shape, "maskTokens: attentionMask " +
                                        c10::str(batch.attentionMask.sizes()) +
                                        " does not match inputIds " + c10::str(batch.inputIds.sizes()));
    attention = toVector(batch.attentionMask);
  }
  std::vector<int64_t> labels(ids.size(), -100);
  std::mt19937_64 rng(mix64(seed));

  auto select = [&](size_t pos) {
    labels[pos] = ids[pos];
    const double u = uniform01(rng);
    if (u < 0.8) {
      ids[pos] = specials.mask;
    } else if (u < 0.9) {
      int64_t id;
      do id = static_cast<int64_t>(uniformBelow(rng, static_cast<uint64_t>(vocabSize)));
      while (isSpecial(id));
      ids[pos] = id;
    }  // else: unchanged
  };

  for (int64_t r = 0; r < rows; ++r) {
    const size_t begin = static_cast<size_t>(r * seq);
    int64_t maskable = 0;
    bool any = false;
    for (size_t pos = begin; pos < begin + static_cast<size_t>(seq); ++pos) {
      if ((!attention.empty() && attention[pos] == 0) || isSpecial(ids[pos])) continue;
      ++maskable;
      if (uniform01(rng) < probability) {
        select(pos);
        any = true;
      }
    }
    if (any || maskable == 0) continue;
    int64_t pick = static_cast<int64_t>(uniformBelow(rng, static_cast<uint64_t>(maskable)));
    for (size_t pos = begin;; ++pos) {
      if ((!attention.empty() && attention[pos] == 0) || isSpecial(ids[pos])) continue;
      if (pick-- == 0) {
        select(pos);
        break;
      }
    }
  }
  batch.inputIds = tensorFrom(ids, {rows, seq}).to(device);
  batch.mlmLabels = tensorFrom(labels, {rows, seq}).to(device);
}

}  // namespace retort::data
