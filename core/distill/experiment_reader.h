#pragma once
// Reading typed values out of an experiment document with messages that name the file and
// the JSON path ("exp.json: stages[1].optim.learning_rate: must be positive, found 0"), and
// that suggest the closest key for a misspelt one. Private to experiment.cpp.

#include <climits>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::distill::experiment_reader {

using nlohmann::json;

/// How a value appears in a message: its JSON text (cut when long), or "an array"/"an object".
std::string shown(const json& v);
std::string inQuotes(const std::string& s);
/// "path.key" (or "key" at the top).
std::string joinPath(const std::string& path, const std::string& key);
/// "path[i]".
std::string indexPath(const std::string& path, size_t i);
/// Optimal-string-alignment distance (an adjacent transposition counts as one edit),
/// case-insensitive.
size_t editDistance(const std::string& a, const std::string& b);
/// The known key closest to `key`, if it is within reach: 1 edit for keys of up to 5
/// characters, 2 up to 8, else 3 ("learnig_rate" -> "learning_rate", "learningRate" too).
std::string closestKey(const std::string& key, const std::vector<std::string>& known);
std::string joined(const std::vector<std::string>& items, const char* separator);

/// Throws Error(Format) as "<source>: <path>: <reason>".
class Failer {
 public:
  explicit Failer(const std::string& source);
  [[noreturn]] void fail(const std::string& path, const std::string& reason) const;

 private:
  std::string m_prefix;
};

enum class Range { NonNegative, Positive, Probability };

int64_t asInteger(const Failer& f, const json& v, const std::string& path);
int64_t asInteger(const Failer& f, const json& v, const std::string& path, int64_t min, int64_t max = INT64_MAX);
double asReal(const Failer& f, const json& v, const std::string& path, Range range);
std::string asText(const Failer& f, const json& v, const std::string& path);

/// One JSON object being read: rejects unknown keys up front, then reads fields by name.
/// A missing object reads as empty; a key whose value is null reads as absent.
class Obj {
 public:
  Obj(const Failer& f, const json* value, std::string path, std::initializer_list<const char*> keys);

  const Failer& failer() const { return m_f; }
  std::string at(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& reason) const;

  /// The value of key; nullptr when absent or null.
  const json* find(const char* key) const;

  void text(const char* key, std::string& out) const;
  void nonEmptyText(const char* key, std::string& out) const;
  void choice(const char* key, std::string& out, std::initializer_list<const char*> allowed) const;
  void integer(const char* key, int64_t& out, int64_t min, int64_t max = INT64_MAX) const;
  void real(const char* key, double& out, Range range) const;
  void flag(const char* key, bool& out) const;
  /// The array at key (empty when absent); throws when it is not an array.
  const json& array(const char* key) const;

 private:
  const Failer& m_f;
  const json* m_value;
  std::string m_path;
};

}  // namespace retort::distill::experiment_reader
