#pragma once
// Labeled datasets and unlabeled corpora as they come from disk: GLUE-style TSV, CSV
// (RFC 4180), JSON Lines and plain text. Torch-free; data/batching.h encodes and batches.
//
// Every malformed input is a retort::Error(ErrorKind::Format) whose message starts with
// "path:line: " (1-based physical line of the record) and names the column or field; a
// missing or unreadable file is a retort::Error(ErrorKind::Io) naming the path.

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace retort::data {

/// Where a dataset is and which columns hold what.
struct DatasetSpec {
  /// The file to read.
  std::string path;
  /// "auto", "tsv", "csv", "jsonl" or "conll". "auto" (default) picks from the extension:
  /// .tsv, .csv, .jsonl or .json (read as JSON Lines, one object per line), and for a
  /// token_classification also .conll, .iob, .iob2, .bio and .txt (CoNLL columns).
  std::string format = "auto";
  /// Header name (TSV/CSV) or field name (JSONL) of the text. Default "sentence" (SST-2).
  std::string textColumn = "sentence";
  /// Column of the second text of a sentence pair (e.g. "#2 String" in MRPC); empty = none.
  std::string pairColumn;
  /// Column of the class label; empty = unlabeled (every Example::label stays -1).
  std::string labelColumn = "label";
  /// TSV/CSV without a header row (GLUE's CoLA): the names of its columns, in order; the
  /// first line is then a record. Empty = the first line is the header.
  std::vector<std::string> columns;
  /// What the label column holds: "classification" (a class name or id), "regression" (a
  /// finite decimal number; JSON: a number or a string holding one) or "multi_label" (the
  /// names of any number of classes joined by labelSeparator; JSON: an array of names or
  /// integers, or such a joined string). An empty multi-label cell or [] is "no class".
  /// "token_classification": one tag per word (NER, tagging), from a CoNLL-style column file
  /// (one word per line, its first field the word and its last the tag, a blank line between
  /// sentences, "-DOCSTART-" lines skipped) or JSON Lines whose text field is an array of words
  /// and whose label field an array of as many tag names (the fields default to "tokens" and
  /// "tags", or "ner_tags", when the named ones are absent and the names are the defaults).
  /// previewDataset also takes "auto": it guesses the kind from the labels.
  std::string kind = "classification";
  /// multi_label: what joins the class names in one column (default ",").
  std::string labelSeparator = ",";
};

/// One row of a dataset.
struct Example {
  std::string text;
  std::string pair;   ///< second text of a sentence pair; empty without a pair column
  int64_t label = -1; ///< class id (index into LabeledDataset::labels); -1 = unlabeled or not a classification
  int64_t line = 0;   ///< 1-based line of the record in its file, for messages
  /// regression: {value}; multi_label: 0/1 per class of LabeledDataset::labels; empty for a
  /// classification or an unlabeled row.
  std::vector<float> targets;
  /// token_classification: the sentence's words (text is them joined by spaces) and a tag id
  /// per word (index into LabeledDataset::labels; empty when unlabeled).
  std::vector<std::string> words;
  std::vector<int64_t> tags;
};

/// A dataset in file order with its class names.
struct LabeledDataset {
  /// The file it was read from.
  std::string source;
  std::vector<Example> examples;
  /// Class names; the index is the class id. Empty for an unlabeled dataset. A regression
  /// has one "class", the label column's name (its one output).
  std::vector<std::string> labels;
  /// DatasetSpec::kind of the labels.
  std::string kind = "classification";

  /// Number of examples per class id (size labels.size()); unlabeled examples are not counted.
  /// multi_label: the examples that have each class; regression: {labeled examples};
  /// token_classification: the words tagged with each tag.
  std::vector<int64_t> labelCounts() const;
};

/// Reads a labeled (or, with an empty labelColumn, unlabeled) dataset.
///
/// - TSV: a header row, then one record per line, fields split at tabs, no quote processing
///   (GLUE files contain literal quotes). CSV: a header row, RFC 4180 (quoted fields may hold
///   commas, doubled quotes and line breaks; "\r\n" inside quotes becomes "\n"). JSON Lines:
///   one object per line, fields by name; the label may be a string or an integer.
/// - A UTF-8 byte-order mark is skipped; lines may end in "\n" or "\r\n"; blank lines are
///   skipped (in CSV only outside quotes). Labels are trimmed of surrounding spaces; texts
///   are kept as they are but must hold more than white space.
/// - Class ids: with knownLabels (e.g. the training set's classes), each label is mapped
///   to its index there and a label not in the list is an error. Without: when every label
///   is a non-negative decimal integer below 100000, the classes are "0".."max" in numeric
///   order (so "1" is class 1 even if no "0" occurs); otherwise the sorted unique labels.
///   multi_label: the same over every name of every row; regression: knownLabels is ignored,
///   the value must be a finite number ("path:line: label "x" of column "score" is not a
///   number (a regression needs a decimal value)").
/// - Errors (Format, "path:line: ..."): a record with the wrong number of fields, a column
///   missing from the header (the message lists the header), an empty text or pair, a
///   missing label, a malformed JSON line or a field of the wrong JSON type, invalid UTF-8,
///   an unknown label, a file with no records. A missing file is an Io error; an unknown
///   format or extension is an InvalidArgument error.
LabeledDataset readDataset(const DatasetSpec& spec,
                           const std::vector<std::string>& knownLabels = {});

/// One record as read and checked (columns, empty text, pair or label), before its label
/// becomes a class id.
struct RawExample {
  std::string text;
  std::string pair;
  std::string label;  ///< trimmed; empty without a label column (multi_label: the joined names)
  int64_t line = 0;   ///< 1-based line of the record
  /// multi_label: the trimmed class names of the row (split at the separator, or the JSON
  /// array's elements), without duplicates, in the order given.
  std::vector<std::string> labelList;
  /// token_classification: the words and (labeled) their tag names, as many as words.
  std::vector<std::string> words, tags;
};

/// Streams the records of a dataset file in file order with readDataset's checks and errors,
/// calling fn for each until it returns false; keeps no record itself. `columns` (optional)
/// receives the header's names (JSON Lines: the first object's field names) as soon as they
/// are read, so a caller has them even when a later check throws. A file without records is
/// an error, as in readDataset (unless fn stopped earlier).
void forEachExample(const DatasetSpec& spec, const std::function<bool(RawExample&&)>& fn,
                    std::vector<std::string>* columns = nullptr);

/// The class names readDataset derives from a training file's distinct labels: "0".."max"
/// when every label is a non-negative decimal integer below 100000, else the sorted labels.
std::vector<std::string> classNames(const std::set<std::string>& uniqueLabels);

/// The index of `label` in `classes`, or -1.
int64_t classIndex(const std::vector<std::string>& classes, const std::string& label);

/// Reads unlabeled text. With an empty textColumn: one text per line that holds more than
/// white space (any file, typically .txt). With a textColumn: that column of a TSV, CSV or
/// JSON Lines file with a header (format from the extension). Errors as in readDataset;
/// an empty corpus is an error.
std::vector<std::string> readCorpus(const std::string& path, const std::string& textColumn = "");

/// Writes examples as a GLUE-style TSV that readDataset reads back: the header
/// "sentence[\tsentence2]\tlabel", then one row per example with the class name
/// labels[example.label] (regression: the value, 9 significant digits; multi_label: the
/// names of its classes joined by `separator`). Tabs, "\r" and "\n" inside texts become
/// spaces. With an empty labels list the label column is left out. Written atomically (temp
/// file + rename). Throws InvalidArgument for a label outside [0, labels.size()) or targets of
/// the wrong size, and Io when writing fails.
void writeDatasetTsv(const std::string& path, const std::vector<Example>& examples,
                     const std::vector<std::string>& labels, bool withPair,
                     const std::string& kind = "classification", const std::string& separator = ",");

/// The float value of a regression label, or false when `text` is not a finite decimal
/// number (surrounding spaces allowed).
bool parseTarget(const std::string& text, float& value);

}  // namespace retort::data
