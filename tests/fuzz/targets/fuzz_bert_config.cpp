// config.json of a Hugging Face BERT checkpoint; a config that loads survives its own round trip.
#include "core/model/bert_config.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = retort::fuzz::writeInput("config.json", data, size);
  try {
    const auto config = retort::model::BertConfig::load(path);
    const auto again = retort::model::BertConfig::fromJson(config.toJson(), "round trip");
    retort::fuzz::fuzzCheck(again.toJson() == config.toJson(), "config round trip");
    (void)retort::model::backboneParameterCount(config);
  } catch (const retort::Error&) {
  }
  return 0;
}
