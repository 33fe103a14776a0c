#include "core/distill/experiment_reader.h"

#include <algorithm>
#include <cmath>

#include "core/util/error.h"

namespace retort::distill::experiment_reader {

/// How a value appears in a message: its JSON text (cut when long), or "an array"/"an object".
std::string shown(const json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string inQuotes(const std::string& s) { return "\"" + s + "\""; }

std::string joinPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string indexPath(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

}  // namespace

/// Optimal-string-alignment distance (an adjacent transposition counts as one edit),
/// case-insensitive.
size_t editDistance(const std::string& a, const std::string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

/// The known key closest to `key`, if it is within reach: 1 edit for keys of up to 5
/// characters, 2 up to 8, else 3 ("learnig_rate" -> "learning_rate", "learningRate" too).
std::string closestKey(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  size_t bestDistance = SIZE_MAX;
  for (const auto& k : known) {
    const size_t limit = k.size() <= 5 ? 1 : (k.size() <= 8 ? 2 : 3);
    const size_t d = editDistance(key, k);
    if (d <= limit && d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// ---- reading values ---------------------------------------------------------------------------

Failer::Failer(const std::string& source) : m_prefix(source.empty() ? "" : source + ": ") {}

void Failer::fail(const std::string& path, const std::string& reason) const {
  throw Error(ErrorKind::Format, m_prefix + (path.empty() ? "" : path + ": ") + reason);
}

int64_t asInteger(const Failer& f, const json& v, const std::string& path) {
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > uint64_t(INT64_MAX)) f.fail(path, "must be at most 9223372036854775807, found " + shown(v));
    return int64_t(v.get<uint64_t>());
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e18) return int64_t(d);
  }
  f.fail(path, "must be an integer, found " + shown(v));
}

int64_t asInteger(const Failer& f, const json& v, const std::string& path, int64_t min, int64_t max) {
  const int64_t x = asInteger(f, v, path);
  if (x < min) f.fail(path, "must be >= " + std::to_string(min) + ", found " + shown(v));
  if (x > max) f.fail(path, "must be <= " + std::to_string(max) + ", found " + shown(v));
  return x;
}

double asReal(const Failer& f, const json& v, const std::string& path, Range range) {
  if (!v.is_number()) f.fail(path, "must be a number, found " + shown(v));
  const double d = v.get<double>();
  if (!std::isfinite(d)) f.fail(path, "must be a finite number, found " + shown(v));
  switch (range) {
    case Range::NonNegative:
      if (d < 0) f.fail(path, "must be >= 0, found " + shown(v));
      break;
    case Range::Positive:
      if (d <= 0) f.fail(path, "must be positive, found " + shown(v));
      break;
    case Range::Probability:
      if (d < 0 || d >= 1) f.fail(path, "must be in [0, 1), found " + shown(v));
      break;
  }
  return d;
}

std::string asText(const Failer& f, const json& v, const std::string& path) {
  if (!v.is_string()) f.fail(path, "must be a string, found " + shown(v));
  return v.get<std::string>();
}

Obj::Obj(const Failer& f, const json* value, std::string path, std::initializer_list<const char*> keys)
    : m_f(f), m_value(value && !value->is_null() ? value : nullptr), m_path(std::move(path)) {
  if (!m_value) return;
  if (!m_value->is_object()) m_f.fail(m_path, "must be an object, found " + shown(*m_value));
  const std::vector<std::string> known(keys.begin(), keys.end());
  for (const auto& item : m_value->items()) {
    if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
    const std::string suggestion = closestKey(item.key(), known);
    m_f.fail(at(item.key()), suggestion.empty() ? "unknown key (known keys: " + joined(known, ", ") + ")"
                                                : "unknown key (did you mean " + suggestion + "?)");
  }
}

std::string Obj::at(const std::string& key) const { return joinPath(m_path, key); }

void Obj::fail(const std::string& key, const std::string& reason) const { m_f.fail(at(key), reason); }

const json* Obj::find(const char* key) const {
  if (!m_value) return nullptr;
  const auto it = m_value->find(key);
  return it == m_value->end() || it->is_null() ? nullptr : &*it;
}

void Obj::text(const char* key, std::string& out) const {
  if (const json* v = find(key)) out = asText(m_f, *v, at(key));
}

void Obj::nonEmptyText(const char* key, std::string& out) const {
  text(key, out);
  if (out.empty()) fail(key, "must not be empty");
}

void Obj::choice(const char* key, std::string& out, std::initializer_list<const char*> allowed) const {
  const json* v = find(key);
  if (!v) return;
  const std::string s = asText(m_f, *v, at(key));
  const std::vector<std::string> names(allowed.begin(), allowed.end());
  if (std::find(names.begin(), names.end(), s) == names.end())
    fail(key, "must be one of " + joined(names, ", ") + "; found " + shown(*v));
  out = s;
}

void Obj::integer(const char* key, int64_t& out, int64_t min, int64_t max) const {
  if (const json* v = find(key)) out = asInteger(m_f, *v, at(key), min, max);
}

void Obj::real(const char* key, double& out, Range range) const {
  if (const json* v = find(key)) out = asReal(m_f, *v, at(key), range);
}

void Obj::flag(const char* key, bool& out) const {
  const json* v = find(key);
  if (!v) return;
  if (!v->is_boolean()) fail(key, "must be true or false, found " + shown(*v));
  out = v->get<bool>();
}

const json& Obj::array(const char* key) const {
  static const json empty = json::array();
  const json* v = find(key);
  if (!v) return empty;
  if (!v->is_array()) fail(key, "must be an array, found " + shown(*v));
  return *v;
}

}  // namespace retort::distill::experiment_reader
