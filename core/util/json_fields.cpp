#include "core/util/json_fields.h"

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
