// WordPiece vocabularies and configs on disk: building a tokenizer from a token list or a
// vocab.txt, saving vocab.txt and tokenizer_config.json, reading a tokenizer_config.json.
// Normalisation and tokenization are in wordpiece.cpp.

#include "core/text/wordpiece.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <system_error>
#include <unordered_map>

namespace fs = std::filesystem;

namespace retort::text {

// ---------------------------------------------------------------------------------------
// Construction from tokens and files

std::unique_ptr<WordPieceTokenizer> WordPieceTokenizer::fromTokens(
    std::vector<std::string> tokens, const WordPieceOptions& options) {
  for (size_t i = 0; i < tokens.size(); ++i)
    if (tokens[i].find_first_of("\r\n") != std::string::npos)
      throw Error(ErrorKind::InvalidArgument,
                  "the token at id " + std::to_string(i) + " contains a line break");
  return std::unique_ptr<WordPieceTokenizer>(
      new WordPieceTokenizer(std::move(tokens), options, "the token list"));
}

std::unique_ptr<WordPieceTokenizer> WordPieceTokenizer::fromVocabFile(
    const std::string& vocabPath, const WordPieceOptions& options) {
  std::string data;
  try {
    data = util::readFile(vocabPath);
  } catch (const Error& e) {
    throw Error(ErrorKind::Io, std::string("cannot read the vocabulary file: ") + e.what());
  }

  // Python's universal newlines: a line ends at "\r\n", "\r" or "\n".
  std::vector<std::string> tokens;
  std::unordered_map<std::string, size_t> firstLine;
  size_t start = 0;
  while (start < data.size()) {
    size_t end = data.find_first_of("\r\n", start);
    size_t next;
    if (end == std::string::npos) {
      end = next = data.size();
    } else {
      next = end + 1;
      if (data[end] == '\r' && next < data.size() && data[next] == '\n') ++next;
    }
    std::string token = data.substr(start, end - start);
    const size_t line = tokens.size() + 1;
    const auto [it, inserted] = firstLine.emplace(token, line);
    if (!inserted)
      throw Error(ErrorKind::Format, "vocabulary file '" + vocabPath + "', line " +
                                         std::to_string(line) + ": the token \"" + token +
                                         "\" repeats line " + std::to_string(it->second));
    tokens.push_back(std::move(token));
    start = next;
  }
  if (tokens.empty())
    throw Error(ErrorKind::Format, "the vocabulary file '" + vocabPath + "' is empty");
  return std::unique_ptr<WordPieceTokenizer>(
      new WordPieceTokenizer(std::move(tokens), options, "vocabulary file '" + vocabPath + "'"));
}

// ---------------------------------------------------------------------------------------
// Files

void WordPieceTokenizer::save(const std::string& directory) const {
  std::error_code ec;
  if (!fs::is_directory(directory, ec))
    throw Error(ErrorKind::Io, "cannot save the tokenizer: '" + directory + "' is not a directory");
  std::string vocab;
  for (const auto& t : m_tokens) {
    vocab += t;
    vocab += '\n';
  }
  util::writeFileAtomic((fs::path(directory) / "vocab.txt").string(), vocab);

  nlohmann::ordered_json config;
  config["tokenizer_class"] = "BertTokenizer";
  config["do_lower_case"] = m_options.lowerCase;
  if (m_options.stripAccents) config["strip_accents"] = *m_options.stripAccents;
  else config["strip_accents"] = nullptr;
  config["tokenize_chinese_chars"] = m_options.tokenizeChineseChars;
  config["unk_token"] = m_options.unkToken;
  if (!m_options.neverSplit.empty()) config["never_split"] = m_options.neverSplit;
  util::writeFileAtomic((fs::path(directory) / "tokenizer_config.json").string(),
                        config.dump(2) + "\n");
}

WordPieceOptions readWordPieceConfig(const std::string& tokenizerConfigJsonPath) {
  WordPieceOptions options;
  const std::string& path = tokenizerConfigJsonPath;
  std::error_code ec;
  if (!fs::exists(path, ec)) return options;
  const std::string text = util::readFile(path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::Format,
                "the tokenizer config '" + path + "' is not valid JSON: " + e.what());
  }
  if (!j.is_object())
    throw Error(ErrorKind::Format, "the tokenizer config '" + path + "' is not a JSON object");
  auto wrongType = [&](const char* field, const char* expected) {
    return Error(ErrorKind::Format, "the tokenizer config '" + path + "': field \"" + field +
                                        "\" must be " + expected);
  };
  auto readBool = [&](const char* field, bool& target) {
    auto it = j.find(field);
    if (it == j.end() || it->is_null()) return;
    if (!it->is_boolean()) throw wrongType(field, "true or false");
    target = it->get<bool>();
  };
  readBool("do_lower_case", options.lowerCase);
  readBool("tokenize_chinese_chars", options.tokenizeChineseChars);
  if (auto it = j.find("strip_accents"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) throw wrongType("strip_accents", "null, true or false");
    options.stripAccents = it->get<bool>();
  }
  if (auto it = j.find("unk_token"); it != j.end() && !it->is_null()) {
    if (it->is_string()) options.unkToken = it->get<std::string>();
    else if (it->is_object() && it->contains("content") && (*it)["content"].is_string())
      options.unkToken = (*it)["content"].get<std::string>();
    else throw wrongType("unk_token", "a string or an object with a \"content\" string");
  }
  if (auto it = j.find("never_split"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw wrongType("never_split", "null or a list of strings");
    for (const auto& t : *it) {
      if (!t.is_string()) throw wrongType("never_split", "null or a list of strings");
      options.neverSplit.push_back(t.get<std::string>());
    }
  }
  return options;
}

}  // namespace retort::text
