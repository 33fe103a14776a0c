#pragma once
// Repeated timing of a piece of work: warm-up runs, then timed runs, robust statistics.

#include <functional>
#include <vector>

namespace retort::eval {

struct LatencyStats {
  double medianMs = 0, minMs = 0, p90Ms = 0, meanMs = 0;
  int runs = 0;
};

struct LatencyOptions {
  int warmup = 3;           ///< untimed runs first
  int minRuns = 5;          ///< timed runs at least
  int maxRuns = 50;         ///< timed runs at most
  double maxSeconds = 10;   ///< stop adding runs (past minRuns) after this much timed work
};

/// Times fn() as asked. fn must finish its work before returning (synchronise devices).
LatencyStats measureLatency(const std::function<void()>& fn, const LatencyOptions& options = {});

/// Statistics of samples in milliseconds (sorted copy; empty input gives zeros).
LatencyStats summarize(std::vector<double> samplesMs);

}  // namespace retort::eval
