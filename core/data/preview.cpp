#include "core/data/preview.h"

#include <map>
#include <set>

#include "core/util/error.h"

namespace retort::data {

DatasetPreview previewDataset(const DatasetSpec& spec, size_t rows) {
  DatasetPreview out;
  out.source = spec.path;
  std::vector<std::string> keptLabels;
  std::map<std::string, int64_t> counts;
  forEachExample(
      spec,
      [&](RawExample&& ex) {
        ++out.examples;
        if (!spec.labelColumn.empty()) ++counts[ex.label];
        if (out.rows.size() < rows) {
          Example e;
          e.text = std::move(ex.text);
          e.pair = std::move(ex.pair);
          e.line = ex.line;
          out.rows.push_back(std::move(e));
          keptLabels.push_back(std::move(ex.label));
        }
        return true;
      },
      &out.columns);
  if (spec.labelColumn.empty()) return out;
  std::set<std::string> unique;
  for (const auto& [label, n] : counts) unique.insert(label);
  out.labels = classNames(unique);
  out.labelCounts.assign(out.labels.size(), 0);
  for (const auto& [label, n] : counts) {
    const int64_t c = classIndex(out.labels, label);
    if (c >= 0) out.labelCounts[static_cast<size_t>(c)] += n;
  }
  for (size_t i = 0; i < out.rows.size(); ++i) out.rows[i].label = classIndex(out.labels, keptLabels[i]);
  return out;
}

std::vector<std::string> datasetColumns(const std::string& path, const std::string& format) {
  DatasetSpec spec;
  spec.path = path;
  spec.format = format;
  spec.labelColumn.clear();
  spec.textColumn = std::string("\x01", 1);  // a name no file has: the header check throws after reading it
  std::vector<std::string> columns;
  try {
    forEachExample(spec, [](RawExample&&) { return false; }, &columns);
  } catch (const Error&) {
    if (columns.empty()) throw;
  }
  return columns;
}

}  // namespace retort::data
