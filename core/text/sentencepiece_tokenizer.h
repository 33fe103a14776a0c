#pragma once
// The sentencepiece tokenizer (ALBERT's spiece.model, T5's and LLaMA's tokenizer.model, or one
// that Retort trains). sentencepiece itself is never linked into a program that links
// LibTorch: its bundled protobuf crashes such a program before main (DESIGN.md, toolchain
// facts). This class reaches it through the C interface of libretort_spm.so
// (core/spm_bridge/spm_bridge.h), which it dlopen()s once per process with
// RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND.
//
// Where the bridge is looked for, in order:
//   1. $RETORT_SPM_LIBRARY. When it is set (non-empty) it is the only place tried: a wrong
//      path is an error naming it, never a silent fall-back to another copy.
//   2. <dir of /proc/self/exe>/../lib/retort/libretort_spm.so   (installed layout)
//      <dir of /proc/self/exe>/../<install libdir>/libretort_spm.so (when it differs)
//      <dir of /proc/self/exe>/../lib/libretort_spm.so          (build tree: bin/ and lib/)
//   3. the build tree's libretort_spm.so (absolute path compiled in)
//   4. /usr/<install libdir>/libretort_spm.so, /usr/local/<install libdir>/libretort_spm.so
// A candidate that is missing, does not load, or reports another ABI version is skipped; when
// none loads, retort::Error (ErrorKind::Io) names every path tried and why it failed.
// (AddressSanitizer refuses RTLD_DEEPBIND: test this class without ASan.)

#include "core/text/tokenizer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct retort_spm_model;  // spm_bridge.h: an opaque loaded model

namespace retort::text {

/// What SentencePieceTokenizer::train does. The result is BERT-ready: [PAD] = 0, [UNK] = 1,
/// [CLS] = 2, [SEP] = 3, [MASK] = 4 (the last three user-defined), no <s> or </s>.
struct SentencePieceTrainOptions {
  /// Text file, one sentence a line (UTF-8). Required.
  std::string corpusPath;
  /// Writes <outputPrefix>.model and <outputPrefix>.vocab; the directory must exist. Required.
  std::string outputPrefix;
  /// Pieces in the vocabulary, the five specials included. sentencepiece refuses a size the
  /// corpus cannot fill ("Vocabulary size too high ... <= N").
  int vocabSize = 8000;
  /// "unigram" or "bpe" (sentencepiece's "word" and "char" also pass).
  std::string modelType = "unigram";
  /// Share of the corpus's characters that get their own piece; the rest become [UNK].
  double characterCoverage = 0.9995;
  /// Most sentences read from the corpus; a larger corpus is sampled (with seed).
  int64_t inputSentenceSize = 1000000;
  /// Training threads.
  int threads = 2;
  /// Seed of sentencepiece's random generator: the same corpus and options give the same model.
  int seed = 1;
  /// Lower-case (and case-fold) text inside the model: normalization rule "nmt_nfkc_cf"
  /// instead of "nmt_nfkc". The saved model then lower-cases whatever it encodes.
  bool lowerCase = false;
};

/// A Tokenizer over a sentencepiece model.
///
/// Special tokens of a loaded model: [CLS], [SEP] and [MASK] by name (else <cls>, <sep>,
/// <mask>); pad is "[PAD]", else "<pad>", else the model's pad id; unk is the model's unk id.
/// Instances are immutable; concurrent const calls are safe.
class SentencePieceTokenizer final : public Tokenizer {
 public:
  /// Loads a .model file. Throws retort::Error naming the file when it is missing (Io) or is
  /// not a sentencepiece model (Format), or when the bridge cannot be loaded (Io).
  static std::unique_ptr<SentencePieceTokenizer> fromModelFile(const std::string& path);
  /// Loads a model from the bytes of a .model file; origin names them in messages.
  static std::unique_ptr<SentencePieceTokenizer> fromSerializedModel(
      const std::string& bytes, const std::string& origin = "the serialized model");
  /// Trains a model on options.corpusPath, writes <outputPrefix>.model/.vocab and loads it.
  /// Throws retort::Error naming the corpus when it is missing (Io), empty (InvalidArgument),
  /// or sentencepiece fails (Runtime), and for bad options (InvalidArgument).
  static std::unique_ptr<SentencePieceTokenizer> train(const SentencePieceTrainOptions& options);

  ~SentencePieceTokenizer() override;
  SentencePieceTokenizer(const SentencePieceTokenizer&) = delete;
  SentencePieceTokenizer& operator=(const SentencePieceTokenizer&) = delete;

  /// The model's pieces for text ("▁" marks a word start); normalization applies.
  std::vector<std::string> tokenize(const std::string& text) const override;
  /// The piece's id; the unk id for a piece the vocabulary lacks.
  int64_t tokenToId(const std::string& token) const override;
  /// The piece of an id; throws retort::Error (InvalidArgument) outside [0, vocabSize()).
  std::string idToToken(int64_t id) const override;
  int64_t vocabSize() const override;
  SpecialTokens specialTokens() const override;
  /// "sentencepiece".
  std::string kind() const override;
  /// Writes directory/spiece.model (the model's bytes, via a temp file and rename) and
  /// directory/tokenizer_config.json:
  ///   {"tokenizer_class": "AlbertTokenizer", "retort_tokenizer": "sentencepiece",
  ///    "model_file": "spiece.model", "do_lower_case": false, "keep_accents": true,
  ///    "remove_space": true, "unk_token": ..., "pad_token": ..., "cls_token": ...,
  ///    "sep_token": ..., "mask_token": ...}
  /// AlbertTokenizer is Hugging Face's [CLS] A [SEP] B [SEP] sentencepiece tokenizer; with
  /// do_lower_case false and keep_accents true it leaves normalization to the model, as
  /// Retort does. The *_token entries list only the specials the vocabulary has.
  void save(const std::string& directory) const override;

  /// Pieces and their ids in one pass, straight from sentencepiece.
  std::pair<std::vector<std::string>, std::vector<int64_t>> tokenizeWithIds(
      const std::string& text) const;
  /// Text of ids (sentencepiece's decoding: "▁" back to spaces, control pieces dropped).
  /// Throws retort::Error (InvalidArgument) for an id outside the vocabulary.
  std::string decode(const std::vector<int64_t>& ids) const;
  /// The bytes of the model, as a .model file holds them.
  std::string serializedModel() const;
  /// True when the id is a control piece (never produced by tokenize), e.g. ALBERT's [CLS].
  bool isControl(int64_t id) const;
  /// True when the id is the unknown piece.
  bool isUnknown(int64_t id) const;
  /// Where the model came from (a path or the origin given to fromSerializedModel).
  const std::string& origin() const { return m_origin; }

 private:
  SentencePieceTokenizer(retort_spm_model* model, std::string origin);

  retort_spm_model* m_model = nullptr;  // owned; freed through the bridge
  std::string m_origin;
  std::vector<std::string> m_pieces;    // id -> piece, cached at load
  SpecialTokens m_special;
};

namespace detail {

/// The loaded bridge library: its handle and function table (defined in the .cpp).
struct SpmBridge;

/// One place where the bridge may be.
struct SpmBridgeCandidate {
  std::string path;
  std::string origin;  ///< why it is tried, e.g. "RETORT_SPM_LIBRARY" or "build tree"
};

/// The search list described at the top of this file. envValue is $RETORT_SPM_LIBRARY
/// (nullptr or empty: unset); executableDir is the directory of /proc/self/exe ("" to skip).
std::vector<SpmBridgeCandidate> spmBridgeCandidates(const char* envValue,
                                                    const std::string& executableDir);

/// Loads the first candidate that dlopen()s and reports expectedAbi; throws retort::Error
/// (Io) naming every candidate and why it failed. A loaded bridge is never unloaded, and
/// opening the same path again returns the same SpmBridge.
const SpmBridge& openSpmBridge(const std::vector<SpmBridgeCandidate>& candidates,
                               int expectedAbi);

/// The process-wide bridge: loaded on first use from spmBridgeCandidates(getenv, exe dir),
/// thread-safe; a failure throws and the next call tries again.
const SpmBridge& spmBridge();

/// The path a bridge was loaded from.
const std::string& spmBridgePath(const SpmBridge& bridge);

/// The interface version this build of Retort expects (RETORT_SPM_ABI_VERSION).
int spmBridgeAbiVersion();

}  // namespace detail
}  // namespace retort::text
