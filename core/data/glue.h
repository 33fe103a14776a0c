#pragma once
// The GLUE benchmark's nine tasks as their unzipped folders lay them out (the files of the
// official download script, read as Hugging Face's GLUE processors read them): which files,
// which columns hold the text, the second text and the label, the class order, and each
// task's official metric. Torch-free. Nothing is downloaded: the user brings the folder.

#include <string>
#include <vector>

namespace retort::data {

struct GlueTask {
  std::string name;        ///< cola, sst2, mrpc, qqp, stsb, mnli, mnli-mm, qnli, rte, wnli
  std::string folder;      ///< the folder in the GLUE download (CoLA, SST-2, ...)
  std::string train = "train.tsv";
  std::string dev = "dev.tsv";  ///< MNLI: dev_matched.tsv (mnli) or dev_mismatched.tsv (mnli-mm)
  std::vector<std::string> columns;  ///< a header-less file's column names (CoLA); empty = header row
  std::string textColumn;
  std::string pairColumn;  ///< empty for the single-sentence tasks (CoLA, SST-2)
  std::string labelColumn;
  std::vector<std::string> labels;  ///< class order (Hugging Face's); empty for STS-B
  std::string kind = "classification";  ///< classification | regression (STS-B)
  /// The official metric Retort reports first: mcc (CoLA), f1 (MRPC, QQP; accuracy is shown
  /// beside it), pearson (STS-B, with spearman), accuracy (the others).
  std::string metric = "accuracy";
};

/// The task by name, case-insensitive, with the folder's spelling accepted too ("SST-2",
/// "STS-B", "mnli_mismatched"). Throws Error(InvalidArgument) listing the names.
const GlueTask& glueTask(const std::string& name);
/// Every task name, in GLUE's order.
std::vector<std::string> glueTaskNames();

struct GlueFiles {
  std::string train, dev;
};
/// The task's files under `dir`: the GLUE root (dir/CoLA/train.tsv) or the task's own folder
/// (dir/train.tsv). Throws Error(Io) naming the files it looked for.
GlueFiles glueFiles(const GlueTask& task, const std::string& dir);

}  // namespace retort::data
