// Datasets: the first byte picks the format (TSV, CSV, JSON Lines, CoNLL) and the columns, the
// rest is the file. Every example read back has a text, and labels index the class list; a
// token classification has one tag per word, each a tag of the list.
#include <cmath>

#include "core/data/dataset.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* extensions[] = {"tsv", "csv", "jsonl"};
  const unsigned pick = data[0];
  // Both top bits: a token classification, read from CoNLL (or JSON Lines when pick % 3 == 2).
  const bool tokens = (pick & 64) && (pick & 128);
  const std::string extension = tokens && pick % 3 != 2 ? "conll" : extensions[pick % 3];
  const std::string path = retort::fuzz::writeInput("data." + extension, data + 1, size - 1);
  retort::data::DatasetSpec spec;
  spec.path = path;
  spec.textColumn = (pick & 4) ? "text" : "sentence";
  spec.labelColumn = (pick & 8) ? "" : "label";
  if (pick & 16) spec.pairColumn = "sentence2";
  // The top bits pick the task kind (64: regression, 128: multi_label).
  spec.kind = tokens ? "token_classification" : (pick & 64) ? "regression" : (pick & 128) ? "multi_label" : "classification";
  if (tokens) {
    spec.textColumn = "tokens";
    spec.labelColumn = (pick & 8) ? "" : "tags";
    spec.pairColumn.clear();
  }
  try {
    const auto d = retort::data::readDataset(spec);
    retort::fuzz::fuzzCheck(!d.examples.empty(), "a dataset has examples");
    const bool labeled = !spec.labelColumn.empty();
    for (const auto& x : d.examples) {
      retort::fuzz::fuzzCheck(!x.text.empty(), "text not empty");
      if (tokens) {
        retort::fuzz::fuzzCheck(!x.words.empty(), "a sentence has words");
        retort::fuzz::fuzzCheck(!labeled ? x.tags.empty() : x.tags.size() == x.words.size(), "one tag per word");
        for (int64_t t : x.tags)
          retort::fuzz::fuzzCheck(t >= 0 && t < static_cast<int64_t>(d.labels.size()), "tag in range");
        continue;
      }
      if (!labeled || spec.kind == "classification")
        retort::fuzz::fuzzCheck(!labeled ? x.label == -1
                                         : x.label >= 0 && x.label < static_cast<int64_t>(d.labels.size()),
                                "label in range");
      if (labeled && spec.kind == "regression")
        retort::fuzz::fuzzCheck(x.targets.size() == 1 && std::isfinite(x.targets[0]), "one finite regression value");
      if (labeled && spec.kind == "multi_label") {
        retort::fuzz::fuzzCheck(x.targets.size() == d.labels.size(), "one target per class");
        for (float t : x.targets) retort::fuzz::fuzzCheck(t == 0.0f || t == 1.0f, "targets are 0 or 1");
      }
    }
    int64_t counted = 0;
    for (auto n : d.labelCounts()) counted += n;
    int64_t words = 0;
    for (const auto& x : d.examples) words += static_cast<int64_t>(x.tags.size());
    retort::fuzz::fuzzCheck(!labeled || spec.kind == "multi_label" ||
                                counted == (tokens ? words : static_cast<int64_t>(d.examples.size())),
                            "label counts add up");
  } catch (const retort::Error&) {
  }
  try {
    (void)retort::data::readCorpus(path, (pick & 32) ? "" : spec.textColumn);
  } catch (const retort::Error&) {
  }
  return 0;
}
