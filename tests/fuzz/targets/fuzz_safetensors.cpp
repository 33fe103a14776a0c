// safetensors: the header (JSON), offsets and sizes, then every tensor's bytes are touched so
// that AddressSanitizer sees a read outside the file.
#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = retort::fuzz::writeInput("model.safetensors", data, size);
  try {
    auto file = retort::io::SafetensorsFile::open(path);
    unsigned sum = 0;
    for (const auto& t : file.tensors()) {
      retort::fuzz::fuzzCheck(t.offset + t.nbytes <= file.fileSize() - 8 - file.headerSize(), "tensor inside the data section");
      retort::fuzz::fuzzCheck(file.find(t.name) == &t, "find() returns the tensor");
      const uint8_t* p = file.data(t);
      for (size_t i = 0; i < t.nbytes; i += 61) sum += p[i];
      if (t.nbytes) sum += p[t.nbytes - 1];
    }
    (void)file.metadata().size();
    volatile unsigned keep = sum;
    (void)keep;
  } catch (const retort::Error&) {
  }
  return 0;
}
