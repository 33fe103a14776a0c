// metrics.jsonl as report, resume and the run history read it back.
#include "core/distill/metrics_reader.h"
#include "core/distill/run_directory.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = retort::fuzz::writeInput("metrics.jsonl", data, size);
  try {
    const auto log = retort::distill::readMetricsLog(path);
    for (const auto& m : log.steps) (void)retort::distill::toJson(m).dump();
    for (const auto& e : log.evals) (void)retort::distill::toJson(e).dump();
  } catch (const retort::Error&) {
  }
  return 0;
}
