#pragma once
// A look at a dataset file without loading it: its columns, the first rows and how many
// examples each class has, from one pass over the file that keeps only the rows it shows.
// Torch-free (the workbench's task panel runs it on a worker thread).

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace retort::data {

struct DatasetPreview {
  std::string source;                  ///< the file
  std::vector<std::string> columns;    ///< header names (JSON Lines: the first object's fields)
  std::vector<Example> rows;           ///< the first rows, label = index into labels (-1 unlabeled)
  std::vector<std::string> labels;     ///< class names as readDataset derives them
  std::vector<int64_t> labelCounts;    ///< examples per class (size labels.size())
  int64_t examples = 0;                ///< records in the file
  /// The kind the labels were read as: spec.kind, or with "auto" the guess (guessTaskKind).
  std::string kind = "classification";
};

/// The task kind that raw labels suggest: "multi_label" when some label is a list (a JSON
/// array) or holds the separator; "regression" when every label is a decimal number and
/// some is not an integer, or there are more than 20 distinct integers; else
/// "classification". `lists`: whether any label was a JSON array.
std::string guessTaskKind(const std::vector<std::string>& uniqueLabels, bool lists, const std::string& separator);

/// Reads `spec` once, with readDataset's checks and messages ("path:line: ..."), keeping the
/// first `rows` examples and counting the rest per label (regression: labelCounts is {examples}
/// and rows[i].targets holds the value; multi_label: examples per class, rows' targets 0/1;
/// token_classification: words per tag, rows' words and tags). With spec.kind "auto" the
/// kind is guessed first (DatasetPreview::kind): token_classification for a CoNLL file or
/// JSON Lines whose text field is an array, else guessTaskKind of the labels. Throws what
/// readDataset throws.
DatasetPreview previewDataset(const DatasetSpec& spec, size_t rows);

/// The column names of a dataset file (the header; JSON Lines: the first object's fields),
/// reading only as far as they are. Throws Io for a missing file and Format for a file that
/// has no header or first object.
std::vector<std::string> datasetColumns(const std::string& path, const std::string& format = "auto");

}  // namespace retort::data
