// tokenizer_config.json of a Hugging Face WordPiece tokenizer.
#include "core/text/wordpiece.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = retort::fuzz::writeInput("tokenizer_config.json", data, size);
  try {
    const auto o = retort::text::readWordPieceConfig(path);
    (void)o;
  } catch (const retort::Error&) {
  }
  return 0;
}
