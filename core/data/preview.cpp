#include "core/data/preview.h"

#include <map>
#include <set>

#include "core/util/error.h"

namespace retort::data {

std::string guessTaskKind(const std::vector<std::string>& uniqueLabels, bool lists, const std::string& separator) {
  if (lists) return "multi_label";
  bool numbers = !uniqueLabels.empty(), fractional = false;
  for (const auto& label : uniqueLabels) {
    if (!separator.empty() && label.find(separator) != std::string::npos) return "multi_label";
    float v = 0.0f;
    if (!parseTarget(label, v)) numbers = false;
    else if (label.find_first_of(".eE") != std::string::npos) fractional = true;
  }
  if (numbers && (fractional || uniqueLabels.size() > 20)) return "regression";
  return "classification";
}

DatasetPreview previewDataset(const DatasetSpec& given, size_t rows) {
  DatasetPreview out;
  out.source = given.path;
  DatasetSpec spec = given;
  const bool labeled = !spec.labelColumn.empty();
  if (spec.kind == "auto" && labeled) {
    // One pass that accepts every label form, then the rows as the guessed kind reads them.
    std::set<std::string> unique;
    bool lists = false, words = false;
    forEachExample(spec, [&](RawExample&& ex) {
      if (!ex.words.empty()) {  // a CoNLL file, or JSON Lines with an array of words
        words = true;
        return false;
      }
      if (!ex.labelList.empty()) lists = true;
      if (unique.size() < 100000) unique.insert(ex.label);
      return true;
    });
    spec.kind = words ? "token_classification" : guessTaskKind({unique.begin(), unique.end()}, lists, spec.labelSeparator);
  } else if (spec.kind == "auto") {
    spec.kind = "classification";
  }
  out.kind = spec.kind;
  std::vector<std::string> keptLabels;
  std::vector<std::vector<std::string>> keptLists;
  std::vector<std::vector<std::string>> keptTags;
  std::map<std::string, int64_t> counts;
  forEachExample(
      spec,
      [&](RawExample&& ex) {
        ++out.examples;
        if (labeled) {
          if (spec.kind == "multi_label")
            for (const auto& name : ex.labelList) ++counts[name];
          else if (spec.kind == "token_classification")
            for (const auto& tag : ex.tags) ++counts[tag];
          else if (spec.kind == "classification")
            ++counts[ex.label];
        }
        if (out.rows.size() < rows) {
          Example e;
          e.text = std::move(ex.text);
          e.pair = std::move(ex.pair);
          e.line = ex.line;
          e.words = std::move(ex.words);
          if (labeled && spec.kind == "regression") {
            float v = 0.0f;
            parseTarget(ex.label, v);
            e.targets = {v};
          }
          out.rows.push_back(std::move(e));
          keptLabels.push_back(std::move(ex.label));
          keptLists.push_back(std::move(ex.labelList));
          keptTags.push_back(std::move(ex.tags));
        }
        return true;
      },
      &out.columns);
  if (!labeled) return out;
  if (spec.kind == "regression") {
    out.labels = {spec.labelColumn};
    out.labelCounts = {out.examples};
    return out;
  }
  std::set<std::string> unique;
  for (const auto& [label, n] : counts) unique.insert(label);
  out.labels = classNames(unique);
  out.labelCounts.assign(out.labels.size(), 0);
  for (const auto& [label, n] : counts) {
    const int64_t c = classIndex(out.labels, label);
    if (c >= 0) out.labelCounts[static_cast<size_t>(c)] += n;
  }
  for (size_t i = 0; i < out.rows.size(); ++i) {
    if (spec.kind == "token_classification") {
      for (const auto& tag : keptTags[i]) out.rows[i].tags.push_back(classIndex(out.labels, tag));
    } else if (spec.kind == "multi_label") {
      out.rows[i].targets.assign(out.labels.size(), 0.0f);
      for (const auto& name : keptLists[i]) {
        const int64_t c = classIndex(out.labels, name);
        if (c >= 0) out.rows[i].targets[static_cast<size_t>(c)] = 1.0f;
      }
    } else {
      out.rows[i].label = classIndex(out.labels, keptLabels[i]);
    }
  }
  return out;
}

std::vector<std::string> datasetColumns(const std::string& path, const std::string& format) {
  DatasetSpec spec;
  spec.path = path;
  spec.format = format;
  spec.kind = "auto";  // any format, CoNLL too
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
