// vocab.txt, then the tokenizer it makes on a fixed sentence: ids stay inside the vocabulary.
#include "core/text/wordpiece.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = retort::fuzz::writeInput("vocab.txt", data, size);
  try {
    auto tok = retort::text::WordPieceTokenizer::fromVocabFile(path);
    const auto pieces = tok->tokenize("Hello, world! unaffable caf\xc3\xa9 [MASK] \xe4\xb8\xad\xe6\x96\x87");
    for (const auto& p : pieces) {
      try {
        const int64_t id = tok->tokenToId(p);
        retort::fuzz::fuzzCheck(id >= 0 && id < tok->vocabSize(), "id inside the vocabulary");
        (void)tok->idToToken(id);
      } catch (const retort::Error&) {  // no [UNK] in this vocabulary
      }
    }
  } catch (const retort::Error&) {
  }
  return 0;
}
