#include "core/io/safetensors_index.h"

#include <nlohmann/json.hpp>

#include <set>

#include "core/util/error.h"
#include "core/util/files.h"

namespace retort::io {

std::vector<std::string> readSafetensorsIndex(const std::string& indexPath) {
  nlohmann::json index;
  try {
    index = nlohmann::json::parse(util::readFile(indexPath));
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::Format, indexPath + ": not valid JSON (" + e.what() + ")");
  }
  if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
    throw Error(ErrorKind::Format, indexPath + ": \"weight_map\" is missing or not an object");
  std::vector<std::string> shards;
  std::set<std::string> unique;
  for (auto& [name, file] : index["weight_map"].items()) {
    if (!file.is_string() || file.get_ref<const std::string&>().empty())
      throw Error(ErrorKind::Format, indexPath + ": weight_map." + name + " must be a file name");
    const std::string& f = file.get_ref<const std::string&>();
    if (f.find('/') != std::string::npos || f.find('\\') != std::string::npos || f.find("..") != std::string::npos ||
        f.find('\0') != std::string::npos)
      throw Error(ErrorKind::Format, indexPath + ": weight_map." + name + " points outside the directory");
    if (unique.insert(f).second) shards.push_back(f);
  }
  return shards;
}

}  // namespace retort::io
