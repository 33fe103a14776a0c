// WordPiece tokenization of arbitrary bytes (invalid UTF-8 included) with the test vocabulary.
#include "core/text/wordpiece.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

#include <cstdlib>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<retort::text::WordPieceTokenizer> tok = [] {
    const char* vocab = std::getenv("RETORT_FUZZ_VOCAB");
    return retort::text::WordPieceTokenizer::fromVocabFile(vocab ? vocab : "vocab.txt");
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& p : tok->tokenize(text)) {
      const int64_t id = tok->tokenToId(p);
      retort::fuzz::fuzzCheck(id >= 0 && id < tok->vocabSize(), "id inside the vocabulary");
    }
  } catch (const retort::Error&) {
  }
  return 0;
}
