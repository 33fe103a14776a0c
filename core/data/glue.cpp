#include "core/data/glue.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/util/error.h"

namespace fs = std::filesystem;

namespace retort::data {
namespace {

GlueTask task(const char* name, const char* folder, const char* text, const char* pair, const char* label,
              std::vector<std::string> labels, const char* metric = "accuracy") {
  GlueTask t;
  t.name = name;
  t.folder = folder;
  t.textColumn = text;
  t.pairColumn = pair;
  t.labelColumn = label;
  t.labels = std::move(labels);
  t.metric = metric;
  return t;
}

std::vector<GlueTask> makeTasks() {
  const std::vector<std::string> binary{"0", "1"}, nli{"entailment", "not_entailment"},
      mnli{"contradiction", "entailment", "neutral"};
  std::vector<GlueTask> t;
  t.push_back(task("cola", "CoLA", "sentence", "", "label", binary, "mcc"));
  t.back().columns = {"source", "label", "original_label", "sentence"};  // no header row
  t.push_back(task("sst2", "SST-2", "sentence", "", "label", binary));
  t.push_back(task("mrpc", "MRPC", "#1 String", "#2 String", "Quality", binary, "f1"));
  t.push_back(task("qqp", "QQP", "question1", "question2", "is_duplicate", binary, "f1"));
  t.push_back(task("stsb", "STS-B", "sentence1", "sentence2", "score", {}, "pearson"));
  t.back().kind = "regression";
  t.push_back(task("mnli", "MNLI", "sentence1", "sentence2", "gold_label", mnli));
  t.back().dev = "dev_matched.tsv";
  t.push_back(task("mnli-mm", "MNLI", "sentence1", "sentence2", "gold_label", mnli));
  t.back().dev = "dev_mismatched.tsv";
  t.push_back(task("qnli", "QNLI", "question", "sentence", "label", nli));
  t.push_back(task("rte", "RTE", "sentence1", "sentence2", "label", nli));
  t.push_back(task("wnli", "WNLI", "sentence1", "sentence2", "label", binary));
  return t;
}

const std::vector<GlueTask>& tasks() {
  static const std::vector<GlueTask> t = makeTasks();
  return t;
}

/// Lower case without '-' and '_': "SST-2" -> "sst2", "mnli_mismatched" -> "mnlimismatched".
std::string key(const std::string& s) {
  std::string k;
  for (char c : s)
    if (c != '-' && c != '_') k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

}  // namespace

const GlueTask& glueTask(const std::string& name) {
  std::string k = key(name);
  if (k == "mnlimismatched") k = "mnlimm";
  if (k == "mnlimatched") k = "mnli";
  for (const auto& t : tasks())
    if (key(t.name) == k) return t;
  std::string names;
  for (const auto& n : glueTaskNames()) names += (names.empty() ? "" : ", ") + n;
  throw Error(ErrorKind::InvalidArgument, "unknown GLUE task \"" + name + "\" (the tasks: " + names + ")");
}

std::vector<std::string> glueTaskNames() {
  std::vector<std::string> n;
  for (const auto& t : tasks()) n.push_back(t.name);
  return n;
}

GlueFiles glueFiles(const GlueTask& task, const std::string& dir) {
  if (!fs::is_directory(dir)) throw Error(ErrorKind::Io, dir + ": no such folder (the unzipped GLUE data)");
  for (const fs::path& base : {fs::path(dir) / task.folder, fs::path(dir)}) {
    if (!fs::exists(base / task.train)) continue;
    if (!fs::exists(base / task.dev))
      throw Error(ErrorKind::Io, (base / task.dev).string() + ": no such file (GLUE " + task.folder + "'s dev set)");
    return {fs::absolute(base / task.train).string(), fs::absolute(base / task.dev).string()};
  }
  throw Error(ErrorKind::Io, "GLUE " + task.folder + ": neither " + (fs::path(dir) / task.folder / task.train).string() +
                                 " nor " + (fs::path(dir) / task.train).string() + " exists");
}

}  // namespace retort::data
