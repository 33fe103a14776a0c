#pragma once
// Platform-independent random draws: std::mt19937_64 (whose output the C++ standard fixes)
// with our own unbiased reductions, so that orders and masks are identical everywhere.

#include <cstdint>
#include <random>

namespace retort::util {

/// SplitMix64's finaliser: a well-mixed 64-bit value from any input (for seeding).
inline uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// Unbiased draw in [0, n), n > 0: rejection of the low values that make `r % n` uneven.
inline uint64_t uniformBelow(std::mt19937_64& rng, uint64_t n) {
  const uint64_t threshold = (0 - n) % n;  // == 2^64 mod n
  while (true) {
    const uint64_t r = rng();
    if (r >= threshold) return r % n;
  }
}

/// Uniform double in [0, 1) from the top 53 bits.
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// Fisher-Yates shuffle of [first, first + n) with uniformBelow draws.
template <typename It>
void shuffle(It first, uint64_t n, std::mt19937_64& rng) {
  for (uint64_t i = n; i > 1; --i) {
    const uint64_t j = uniformBelow(rng, i);
    std::swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
  }
}

}  // namespace retort::util
