#pragma once
// Typed reads of optional fields of a JSON config object, with errors that name the file
// (`source`) and the key: "config.json: \"hidden_size\" must be an integer, found \"x\"".

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace retort::util {

[[noreturn]] void badField(const std::string& source, const std::string& key, const std::string& why);
int64_t intField(const nlohmann::json& j, const std::string& source, const char* key, int64_t fallback);
double doubleField(const nlohmann::json& j, const std::string& source, const char* key, double fallback);
std::string stringField(const nlohmann::json& j, const std::string& source, const char* key, const std::string& fallback);

}  // namespace retort::util
