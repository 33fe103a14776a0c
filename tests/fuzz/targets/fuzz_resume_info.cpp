// The run history's view of an interrupted run (resumeInfo): a checkpoint's state.json, its
// metrics.jsonl and the run's summary.json, all from the input. It never throws.
#include <filesystem>

#include "core/distill/resume_info.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string run = [] {
    const std::string dir = retort::fuzz::scratchDir() + "/run";
    std::filesystem::create_directories(dir + "/checkpoints/step-7");
    return dir;
  }();
  // The same bytes as the three files; the first byte chooses whether summary.json exists.
  retort::fuzz::writeInput("run/checkpoints/step-7/state.json", data, size);
  retort::fuzz::writeInput("run/checkpoints/step-7/metrics.jsonl", data, size);
  if (size && (data[0] & 1)) retort::fuzz::writeInput("run/summary.json", data, size);
  else std::filesystem::remove(run + "/summary.json");
  try {
    const auto info = retort::distill::resumeInfo(run);
    retort::fuzz::fuzzCheck(!info.resumable || info.checkpoint == run + "/checkpoints/step-7", "checkpoint path");
    retort::fuzz::fuzzCheck(info.totalSteps >= 0 || info.resumable, "total steps");
  } catch (...) {
    retort::fuzz::fuzzCheck(false, "resumeInfo threw");
  }
  return 0;
}
