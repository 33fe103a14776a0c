#pragma once
// Shared by the libFuzzer targets: each input is written to a file (the parsers read files,
// as the program does) in a scratch directory of this process, then parsed. A parser may
// reject an input only with retort::Error; any other exception, a crash, a sanitizer report
// or a broken invariant (checked with fuzzCheck) is a finding.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace retort::fuzz {

/// A per-process scratch directory (under $TMPDIR or /tmp), made once.
inline const std::string& scratchDir() {
  static const std::string dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/retort-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::abort();
    }
    return pattern;
  }();
  return dir;
}

/// Writes the input to scratchDir()/name and returns the path.
inline std::string writeInput(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = scratchDir() + "/" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || (size && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}

/// Aborts (a finding) when an invariant does not hold.
inline void fuzzCheck(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace retort::fuzz
