#include "core/distill/training_loop.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>

#include "core/util/error.h"

namespace retort::distill {
namespace {

using Clock = std::chrono::steady_clock;

bool needsTeacherLogits(const LossSpec& l) { return l.softTargets > 0 || l.logitMse > 0; }
bool needsHidden(const LossSpec& l) { return l.cosine > 0 || l.hidden > 0 || l.embedding > 0; }

/// AdamW with Hugging Face's grouping: no weight decay for biases and LayerNorm weights.
std::unique_ptr<torch::optim::AdamW> makeOptimizer(PhaseContext& c) {
  std::vector<torch::Tensor> decay, noDecay;
  auto sort = [&](const std::string& name, const torch::Tensor& p) {
    if (!p.requires_grad()) return;
    const bool plain = name.find("bias") != std::string::npos || name.find("LayerNorm") != std::string::npos;
    (plain ? noDecay : decay).push_back(p);
  };
  for (auto& [name, p] : c.student->namedParameters()) sort(name, p);
  if (c.projections)
    for (auto& p : c.projections->named_parameters()) sort(p.key(), p.value());
  std::vector<torch::optim::OptimizerParamGroup> groups;
  auto options = [&](double wd) {
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(c.optim.learningRate).weight_decay(wd).eps(1e-8));
  };
  groups.emplace_back(decay, options(c.optim.weightDecay));
  groups.emplace_back(noDecay, options(0.0));
  return std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(c.optim.learningRate));
}

void setLearningRate(torch::optim::AdamW& opt, double lr) {
  for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
}

std::vector<float> toVector(const torch::Tensor& t) {
  auto c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

}  // namespace

int64_t phaseSteps(const OptimSpec& optim, size_t examples) {
  const int64_t perEpoch = (static_cast<int64_t>(examples) + optim.batchSize - 1) / optim.batchSize;
  int64_t steps = perEpoch * optim.epochs;
  if (optim.maxSteps > 0 && (steps == 0 || optim.maxSteps < steps)) steps = optim.maxSteps;
  return steps;
}

double scheduledLearningRate(const OptimSpec& o, int64_t step, int64_t total) {
  const int64_t warmup = o.warmup < 1.0 ? static_cast<int64_t>(std::llround(o.warmup * static_cast<double>(total)))
                                        : static_cast<int64_t>(o.warmup);
  if (step < warmup) return o.learningRate * static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, warmup));
  if (o.schedule == "constant") return o.learningRate;
  const double left = static_cast<double>(total - step) / static_cast<double>(std::max<int64_t>(1, total - warmup));
  return o.learningRate * std::max(0.0, left);
}

std::map<std::string, torch::Tensor> computeLosses(const PhaseContext& c, const data::Batch& batch) {
  const LossSpec& l = c.losses;
  const auto inputs = batch.inputs();
  std::map<std::string, torch::Tensor> terms;

  model::ForwardOptions so;
  so.logits = l.softTargets > 0 || l.hardLabels > 0 || l.logitMse > 0;
  so.pooled = so.logits;
  so.hiddenStates = needsHidden(l);
  so.attentionScores = l.attention > 0;
  so.mlmLogits = l.mlm > 0;
  if (so.mlmLogits) so.mlmPositions = batch.mlmLabels.ne(-100);
  auto s = c.student->forward(inputs, so);

  model::BertOutputs t;
  const bool teacherNeeded = needsTeacherLogits(l) || needsHidden(l) || l.attention > 0;
  if (teacherNeeded) {
    if (!c.teacher) throw Error(ErrorKind::InvalidArgument, c.name + ": a distillation loss needs a teacher");
    model::ForwardOptions to;
    to.logits = needsTeacherLogits(l);
    to.pooled = to.logits;
    to.hiddenStates = needsHidden(l);
    to.attentionScores = l.attention > 0;
    torch::NoGradGuard noGrad;
    model::BertModel teacher = c.teacher;  // a handle: forward() is not const
    t = teacher->forward(inputs, to);
  }

  if (l.softTargets > 0)
    terms["soft_targets"] = l.softTargets * (l.softKind == "ce" ? softTargetCe(s.logits, t.logits, l.temperature)
                                                                : softTargetKl(s.logits, t.logits, l.temperature));
  if (l.hardLabels > 0) {
    if (!batch.labels.defined()) throw Error(ErrorKind::InvalidArgument, c.name + ": hard-label loss on unlabeled data");
    terms["hard_labels"] = l.hardLabels * hardLabelCe(s.logits, batch.labels);
  }
  if (l.logitMse > 0) terms["logit_mse"] = l.logitMse * logitMse(s.logits, t.logits);
  if (l.mlm > 0) terms["mlm"] = l.mlm * mlmLoss(s.mlmLogits, batch.mlmLabels.index({so.mlmPositions}));
  if (l.cosine > 0)
    terms["cosine"] = l.cosine * cosineHidden(s.hiddenStates.back(), t.hiddenStates.back(), batch.attentionMask);

  torch::Tensor attention, hidden, embedding;
  for (const auto& p : c.pairs) {
    if (p.weight == 0) continue;
    if (p.student == 0) {
      if (l.embedding > 0 && p.hidden) {
        auto e = p.weight * hiddenMse(s.hiddenStates[0], t.hiddenStates[0], c.projections->forLayer(0));
        embedding = embedding.defined() ? embedding + e : e;
      }
      continue;
    }
    if (l.attention > 0 && p.attention) {
      auto a = p.weight * attentionMse(s.attentionScores[static_cast<size_t>(p.student - 1)],
                                       t.attentionScores[static_cast<size_t>(p.teacher - 1)], batch.attentionMask,
                                       c.headMismatch);
      attention = attention.defined() ? attention + a : a;
    }
    if (l.hidden > 0 && p.hidden) {
      auto h = p.weight * hiddenMse(s.hiddenStates[static_cast<size_t>(p.student)],
                                    t.hiddenStates[static_cast<size_t>(p.teacher)], c.projections->forLayer(p.student));
      hidden = hidden.defined() ? hidden + h : h;
    }
  }
  if (attention.defined()) terms["attention"] = l.attention * attention;
  if (hidden.defined()) terms["hidden"] = l.hidden * hidden;
  if (embedding.defined()) terms["embedding"] = l.embedding * embedding;
  return terms;
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

AttentionSnapshot takeAttentionSnapshot(const PhaseContext& c) {
  AttentionSnapshot snap;
  snap.stage = c.name;
  snap.globalStep = *c.globalStep;
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

bool runPhase(PhaseContext& c) {
  const int64_t steps = phaseSteps(c.optim, c.train->examples.size());
  c.observer->onStageStart(c.name, c.index, c.count, steps);
  if (steps == 0) return true;
  auto optimizer = makeOptimizer(c);
  std::vector<torch::Tensor> clipped;
  for (auto& [name, p] : c.student->namedParameters()) clipped.push_back(p);
  if (c.projections)
    for (auto& p : c.projections->parameters()) clipped.push_back(p);
  c.student->setTraining(true);
  if (c.teacher) c.teacher->eval();

  const bool masked = c.losses.mlm > 0;
  const int64_t evalEvery = c.optim.evalEvery;
  const auto started = Clock::now();
  auto lastLog = started;
  int64_t examplesSinceLog = 0;
  int64_t step = 0;

  auto evaluate = [&] {
    if (!c.dev || c.dev->examples.empty()) return;
    const auto scores = evaluateModel(*c.student, *c.dev, c.device);
    EvalMetrics e;
    e.stage = c.name;
    e.model = c.modelName;
    e.split = "dev";
    e.globalStep = *c.globalStep;
    e.examples = scores.examples;
    e.accuracy = scores.accuracy;
    e.binary = scores.binary;
    e.f1 = scores.binary ? scores.f1 : -1.0;
    e.mcc = scores.binary ? scores.mcc : -1.0;
    if (c.best && scores.accuracy > c.best->accuracy) {
      c.best->accuracy = scores.accuracy;
      c.best->weights = snapshotParameters(*c.student);
      e.best = true;
    }
    c.observer->onEval(e);
  };

  for (int64_t epoch = 0; step < steps; ++epoch) {
    for (const auto& indices : data::epochBatches(c.train->examples.size(), c.optim.batchSize, true,
                                                  c.seed + static_cast<uint64_t>(c.index) * 1000003ull, epoch)) {
      if (step >= steps) break;
      if (c.control && c.control->checkpoint()) return false;
      auto batch = data::collate(*c.train, indices);
      if (masked) data::maskTokens(batch, c.specials, c.vocabSize, c.losses.mlmProbability,
                                   c.seed * 6364136223846793005ull + static_cast<uint64_t>(*c.globalStep));
      batch = batch.to(c.device);

      const double lr = scheduledLearningRate(c.optim, step, steps);
      setLearningRate(*optimizer, lr);
      optimizer->zero_grad();
      auto terms = computeLosses(c, batch);
      if (terms.empty()) throw Error(ErrorKind::InvalidArgument, c.name + ": every loss weight is 0");
      torch::Tensor total;
      for (auto& [name, t] : terms) total = total.defined() ? total + t : t;
      const double totalValue = total.item<double>();
      if (!std::isfinite(totalValue)) {
        std::string detail;
        for (auto& [name, t] : terms) detail += (detail.empty() ? "" : ", ") + name + " = " + std::to_string(t.item<double>());
        throw Error(ErrorKind::Runtime, c.name + ", step " + std::to_string(step + 1) + ": the loss is not finite (" +
                                            detail + "); try a lower learning rate");
      }
      total.backward();
      if (c.optim.maxGradNorm > 0) torch::nn::utils::clip_grad_norm_(clipped, c.optim.maxGradNorm);
      optimizer->step();
      ++step;
      ++*c.globalStep;
      examplesSinceLog += batch.size();

      if (step % std::max<int64_t>(1, c.optim.logEvery) == 0 || step == steps) {
        const auto now = Clock::now();
        StepMetrics m;
        m.stage = c.name;
        m.stageIndex = c.index;
        m.epoch = epoch;
        m.step = step;
        m.stageSteps = steps;
        m.globalStep = *c.globalStep;
        m.totalSteps = c.totalSteps;
        for (auto& [name, t] : terms) m.losses[name] = t.item<double>();
        m.total = totalValue;
        m.learningRate = lr;
        const double secs = std::chrono::duration<double>(now - lastLog).count();
        m.examplesPerSecond = secs > 0 ? static_cast<double>(examplesSinceLog) / secs : 0.0;
        m.elapsedSeconds = std::chrono::duration<double>(now - started).count();
        c.observer->onStep(m);
        lastLog = now;
        examplesSinceLog = 0;
      }
      if (c.probe && c.attentionEvery > 0 && *c.globalStep % c.attentionEvery == 0 && c.observer->wantsAttention()) {
        std::string text;
        if (c.control && c.encodeProbe && c.control->takeProbe(text)) *c.probe = c.encodeProbe(text);
        c.observer->onAttention(takeAttentionSnapshot(c));
      }
      if (evalEvery > 0 && step % evalEvery == 0 && step != steps) evaluate();
    }
    if (evalEvery == 0 && step < steps) evaluate();  // end of a full epoch
  }
  evaluate();
  return true;
}

}  // namespace retort::distill
