// The experiment file (JSON with comments); one that loads equals its own toJson() read back.
#include "core/distill/experiment.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = retort::fuzz::writeInput("experiment.json", data, size);
  try {
    const auto e = retort::distill::Experiment::load(path);
    const auto again = retort::distill::Experiment::fromJson(e.toJson(), "round trip", e.baseDir);
    retort::fuzz::fuzzCheck(again == e, "experiment round trip");
  } catch (const retort::Error&) {
  }
  return 0;
}
