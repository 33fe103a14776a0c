#include "core/eval/latency.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace retort::eval {

LatencyStats summarize(std::vector<double> s) {
  LatencyStats st;
  if (s.empty()) return st;
  std::sort(s.begin(), s.end());
  const size_t n = s.size();
  st.runs = static_cast<int>(n);
  st.minMs = s.front();
  st.medianMs = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  st.p90Ms = s[std::min(n - 1, static_cast<size_t>(std::ceil(0.9 * static_cast<double>(n))) - 1)];
  st.meanMs = std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(n);
  return st;
}

LatencyStats measureLatency(const std::function<void()>& fn, const LatencyOptions& o) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < o.warmup; ++i) fn();
  std::vector<double> samples;
  double total = 0;
  while (static_cast<int>(samples.size()) < o.maxRuns) {
    const auto t0 = Clock::now();
    fn();
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    samples.push_back(ms);
    total += ms / 1000.0;
    if (static_cast<int>(samples.size()) >= o.minRuns && total >= o.maxSeconds) break;
  }
  return summarize(std::move(samples));
}

}  // namespace retort::eval
