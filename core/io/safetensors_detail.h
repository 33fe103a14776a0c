#pragma once
// Helpers shared by the safetensors reader (safetensors.cpp) and writer
// (safetensors_write.cpp). Private to core/io.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/io/safetensors.h"
#include "core/util/error.h"

namespace retort::io::detail {

/// Throws Error(kind, "<path>: <what>").
[[noreturn]] void fail(ErrorKind kind, const std::string& path, const std::string& what);

/// The system's wording of an errno value.
std::string systemReason(int err);

/// product(shape) * dtypeSize, or nullopt on a negative dimension or overflow.
std::optional<uint64_t> byteCount(const std::vector<int64_t>& shape, DType dtype);

}  // namespace retort::io::detail
