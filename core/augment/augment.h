#pragma once
// Data augmentation for distillation on small task sets.
//
// TinyBERT (Jiao et al. 2020, Algorithm 1): each word of an example is replaced, with
// probability p, by one of up to M candidates; N augmented copies per example. Candidates:
//   - a word that the tokenizer keeps as ONE piece: the teacher's masked-language-model top
//     predictions for that position (the word masked in its sentence), whole-word pieces only;
//   - a word of several pieces: its nearest neighbours (cosine) among the whole-word pieces
//     of the teacher's word-embedding table, the word's vector being the mean of its pieces'
//     embeddings; or, when a GloVe text file is given, its nearest neighbours there;
//   - without an MLM head every word takes the embedding (or GloVe) neighbours.
// Tang et al. (2019): per pass and per word, masking with p_mask (the tokenizer's mask
// token) or, else, replacement with p_replace by a word drawn from the dataset's own
// unigram distribution (Tang et al. pick a word of the same part of speech; Retort has no
// tagger, see the README); then, with p_ngram, the example is cut to a random n-gram
// (n uniform in 1..max_ngram). `passes` passes; duplicates and unchanged copies are dropped.
//
// Words: the text split at white space, punctuation split off as words of its own (as
// BERT's basic tokenizer does); only words holding a letter or digit are ever replaced.
// Augmented texts are the words joined by single spaces. Every draw comes from one
// std::mt19937_64 seeded by `seed`: the same seed and inputs give the same output.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/data/dataset.h"
#include "core/model/bert.h"
#include "core/text/tokenizer.h"

namespace retort::augment {

struct TinyBertOptions {
  double probability = 0.4;   ///< p: chance that a word with candidates is replaced
  int64_t candidates = 15;    ///< M
  int64_t copies = 20;        ///< N augmented copies per example
  /// MLM passes: 0 masks one word per sequence (TinyBERT exactly); k > 0 masks every k-th
  /// single-piece word together (k sequences per example), trading fidelity for speed.
  int64_t maskEvery = 0;
  int64_t maxLength = 128;    ///< tokens per MLM sequence, specials included
  int64_t batchSize = 64;     ///< MLM sequences per forward pass
};

struct TangOptions {
  double maskProbability = 0.1;
  double replaceProbability = 0.1;
  double ngramProbability = 0.25;
  int64_t maxNgram = 5;
  int64_t passes = 20;
};

/// Splits text into words (see the top of this file).
std::vector<std::string> splitWords(const std::string& text);
/// Whether a word may be replaced (holds an ASCII letter or digit, or any non-ASCII byte).
bool replaceable(const std::string& word);

/// Nearest-neighbour candidates from word vectors (a GloVe text file: "word v1 ... vd" per line).
class GloveVectors {
 public:
  /// Reads the file; throws Error(Format) "path:line: ..." for a malformed line (a wrong
  /// number of values or a value that is not a number) and Error(Io) when it cannot be read.
  static GloveVectors load(const std::string& path);
  /// Up to k nearest words by cosine, the word itself excluded; empty for an unknown word.
  std::vector<std::string> neighbours(const std::string& word, int64_t k) const;
  int64_t size() const { return static_cast<int64_t>(m_words.size()); }

 private:
  std::vector<std::string> m_words;
  std::unordered_map<std::string, int64_t> m_index;
  torch::Tensor m_unit;  // [n, d], rows L2-normalised
};

/// Where TinyBERT's candidates come from, per word ("mlm", "embedding" or "glove").
struct CandidateList {
  std::vector<std::string> words;
  std::string source;
};

/// TinyBERT's candidate generator over a teacher.
class TeacherCandidates {
 public:
  /// teacher: eval mode is set here; an MLM head is used when it has one. glove may be null.
  TeacherCandidates(model::BertModel teacher, const text::Tokenizer& tokenizer, const GloveVectors* glove,
                    const TinyBertOptions& options);
  /// Candidates for every word of `words` (same order); non-replaceable words get none.
  std::vector<CandidateList> candidates(const std::vector<std::string>& words);
  /// Candidates for many sentences at once (MLM forward passes batched across them).
  std::vector<std::vector<CandidateList>> candidatesMany(const std::vector<std::vector<std::string>>& sentences);
  bool usesMlm() const { return m_mlm; }

 private:
  std::vector<std::string> embeddingNeighbours(const std::vector<int64_t>& pieces, const std::string& word);
  std::string wordOf(int64_t id) const;  // the whole word of a vocabulary piece, "" if none

  model::BertModel m_teacher;
  const text::Tokenizer& m_tokenizer;
  const GloveVectors* m_glove;
  TinyBertOptions m_options;
  bool m_mlm = false;
  text::SpecialTokens m_specials;
  std::vector<int64_t> m_wordIds;          // vocabulary ids of whole-word pieces
  std::vector<std::string> m_wordText;     // their words
  std::vector<char> m_isWord;              // per vocabulary id
  torch::Tensor m_unit;                    // [W, H] normalised embeddings of m_wordIds
  std::unordered_map<std::string, std::vector<std::string>> m_cache;  // context-free neighbours
};

/// What an augmentation made, for tests and the log.
struct AugmentStats {
  int64_t originals = 0;
  int64_t added = 0;              ///< augmented examples appended
  int64_t wordsConsidered = 0;    ///< words that had candidates (TinyBERT) / replaceable words (Tang)
  int64_t wordsReplaced = 0;      ///< of those, replaced (masked or replaced for Tang)
  std::unordered_map<std::string, int64_t> bySource;  ///< TinyBERT: candidate lists per source
};

/// TinyBERT augmentation: the originals first (in order), then N copies of each example
/// (pairs keep their second text; labels are kept). `progress(done, total)` may be null.
data::LabeledDataset augmentTinyBert(const data::LabeledDataset& in, TeacherCandidates& source,
                                     const TinyBertOptions& options, uint64_t seed, AugmentStats* stats = nullptr,
                                     const std::function<void(int64_t, int64_t)>& progress = {});

/// Tang et al.'s augmentation: the originals, then the distinct new texts of every pass.
/// maskToken is the text that stands for a masked word (the tokenizer's mask piece).
data::LabeledDataset augmentTang(const data::LabeledDataset& in, const std::string& maskToken,
                                 const TangOptions& options, uint64_t seed, AugmentStats* stats = nullptr);

}  // namespace retort::augment
