#include "core/text/tokenizer.h"

#include "core/util/error.h"

namespace retort::text {

std::vector<int64_t> Tokenizer::tokenizeToIds(const std::string& text) const {
  std::vector<int64_t> ids;
  for (const auto& piece : tokenize(text)) ids.push_back(tokenToId(piece));
  return ids;
}

Encoding Tokenizer::encode(const std::string& text, const std::string* pair,
                           const EncodeOptions& options) const {
  return encodeIds(tokenizeToIds(text), pair ? tokenizeToIds(*pair) : std::vector<int64_t>{},
                    pair != nullptr, options);
}

Encoding Tokenizer::encodeIds(std::vector<int64_t> first, std::vector<int64_t> second,
                               bool hasPair, const EncodeOptions& options) const {
  const SpecialTokens sp = specialTokens();
  if (sp.cls < 0 || sp.sep < 0)
    throw Error(ErrorKind::Format, "the tokenizer's vocabulary has no [CLS] or no [SEP] token");
  const int64_t specials = hasPair ? 3 : 2;
  if (options.maxLength > 0) {
    if (options.maxLength < specials)
      throw Error(ErrorKind::InvalidArgument,
                  "maxLength " + std::to_string(options.maxLength) +
                      " leaves no room for the special tokens (" + std::to_string(specials) + ")");
    const int64_t budget = options.maxLength - specials;
    auto total = [&] { return static_cast<int64_t>(first.size() + second.size()); };
    if (total() > budget && !options.truncation)
      throw Error(ErrorKind::InvalidArgument,
                  "the input has " + std::to_string(total() + specials) +
                      " tokens, more than maxLength " + std::to_string(options.maxLength) +
                      ", and truncation is off");
    // Hugging Face's longest_first: drop one token from the end of the longer text at a
    // time; on a tie the pair loses it.
    int64_t excess = total() - budget;
    if (excess > 0) {
      if (!hasPair) {
        first.resize(first.size() - static_cast<size_t>(excess));
      } else {
        // Closed form of the one-at-a-time loop.
        int64_t a = static_cast<int64_t>(first.size()), b = static_cast<int64_t>(second.size());
        const int64_t diff = a > b ? a - b : b - a;
        const int64_t first_step = std::min(diff, excess);
        if (a > b) a -= first_step; else b -= first_step;
        excess -= first_step;
        // Now a == b (or excess is 0): alternate, the pair first.
        b -= (excess + 1) / 2;
        a -= excess / 2;
        first.resize(static_cast<size_t>(a));
        second.resize(static_cast<size_t>(b));
      }
    }
  }

  Encoding enc;
  const size_t n = first.size() + second.size() + static_cast<size_t>(specials);
  enc.input_ids.reserve(n);
  enc.token_type_ids.reserve(n);
  auto push = [&](int64_t id, int64_t type) {
    enc.input_ids.push_back(id);
    enc.token_type_ids.push_back(type);
  };
  push(sp.cls, 0);
  for (int64_t id : first) push(id, 0);
  push(sp.sep, 0);
  if (hasPair) {
    for (int64_t id : second) push(id, 1);
    push(sp.sep, 1);
  }
  enc.attention_mask.assign(enc.input_ids.size(), 1);
  if (options.padToMaxLength && options.maxLength > 0) {
    if (sp.pad < 0) throw Error(ErrorKind::Format, "the tokenizer's vocabulary has no [PAD] token");
    while (static_cast<int64_t>(enc.input_ids.size()) < options.maxLength) {
      push(sp.pad, 0);
      enc.attention_mask.push_back(0);
    }
  }
  enc.tokens.reserve(enc.input_ids.size());
  for (int64_t id : enc.input_ids) enc.tokens.push_back(idToToken(id));
  return enc;
}

}  // namespace retort::text
