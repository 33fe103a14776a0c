#include "core/distill/training_loop.h"

#include <torch/torch.h>

#include <chrono>

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
  const auto scores = evaluateModel(*c.student, *c.dev, c.device);
  EvalMetrics e;
  e.stage = c.name;
  e.model = c.modelName;
  e.split = "dev";
  e.globalStep = state.globalStep;
  e.examples = scores.examples;
  e.accuracy = scores.accuracy;
  e.binary = scores.binary;
  e.f1 = scores.binary ? scores.f1 : -1.0;
  e.mcc = scores.binary ? scores.mcc : -1.0;
  if (c.bestWeights && scores.accuracy > state.bestScore) {
    state.bestScore = scores.accuracy;
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

int64_t streamBatches(size_t examples, int64_t batchSize, int64_t worldSize, int64_t rank) {
  const int64_t total = (static_cast<int64_t>(examples) + batchSize - 1) / batchSize;
  return total > rank ? (total - rank + worldSize - 1) / worldSize : 0;
}

namespace {

data::Batch finishBatch(const PhaseContext& c, data::Batch batch, const RunState& state) {
  if (c.losses.mlm > 0)
    data::maskTokens(batch, c.specials, c.vocabSize, c.losses.mlmProbability, maskSeed(state.seed, state.globalStep));
  return batch.to(c.device);
}

}  // namespace

data::Batch streamBatch(const PhaseContext& c, const RunState& state) {
  const auto b = static_cast<uint64_t>(state.batchesDone * state.worldSize + state.rank);
  const auto size = static_cast<uint64_t>(c.optim.batchSize);
  const auto texts = c.stream->corpus.texts(phaseOrderSeed(state.seed, c.index), state.epoch, true, b * size,
                                            (b + 1) * size);
  const auto encoded = data::encodeCorpus(texts, *c.stream->tokenizer, c.stream->maxLength);
  std::vector<size_t> rows(encoded.examples.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return finishBatch(c, data::collate(encoded, rows), state);
}

data::Batch phaseBatch(const PhaseContext& c, const std::vector<size_t>& indices, const RunState& state) {
  return finishBatch(c, data::collate(*c.train, indices), state);
}

eval::ClassificationScores evaluateModel(StudentModel& m, const data::EncodedDataset& data,
                                         const torch::Device& device, int64_t batchSize) {
  const bool wasTraining = m.module().is_training();
  m.setTraining(false);
  torch::NoGradGuard noGrad;
  std::vector<int64_t> predicted, gold;
  predicted.reserve(data.examples.size());
  for (const auto& indices : data::epochBatches(data.examples.size(), batchSize, false, 0, 0)) {
    auto batch = data::collate(data, indices).to(device);
    model::ForwardOptions o;
    auto logits = m.forward(batch.inputs(), o).logits;
    auto pred = logits.argmax(-1).to(torch::kCPU).contiguous();
    predicted.insert(predicted.end(), pred.data_ptr<int64_t>(), pred.data_ptr<int64_t>() + pred.numel());
    for (size_t i : indices) gold.push_back(data.examples[i].label);
  }
  m.setTraining(wasTraining);
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
  StepContext step = makeStepContext(c, steps);
  if (c.checkpoints) c.checkpoints->restoreOptimizer(step, state);
  const int64_t evalEvery = c.optim.evalEvery;
  const int64_t logEvery = std::max<int64_t>(1, c.optim.logEvery);
  StepClock clock;
  while (state.phaseStep < steps) {
    // A dataset in memory: the epoch's order as index lists; a stream: positions, read per batch.
    const auto order = c.stream ? std::vector<std::vector<size_t>>()
                                : epochOrder(examples, c.optim.batchSize, state.seed, c.index, state.epoch,
                                             state.worldSize, state.rank);
    const int64_t batches = c.stream ? streamBatches(examples, c.optim.batchSize, state.worldSize, state.rank)
                                     : static_cast<int64_t>(order.size());
    while (state.batchesDone < batches && state.phaseStep < steps) {
      if (c.control && c.control->checkpoint()) {
        if (c.checkpoints) c.checkpoints->afterStep(&step, state, true);
        return false;
      }
      const auto batch = c.stream ? streamBatch(c, state)
                                  : phaseBatch(c, order[static_cast<size_t>(state.batchesDone)], state);
      const StepResult r = trainStep(step, batch, state);
      ++state.batchesDone;
      clock.examplesSinceLog += r.examples;
      if (state.phaseStep % logEvery == 0 || state.phaseStep == steps) reportStep(c, state, steps, r, clock);
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
  finishPhase(state, c.index);
  return true;
}

}  // namespace retort::distill
