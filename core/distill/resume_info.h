#pragma once
// Whether a run directory can be resumed, read from its checkpoints' state.json files only.
// Torch-free: the workbench's run history asks this for every run it lists.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace retort::distill {

struct ResumeInfo {
  bool resumable = false;   ///< a checkpoint is there and the run did not complete
  int64_t globalStep = 0;   ///< the newest checkpoint's step
  int64_t totalSteps = 0;   ///< steps the run plans (from its metrics, 0 when unknown)
  std::string phaseName;    ///< the phase it stopped in
  std::string checkpoint;   ///< RUN/checkpoints/step-N
};

/// The newest checkpoint of runDir when the run did not complete (no summary.json, or one of
/// a cancelled run); resumable is false otherwise. Never throws: an unreadable state.json
/// counts as no checkpoint.
ResumeInfo resumeInfo(const std::string& runDir);

/// Whether runDir already holds a run (its experiment.json).
bool holdsRun(const std::string& runDir);

/// The step-N directories of a checkpoints directory, highest N first.
std::vector<std::pair<int64_t, std::filesystem::path>> checkpointDirectories(const std::filesystem::path& dir);

}  // namespace retort::distill
