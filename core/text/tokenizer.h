#pragma once
// One interface for the tokenizers that Retort reads from a checkpoint directory:
// WordPiece (vocab.txt, BERT) and sentencepiece (spiece.model / tokenizer.model).
// Torch-free: encodings are plain vectors; data/ turns them into tensors.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace retort::text {

/// Ids of the special tokens that BERT-style inputs use. -1 when the vocabulary lacks one.
struct SpecialTokens {
  int64_t cls = -1;
  int64_t sep = -1;
  int64_t pad = -1;
  int64_t mask = -1;
  int64_t unk = -1;
};

/// One encoded input: [CLS] A [SEP] (B [SEP]) and optional padding.
struct Encoding {
  std::vector<int64_t> input_ids;
  std::vector<int64_t> token_type_ids;  ///< 0 for [CLS] A [SEP], 1 for B [SEP]
  std::vector<int64_t> attention_mask;  ///< 1 for real tokens, 0 for padding
  std::vector<std::string> tokens;      ///< the token strings, specials included
};

struct EncodeOptions {
  /// Longest encoding in tokens, specials included; 0 = no limit.
  int64_t maxLength = 512;
  /// Cut the longer of the two texts one token at a time until the encoding fits
  /// (Hugging Face's "longest_first"). When false, a too-long input is an error.
  bool truncation = true;
  /// Pad with [PAD] up to maxLength.
  bool padToMaxLength = false;
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  /// Splits text into vocabulary pieces, without special tokens.
  virtual std::vector<std::string> tokenize(const std::string& text) const = 0;
  /// The id of a piece; the [UNK] id when the vocabulary has no such piece.
  virtual int64_t tokenToId(const std::string& token) const = 0;
  /// The piece of an id; throws retort::Error for an id outside [0, vocabSize()).
  virtual std::string idToToken(int64_t id) const = 0;
  virtual int64_t vocabSize() const = 0;
  virtual SpecialTokens specialTokens() const = 0;
  /// "wordpiece" or "sentencepiece".
  virtual std::string kind() const = 0;
  /// Writes the tokenizer's files into a checkpoint directory (vocab.txt or spiece.model,
  /// plus tokenizer_config.json). The directory must exist.
  virtual void save(const std::string& directory) const = 0;

  /// Ids of the pieces of text (no specials).
  std::vector<int64_t> tokenizeToIds(const std::string& text) const;
  /// [CLS] text [SEP] or [CLS] text [SEP] pair [SEP], truncated and padded as asked.
  Encoding encode(const std::string& text, const std::string* pair = nullptr,
                  const EncodeOptions& options = {}) const;
  /// The same from ids that are already pieces of the vocabulary (no specials).
  Encoding encodeIds(std::vector<int64_t> first, std::vector<int64_t> second, bool hasPair,
                      const EncodeOptions& options = {}) const;
};

/// Loads the tokenizer of a checkpoint directory: vocab.txt (WordPiece, with the
/// lower-casing of tokenizer_config.json), else spiece.model or tokenizer.model.
/// Throws retort::Error naming the directory when none is there.
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& directory);

}  // namespace retort::text
