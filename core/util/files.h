#pragma once
// File helpers: whole-file reads with clear errors and atomic writes.

#include <string>

namespace retort::util {

/// Reads a whole file; throws retort::Error(Io) naming the path and the system's reason.
std::string readFile(const std::string& path);

/// Writes `content` to `path` atomically: a temp file in the same directory, fsync, rename.
/// On failure the temp file is removed, the old file (if any) is untouched, and a
/// retort::Error(Io) names the path and the reason (e.g. "No space left on device").
void writeFileAtomic(const std::string& path, const std::string& content);

/// Whether a regular file or directory exists at path.
bool exists(const std::string& path);

/// Directory of the running executable (from /proc/self/exe); empty if unknown.
std::string executableDir();

}  // namespace retort::util
