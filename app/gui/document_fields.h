#pragma once
// Small readers for the experiment document (the JSON of an experiment file) shared by the
// set-up panels: a missing key or a value of the wrong type gives the fallback.

#include <QString>

#include <cstdint>
#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

namespace retort {
namespace app {

inline QString q(const std::string& s) { return QString::fromStdString(s); }

inline std::string text(const nlohmann::json& doc, std::initializer_list<const char*> path, const std::string& fallback = {}) {
  const nlohmann::json* v = &doc;
  for (const char* key : path) {
    if (!v->is_object() || !v->contains(key)) return fallback;
    v = &(*v)[key];
  }
  return v->is_string() ? v->get<std::string>() : fallback;
}

inline int64_t integer(const nlohmann::json& doc, std::initializer_list<const char*> path, int64_t fallback) {
  const nlohmann::json* v = &doc;
  for (const char* key : path) {
    if (!v->is_object() || !v->contains(key)) return fallback;
    v = &(*v)[key];
  }
  return v->is_number() ? v->get<int64_t>() : fallback;
}

}  // namespace app
}  // namespace retort
