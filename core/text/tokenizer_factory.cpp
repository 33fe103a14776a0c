// loadTokenizer: picks the tokenizer of a checkpoint directory.

#include <filesystem>

#include "core/text/sentencepiece_tokenizer.h"
#include "core/text/tokenizer.h"
#include "core/text/wordpiece.h"
#include "core/util/error.h"

namespace retort::text {

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& directory) {
  namespace fs = std::filesystem;
  const fs::path dir(directory);
  if (fs::exists(dir / "vocab.txt")) {
    const auto options = readWordPieceConfig((dir / "tokenizer_config.json").string());
    return WordPieceTokenizer::fromVocabFile((dir / "vocab.txt").string(), options);
  }
  for (const char* name : {"spiece.model", "tokenizer.model"})
    if (fs::exists(dir / name)) return SentencePieceTokenizer::fromModelFile((dir / name).string());
  throw Error(ErrorKind::Io,
              directory + ": no tokenizer here (vocab.txt, spiece.model or tokenizer.model)");
}

}  // namespace retort::text
