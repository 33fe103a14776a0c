#include "core/distill/run_data.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/text/sentencepiece_tokenizer.h"
#include "core/text/wordpiece.h"
#include "core/util/error.h"

namespace fs = std::filesystem;

namespace retort::distill {
namespace {

data::DatasetSpec datasetSpec(const TaskSpec& t, const std::string& path) {
  data::DatasetSpec d;
  d.path = path;
  d.format = t.format;
  d.textColumn = t.textColumn;
  d.pairColumn = t.pairColumn;
  d.labelColumn = t.labelColumn;
  d.columns = t.columns;
  d.kind = t.kind;
  d.labelSeparator = t.labelSeparator;
  return d;
}

std::unique_ptr<text::Tokenizer> makeTokenizer(const Experiment& e, io::LoadedCheckpoint* teacher,
                                               const std::string& runDir, Observer& obs) {
  const auto& t = e.tokenizer;
  if (t.from == "teacher") {
    if (!teacher)
      throw Error(ErrorKind::InvalidArgument,
                  "tokenizer.from is \"teacher\" but Retort trains the teacher: give tokenizer.from wordpiece "
                  "or sentencepiece");
    if (!teacher->tokenizer) throw Error(ErrorKind::Io, teacher->directory + ": the teacher checkpoint has no tokenizer");
    return std::move(teacher->tokenizer);
  }
  if (t.from == "wordpiece") {
    text::WordPieceOptions o;
    o.lowerCase = t.lowerCase;
    return text::WordPieceTokenizer::fromVocabFile(t.path, o);
  }
  if (!t.path.empty()) return text::SentencePieceTokenizer::fromModelFile(t.path);
  obs.onMessage("training a sentencepiece tokenizer on " + t.trainCorpus);
  text::SentencePieceTrainOptions o;
  o.corpusPath = t.trainCorpus;
  fs::create_directories(fs::path(runDir) / "tokenizer");
  o.outputPrefix = (fs::path(runDir) / "tokenizer" / "spiece").string();
  o.vocabSize = static_cast<int>(t.vocabSize);
  o.lowerCase = t.lowerCase;
  o.seed = static_cast<int>(e.seed % 1000003);
  return text::SentencePieceTokenizer::train(o);
}

}  // namespace

bool genericLabels(const std::vector<std::string>& labels) {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] != "LABEL_" + std::to_string(i)) return false;
  return true;
}

const StreamSource& RunData::stream(const std::string& path, Observer& observer) {
  auto it = streams.find(path);
  if (it != streams.end()) return it->second;
  const auto t0 = std::chrono::steady_clock::now();
  StreamSource s;
  s.corpus = data::StreamedCorpus::index(path);
  s.tokenizer = tokenizer.get();
  s.maxLength = maxLength;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double mb = static_cast<double>(s.corpus.fileBytes()) / 1e6;
  char line[160];
  std::snprintf(line, sizeof line, ": %.1f MB, %llu texts in %zu chunks, indexed at %.0f MB/s (streamed as it trains)",
                mb, static_cast<unsigned long long>(s.corpus.size()), s.corpus.chunks().size(),
                seconds > 0 ? mb / seconds : 0.0);
  observer.onMessage("corpus " + path + line);
  return streams.emplace(path, std::move(s)).first->second;
}

Probe RunData::encodeProbe(const std::string& text) const {
  text::EncodeOptions eo;
  eo.maxLength = maxLength;
  auto enc = tokenizer->encode(text, nullptr, eo);
  const auto n = static_cast<int64_t>(enc.input_ids.size());
  Probe p;
  p.inputs.inputIds = torch::tensor(enc.input_ids, torch::kLong).view({1, n});
  p.inputs.tokenTypeIds = torch::tensor(enc.token_type_ids, torch::kLong).view({1, n});
  p.inputs.attentionMask = torch::tensor(enc.attention_mask, torch::kLong).view({1, n});
  p.tokens = enc.tokens;
  return p;
}

std::string RunData::probeText(const Experiment& e) const {
  if (!e.observer.probe.empty()) return e.observer.probe;
  if (dev && !dev->examples.empty()) return dev->examples.front().text;
  return train.examples.front().text;
}

void readRunData(RunData& d, const Experiment& e, io::LoadedCheckpoint* teacher, const std::string& runDir,
                 Observer& observer) {
  d.maxLength = e.task.maxLength;
  d.tokenizer = makeTokenizer(e, teacher, runDir, observer);
  d.specials = d.tokenizer->specialTokens();

  if (e.task.train.empty()) throw Error(ErrorKind::InvalidArgument, "task.train is empty");
  observer.onMessage("reading " + e.task.train);
  d.train = data::readDataset(datasetSpec(e.task, e.task.train), e.task.labels);
  if (e.task.labels.empty() && teacher && teacher->model->heads().classifier &&
      !genericLabels(teacher->config.labels)) {
    // The teacher's class order wins when it knows the same classes.
    auto a = d.train.labels, b = teacher->config.labels;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a == b && d.train.labels != teacher->config.labels)
      d.train = data::readDataset(datasetSpec(e.task, e.task.train), teacher->config.labels);
  }
  if (e.task.metric == "f1" && d.train.labels.size() != 2) {
    std::string names;
    for (const auto& l : d.train.labels) names += (names.empty() ? "" : ", ") + l;
    throw Error(ErrorKind::InvalidArgument, "task.metric \"f1\" (of class 1) needs two classes, but " +
                                                e.task.train + " has " + std::to_string(d.train.labels.size()) +
                                                " (" + names + ")");
  }
  if (!e.task.dev.empty()) d.dev = data::readDataset(datasetSpec(e.task, e.task.dev), d.train.labels);
  d.trainEncoded = data::encodeDataset(d.train, *d.tokenizer, e.task.maxLength);
  d.trainEncoded.numLabels = static_cast<int64_t>(d.train.labels.size());
  if (d.dev) {
    d.devEncoded = data::encodeDataset(*d.dev, *d.tokenizer, e.task.maxLength);
    d.devEncoded.numLabels = d.trainEncoded.numLabels;
  }
  d.vocabSize = teacher ? teacher->config.vocabSize : d.tokenizer->vocabSize();
}

}  // namespace retort::distill
