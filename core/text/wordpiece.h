#pragma once
// WordPiece tokenization with the semantics of Hugging Face's slow (Python) BertTokenizer:
// BasicTokenizer (cleaning, CJK spacing, NFC, lower-casing, accent stripping, punctuation
// splitting) followed by greedy longest-match-first WordPiece with "##" continuations.
//
// What tokenize() does, in order (each step as the Python tokenizer does it):
//  1. Never-split tokens ([CLS] [SEP] [PAD] [MASK], the unk token and options.neverSplit) are
//     cut out of the raw text wherever they occur, leftmost first and longest first, and
//     emitted verbatim (Hugging Face's added-token trie). Matching is exact (case-sensitive).
//  2. Invalid UTF-8: each byte that does not start a well-formed sequence becomes U+FFFD,
//     which step 3 drops (so "ab\xFFcd" reads as "abcd"): the tokens Python gives for
//     bytes.decode("utf-8", errors="replace").
//  3. Cleaning: U+0000, U+FFFD and every category C* character (Cc, Cf, Co, Cs, Cn, e.g.
//     U+0007, U+000B, U+000C, U+0085, U+00AD, U+200B, U+200D, U+FEFF) are dropped, except
//     \t \n \r; \t \n \r, space and category Zs (U+00A0, U+3000, ...) become spaces.
//  4. With tokenizeChineseChars, each CJK ideograph (the ranges of Hugging Face's
//     _is_chinese_char) becomes a word of its own. Kana and Hangul are not ideographs.
//  5. Words are split at spaces and at U+2028 / U+2029 (Python's str.split() treats those
//     two as whitespace too).
//  6. Per word: lower-casing (lowerCase) code point by code point as Python's str.lower()
//     does on single characters: the simple lower-case mapping plus U+0130 -> "i" U+0307.
//     Hugging Face lower-cases one character at a time before tokenizing, so capital sigma
//     always becomes U+03C3 (never the final form U+03C2). Then NFC: the slow BertTokenizer
//     has applied NFC to the whole text since transformers PR #22280 (merged spring 2023);
//     NFC word by word gives the same result, as no space composes with anything.
//  7. A word equal to a never-split token (possible after steps 3 and 6 removed or changed
//     characters) is kept whole and goes straight to WordPiece. Otherwise: accents are
//     stripped (NFD, then category Mn dropped) when stripAccents (default: lowerCase), and
//     the word is split around punctuation (ASCII 33-47, 58-64, 91-96, 123-126, or any
//     category P* character), each punctuation character a word of its own.
//  8. WordPiece per word: more than maxInputCharsPerWord code points -> unkToken; otherwise
//     the longest vocabulary prefix, then the longest "##"-prefixed continuation, and so on;
//     a word that cannot be covered completely becomes one unkToken.
//
// Known differences from Python (documented, not tested against it):
//  - Character properties come from utf8proc (Unicode 15 in Debian 12); Python 3.11 has
//    Unicode 14, so characters new in Unicode 15 are category Cn (dropped) in Python but kept
//    here. All other code points agree in category, lower-case mapping, combining class and
//    canonical decomposition (checked exhaustively when this file was written).
//  - Hugging Face lower-cases before it cuts out never-split tokens, so a lower-case
//    never-split token can be matched in upper-case text there; here it is matched only in
//    the text as given. The built-in special tokens are upper-case, so this never matters
//    for them.
//  - Every never-split token is matched anywhere in the text, like Hugging Face's special
//    tokens (Hugging Face matches its own never_split argument only as a whole word).

#include "core/text/tokenizer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort::text {

/// How WordPiece normalises and splits text; Hugging Face's BertTokenizer arguments.
struct WordPieceOptions {
  /// Lower-case the text (do_lower_case). Default true (uncased BERT).
  bool lowerCase = true;
  /// Strip accents (strip_accents). Unset: strip exactly when lowerCase, as Hugging Face does.
  std::optional<bool> stripAccents;
  /// Put each CJK ideograph in a word of its own (tokenize_chinese_chars). Default true.
  bool tokenizeChineseChars = true;
  /// The token for words that WordPiece cannot cover. Default "[UNK]".
  std::string unkToken = "[UNK]";
  /// Words longer than this, in code points, become unkToken. Default 100.
  int maxInputCharsPerWord = 100;
  /// Extra tokens kept whole wherever they occur, in addition to [CLS] [SEP] [PAD] [MASK]
  /// and unkToken, which always are (as Hugging Face's special tokens).
  std::vector<std::string> neverSplit;

  /// stripAccents resolved against lowerCase.
  bool effectiveStripAccents() const { return stripAccents.value_or(lowerCase); }
};

/// A WordPiece vocabulary (vocab.txt) and the options above. Immutable after construction
/// and safe to use from several threads at once.
class WordPieceTokenizer final : public Tokenizer {
 public:
  /// Reads vocab.txt: one token per line, id = line index (0-based). Lines end at "\n",
  /// "\r\n" or a lone "\r" (Python's universal newlines, which Hugging Face reads with);
  /// nothing else is stripped. Throws retort::Error naming the file (and the line numbers)
  /// for a missing or unreadable file, an empty vocabulary or a repeated token.
  static std::unique_ptr<WordPieceTokenizer> fromVocabFile(const std::string& vocabPath,
                                                           const WordPieceOptions& options = {});
  /// Builds a tokenizer from tokens in id order. Throws retort::Error for an empty list, a
  /// repeated token (naming both ids) or a token containing a line break.
  static std::unique_ptr<WordPieceTokenizer> fromTokens(std::vector<std::string> tokens,
                                                        const WordPieceOptions& options = {});

  WordPieceTokenizer(const WordPieceTokenizer&) = delete;
  WordPieceTokenizer& operator=(const WordPieceTokenizer&) = delete;

  std::vector<std::string> tokenize(const std::string& text) const override;
  /// The id of token; the unkToken id for an unknown token. Throws retort::Error when the
  /// token is unknown and the vocabulary has no unkToken either.
  int64_t tokenToId(const std::string& token) const override;
  std::string idToToken(int64_t id) const override;
  int64_t vocabSize() const override { return static_cast<int64_t>(m_tokens.size()); }
  SpecialTokens specialTokens() const override { return m_special; }
  std::string kind() const override { return "wordpiece"; }
  /// Writes directory/vocab.txt and directory/tokenizer_config.json, each through a
  /// temporary file that is renamed into place. Throws retort::Error naming the file.
  void save(const std::string& directory) const override;

  const WordPieceOptions& options() const { return m_options; }

 private:
  WordPieceTokenizer(std::vector<std::string> tokens, const WordPieceOptions& options,
                     const std::string& origin);

  struct Scratch;
  void tokenizeSegment(std::string_view segment, Scratch& scratch,
                       std::vector<std::string>& out) const;
  void processWord(Scratch& scratch, std::vector<std::string>& out) const;
  void wordPiece(const int32_t* begin, const int32_t* end, Scratch& scratch,
                 std::vector<std::string>& out) const;
  bool isNeverSplit(const int32_t* begin, const int32_t* end, Scratch& scratch) const;

  WordPieceOptions m_options;
  bool m_stripAccents;
  std::vector<std::string> m_tokens;
  /// Views into m_tokens (which never changes after construction).
  std::unordered_map<std::string_view, int64_t> m_vocab;
  SpecialTokens m_special;
  /// Never-split tokens, longest first, and which bytes can start one.
  std::vector<std::string> m_neverSplit;
  bool m_neverSplitFirstByte[256] = {};
};

/// Reads do_lower_case, strip_accents (null or bool), tokenize_chinese_chars, unk_token
/// (string or {"content": ...}) and never_split (list of strings) from a Hugging Face
/// tokenizer_config.json; fields that are absent keep their defaults, and a missing file
/// gives the defaults. Throws retort::Error naming the file for malformed JSON or a field
/// of the wrong type.
WordPieceOptions readWordPieceConfig(const std::string& tokenizerConfigJsonPath);

}  // namespace retort::text
