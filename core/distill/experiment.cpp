// Reading and validating an experiment document (Experiment::fromJson) and the stage presets.
// Writing it back, equality, overrides and file loading are in experiment_json.cpp; reading
// typed values with messages that name the JSON path is in experiment_reader.cpp.

#include "core/distill/experiment.h"

#include "core/distill/experiment_reader.h"
#include "core/util/error.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>

namespace retort::distill {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace experiment_reader;

// ---- sections ---------------------------------------------------------------------------------

void readTask(const Failer& f, const json* v, TaskSpec& t) {
  Obj o(f, v, "task", {"train", "dev", "test", "format", "text_column", "pair_column", "label_column",
                       "labels", "max_length", "columns", "metric", "kind", "label_separator", "threshold"});
  o.choice("kind", t.kind, {"classification", "regression", "multi_label", "token_classification"});
  o.text("train", t.train);
  o.text("dev", t.dev);
  o.text("test", t.test);
  o.choice("format", t.format, {"auto", "tsv", "csv", "jsonl", "conll"});
  o.nonEmptyText("text_column", t.textColumn);
  o.text("pair_column", t.pairColumn);
  o.text("label_column", t.labelColumn);
  const json& labels = o.array("labels");
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string path = indexPath(o.at("labels"), i);
    const std::string label = asText(f, labels[i], path);
    if (label.empty()) f.fail(path, "must not be empty");
    if (std::find(t.labels.begin(), t.labels.end(), label) != t.labels.end())
      f.fail(path, "duplicate label " + inQuotes(label));
    t.labels.push_back(label);
  }
  if (const json* m = o.find("max_length")) {
    t.maxLength = asInteger(f, *m, o.at("max_length"));
    if (t.maxLength < 3) o.fail("max_length", "must be >= 3 (room for [CLS] and [SEP]), found " + shown(*m));
  }
  const json& columns = o.array("columns");
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string path = indexPath(o.at("columns"), i);
    const std::string name = asText(f, columns[i], path);
    if (name.empty()) f.fail(path, "must not be empty");
    if (std::find(t.columns.begin(), t.columns.end(), name) != t.columns.end())
      f.fail(path, "duplicate column " + inQuotes(name));
    t.columns.push_back(name);
  }
  if (!t.columns.empty()) {
    auto named = [&](const std::string& column, const char* key) {
      if (!column.empty() && std::find(t.columns.begin(), t.columns.end(), column) == t.columns.end())
        o.fail(key, inQuotes(column) + " is not one of task.columns");
    };
    named(t.textColumn, "text_column");
    named(t.pairColumn, "pair_column");
    named(t.labelColumn, "label_column");
  }
  const std::vector<std::string> metrics = taskMetrics(t.kind);
  t.metric = metrics.front();
  if (const json* m = o.find("metric")) {
    t.metric = asText(f, *m, o.at("metric"));
    if (std::find(metrics.begin(), metrics.end(), t.metric) == metrics.end()) {
      std::string names;
      for (const auto& n : metrics) names += (names.empty() ? "" : ", ") + n;
      o.fail("metric", inQuotes(t.metric) + " is not a metric of a " + t.kind + " task (" + names + ")");
    }
  }
  if (const json* sep = o.find("label_separator")) {
    t.labelSeparator = asText(f, *sep, o.at("label_separator"));
    if (t.labelSeparator.empty()) o.fail("label_separator", "must not be empty");
  }
  o.real("threshold", t.threshold, Range::NonNegative);
  if (t.threshold > 1.0) o.fail("threshold", "must be between 0 and 1 (a probability), found " + shown(*o.find("threshold")));
  if (t.kind == "regression" && !t.labels.empty())
    o.fail("labels", "a regression has no classes (its label column holds numbers)");
  if (t.kind == "token_classification") {
    if (!t.pairColumn.empty())
      o.fail("pair_column", "a token_classification tags the words of one text; it has no sentence pairs");
    if (t.format == "tsv" || t.format == "csv")
      o.fail("format", inQuotes(t.format) + " holds one label per row; a token_classification reads \"conll\" "
                                           "column files or \"jsonl\" with arrays of tokens and tags");
    if (!t.columns.empty()) o.fail("columns", "names the columns of a header-less TSV; a token_classification has none");
  }
  if (t.kind != "token_classification" && t.format == "conll")
    o.fail("format", "\"conll\" holds a tag per word: it needs task.kind \"token_classification\"");
  if (t.metric == "f1" && t.labels.size() > 2)
    o.fail("metric", "\"f1\" (of class 1) needs two classes; task.labels names " + std::to_string(t.labels.size()));
}

void readTokenizer(const Failer& f, const json* v, TokenizerSpec& t) {
  Obj o(f, v, "tokenizer", {"from", "path", "train_corpus", "vocab_size", "lower_case"});
  o.choice("from", t.from, {"teacher", "wordpiece", "sentencepiece"});
  o.text("path", t.path);
  o.text("train_corpus", t.trainCorpus);
  o.integer("vocab_size", t.vocabSize, 1);
  o.flag("lower_case", t.lowerCase);
  if (t.from == "wordpiece" && t.path.empty())
    o.fail("path", "required when tokenizer.from is \"wordpiece\" (a vocab.txt)");
  if (t.from == "sentencepiece" && t.path.empty() && t.trainCorpus.empty())
    o.fail("path", "required when tokenizer.from is \"sentencepiece\" and no train_corpus is given");
}

void readShape(const Failer& f, const json* v, const std::string& path, BertShape& s) {
  Obj o(f, v, path, {"layers", "hidden", "heads", "ffn", "max_positions", "activation", "dropout",
                     "attention_dropout"});
  o.integer("layers", s.layers, 1);
  o.integer("hidden", s.hidden, 1);
  o.integer("heads", s.heads, 1);
  o.integer("ffn", s.ffn, 1);
  o.integer("max_positions", s.maxPositions, 3);
  o.choice("activation", s.activation, {"gelu", "gelu_new", "gelu_pytorch_tanh", "relu", "silu", "swish"});
  o.real("dropout", s.dropout, Range::Probability);
  o.real("attention_dropout", s.attentionDropout, Range::Probability);
  if (s.hidden % s.heads != 0)
    o.fail("hidden", "must be a multiple of heads (" + std::to_string(s.heads) + "), found " +
                         std::to_string(s.hidden));
}

void readOptim(const Failer& f, const json* v, const std::string& path, OptimSpec& s) {
  Obj o(f, v, path, {"epochs", "max_steps", "learning_rate", "batch_size", "schedule", "warmup",
                     "weight_decay", "max_grad_norm", "eval_every", "log_every"});
  o.integer("epochs", s.epochs, 0);
  o.integer("max_steps", s.maxSteps, 0);
  o.real("learning_rate", s.learningRate, Range::Positive);
  o.integer("batch_size", s.batchSize, 1);
  o.choice("schedule", s.schedule, {"linear", "constant"});
  o.real("warmup", s.warmup, Range::NonNegative);
  o.real("weight_decay", s.weightDecay, Range::NonNegative);
  o.real("max_grad_norm", s.maxGradNorm, Range::NonNegative);
  o.integer("eval_every", s.evalEvery, 0);
  o.integer("log_every", s.logEvery, 1);
  if (s.epochs == 0 && s.maxSteps == 0) o.fail("epochs", "must be positive when max_steps is 0, found 0");
  if (s.warmup >= 1 && std::floor(s.warmup) != s.warmup)
    o.fail("warmup", "must be a fraction below 1 or a whole number of steps, found " + shown(*o.find("warmup")));
}

void readTeacher(const Failer& f, const json* v, TeacherSpec& t) {
  Obj o(f, v, "teacher", {"checkpoint", "architecture", "mlm_pretraining", "mlm_corpus", "mlm_probability",
                          "pretraining", "finetuning", "finetune"});
  o.text("checkpoint", t.checkpoint);
  o.choice("finetune", t.finetune, {"auto", "always", "never"});
  readShape(f, o.find("architecture"), o.at("architecture"), t.architecture);
  o.flag("mlm_pretraining", t.mlmPretraining);
  o.text("mlm_corpus", t.mlmCorpus);
  o.real("mlm_probability", t.mlmProbability, Range::Probability);
  readOptim(f, o.find("pretraining"), o.at("pretraining"), t.pretraining);
  readOptim(f, o.find("finetuning"), o.at("finetuning"), t.finetuning);
  if (t.mlmPretraining && t.mlmCorpus.empty()) o.fail("mlm_corpus", "required when teacher.mlm_pretraining is true");
}

void readStudent(const Failer& f, const json* v, StudentSpec& s) {
  Obj o(f, v, "student", {"kind", "architecture", "embedding_dim", "lstm_hidden", "dense_hidden", "init",
                          "teacher_layers", "checkpoint"});
  o.choice("kind", s.kind, {"bert", "bilstm"});
  readShape(f, o.find("architecture"), o.at("architecture"), s.architecture);
  o.integer("embedding_dim", s.embeddingDim, 1);
  o.integer("lstm_hidden", s.lstmHidden, 1);
  o.integer("dense_hidden", s.denseHidden, 1);
  o.choice("init", s.init, {"random", "teacher_layers", "checkpoint"});
  const json& layers = o.array("teacher_layers");
  for (size_t i = 0; i < layers.size(); ++i)
    s.teacherLayers.push_back(asInteger(f, layers[i], indexPath(o.at("teacher_layers"), i), 0));
  o.text("checkpoint", s.checkpoint);
  if (s.init == "teacher_layers" && s.kind == "bilstm")
    o.fail("init", "\"teacher_layers\" needs a BERT student (student.kind is \"bilstm\")");
  if (!s.teacherLayers.empty() && s.init != "teacher_layers")
    o.fail("teacher_layers", "only used when student.init is \"teacher_layers\" (found " + inQuotes(s.init) + ")");
  if (s.init == "checkpoint" && s.checkpoint.empty())
    o.fail("checkpoint", "required when student.init is \"checkpoint\"");
}

void readMapping(const Failer& f, const json* v, MappingSpec& m) {
  Obj o(f, v, "mapping", {"kind", "pairs", "attention", "hidden", "embeddings", "head_mismatch", "projection"});
  o.choice("kind", m.kind, {"uniform", "last", "explicit"});
  const json& pairs = o.array("pairs");
  for (size_t i = 0; i < pairs.size(); ++i) {
    Obj p(f, &pairs[i], indexPath(o.at("pairs"), i), {"student", "teacher", "attention", "hidden", "weight"});
    if (!p.find("student")) p.fail("student", "required");
    if (!p.find("teacher")) p.fail("teacher", "required");
    LayerPairSpec pair;
    p.integer("student", pair.student, 0);
    p.integer("teacher", pair.teacher, 0);
    pair.attention = pair.student != 0;  // the embedding output has no attention
    p.flag("attention", pair.attention);
    p.flag("hidden", pair.hidden);
    p.real("weight", pair.weight, Range::NonNegative);
    m.pairs.push_back(pair);
  }
  o.flag("attention", m.attention);
  o.flag("hidden", m.hidden);
  o.flag("embeddings", m.embeddings);
  o.choice("head_mismatch", m.headMismatch, {"average", "refuse"});
  o.choice("projection", m.projection, {"shared", "per_layer"});
  if (m.kind == "explicit" && m.pairs.empty()) o.fail("pairs", "required when mapping.kind is \"explicit\"");
  if (m.kind != "explicit" && !m.pairs.empty())
    o.fail("pairs", "only used when mapping.kind is \"explicit\" (found " + inQuotes(m.kind) + ")");
}

/// Losses: the kind's preset when absent; else the given weights, the others 0.
void readLosses(const Failer& f, const json* v, const std::string& path, const std::string& kind, LossSpec& l) {
  Obj o(f, v, path, {"soft_targets", "temperature", "soft_kind", "hard_labels", "logit_mse", "cosine", "mlm",
                     "attention", "hidden", "embedding", "mlm_probability"});
  l = presetLosses(kind);
  if (!v || v->is_null()) return;
  l.softTargets = l.hardLabels = l.logitMse = l.cosine = l.mlm = l.attention = l.hidden = l.embedding = 0.0;
  o.real("soft_targets", l.softTargets, Range::NonNegative);
  o.real("temperature", l.temperature, Range::Positive);
  o.choice("soft_kind", l.softKind, {"kl", "ce"});
  o.real("hard_labels", l.hardLabels, Range::NonNegative);
  o.real("logit_mse", l.logitMse, Range::NonNegative);
  o.real("cosine", l.cosine, Range::NonNegative);
  o.real("mlm", l.mlm, Range::NonNegative);
  o.real("attention", l.attention, Range::NonNegative);
  o.real("hidden", l.hidden, Range::NonNegative);
  o.real("embedding", l.embedding, Range::NonNegative);
  o.real("mlm_probability", l.mlmProbability, Range::Probability);
  const double total =
      l.softTargets + l.hardLabels + l.logitMse + l.cosine + l.mlm + l.attention + l.hidden + l.embedding;
  if (total == 0) f.fail(path, "every loss weight is 0 (nothing to learn)");
}

void readAugment(const Failer& f, const json* v, const std::string& path, AugmentSpec& a) {
  if (!v || v->is_null()) return;
  Obj o(f, v, path, {"method", "probability", "candidates", "copies", "glove", "mask_every", "mask_probability",
                     "replace_probability", "ngram_probability", "max_ngram", "passes", "write"});
  if (!o.find("method")) o.fail("method", "required (tinybert or tang)");
  o.choice("method", a.method, {"tinybert", "tang"});
  const bool tiny = a.method == "tinybert";
  for (const char* key : {"probability", "candidates", "copies", "glove", "mask_every"})
    if (!tiny && o.find(key)) o.fail(key, "only used when method is \"tinybert\"");
  for (const char* key : {"mask_probability", "replace_probability", "ngram_probability", "max_ngram", "passes"})
    if (tiny && o.find(key)) o.fail(key, "only used when method is \"tang\"");
  o.real("probability", a.probability, Range::Probability);
  o.integer("candidates", a.candidates, 1);
  o.integer("copies", a.copies, 0);
  o.text("glove", a.glove);
  o.integer("mask_every", a.maskEvery, 0);
  o.real("mask_probability", a.maskProbability, Range::Probability);
  o.real("replace_probability", a.replaceProbability, Range::Probability);
  o.real("ngram_probability", a.ngramProbability, Range::Probability);
  o.integer("max_ngram", a.maxNgram, 1);
  o.integer("passes", a.passes, 0);
  o.flag("write", a.write);
  if (a.maskProbability + a.replaceProbability > 1)
    o.fail("replace_probability", "mask_probability + replace_probability must not exceed 1");
}

void readStage(const Failer& f, const json& v, const std::string& path, StageSpec& s) {
  if (v.is_null()) f.fail(path, "must be an object, found null");
  Obj o(f, &v, path, {"name", "kind", "data", "corpus", "losses", "optim", "augment"});
  o.text("name", s.name);
  o.choice("kind", s.kind, {"general", "intermediate", "prediction", "finetune", "distill"});
  s.data = s.kind == "general" ? "corpus" : "train";
  o.choice("data", s.data, {"train", "corpus"});
  o.text("corpus", s.corpus);
  readLosses(f, o.find("losses"), o.at("losses"), s.kind, s.losses);
  readOptim(f, o.find("optim"), o.at("optim"), s.optim);
  readAugment(f, o.find("augment"), o.at("augment"), s.augment);
}

/// Default names ("<kind>", or "<kind>-<n>" for a repeated kind), then distinct names.
void nameStages(const Failer& f, std::vector<StageSpec>& stages) {
  std::map<std::string, int> perKind, seen;
  for (const auto& s : stages) ++perKind[s.kind];
  for (auto& s : stages) {
    const int n = ++seen[s.kind];
    if (s.name.empty()) s.name = perKind[s.kind] > 1 ? s.kind + "-" + std::to_string(n) : s.kind;
  }
  for (size_t i = 0; i < stages.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (stages[i].name == stages[j].name)
        f.fail(indexPath("stages", i) + ".name",
               inQuotes(stages[i].name) + " is already the name of " + indexPath("stages", j) +
                   " (stage names must be distinct)");
}

std::string absoluteDir(const std::string& dir) {
  std::string s = (dir.empty() ? fs::current_path() : fs::absolute(dir)).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string resolve(const std::string& base, const std::string& path) {
  if (path.empty()) return path;
  fs::path p(path);
  if (p.is_relative()) p = fs::path(base) / p;
  return p.lexically_normal().string();
}

/// Checks that need several sections, after the paths are resolved.
void checkConsistency(const Failer& f, Experiment& e) {
  if (e.teacher.checkpoint.empty() && e.task.train.empty())
    f.fail("task.train", "required when the teacher is trained (teacher.checkpoint is empty)");
  for (size_t i = 0; i < e.stages.size(); ++i) {
    StageSpec& s = e.stages[i];
    const std::string path = indexPath("stages", i);
    if (s.data == "corpus" && s.corpus.empty()) {
      if (s.kind == "general" && !e.teacher.mlmCorpus.empty())
        s.corpus = e.teacher.mlmCorpus;
      else
        f.fail(path + ".corpus", std::string("required when data is \"corpus\"") +
                                     (s.kind == "general" ? " (or give teacher.mlm_corpus)" : ""));
    }
    if (s.data == "train" && e.task.train.empty())
      f.fail("task.train", "required by " + path + " (data \"train\")");
    if (!s.augment.method.empty() && s.data != "train")
      f.fail(path + ".augment", "augments the task's training data; the stage reads data \"" + s.data + "\"");
    if (e.task.kind == "regression" && s.losses.softTargets > 0) {
      // TinyBERT's prediction stage for STS-B: MSE between the logits instead of soft targets.
      if (s.losses == presetLosses(s.kind)) {
        s.losses.logitMse = s.losses.softTargets;
        s.losses.softTargets = 0.0;
      } else {
        f.fail(path + ".losses.soft_targets",
               "does not apply to a regression task: its one output is a number, not a distribution over "
               "classes to soften (use logit_mse, the teacher's output as the target, as TinyBERT does for STS-B)");
      }
    }
  }
  if (e.task.kind == "token_classification") {
    for (size_t i = 0; i < e.stages.size(); ++i)
      if (!e.stages[i].augment.method.empty())
        f.fail(indexPath("stages", i) + ".augment",
               "does not apply to a token_classification: replacing words would leave their tags wrong");
    if (e.student.kind == "bilstm")
      f.fail("student.kind", "a BiLSTM student classifies whole texts; a token_classification needs a BERT student");
  }
  if (e.student.kind != "bilstm") return;
  for (size_t i = 0; i < e.stages.size(); ++i) {
    const LossSpec& l = e.stages[i].losses;
    const struct {
      double weight;
      const char* key;
      const char* lacks;
    } terms[] = {{l.attention, "attention", "has no attention to match"},
                 {l.hidden, "hidden", "has no transformer hidden states to match"},
                 {l.embedding, "embedding", "has no BERT embedding output to match"},
                 {l.cosine, "cosine", "has no transformer hidden states to compare"},
                 {l.mlm, "mlm", "has no masked-LM head"}};
    const bool preset = l == presetLosses(e.stages[i].kind);
    for (const auto& term : terms)
      if (term.weight > 0)
        f.fail(indexPath("stages", i) + ".losses." + term.key,
               std::string("a BiLSTM student ") + term.lacks +
                   (preset ? " (a \"" + e.stages[i].kind + "\" stage uses it by default; give \"losses\")" : ""));
  }
}

}  // namespace

std::vector<std::string> taskMetrics(const std::string& kind) {
  if (kind == "classification") return {"accuracy", "f1", "mcc"};
  if (kind == "regression") return {"pearson", "spearman"};
  if (kind == "multi_label") return {"micro_f1", "macro_f1", "exact_match"};
  if (kind == "token_classification") return {"entity_f1", "entity_precision", "entity_recall", "accuracy"};
  return {};
}

LossSpec presetLosses(const std::string& kind) {
  LossSpec l;
  if (kind == "general" || kind == "intermediate") {
    l.attention = l.hidden = l.embedding = 1.0;
  } else if (kind == "prediction") {
    l.softTargets = 1.0;
    l.softKind = "ce";
    l.temperature = 1.0;
  } else if (kind == "finetune") {
    l.hardLabels = 1.0;
  } else if (kind == "distill") {
    l.softTargets = 1.0;
    l.softKind = "kl";
    l.temperature = 2.0;
  } else {
    throw Error(ErrorKind::InvalidArgument,
                "unknown stage kind " + inQuotes(kind) + " (general, intermediate, prediction, finetune, distill)");
  }
  return l;
}

Experiment Experiment::fromJson(const json& document, const std::string& source, const std::string& baseDir) {
  const Failer f(source);
  if (!document.is_object()) f.fail("", "the document must be a JSON object, found " + shown(document));
  const auto format = document.find("format");
  if (format == document.end() || format->is_null()) f.fail("format", "required (this Retort reads format 1)");
  const int64_t version = asInteger(f, *format, "format");
  if (version != 1) f.fail("", "format " + std::to_string(version) + " is not supported (this Retort reads format 1)");

  Obj o(f, &document, "", {"format", "name", "seed", "threads", "task", "tokenizer", "teacher", "student",
                           "mapping", "stages", "observer", "output", "teacher_cache", "teacher_cache_limit_gb"});
  Experiment e;
  e.format = 1;
  e.baseDir = absoluteDir(baseDir);
  o.nonEmptyText("name", e.name);
  if (const json* seed = o.find("seed")) {
    if (seed->is_number_unsigned()) e.seed = seed->get<uint64_t>();
    else e.seed = uint64_t(asInteger(f, *seed, "seed", 0));
  }
  int64_t threads = e.threads;
  o.integer("threads", threads, 0, INT_MAX);
  e.threads = int(threads);
  o.choice("teacher_cache", e.teacherCache, {"auto", "memory", "off"});
  o.real("teacher_cache_limit_gb", e.teacherCacheLimitGb, Range::Positive);

  readTask(f, o.find("task"), e.task);
  readTokenizer(f, o.find("tokenizer"), e.tokenizer);
  readTeacher(f, o.find("teacher"), e.teacher);
  readStudent(f, o.find("student"), e.student);
  readMapping(f, o.find("mapping"), e.mapping);

  if (o.find("stages")) {
    const json& stages = o.array("stages");
    if (stages.empty()) f.fail("stages", "must not be empty (leave it out for one \"distill\" stage)");
    e.stages.resize(stages.size());
    for (size_t i = 0; i < stages.size(); ++i) readStage(f, stages[i], indexPath("stages", i), e.stages[i]);
  } else {
    e.stages.resize(1);
    readStage(f, json::object(), "stages[0]", e.stages[0]);
  }
  nameStages(f, e.stages);

  Obj observer(f, o.find("observer"), "observer",
               {"attention_every", "probe", "checkpoint_every", "checkpoint_minutes", "checkpoint_keep"});
  observer.integer("attention_every", e.observer.attentionEvery, 0);
  observer.text("probe", e.observer.probe);
  observer.integer("checkpoint_every", e.observer.checkpointEvery, 0);
  observer.real("checkpoint_minutes", e.observer.checkpointMinutes, Range::NonNegative);
  observer.integer("checkpoint_keep", e.observer.checkpointKeep, 1, 1000);
  Obj output(f, o.find("output"), "output", {"dir"});
  output.text("dir", e.outputDir);

  for (std::string* p : {&e.task.train, &e.task.dev, &e.task.test, &e.tokenizer.path, &e.tokenizer.trainCorpus,
                         &e.teacher.checkpoint, &e.teacher.mlmCorpus, &e.student.checkpoint, &e.outputDir})
    *p = resolve(e.baseDir, *p);
  for (auto& s : e.stages) {
    s.corpus = resolve(e.baseDir, s.corpus);
    s.augment.glove = resolve(e.baseDir, s.augment.glove);
  }

  checkConsistency(f, e);
  return e;
}

}  // namespace retort::distill
