#include "core/util/json_fields.h"

#include <map>

#include "core/util/error.h"

namespace retort::util {

void badField(const std::string& source, const std::string& key, const std::string& why) {
  throw Error(ErrorKind::Format, source + ": \"" + key + "\" " + why);
}

int64_t intField(const nlohmann::json& j, const std::string& source, const char* key, int64_t fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) badField(source, key, "must be an integer, found " + it->dump());
  return it->get<int64_t>();
}

double doubleField(const nlohmann::json& j, const std::string& source, const char* key, double fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number()) badField(source, key, "must be a number, found " + it->dump());
  return it->get<double>();
}

std::string stringField(const nlohmann::json& j, const std::string& source, const char* key,
                        const std::string& fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_string()) badField(source, key, "must be a string, found " + it->dump());
  return it->get<std::string>();
}

}  // namespace retort::util

namespace retort::util {

std::vector<std::string> labelsField(const nlohmann::json& j, const std::string& source) {
  auto it = j.find("id2label");
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_object() || it->empty()) badField(source, "id2label", "must be a non-empty object");
  std::map<int64_t, std::string> byId;
  for (auto& [k, v] : it->items()) {
    int64_t id = -1;
    try {
      size_t used = 0;
      id = std::stoll(k, &used);
      if (used != k.size()) id = -1;
    } catch (const std::exception&) {
    }
    if (id < 0) badField(source, "id2label." + k, "has a key that is not a class number");
    if (!v.is_string()) badField(source, "id2label." + k, "must be a string");
    byId[id] = v.get<std::string>();
  }
  std::vector<std::string> labels;
  for (auto& [id, name] : byId) {
    if (id != static_cast<int64_t>(labels.size()))
      badField(source, "id2label", "must number the classes 0.." + std::to_string(byId.size() - 1));
    labels.push_back(name);
  }
  return labels;
}

}  // namespace retort::util
