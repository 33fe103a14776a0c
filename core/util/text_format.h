#pragma once
// Small formatting helpers for error messages.

#include <cstdint>
#include <string>
#include <vector>

namespace retort::util {

/// "[2, 4, 8, 8]"
std::string shapeText(const std::vector<int64_t>& shape);

/// "a, b, c and 5 more" (at most `max` names).
std::string listNames(const std::vector<std::string>& names, size_t max = 8);

}  // namespace retort::util
