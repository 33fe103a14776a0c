// Writing an experiment back (Experiment::toJson), equality, loading a file with JSON syntax
// errors as line and column, and command-line overrides (applyOverride).

#include "core/distill/experiment.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace retort::distill {

namespace {

using nlohmann::json;

json shapeJson(const BertShape& s) {
  return {{"layers", s.layers},
          {"hidden", s.hidden},
          {"heads", s.heads},
          {"ffn", s.ffn},
          {"max_positions", s.maxPositions},
          {"activation", s.activation},
          {"dropout", s.dropout},
          {"attention_dropout", s.attentionDropout}};
}

json optimJson(const OptimSpec& o) {
  return {{"epochs", o.epochs},
          {"max_steps", o.maxSteps},
          {"learning_rate", o.learningRate},
          {"batch_size", o.batchSize},
          {"schedule", o.schedule},
          {"warmup", o.warmup},
          {"weight_decay", o.weightDecay},
          {"max_grad_norm", o.maxGradNorm},
          {"eval_every", o.evalEvery},
          {"log_every", o.logEvery}};
}

json lossesJson(const LossSpec& l) {
  return {{"soft_targets", l.softTargets}, {"temperature", l.temperature}, {"soft_kind", l.softKind},
          {"hard_labels", l.hardLabels},   {"logit_mse", l.logitMse},     {"cosine", l.cosine},
          {"mlm", l.mlm},                  {"attention", l.attention},    {"hidden", l.hidden},
          {"embedding", l.embedding},      {"mlm_probability", l.mlmProbability}};
}

/// "line L, column C: <reason>" for a parse error in `text`. nlohmann gives the 1-based byte
/// position of the last character it read (the end of the offending token); lines and columns
/// are counted here (1-based, columns in bytes). The reason drops nlohmann's prefix and its
/// "last read: '...'" excerpt.
std::string syntaxMessage(const std::string& text, const json::parse_error& e) {
  const size_t pos = std::min(e.byte == 0 ? 0 : e.byte - 1, text.size());
  const size_t line = 1 + size_t(std::count(text.begin(), text.begin() + std::ptrdiff_t(pos), '\n'));
  const size_t lineStart = pos == 0 ? 0 : text.rfind('\n', pos - 1);
  const size_t column = lineStart == std::string::npos || pos == 0 ? pos + 1 : pos - lineStart;

  std::string reason = e.what();
  const size_t at = reason.find("parse error");
  if (at != std::string::npos) {
    const size_t colon = reason.find(": ", at);
    reason = colon == std::string::npos ? reason.substr(at) : reason.substr(colon + 2);
  }
  const size_t lastRead = reason.find("; last read: ");
  if (lastRead != std::string::npos) {
    const size_t expected = reason.find("'; expected ", lastRead);
    reason = reason.substr(0, lastRead) + (expected == std::string::npos ? "" : reason.substr(expected + 1));
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + reason;
}

bool isIndex(const std::string& s) {
  return !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const char* typeName(const json& v) {
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "a value";
}

}  // namespace

json augmentJson(const AugmentSpec& a) {
  if (a.method.empty()) return nullptr;
  json j = {{"method", a.method}, {"write", a.write}};
  if (a.method == "tinybert") {
    j.update({{"probability", a.probability},
              {"candidates", a.candidates},
              {"copies", a.copies},
              {"glove", a.glove},
              {"mask_every", a.maskEvery}});
  } else {
    j.update({{"mask_probability", a.maskProbability},
              {"replace_probability", a.replaceProbability},
              {"ngram_probability", a.ngramProbability},
              {"max_ngram", a.maxNgram},
              {"passes", a.passes}});
  }
  return j;
}

json Experiment::toJson() const {
  json stagesJson = json::array();
  for (const auto& s : stages)
    stagesJson.push_back({{"name", s.name},
                          {"kind", s.kind},
                          {"data", s.data},
                          {"corpus", s.corpus},
                          {"losses", lossesJson(s.losses)},
                          {"optim", optimJson(s.optim)},
                          {"augment", augmentJson(s.augment)}});
  json pairs = json::array();
  for (const auto& p : mapping.pairs)
    pairs.push_back({{"student", p.student},
                     {"teacher", p.teacher},
                     {"attention", p.attention},
                     {"hidden", p.hidden},
                     {"weight", p.weight}});
  return {{"format", format},
          {"name", name},
          {"seed", seed},
          {"threads", threads},
          {"teacher_cache", teacherCache},
          {"teacher_cache_limit_gb", teacherCacheLimitGb},
          {"task",
           {{"train", task.train},
            {"dev", task.dev},
            {"test", task.test},
            {"format", task.format},
            {"text_column", task.textColumn},
            {"pair_column", task.pairColumn},
            {"label_column", task.labelColumn},
            {"labels", task.labels},
            {"max_length", task.maxLength},
            {"columns", task.columns},
            {"metric", task.metric},
            {"kind", task.kind},
            {"label_separator", task.labelSeparator},
            {"threshold", task.threshold}}},
          {"tokenizer",
           {{"from", tokenizer.from},
            {"path", tokenizer.path},
            {"train_corpus", tokenizer.trainCorpus},
            {"vocab_size", tokenizer.vocabSize},
            {"lower_case", tokenizer.lowerCase}}},
          {"teacher",
           {{"checkpoint", teacher.checkpoint},
            {"architecture", shapeJson(teacher.architecture)},
            {"mlm_pretraining", teacher.mlmPretraining},
            {"mlm_corpus", teacher.mlmCorpus},
            {"mlm_probability", teacher.mlmProbability},
            {"pretraining", optimJson(teacher.pretraining)},
            {"finetuning", optimJson(teacher.finetuning)}}},
          {"student",
           {{"kind", student.kind},
            {"architecture", shapeJson(student.architecture)},
            {"embedding_dim", student.embeddingDim},
            {"lstm_hidden", student.lstmHidden},
            {"dense_hidden", student.denseHidden},
            {"init", student.init},
            {"teacher_layers", student.teacherLayers},
            {"checkpoint", student.checkpoint}}},
          {"mapping",
           {{"kind", mapping.kind},
            {"pairs", pairs},
            {"attention", mapping.attention},
            {"hidden", mapping.hidden},
            {"embeddings", mapping.embeddings},
            {"head_mismatch", mapping.headMismatch},
            {"projection", mapping.projection}}},
          {"stages", stagesJson},
          {"observer",
           {{"attention_every", observer.attentionEvery},
            {"probe", observer.probe},
            {"checkpoint_every", observer.checkpointEvery},
            {"checkpoint_minutes", observer.checkpointMinutes},
            {"checkpoint_keep", observer.checkpointKeep}}},
          {"output", {{"dir", outputDir}}}};
}

json Experiment::readDocument(const std::string& path) {
  const std::string text = util::readFile(path);
  try {
    return json::parse(text, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    throw Error(ErrorKind::Format, path + ": " + syntaxMessage(text, e));
  } catch (const json::out_of_range& e) {  // a number such as 1e400 (no position given)
    std::string reason = e.what();
    const size_t at = reason.find("] ");
    throw Error(ErrorKind::Format, path + ": " + (at == std::string::npos ? reason : reason.substr(at + 2)));
  }
}

Experiment Experiment::load(const std::string& path) {
  return fromJson(readDocument(path), path, std::filesystem::path(path).parent_path().string());
}

void applyOverride(json& document, const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos)
    throw Error(ErrorKind::InvalidArgument, "--set needs key.path=value (found \"" + assignment + "\")");
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  auto fail = [&](const std::string& reason) {
    throw Error(ErrorKind::InvalidArgument, "--set " + key + ": " + reason);
  };

  std::vector<std::string> steps;
  for (size_t start = 0;;) {
    const size_t dot = key.find('.', start);
    steps.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (std::any_of(steps.begin(), steps.end(), [](const std::string& s) { return s.empty(); }))
    fail("empty name in the key path");

  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text;

  json* node = &document;
  std::string walked;  // the path so far, as fromJson writes it: stages[0].optim
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string& step = steps[i];
    const std::string here = walked.empty() ? "the document" : walked;
    if (node->is_null()) *node = json::object();
    if (node->is_array()) {
      if (!isIndex(step)) fail(here + " is an array; use an index, found \"" + step + "\"");
      const size_t index = std::stoul(step);
      if (index >= node->size())
        fail("index " + step + " is out of range (" + here + " has " + std::to_string(node->size()) +
             (node->size() == 1 ? " element)" : " elements)"));
      node = &(*node)[index];
      walked += "[" + step + "]";
    } else if (node->is_object()) {
      const auto it = node->find(step);
      const bool missing = it == node->end() || it->is_null();
      const std::string next = walked.empty() ? step : walked + "." + step;
      if (missing && i + 1 < steps.size() && isIndex(steps[i + 1]))
        fail("index " + steps[i + 1] + " is out of range (" + next + " is not there)");
      node = &(*node)[step];
      walked = next;
    } else {
      fail(here + " is " + typeName(*node) + ", not an object or an array");
    }
  }
  *node = std::move(value);
}

// ---- equality -----------------------------------------------------------------------------

bool operator==(const TaskSpec& a, const TaskSpec& b) {
  return std::tie(a.train, a.dev, a.test, a.format, a.textColumn, a.pairColumn, a.labelColumn, a.labels,
                  a.maxLength, a.columns, a.metric, a.kind, a.labelSeparator, a.threshold) ==
         std::tie(b.train, b.dev, b.test, b.format, b.textColumn, b.pairColumn, b.labelColumn, b.labels,
                  b.maxLength, b.columns, b.metric, b.kind, b.labelSeparator, b.threshold);
}

bool operator==(const TokenizerSpec& a, const TokenizerSpec& b) {
  return std::tie(a.from, a.path, a.trainCorpus, a.vocabSize, a.lowerCase) ==
         std::tie(b.from, b.path, b.trainCorpus, b.vocabSize, b.lowerCase);
}

bool operator==(const BertShape& a, const BertShape& b) {
  return std::tie(a.layers, a.hidden, a.heads, a.ffn, a.maxPositions, a.activation, a.dropout,
                  a.attentionDropout) ==
         std::tie(b.layers, b.hidden, b.heads, b.ffn, b.maxPositions, b.activation, b.dropout, b.attentionDropout);
}

bool operator==(const OptimSpec& a, const OptimSpec& b) {
  return std::tie(a.epochs, a.maxSteps, a.learningRate, a.batchSize, a.schedule, a.warmup, a.weightDecay,
                  a.maxGradNorm, a.evalEvery, a.logEvery) ==
         std::tie(b.epochs, b.maxSteps, b.learningRate, b.batchSize, b.schedule, b.warmup, b.weightDecay,
                  b.maxGradNorm, b.evalEvery, b.logEvery);
}

bool operator==(const TeacherSpec& a, const TeacherSpec& b) {
  return std::tie(a.checkpoint, a.architecture, a.mlmPretraining, a.mlmCorpus, a.mlmProbability, a.pretraining,
                  a.finetuning, a.finetune) ==
         std::tie(b.checkpoint, b.architecture, b.mlmPretraining, b.mlmCorpus, b.mlmProbability, b.pretraining,
                  b.finetuning, b.finetune);
}

bool operator==(const StudentSpec& a, const StudentSpec& b) {
  return std::tie(a.kind, a.architecture, a.embeddingDim, a.lstmHidden, a.denseHidden, a.init, a.teacherLayers,
                  a.checkpoint) ==
         std::tie(b.kind, b.architecture, b.embeddingDim, b.lstmHidden, b.denseHidden, b.init, b.teacherLayers,
                  b.checkpoint);
}

bool operator==(const LayerPairSpec& a, const LayerPairSpec& b) {
  return std::tie(a.student, a.teacher, a.attention, a.hidden, a.weight) ==
         std::tie(b.student, b.teacher, b.attention, b.hidden, b.weight);
}

bool operator==(const MappingSpec& a, const MappingSpec& b) {
  return std::tie(a.kind, a.pairs, a.attention, a.hidden, a.embeddings, a.headMismatch, a.projection) ==
         std::tie(b.kind, b.pairs, b.attention, b.hidden, b.embeddings, b.headMismatch, b.projection);
}

bool operator==(const LossSpec& a, const LossSpec& b) {
  return std::tie(a.softTargets, a.temperature, a.softKind, a.hardLabels, a.logitMse, a.cosine, a.mlm, a.attention,
                  a.hidden, a.embedding, a.mlmProbability) ==
         std::tie(b.softTargets, b.temperature, b.softKind, b.hardLabels, b.logitMse, b.cosine, b.mlm, b.attention,
                  b.hidden, b.embedding, b.mlmProbability);
}

bool operator==(const AugmentSpec& a, const AugmentSpec& b) {
  return std::tie(a.method, a.probability, a.candidates, a.copies, a.glove, a.maskEvery, a.maskProbability,
                  a.replaceProbability, a.ngramProbability, a.maxNgram, a.passes, a.write) ==
         std::tie(b.method, b.probability, b.candidates, b.copies, b.glove, b.maskEvery, b.maskProbability,
                  b.replaceProbability, b.ngramProbability, b.maxNgram, b.passes, b.write);
}

bool operator==(const StageSpec& a, const StageSpec& b) {
  return std::tie(a.name, a.kind, a.data, a.corpus, a.losses, a.optim, a.augment) ==
         std::tie(b.name, b.kind, b.data, b.corpus, b.losses, b.optim, b.augment);
}

bool operator==(const ObserverSpec& a, const ObserverSpec& b) {
  return std::tie(a.attentionEvery, a.probe, a.checkpointEvery, a.checkpointMinutes, a.checkpointKeep) ==
         std::tie(b.attentionEvery, b.probe, b.checkpointEvery, b.checkpointMinutes, b.checkpointKeep);
}

bool operator==(const Experiment& a, const Experiment& b) {
  return std::tie(a.format, a.name, a.seed, a.threads, a.teacherCache, a.teacherCacheLimitGb, a.baseDir, a.task, a.tokenizer, a.teacher, a.student,
                  a.mapping, a.stages, a.observer, a.outputDir) ==
         std::tie(b.format, b.name, b.seed, b.threads, b.teacherCache, b.teacherCacheLimitGb, b.baseDir, b.task, b.tokenizer, b.teacher, b.student,
                  b.mapping, b.stages, b.observer, b.outputDir);
}

}  // namespace retort::distill
