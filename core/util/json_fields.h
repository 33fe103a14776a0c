#pragma once
// Typed reads of optional fields of a JSON config object, with errors that name the file
// (`source`) and the key: "config.json: \"hidden_size\" must be an integer, found \"x\"".

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::util {

[[noreturn]] void badField(const std::string& source, const std::string& key, const std::string& why);
int64_t intField(const nlohmann::json& j, const std::string& source, const char* key, int64_t fallback);
double doubleField(const nlohmann::json& j, const std::string& source, const char* key, double fallback);
/// The class names of a Hugging Face "id2label" object ({"0": "neg", "1": "pos"}), in id
/// order; empty when the key is absent or null. Keys must number the classes 0..n-1.
std::vector<std::string> labelsField(const nlohmann::json& j, const std::string& source);
std::string stringField(const nlohmann::json& j, const std::string& source, const char* key, const std::string& fallback);

}  // namespace retort::util
