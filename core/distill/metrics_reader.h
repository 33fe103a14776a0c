#pragma once
// Reading metrics.jsonl back (report, the workbench's run history, resume). Torch-free.

#include <string>
#include <vector>

#include "core/distill/metrics.h"

namespace retort::distill {

/// A "stage" line: a phase began.
struct StageStartRecord {
  std::string stage;
  int index = 0;
  int count = 0;
  int64_t steps = 0;
};

struct MetricsLogContents {
  std::vector<StageStartRecord> stages;
  std::vector<StepMetrics> steps;
  std::vector<EvalMetrics> evals;
  /// The file's last line had no newline and was not valid JSON: the write of a run that was
  /// killed mid-line. It is left out and reported here instead of failing the read.
  bool truncatedTail = false;
};

/// Reads a metrics.jsonl file as MetricsLog writes it. Blank lines and lines of an unknown
/// "type" are skipped (later versions may add kinds). Throws retort::Error: Io when the file
/// cannot be read; Format "path:line: reason" for a line that is not a JSON object, lacks
/// "type", or has a field of the wrong type or out of range (e.g. "global_step" negative).
MetricsLogContents readMetricsLog(const std::string& path);

}  // namespace retort::distill
