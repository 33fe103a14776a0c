#include "core/distill/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>

#include "core/augment/augment.h"
#include "core/data/dataset.h"
#include "core/distill/run_directory.h"
#include "core/distill/student.h"
#include "core/distill/training_loop.h"
#include "core/eval/latency.h"
#include "core/io/checkpoint.h"
#include "core/text/sentencepiece_tokenizer.h"
#include "core/text/wordpiece.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "core/util/runtime.h"
#include "core/util/text_format.h"

namespace fs = std::filesystem;

namespace retort::distill {
namespace {

bool genericLabels(const std::vector<std::string>& labels) {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] != "LABEL_" + std::to_string(i)) return false;
  return true;
}

model::BertConfig configFrom(const BertShape& s, int64_t vocab, int64_t pad, const std::vector<std::string>& labels) {
  model::BertConfig c;
  c.vocabSize = vocab;
  c.hiddenSize = s.hidden;
  c.numHiddenLayers = s.layers;
  c.numAttentionHeads = s.heads;
  c.intermediateSize = s.ffn;
  c.maxPositionEmbeddings = s.maxPositions;
  c.hiddenAct = s.activation;
  c.hiddenDropoutProb = s.dropout;
  c.attentionProbsDropoutProb = s.attentionDropout;
  c.padTokenId = pad;
  c.labels = labels;
  c.validate("experiment");
  return c;
}

data::DatasetSpec datasetSpec(const TaskSpec& t, const std::string& path) {
  data::DatasetSpec d;
  d.path = path;
  d.format = t.format;
  d.textColumn = t.textColumn;
  d.pairColumn = t.pairColumn;
  d.labelColumn = t.labelColumn;
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

double latencyMs(StudentModel& m, int64_t length, const torch::Device& device, int64_t batch = 1) {
  m.setTraining(false);
  torch::NoGradGuard noGrad;
  model::BertInputs in;
  in.inputIds = torch::full({batch, length}, 5, torch::TensorOptions(torch::kLong).device(device));
  in.attentionMask = torch::ones({batch, length}, torch::TensorOptions(torch::kLong).device(device));
  eval::LatencyOptions o;
  o.warmup = 2;
  o.minRuns = 5;
  o.maxRuns = 30;
  o.maxSeconds = 2;
  model::ForwardOptions f;
  return eval::measureLatency([&] { m.forward(in, f); if (device.is_cuda()) torch::cuda::synchronize(); }, o).medianMs;
}

int64_t medianLength(const data::EncodedDataset& d) {
  if (d.examples.empty()) return 1;
  std::vector<int64_t> lengths;
  for (const auto& x : d.examples) lengths.push_back(static_cast<int64_t>(x.inputIds.size()));
  std::nth_element(lengths.begin(), lengths.begin() + static_cast<long>(lengths.size() / 2), lengths.end());
  return lengths[lengths.size() / 2];
}

}  // namespace

RunSummary Trainer::run(const Experiment& e, Observer& userObserver, const std::string& runDir) {
  const auto started = std::chrono::steady_clock::now();
  util::setThreads(e.threads);
  torch::manual_seed(e.seed);
  const torch::Device device = torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  std::error_code ec;
  fs::create_directories(runDir, ec);
  if (ec) throw Error(ErrorKind::Io, runDir + ": cannot create the run directory: " + ec.message());
  util::writeFileAtomic((fs::path(runDir) / "experiment.json").string(), e.toJson().dump(2) + "\n");
  MetricsLog observer((fs::path(runDir) / "metrics.jsonl").string(), userObserver);

  // Teacher checkpoint, tokenizer, data.
  std::optional<io::LoadedCheckpoint> teacherCk;
  if (!e.teacher.checkpoint.empty()) {
    observer.onMessage("loading the teacher from " + e.teacher.checkpoint);
    teacherCk = io::loadCheckpoint(e.teacher.checkpoint);
  }
  auto tokenizer = makeTokenizer(e, teacherCk ? &*teacherCk : nullptr, runDir, observer);
  const auto specials = tokenizer->specialTokens();

  if (e.task.train.empty()) throw Error(ErrorKind::InvalidArgument, "task.train is empty");
  observer.onMessage("reading " + e.task.train);
  auto train = data::readDataset(datasetSpec(e.task, e.task.train), e.task.labels);
  if (e.task.labels.empty() && teacherCk && teacherCk->model->heads().classifier &&
      !genericLabels(teacherCk->config.labels)) {
    // The teacher's class order wins when it knows the same classes.
    auto a = train.labels, b = teacherCk->config.labels;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a == b && train.labels != teacherCk->config.labels)
      train = data::readDataset(datasetSpec(e.task, e.task.train), teacherCk->config.labels);
  }
  std::optional<data::LabeledDataset> dev;
  if (!e.task.dev.empty()) dev = data::readDataset(datasetSpec(e.task, e.task.dev), train.labels);
  const auto& labels = train.labels;
  auto trainEnc = data::encodeDataset(train, *tokenizer, e.task.maxLength);
  trainEnc.numLabels = static_cast<int64_t>(labels.size());
  data::EncodedDataset devEnc;
  if (dev) {
    devEnc = data::encodeDataset(*dev, *tokenizer, e.task.maxLength);
    devEnc.numLabels = trainEnc.numLabels;
  }
  const data::EncodedDataset* devPtr = dev ? &devEnc : nullptr;
  const int64_t vocab = teacherCk ? teacherCk->config.vocabSize : tokenizer->vocabSize();

  // Corpora, encoded once per path.
  std::map<std::string, data::EncodedDataset> corpora;
  auto corpus = [&](const std::string& path) -> const data::EncodedDataset& {
    auto it = corpora.find(path);
    if (it != corpora.end()) return it->second;
    observer.onMessage("reading the corpus " + path);
    return corpora[path] = data::encodeCorpus(data::readCorpus(path), *tokenizer, e.task.maxLength);
  };

  // The teacher.
  model::BertModel teacher{nullptr};
  bool trainedTeacher = false;
  std::vector<PhaseContext> phases;
  int64_t globalStep = 0;
  BestKeeper best;
  auto basePhase = [&](const std::string& name) {
    PhaseContext c;
    c.name = name;
    c.specials = specials;
    c.vocabSize = vocab;
    c.seed = e.seed;
    c.device = device;
    c.globalStep = &globalStep;
    c.observer = &observer;
    c.control = m_control;
    return c;
  };
  std::optional<StudentModel> teacherAsStudent;
  if (teacherCk) {
    teacher = teacherCk->model;
    const bool hasClassifier = teacher->heads().classifier;
    const bool sameCount = hasClassifier && teacher->config().numLabels() == static_cast<int64_t>(labels.size());
    const bool fits = sameCount && (genericLabels(teacher->config().labels) || teacher->config().labels == labels);
    if (e.teacher.finetune == "always" || (e.teacher.finetune == "auto" && !fits)) {
      // A pre-trained (or differently fine-tuned) checkpoint: a fresh classifier for the
      // task's classes on the checkpoint's backbone, then fine-tuning.
      observer.onMessage(e.teacher.checkpoint + ": fine-tuning the teacher on the task (" +
                         (hasClassifier ? std::string("its classifier has other classes") : std::string("no classifier")) +
                         (e.teacher.finetune == "always" ? ", teacher.finetune is always)" : ")"));
      model::BertConfig config = teacherCk->config;
      config.labels = labels;
      model::BertModel tuned(config, model::BertHeads{true, true, teacher->heads().mlm});
      {
        torch::NoGradGuard noGrad;
        auto source = teacher->named_parameters();
        for (auto& p : tuned->named_parameters()) {
          if (p.key().rfind("classifier.", 0) == 0) continue;
          if (const auto* from = source.find(p.key())) p.value().copy_(*from);
        }
      }
      teacher = tuned;
      trainedTeacher = true;
      teacherAsStudent.emplace(teacher);
      auto c = basePhase("teacher-finetuning");
      c.optim = e.teacher.finetuning;
      c.losses = LossSpec{};
      c.losses.hardLabels = 1.0;
      c.train = &trainEnc;
      c.dev = devPtr;
      c.student = &*teacherAsStudent;
      c.modelName = "teacher";
      phases.push_back(c);
    } else if (!hasClassifier) {
      throw Error(ErrorKind::Format, e.teacher.checkpoint +
                                         ": the teacher has no classifier head (classifier.weight) and "
                                         "teacher.finetune is never");
    } else if (!fits) {
      throw Error(ErrorKind::Shape, e.teacher.checkpoint + ": the teacher's classes (" +
                                        util::listNames(teacher->config().labels) + ") are not the task's (" +
                                        util::listNames(labels) + ") and teacher.finetune is never");
    }
  } else {
    model::BertHeads heads;
    heads.mlm = e.teacher.mlmPretraining;
    teacher = model::BertModel(configFrom(e.teacher.architecture, vocab, specials.pad, labels), heads);
    trainedTeacher = true;
    teacherAsStudent.emplace(teacher);
    if (e.teacher.mlmPretraining) {
      auto c = basePhase("teacher-pretraining");
      c.optim = e.teacher.pretraining;
      c.losses = LossSpec{};
      c.losses.mlm = 1.0;
      c.losses.mlmProbability = e.teacher.mlmProbability;
      c.train = &corpus(e.teacher.mlmCorpus);
      c.student = &*teacherAsStudent;
      c.modelName = "teacher";
      phases.push_back(c);
    }
    auto c = basePhase("teacher-finetuning");
    c.optim = e.teacher.finetuning;
    c.losses = LossSpec{};
    c.losses.hardLabels = 1.0;
    c.train = &trainEnc;
    c.dev = devPtr;
    c.student = &*teacherAsStudent;
    c.modelName = "teacher";
    phases.push_back(c);
  }
  teacher->to(device);

  // The student.
  const auto& sp = e.student;
  bool studentMlm = false;
  for (const auto& s : e.stages) studentMlm = studentMlm || s.losses.mlm > 0;
  std::optional<StudentModel> student;
  if (sp.kind == "bilstm") {
    model::BiLstmConfig bc;
    bc.vocabSize = vocab;
    bc.embeddingDim = sp.embeddingDim;
    bc.hidden = sp.lstmHidden;
    bc.denseHidden = sp.denseHidden;
    bc.numLabels = static_cast<int64_t>(labels.size());
    bc.labels = labels;
    bc.padTokenId = specials.pad;
    student.emplace(sp.init == "checkpoint" ? model::loadBiLstm(sp.checkpoint) : model::BiLstmClassifier(bc));
  } else if (sp.init == "checkpoint") {
    io::LoadOptions lo;
    lo.heads = model::BertHeads{true, true, studentMlm};
    auto ck = io::loadCheckpoint(sp.checkpoint, lo);
    student.emplace(ck.model);
  } else {
    model::BertHeads heads{true, true, studentMlm};
    student.emplace(model::BertModel(configFrom(sp.architecture, vocab, specials.pad, labels), heads));
  }
  student->to(device);
  if (student->isBert() && student->bert()->config().maxPositionEmbeddings < e.task.maxLength)
    throw Error(ErrorKind::InvalidArgument, "task.max_length " + std::to_string(e.task.maxLength) +
                                                " exceeds the student's max_positions");

  // Mapping and projections.
  const int64_t teacherLayers = teacher->config().numHiddenLayers;
  std::vector<LayerPair> pairs;
  std::unique_ptr<HiddenProjections> projections;
  if (student->isBert()) {
    const int64_t studentLayers = student->bert()->config().numHiddenLayers;
    const auto& m = e.mapping;
    if (m.kind == "uniform") pairs = uniformMapping(teacherLayers, studentLayers, m.attention, m.hidden);
    else if (m.kind == "last") pairs = lastLayersMapping(teacherLayers, studentLayers, m.attention, m.hidden);
    else
      for (const auto& p : m.pairs) pairs.push_back({p.student, p.teacher, p.attention, p.hidden, p.weight});
    if (m.embeddings) pairs = withEmbeddingPair(pairs);
    validateMapping(pairs, teacherLayers, studentLayers);
    bool projected = false;
    for (const auto& s : e.stages) projected = projected || s.losses.hidden > 0 || s.losses.embedding > 0;
    if (projected) {
      std::vector<int64_t> layers;
      for (const auto& p : pairs) layers.push_back(p.student);
      projections = std::make_unique<HiddenProjections>(student->bert()->config().hiddenSize,
                                                        teacher->config().hiddenSize, layers,
                                                        m.projection == "shared");
      projections->to(device);
    }
  }

  // Stages.
  std::map<size_t, size_t> augmentedStage;  // phase index -> stage index, for stages that augment
  for (size_t i = 0; i < e.stages.size(); ++i) {
    const auto& s = e.stages[i];
    if (!s.augment.method.empty()) augmentedStage[phases.size()] = i;
    auto c = basePhase(s.name);
    c.optim = s.optim;
    c.losses = s.losses;
    c.train = s.data == "corpus" ? &corpus(s.corpus) : &trainEnc;
    c.dev = s.kind == "general" ? nullptr : devPtr;
    c.student = &*student;
    c.teacher = teacher;
    c.pairs = pairs;
    c.projections = projections.get();
    c.headMismatch = e.mapping.headMismatch == "refuse" ? HeadMismatch::Refuse : HeadMismatch::Average;
    c.best = &best;
    phases.push_back(c);
  }

  // Probe for attention snapshots.
  const std::string probeText = !e.observer.probe.empty() ? e.observer.probe
                                : dev && !dev->examples.empty() ? dev->examples.front().text
                                                                : train.examples.front().text;
  auto encodeProbe = [&tokenizer, maxLength = e.task.maxLength](const std::string& text) {
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
  };
  Probe probe = encodeProbe(probeText);

  // Steps: an augmented stage is planned with its expected size until it is made.
  auto plannedExamples = [&](size_t i) -> size_t {
    const size_t n = phases[i].train->examples.size();
    auto it = augmentedStage.find(i);
    if (it == augmentedStage.end()) return n;
    const auto& a = e.stages[it->second].augment;
    return n * static_cast<size_t>(1 + (a.method == "tinybert" ? a.copies : a.passes));
  };
  auto countSteps = [&] {
    int64_t total = 0;
    for (size_t i = 0; i < phases.size(); ++i) total += phaseSteps(phases[i].optim, plannedExamples(i));
    return total;
  };
  int64_t totalSteps = countSteps();
  std::deque<data::EncodedDataset> augmentedSets;
  std::map<std::string, const data::EncodedDataset*> augmentedBySpec;  // stages with the same options share one set
  std::optional<augment::GloveVectors> glove;
  std::string glovePath;
  auto augmentFor = [&](const StageSpec& s, size_t stageIndex) -> const data::EncodedDataset* {
    const std::string key = e.toJson().at("stages").at(stageIndex).at("augment").dump();
    if (auto it = augmentedBySpec.find(key); it != augmentedBySpec.end()) return it->second;
    const auto& a = s.augment;
    const uint64_t seed = e.seed + 1000003ULL * (stageIndex + 1);
    augment::AugmentStats stats;
    data::LabeledDataset made;
    const auto t0 = std::chrono::steady_clock::now();
    if (a.method == "tinybert") {
      if (!a.glove.empty() && glovePath != a.glove) {
        observer.onMessage("reading word vectors " + a.glove);
        glove = augment::GloveVectors::load(a.glove);
        glovePath = a.glove;
      }
      augment::TinyBertOptions o;
      o.probability = a.probability;
      o.candidates = a.candidates;
      o.copies = a.copies;
      o.maskEvery = a.maskEvery;
      o.maxLength = e.task.maxLength;
      augment::TeacherCandidates source(teacher, *tokenizer, a.glove.empty() ? nullptr : &*glove, o);
      observer.onMessage(s.name + ": augmenting " + std::to_string(train.examples.size()) +
                         " examples (TinyBERT: p " + std::to_string(a.probability) + ", " +
                         std::to_string(a.copies) + " copies, candidates from " +
                         (source.usesMlm() ? "the teacher's MLM head and " : "") +
                         (a.glove.empty() ? "its word embeddings)" : "GloVe vectors)"));
      int64_t lastTenth = 0;
      made = augment::augmentTinyBert(train, source, o, seed, &stats, [&](int64_t done, int64_t total) {
        const int64_t tenth = done * 10 / std::max<int64_t>(1, total);
        if (tenth > lastTenth && tenth < 10) observer.onMessage(s.name + ": augmented " + std::to_string(done) + " of " + std::to_string(total) + " examples");
        lastTenth = tenth;
        if (m_control) m_control->checkpoint();
      });
    } else {
      augment::TangOptions o;
      o.maskProbability = a.maskProbability;
      o.replaceProbability = a.replaceProbability;
      o.ngramProbability = a.ngramProbability;
      o.maxNgram = a.maxNgram;
      o.passes = a.passes;
      const std::string maskText = specials.mask >= 0 ? tokenizer->idToToken(specials.mask) : std::string("[MASK]");
      made = augment::augmentTang(train, maskText, o, seed, &stats);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char line[256];
    std::snprintf(line, sizeof line, "%s: %lld examples + %lld augmented; %.1f%% of %lld candidate words replaced (%.1f s)",
                  s.name.c_str(), static_cast<long long>(stats.originals), static_cast<long long>(stats.added),
                  stats.wordsConsidered ? 100.0 * static_cast<double>(stats.wordsReplaced) / static_cast<double>(stats.wordsConsidered) : 0.0,
                  static_cast<long long>(stats.wordsConsidered), seconds);
    observer.onMessage(line);
    if (a.write) {
      fs::create_directories(fs::path(runDir) / "augmented");
      const std::string path = (fs::path(runDir) / "augmented" / (s.name + ".tsv")).string();
      data::writeDatasetTsv(path, made.examples, made.labels, !e.task.pairColumn.empty());
      observer.onMessage(s.name + ": augmented data written to " + path);
    }
    augmentedSets.push_back(data::encodeDataset(made, *tokenizer, e.task.maxLength));
    augmentedSets.back().numLabels = trainEnc.numLabels;
    return augmentedBySpec[key] = &augmentedSets.back();
  };

  bool cancelled = false;
  bool initialised = sp.init != "teacher_layers";
  for (size_t i = 0; i < phases.size() && !cancelled; ++i) {
    auto& c = phases[i];
    if (auto it = augmentedStage.find(i); it != augmentedStage.end()) {
      // The teacher is final here (it may have been trained by the phases before).
      teacher->eval();
      c.train = augmentFor(e.stages[it->second], it->second);
      augmentedStage.erase(it);
      totalSteps = countSteps();
      if (m_control && m_control->cancelled()) {
        cancelled = true;
        break;
      }
    }
    if (!initialised && c.student == &*student) {
      // DistilBERT's initialisation, once the teacher is final (it may have been trained above).
      const int64_t studentLayers = student->bert()->config().numHiddenLayers;
      const auto layers = sp.teacherLayers.empty() ? everyOtherLayer(teacherLayers, studentLayers) : sp.teacherLayers;
      copyTeacherLayers(student->bert(), teacher, layers);
      initialised = true;
    }
    c.index = static_cast<int>(i);
    c.count = static_cast<int>(phases.size());
    c.totalSteps = totalSteps;
    if (c.teacher) {
      c.probe = &probe;
      c.encodeProbe = encodeProbe;
      c.attentionEvery = e.observer.attentionEvery;
    }
    cancelled = !runPhase(c);
  }

  // The best dev student, the files, the figures.
  if (best.accuracy >= 0) restoreParameters(*student, best.weights);
  student->save((fs::path(runDir) / "student").string(), tokenizer.get());
  StudentModel teacherModel(teacher);
  if (trainedTeacher) teacherModel.save((fs::path(runDir) / "teacher").string(), tokenizer.get());

  RunSummary summary;
  summary.runDir = runDir;
  summary.cancelled = cancelled;
  summary.typicalLength = medianLength(trainEnc);
  if (devPtr && !devEnc.examples.empty()) {
    summary.teacher.accuracy = evaluateModel(teacherModel, devEnc, device).accuracy;
    summary.student.accuracy = evaluateModel(*student, devEnc, device).accuracy;
  }
  summary.teacher.parameters = teacherModel.parameterCount();
  summary.student.parameters = student->parameterCount();
  summary.teacher.sizeMb = static_cast<double>(summary.teacher.parameters) * 4.0 / 1e6;
  summary.student.sizeMb = static_cast<double>(summary.student.parameters) * 4.0 / 1e6;
  summary.teacher.latencyMs = latencyMs(teacherModel, summary.typicalLength, device);
  summary.student.latencyMs = latencyMs(*student, summary.typicalLength, device);
  if (summary.teacher.accuracy > 0) summary.retention = summary.student.accuracy / summary.teacher.accuracy;
  summary.teacher.latencyBatchMs = latencyMs(teacherModel, summary.typicalLength, device, 32);
  summary.student.latencyBatchMs = latencyMs(*student, summary.typicalLength, device, 32);
  if (summary.student.latencyMs > 0) summary.speedup = summary.teacher.latencyMs / summary.student.latencyMs;
  if (summary.student.latencyBatchMs > 0)
    summary.speedupBatch = summary.teacher.latencyBatchMs / summary.student.latencyBatchMs;
  summary.name = e.name;
  summary.studentKind = sp.kind;
  if (summary.student.parameters > 0)
    summary.compression = static_cast<double>(summary.teacher.parameters) / static_cast<double>(summary.student.parameters);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  writeSummary((fs::path(runDir) / "summary.json").string(), summary);
  return summary;
}

}  // namespace retort::distill
