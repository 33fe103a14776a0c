// model.safetensors.index.json of a sharded checkpoint.
#include "core/io/safetensors_index.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = retort::fuzz::writeInput("model.safetensors.index.json", data, size);
  try {
    for (const auto& shard : retort::io::readSafetensorsIndex(path)) {
      retort::fuzz::fuzzCheck(!shard.empty(), "shard name not empty");
      retort::fuzz::fuzzCheck(shard.find('/') == std::string::npos && shard.find("..") == std::string::npos,
                              "shard inside the directory");
    }
  } catch (const retort::Error&) {
  }
  return 0;
}
