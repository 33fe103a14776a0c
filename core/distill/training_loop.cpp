#include "core/distill/training_loop.h"

#include <torch/torch.h>

#include <chrono>

#include "core/distill/teacher_cache.h"
#include "core/distributed/world.h"
#include "core/model/shared_random.h"
#include "core/util/error.h"

namespace retort::distill {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<float> toVector(const torch::Tensor& t) {
  auto c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

/// Evaluates on the dev set (if any) and keeps a new best student.
void evaluatePhase(PhaseContext& c, RunState& state) {
  if (!c.dev || c.dev->examples.empty()) return;
  const auto scores = evaluateModel(*c.student, *c.dev, c.device, 64, c.world, c.threshold);
  EvalMetrics e;
  e.stage = c.name;
  e.model = c.modelName;
  e.split = "dev";
  e.globalStep = state.globalStep;
  e.examples = scores.examples;
  e.accuracy = scores.accuracy;
  e.binary = scores.binary;
  e.f1 = scores.binary ? scores.f1 : -1.0;
  e.mcc = scores.mcc;
  e.metric = c.metric;
  e.score = eval::metricScore(scores, c.metric);
  if (scores.kind == "regression") e.figures = {{"pearson", scores.pearson}, {"spearman", scores.spearman}};
  else if (scores.kind == "multi_label")
    e.figures = {{"micro_f1", scores.microF1}, {"macro_f1", scores.macroF1}, {"exact_match", scores.exactMatch}};
  else if (scores.kind == "token_classification")
    e.figures = {{"entity_f1", scores.entityF1},
                 {"entity_precision", scores.entityPrecision},
                 {"entity_recall", scores.entityRecall}};
  if (c.bestWeights && e.score > state.bestScore) {
    state.bestScore = e.score;
    state.bestGlobalStep = state.globalStep;
    state.bestPhase = c.index;
    state.bestWeights = BestWeights::Memory;
    state.bestWeightsPath.clear();
    *c.bestWeights = snapshotParameters(*c.student);
    e.best = true;
  }
  c.observer->onEval(e);
}

/// Throughput and timing between two reported steps.
struct StepClock {
  Clock::time_point started = Clock::now();
  Clock::time_point lastLog = started;
  int64_t examplesSinceLog = 0;
};

void reportStep(const PhaseContext& c, const RunState& state, int64_t steps, const StepResult& r, StepClock& clock) {
  const auto now = Clock::now();
  StepMetrics m;
  m.stage = c.name;
  m.stageIndex = c.index;
  m.epoch = state.epoch;
  m.step = state.phaseStep;
  m.stageSteps = steps;
  m.globalStep = state.globalStep;
  m.totalSteps = c.totalSteps;
  for (auto& [name, t] : r.terms) m.losses[name] = t.item<double>();
  m.total = r.total;
  m.learningRate = r.learningRate;
  const double secs = std::chrono::duration<double>(now - clock.lastLog).count();
  m.examplesPerSecond = secs > 0 ? static_cast<double>(clock.examplesSinceLog) / secs : 0.0;
  m.elapsedSeconds = std::chrono::duration<double>(now - clock.started).count();
  c.observer->onStep(m);
  clock.lastLog = now;
  clock.examplesSinceLog = 0;
}

void finishPhase(RunState& state, int index) {
  state.phase = index + 1;
  state.phaseStep = state.epoch = state.batchesDone = 0;
}

}  // namespace

size_t phaseExamples(const PhaseContext& c) {
  if (c.stream) return static_cast<size_t>(c.stream->corpus.size());
  return c.train ? c.train->examples.size() : 0;
}

int64_t streamBatches(size_t examples, int64_t batchSize) {
  return (static_cast<int64_t>(examples) + batchSize - 1) / batchSize;
}

namespace {

/// The phase's teacher-logit cache (null when it would not serve a batch or is off), filled
/// on a resume with what the run before it had computed: the first epoch's batches up to
/// where the run stands, the same batches (and so the same padding and the same logits to
/// the last bit) as the uninterrupted run's.
std::unique_ptr<TeacherLogitCache> makeTeacherCache(const PhaseContext& c, const RunState& state, int64_t steps) {
  // A token classification's logits are per word piece, of a length that depends on the
  // batch's padding: not cached.
  if (c.teacherCache == "off" || !c.train || !c.teacher || c.losses.mlm > 0 || !needsOnlyTeacherLogits(c.losses) ||
      c.train->kind == "token_classification")
    return nullptr;
  const size_t examples = c.train->examples.size();
  const auto first = epochOrder(examples, c.optim.batchSize, state.seed, c.index, 0);
  if (steps <= static_cast<int64_t>(first.size())) return nullptr;  // one epoch: nothing to reuse
  const int64_t classes = c.train->numLabels;
  const double bytes = TeacherLogitCache::bytesFor(static_cast<int64_t>(examples), classes);
  if (bytes > c.teacherCacheLimitGb * 1e9) {
    if (c.teacherCache == "memory")
      throw Error(ErrorKind::InvalidArgument,
                  c.name + ": the teacher's logits take " + std::to_string(bytes / 1e9) +
                      " GB, over teacher_cache_limit_gb " + std::to_string(c.teacherCacheLimitGb) +
                      " (raise it, or set teacher_cache to auto or off)");
    return nullptr;
  }
  auto cache = std::make_unique<TeacherLogitCache>(static_cast<int64_t>(examples), classes);
  const int64_t filled = state.epoch > 0 ? static_cast<int64_t>(first.size()) : state.batchesDone;
  for (int64_t b = 0; b < filled; ++b) {
    const auto pb = phaseBatch(c, first[static_cast<size_t>(b)], state);
    cache->store(pb.batch.indices, teacherLogits(c, pb.batch));
  }
  return cache;
}

/// Rows [begin, end) of a batch (padding kept).
data::Batch rowsOf(const data::Batch& b, int64_t begin, int64_t end) {
  data::Batch out;
  auto slice = [&](const torch::Tensor& t) { return t.defined() ? t.narrow(0, begin, end - begin) : t; };
  out.inputIds = slice(b.inputIds);
  out.tokenTypeIds = slice(b.tokenTypeIds);
  out.attentionMask = slice(b.attentionMask);
  out.labels = slice(b.labels);
  out.mlmLabels = slice(b.mlmLabels);
  out.indices.assign(b.indices.begin() + begin, b.indices.begin() + end);
  return out;
}

PhaseBatch finishBatch(const PhaseContext& c, data::Batch batch, const RunState& state) {
  if (c.losses.mlm > 0)
    data::maskTokens(batch, c.specials, c.vocabSize, c.losses.mlmProbability, maskSeed(state.seed, state.globalStep));
  PhaseBatch out;
  if (state.worldSize == 1) {
    out.batch = batch.to(c.device);
    return out;
  }
  BatchShare share;
  share.global = termCounts(batch);
  auto [begin, end] = shareOf(batch.size(), state.worldSize, state.rank);
  const bool placeholder = begin == end;  // fewer rows than ranks: a row that counts for nothing
  if (placeholder) begin = 0, end = 1;
  auto mine = rowsOf(batch, begin, end);
  if (!placeholder) share.local = termCounts(mine);
  out.batch = mine.to(c.device);
  out.share = share;
  return out;
}

}  // namespace

PhaseBatch streamBatch(const PhaseContext& c, const RunState& state) {
  const auto b = static_cast<uint64_t>(state.batchesDone);
  const auto size = static_cast<uint64_t>(c.optim.batchSize);
  const auto texts = c.stream->corpus.texts(phaseOrderSeed(state.seed, c.index), state.epoch, true, b * size,
                                            (b + 1) * size);
  const auto encoded = data::encodeCorpus(texts, *c.stream->tokenizer, c.stream->maxLength);
  std::vector<size_t> rows(encoded.examples.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return finishBatch(c, data::collate(encoded, rows), state);
}

PhaseBatch phaseBatch(const PhaseContext& c, const std::vector<size_t>& indices, const RunState& state) {
  return finishBatch(c, data::collate(*c.train, indices), state);
}

eval::ClassificationScores evaluateModel(StudentModel& m, const data::EncodedDataset& data,
                                         const torch::Device& device, int64_t batchSize, distributed::World* world,
                                         double threshold) {
  const bool wasTraining = m.module().is_training();
  m.setTraining(false);
  torch::NoGradGuard noGrad;
  const int64_t n = static_cast<int64_t>(data.examples.size());
  const bool parallel = world && world->size() > 1;
  const auto [begin, end] = parallel ? shareOf(n, world->size(), world->rank()) : std::pair<int64_t, int64_t>{0, n};
  const bool regression = data.kind == "regression", multiLabel = data.kind == "multi_label";
  const bool tokens = data.kind == "token_classification";
  size_t maxWords = 1;
  if (tokens)
    for (const auto& ex : data.examples) maxWords = std::max(maxWords, ex.wordTags.size());
  const int64_t width = multiLabel ? data.numLabels : tokens ? static_cast<int64_t>(maxWords) : 1;
  // Predictions by row: class ids + 1, values or 0/1 per class at this rank's rows and 0
  // elsewhere; with several ranks summed over the ranks.
  // token_classification: tag ids + 1 per word (0 for a word cut off by max_length).
  auto byRow = regression || multiLabel ? torch::zeros({n, width}, torch::kDouble) : torch::zeros({n, width}, torch::kLong);
  for (int64_t first = begin; first < end; first += batchSize) {
    std::vector<size_t> indices;
    for (int64_t i = first; i < std::min(end, first + batchSize); ++i) indices.push_back(static_cast<size_t>(i));
    auto batch = data::collate(data, indices).to(device);
    model::ForwardOptions o;
    auto logits = m.forward(batch.inputs(), o).logits;
    torch::Tensor pred;
    if (tokens) {
      // The first piece of each word, in order: its argmax is the word's tag.
      const auto argmax = logits.argmax(-1).to(torch::kCPU).contiguous();
      const int64_t seq = argmax.size(1);
      const int64_t* a = argmax.data_ptr<int64_t>();
      for (size_t r = 0; r < indices.size(); ++r) {
        const auto& ex = data.examples[indices[r]];
        int64_t* row = byRow.data_ptr<int64_t>() + (first + static_cast<int64_t>(r)) * width;
        int64_t w = 0;
        for (size_t i = 0; i < ex.tokenLabels.size() && static_cast<int64_t>(i) < seq; ++i)
          if (ex.tokenLabels[i] != -100 && w < width) row[w++] = a[static_cast<int64_t>(r) * seq + static_cast<int64_t>(i)] + 1;
      }
      continue;
    }
    if (regression) pred = logits.reshape({-1, 1}).to(torch::kCPU, torch::kDouble);
    else if (multiLabel) pred = torch::sigmoid(logits).ge(threshold).to(torch::kCPU, torch::kDouble);
    else pred = logits.argmax(-1).add(1).reshape({-1, 1}).to(torch::kCPU);
    byRow.narrow(0, first, static_cast<int64_t>(indices.size())).copy_(pred);
  }
  m.setTraining(wasTraining);
  if (parallel) world->allReduceSum(byRow, "dev evaluation all-reduce");
  byRow = byRow.contiguous();
  if (regression) {
    std::vector<double> predicted(static_cast<size_t>(n)), gold(static_cast<size_t>(n));
    const double* p = byRow.data_ptr<double>();
    for (int64_t i = 0; i < n; ++i) {
      predicted[static_cast<size_t>(i)] = p[i];
      gold[static_cast<size_t>(i)] = data.examples[static_cast<size_t>(i)].targets.at(0);
    }
    return eval::scoreRegression(predicted, gold);
  }
  if (multiLabel) {
    std::vector<std::vector<uint8_t>> predicted(static_cast<size_t>(n)), gold(static_cast<size_t>(n));
    const double* p = byRow.data_ptr<double>();
    for (int64_t i = 0; i < n; ++i) {
      auto& row = predicted[static_cast<size_t>(i)];
      for (int64_t c = 0; c < width; ++c) row.push_back(p[i * width + c] > 0.5 ? 1 : 0);
      for (float t : data.examples[static_cast<size_t>(i)].targets)
        gold[static_cast<size_t>(i)].push_back(t > 0.5f ? 1 : 0);
    }
    return eval::scoreMultiLabelTask(predicted, gold);
  }
  if (tokens) {
    std::vector<std::vector<std::string>> predicted(static_cast<size_t>(n)), gold(static_cast<size_t>(n));
    const int64_t* p = byRow.data_ptr<int64_t>();
    auto name = [&](int64_t id) {
      return id >= 0 && static_cast<size_t>(id) < data.labelNames.size() ? data.labelNames[static_cast<size_t>(id)]
                                                                         : std::string("O");
    };
    for (int64_t i = 0; i < n; ++i) {
      const auto& ex = data.examples[static_cast<size_t>(i)];
      for (size_t w = 0; w < ex.wordTags.size(); ++w) {
        gold[static_cast<size_t>(i)].push_back(name(ex.wordTags[w]));
        predicted[static_cast<size_t>(i)].push_back(name(p[i * width + static_cast<int64_t>(w)] - 1));
      }
    }
    return eval::scoreTokenTask(predicted, gold);
  }
  std::vector<int64_t> predicted(static_cast<size_t>(n)), gold(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    predicted[static_cast<size_t>(i)] = byRow.data_ptr<int64_t>()[i] - 1;
    gold[static_cast<size_t>(i)] = data.examples[static_cast<size_t>(i)].label;
  }
  return eval::scoreClassification(predicted, gold, data.numLabels);
}

AttentionSnapshot takeAttentionSnapshot(const PhaseContext& c, int64_t globalStep) {
  AttentionSnapshot snap;
  snap.stage = c.name;
  snap.globalStep = globalStep;
  snap.tokens = c.probe->tokens;
  if (!c.teacher || !c.student->isBert()) return snap;
  auto& student = c.student->bert();
  const bool wasTraining = student->is_training();
  student->eval();
  torch::NoGradGuard noGrad;
  model::ForwardOptions o;
  o.attentionScores = o.attentionProbs = true;
  o.logits = o.pooled = false;
  auto in = c.probe->inputs;
  in.inputIds = in.inputIds.to(c.device);
  in.tokenTypeIds = in.tokenTypeIds.to(c.device);
  in.attentionMask = in.attentionMask.to(c.device);
  auto s = student->forward(in, o);
  model::BertModel teacher = c.teacher;
  auto t = teacher->forward(in, o);
  student->train(wasTraining);
  for (const auto& p : c.pairs)
    if (p.student != 0 && p.attention) snap.pairs.push_back(attentionPairOf(&s, t, p.student, p.teacher));
  return snap;
}

AttentionPair attentionPairOf(const model::BertOutputs* student, const model::BertOutputs& teacher,
                              int64_t studentLayer, int64_t teacherLayer) {
  AttentionPair ap;
  ap.teacherLayer = teacherLayer;
  const auto& ts = teacher.attentionScores.at(static_cast<size_t>(teacherLayer - 1))[0];
  ap.teacherHeads = ts.size(0);
  ap.teacherScores = toVector(ts);
  ap.teacherProbs = toVector(teacher.attentionProbs.at(static_cast<size_t>(teacherLayer - 1))[0]);
  if (!student) return ap;
  ap.studentLayer = studentLayer;
  const auto& ss = student->attentionScores.at(static_cast<size_t>(studentLayer - 1))[0];
  ap.studentHeads = ss.size(0);
  ap.studentScores = toVector(ss);
  ap.studentProbs = toVector(student->attentionProbs.at(static_cast<size_t>(studentLayer - 1))[0]);
  return ap;
}

bool runPhase(PhaseContext& c, RunState& state) {
  if (state.phase != c.index) {
    state.phase = c.index;
    state.phaseStep = state.epoch = state.batchesDone = 0;
  }
  const size_t examples = phaseExamples(c);
  const int64_t steps = phaseSteps(c.optim, examples);
  c.observer->onStageStart(c.name, c.index, c.count, steps);
  if (steps == 0) {
    finishPhase(state, c.index);
    return true;
  }
  const bool parallel = c.world && c.world->size() > 1;
  if (parallel)  // every rank at the same place with the same data, or a clear message
    c.world->checkSame({state.globalStep, state.epoch, state.batchesDone, static_cast<int64_t>(examples), steps},
                       c.name, {"global step", "epoch", "batch", "training examples", "steps"});
  StepContext step = makeStepContext(c, steps);
  if (c.checkpoints) c.checkpoints->restoreOptimizer(step, state);
  const auto cache = makeTeacherCache(c, state, steps);
  step.spec.teacherCache = cache.get();
  const int64_t evalEvery = c.optim.evalEvery;
  const int64_t logEvery = std::max<int64_t>(1, c.optim.logEvery);
  StepClock clock;
  while (state.phaseStep < steps) {
    // A dataset in memory: the epoch's order as index lists (the global batches); a stream:
    // positions, read per batch.
    const auto order = c.stream ? std::vector<std::vector<size_t>>()
                                : epochOrder(examples, c.optim.batchSize, state.seed, c.index, state.epoch);
    const int64_t batches = c.stream ? streamBatches(examples, c.optim.batchSize) : static_cast<int64_t>(order.size());
    while (state.batchesDone < batches && state.phaseStep < steps) {
      // One process stops before the step; ranks agree in the step's all-reduce and stop after it.
      // Between steps (and while paused) other threads may draw from the generator.
      bool stopRequested = false;
      {
        model::RandomTurn turn;
        stopRequested = c.control && c.control->checkpoint();
      }
      if (stopRequested && !parallel) {
        if (c.checkpoints) c.checkpoints->afterStep(&step, state, true);
        return false;
      }
      const auto batch = c.stream ? streamBatch(c, state)
                                  : phaseBatch(c, order[static_cast<size_t>(state.batchesDone)], state);
      const StepResult r = trainStep(step, batch.batch, state, batch.share ? &*batch.share : nullptr, stopRequested);
      ++state.batchesDone;
      clock.examplesSinceLog += r.examples;
      if (state.phaseStep % logEvery == 0 || state.phaseStep == steps) reportStep(c, state, steps, r, clock);
      if (r.stop) {
        if (c.checkpoints) c.checkpoints->afterStep(&step, state, true);
        return false;
      }
      if (c.probe && c.attentionEvery > 0 && state.globalStep % c.attentionEvery == 0 &&
          c.observer->wantsAttention()) {
        std::string text;
        if (c.control && c.encodeProbe && c.control->takeProbe(text)) *c.probe = c.encodeProbe(text);
        c.observer->onAttention(takeAttentionSnapshot(c, state.globalStep));
      }
      if (evalEvery > 0 && state.phaseStep % evalEvery == 0 && state.phaseStep != steps) evaluatePhase(c, state);
      if (c.checkpoints) c.checkpoints->afterStep(&step, state, false);
    }
    if (state.phaseStep >= steps) break;
    ++state.epoch;  // a full epoch: the next one starts at its first batch
    state.batchesDone = 0;
    if (evalEvery == 0) evaluatePhase(c, state);
  }
  evaluatePhase(c, state);
  if (cache && cache->hits() > 0)
    c.observer->onMessage(c.name + ": " + std::to_string(cache->hits()) + " of " +
                          std::to_string(cache->hits() + cache->misses()) +
                          " batches took the teacher's logits from the cache");
  finishPhase(state, c.index);
  return true;
}

}  // namespace retort::distill
