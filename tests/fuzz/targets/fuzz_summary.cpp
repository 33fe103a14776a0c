// summary.json as report and the run history read it back; what reads back writes back the same.
#include "core/distill/run_directory.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = retort::fuzz::writeInput("summary.json", data, size);
  try {
    const auto s = retort::distill::readSummary(path);
    retort::fuzz::fuzzCheck(s.teacher.parameters >= 0 && s.student.parameters >= 0, "parameter counts");
    (void)retort::distill::toJson(s).dump();
  } catch (const retort::Error&) {
  }
  return 0;
}
