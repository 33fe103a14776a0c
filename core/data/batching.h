#pragma once
// From datasets to model inputs: encoding with a tokenizer, epoch index lists, collation
// into padded int64 tensors, and BERT's masked-language-model masking.
//
// Everything random here uses std::mt19937_64 (whose output the C++ standard fixes) with
// our own unbiased draws, so results are identical on every platform and standard library.

#include <torch/torch.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/model/bert.h"
#include "core/text/tokenizer.h"

namespace retort::data {

/// One tokenized example: [CLS] a [SEP] (b [SEP]), no padding.
struct EncodedExample {
  std::vector<int64_t> inputIds;
  std::vector<int64_t> tokenTypeIds;  ///< 0 for [CLS] a [SEP], 1 for b [SEP]
  int64_t label = -1;                 ///< class id; -1 = unlabeled (or not a classification)
  std::vector<float> targets;         ///< regression {value}, multi_label 0/1 per class (Example::targets)
  /// token_classification: per input position the tag id on the first piece of each word and
  /// -100 elsewhere (specials, later pieces; all -100 when unlabeled), as Hugging Face's recipe.
  std::vector<int64_t> tokenLabels;
  /// token_classification: the gold tag of every word of the sentence, truncated ones too
  /// (the scoring counts a word cut off by max_length as predicted "O"); empty when unlabeled.
  std::vector<int64_t> wordTags;
};

struct EncodedDataset {
  std::vector<EncodedExample> examples;
  /// The id that collate() pads with: the tokenizer's [PAD], or 0 when it has none.
  int64_t padId = 0;
  /// Number of classes (LabeledDataset::labels.size()); 0 = unlabeled. 1 for a regression.
  int64_t numLabels = 0;
  /// LabeledDataset::kind: what collate() makes of the labels.
  std::string kind = "classification";
  /// LabeledDataset::labels (token_classification's scoring needs the tag names).
  std::vector<std::string> labelNames;
};

/// Tokenizes every example as [CLS] text [SEP] (pair [SEP]) with longest-first truncation
/// to maxLength tokens, specials included (0 = no limit). Examples with a non-empty pair
/// are encoded as pairs. A token_classification dataset is encoded word by word: [CLS], the
/// pieces of each word in turn (a word with no piece becomes [UNK]), [SEP], the words that
/// do not fit into maxLength cut off; tokenLabels and wordTags are set. Throws InvalidArgument for a negative maxLength or one that leaves
/// no room for the special tokens, Format when the vocabulary lacks [CLS] or [SEP].
EncodedDataset encodeDataset(const LabeledDataset& data, const text::Tokenizer& tokenizer,
                             int64_t maxLength);

/// The same for unlabeled single texts (labels -1, numLabels 0).
EncodedDataset encodeCorpus(const std::vector<std::string>& texts, const text::Tokenizer& tokenizer,
                            int64_t maxLength);

/// A padded batch on one device. All id tensors are int64.
struct Batch {
  torch::Tensor inputIds;       ///< [B,S], padded with padId to the longest row of the batch
  torch::Tensor tokenTypeIds;   ///< [B,S], 0 at padding
  torch::Tensor attentionMask;  ///< [B,S], 1 = token, 0 = padding
  torch::Tensor labels;         ///< [B] int64 class ids; regression [B] float32 values;
                                ///< multi_label [B,C] float32 0/1; token_classification
                                ///< [B,S] int64 tag ids, -100 where no tag; undefined when unlabeled
  torch::Tensor mlmLabels;      ///< [B,S] original ids at masked positions, -100 elsewhere;
                                ///< undefined unless maskTokens() ran
  std::vector<size_t> indices;  ///< the dataset rows, in batch order

  /// B (0 for an empty Batch).
  int64_t size() const;
  /// inputIds, tokenTypeIds and attentionMask for BertModel::forward.
  model::BertInputs inputs() const;
  /// A copy with every defined tensor on device.
  Batch to(torch::Device device) const;
};

/// Collates the given rows (in that order) into a CPU batch padded to the longest row.
/// Labels are set when data.numLabels > 0 (as data.kind says). Throws InvalidArgument for no
/// indices, an index out of range, or an unlabeled row (or targets of the wrong size) in a
/// labeled dataset.
Batch collate(const EncodedDataset& data, const std::vector<size_t>& indices);

/// Index lists of one epoch, batchSize rows each (the last may be smaller). With shuffle,
/// the order is a Fisher-Yates permutation drawn from a std::mt19937_64 seeded by
/// (seed, epoch), identical on every platform; without, 0..datasetSize-1 in order.
/// Throws InvalidArgument for batchSize < 1.
std::vector<std::vector<size_t>> epochBatches(size_t datasetSize, int64_t batchSize, bool shuffle,
                                              uint64_t seed, int64_t epoch);

/// BERT's masking, in place: every position that is neither padding (attentionMask 0) nor
/// one of the special tokens ([CLS] [SEP] [PAD] [MASK] [UNK]) is selected with probability
/// `probability`; a selected token becomes [MASK] with probability 0.8, a random non-special
/// id in [0, vocabSize) with 0.1, and stays as it is with 0.1. batch.mlmLabels becomes [B,S]
/// with the original id at selected positions and -100 elsewhere. Every row that has a
/// maskable token gets at least one selected (one drawn uniformly when chance chose none),
/// so the MLM loss is always defined. Deterministic: the same seed and batch give the same
/// result on every platform; give each batch its own seed (e.g. mixed from seed and step).
/// Works on tensors on any device (the work is done on the CPU). Throws InvalidArgument for
/// a probability outside [0, 1], a vocabSize < 1 or a batch without inputIds, and Format
/// when the tokenizer has no [MASK] or every id below vocabSize is special.
void maskTokens(Batch& batch, const text::SpecialTokens& specials, int64_t vocabSize,
                double probability, uint64_t seed);

}  // namespace retort::data
