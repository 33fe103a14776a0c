#include "core/distill/train_step.h"

#include <torch/torch.h>

#include <cmath>

#include "core/distill/teacher_cache.h"
#include "core/distributed/reducer.h"
#include "core/distributed/world.h"
#include "core/util/error.h"

namespace retort::distill {
namespace {

bool needsTeacherLogits(const LossSpec& l) { return l.softTargets > 0 || l.logitMse > 0; }
bool needsHidden(const LossSpec& l) { return l.cosine > 0 || l.hidden > 0 || l.embedding > 0; }

/// AdamW with Hugging Face's grouping: no weight decay for biases and LayerNorm weights.
std::unique_ptr<torch::optim::AdamW> makeOptimizer(const StepSpec& c) {
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

/// Adds the mapped layers' attention, hidden and embedding terms.
void addLayerTerms(const StepSpec& c, const model::BertOutputs& s, const model::BertOutputs& t,
                   const data::Batch& batch, std::map<std::string, torch::Tensor>& terms) {
  const LossSpec& l = c.losses;
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
}

}  // namespace

StepContext makeStepContext(const StepSpec& spec, int64_t phaseSteps) {
  if (!spec.student) throw Error(ErrorKind::InvalidArgument, spec.name + ": no model to train");
  StepContext c;
  c.spec = spec;
  c.schedule = LearningRateSchedule::of(spec.optim, phaseSteps);
  c.optimizer = makeOptimizer(spec);
  for (auto& [name, p] : spec.student->namedParameters()) c.clipped.push_back(p);
  if (spec.projections)
    for (auto& p : spec.projections->parameters()) c.clipped.push_back(p);
  // A phase starts without gradients: a parameter that an earlier phase trained but this one
  // does not use (the projections in a prediction stage, the classifier in a general one)
  // keeps an undefined gradient, so AdamW leaves it alone (no weight decay on it), exactly as
  // in a process that resumes inside this phase.
  for (auto& p : c.clipped)
    if (p.grad().defined()) p.mutable_grad() = torch::Tensor();
  if (spec.world && spec.world->size() > 1) {
    // Rank 0's weights everywhere (a fresh phase, or a resume that every rank read), then
    // the reducer over the trainable ones.
    spec.world->broadcast(c.clipped, spec.name + ": parameter broadcast");
    std::vector<torch::Tensor> trainable;
    for (auto& p : c.clipped)
      if (p.requires_grad()) trainable.push_back(p);
    c.reducer = std::make_shared<distributed::GradientReducer>(*spec.world, trainable);
  }
  spec.student->setTraining(true);
  if (spec.teacher) {
    model::BertModel teacher = spec.teacher;  // a handle: eval() is not const
    teacher->eval();
  }
  return c;
}

std::map<std::string, torch::Tensor> computeLosses(const StepSpec& c, const data::Batch& batch) {
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
  // The cache serves a batch whose rows all have their logits from an earlier epoch, and
  // keeps what the teacher computes for the others.
  TeacherLogitCache* cache = c.teacherCache && needsOnlyTeacherLogits(l) && !batch.mlmLabels.defined() &&
                                     c.taskKind != "token_classification" &&
                                     batch.indices.size() == static_cast<size_t>(batch.size())
                                 ? c.teacherCache
                                 : nullptr;
  if (cache) {
    t.logits = cache->lookup(batch.indices, inputs.inputIds.device());
    if (!t.logits.defined()) {
      t.logits = teacherLogits(c, batch);
      cache->store(batch.indices, t.logits);
    }
  } else if (teacherNeeded) {
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

  // A token classification's logits [B,S,C] count at the tagged positions (the first piece
  // of each word; every token of an untagged batch): [K,C] rows, as a sequence task's [B,C].
  if (c.taskKind == "token_classification" && (s.logits.defined() || t.logits.defined())) {
    const torch::Tensor at = batch.labels.defined() ? batch.labels.ne(-100) : batch.attentionMask.to(torch::kBool);
    if (s.logits.defined()) s.logits = s.logits.index({at});
    if (t.logits.defined()) t.logits = t.logits.index({at});
  }
  if (l.softTargets > 0) {
    if (c.taskKind == "regression")
      throw Error(ErrorKind::InvalidArgument, c.name + ": soft targets do not apply to a regression (use logit_mse)");
    if (c.taskKind == "multi_label")
      terms["soft_targets"] = l.softTargets * softTargetBernoulli(s.logits, t.logits, l.temperature, l.softKind != "ce");
    else
      terms["soft_targets"] = l.softTargets * (l.softKind == "ce" ? softTargetCe(s.logits, t.logits, l.temperature)
                                                                  : softTargetKl(s.logits, t.logits, l.temperature));
  }
  if (l.hardLabels > 0) {
    if (!batch.labels.defined()) throw Error(ErrorKind::InvalidArgument, c.name + ": hard-label loss on unlabeled data");
    const torch::Tensor hard = c.taskKind == "regression"    ? hardLabelMse(s.logits, batch.labels)
                               : c.taskKind == "multi_label" ? hardLabelBce(s.logits, batch.labels)
                               : c.taskKind == "token_classification"
                                   ? hardLabelCe(s.logits, batch.labels.index({batch.labels.ne(-100)}))
                                   : hardLabelCe(s.logits, batch.labels);
    terms["hard_labels"] = l.hardLabels * hard;
  }
  if (l.logitMse > 0) terms["logit_mse"] = l.logitMse * logitMse(s.logits, t.logits);
  if (l.mlm > 0) terms["mlm"] = l.mlm * mlmLoss(s.mlmLogits, batch.mlmLabels.index({so.mlmPositions}));
  if (l.cosine > 0)
    terms["cosine"] = l.cosine * cosineHidden(s.hiddenStates.back(), t.hiddenStates.back(), batch.attentionMask);
  addLayerTerms(c, s, t, batch, terms);
  return terms;
}

bool needsOnlyTeacherLogits(const LossSpec& l) { return needsTeacherLogits(l) && !needsHidden(l) && !(l.attention > 0); }

torch::Tensor teacherLogits(const StepSpec& c, const data::Batch& batch) {
  if (!c.teacher) throw Error(ErrorKind::InvalidArgument, c.name + ": a distillation loss needs a teacher");
  model::ForwardOptions to;
  to.logits = to.pooled = true;
  torch::NoGradGuard noGrad;
  model::BertModel teacher = c.teacher;
  return teacher->forward(batch.inputs(), to).logits;
}

TermCounts termCounts(const data::Batch& batch) {
  TermCounts n;
  n.rows = static_cast<double>(batch.size());
  n.tokens = batch.attentionMask.defined() ? batch.attentionMask.sum().item<double>()
                                           : static_cast<double>(batch.inputIds.numel());
  n.masked = batch.mlmLabels.defined() ? batch.mlmLabels.ne(-100).sum().item<double>() : 0.0;
  // Per-token tags [B,S] (int64): the tagged positions; otherwise one per row.
  const bool tokenTags = batch.labels.defined() && batch.labels.dim() == 2 && batch.labels.scalar_type() == torch::kLong;
  n.labeled = tokenTags ? batch.labels.ne(-100).sum().item<double>() : n.rows;
  return n;
}

namespace {

/// The count that normalises a term's mean (TermCounts).
double countOf(const TermCounts& n, const std::string& term) {
  if (term == "cosine") return n.tokens;
  if (term == "mlm") return n.masked;
  if (term == "soft_targets" || term == "hard_labels" || term == "logit_mse") return n.labeled;
  return n.rows;
}

}  // namespace

StepResult trainStep(StepContext& c, const data::Batch& batch, RunState& state, const BatchShare* share,
                     bool stopRequested) {
  StepResult r;
  const bool parallel = c.reducer != nullptr;
  if (parallel) torch::manual_seed(dropoutSeed(state.seed, state.globalStep, state.rank));
  r.learningRate = c.schedule.at(state.phaseStep);
  setLearningRate(*c.optimizer, r.learningRate);
  c.optimizer->zero_grad();
  r.terms = computeLosses(c.spec, batch);
  if (r.terms.empty()) throw Error(ErrorKind::InvalidArgument, c.spec.name + ": every loss weight is 0");
  if (share)
    for (auto& [name, t] : r.terms) {
      const double global = countOf(share->global, name);
      t = t * (global > 0 ? countOf(share->local, name) / global : 0.0);
    }
  torch::Tensor total;
  for (auto& [name, t] : r.terms) total = total.defined() ? total + t : t;
  const std::string stepName = c.spec.name + ", step " + std::to_string(state.phaseStep + 1);
  if (parallel) {
    // The terms of the global batch and the stop requests: one all-reduce of a few numbers.
    std::vector<torch::Tensor> parts;
    for (auto& [name, t] : r.terms) parts.push_back(t.detach().reshape({1}).to(torch::kCPU, torch::kDouble));
    parts.push_back(torch::full({1}, stopRequested ? 1.0 : 0.0, torch::kDouble));
    auto values = torch::cat(parts);
    c.spec.world->allReduceSum(values, stepName + ": loss all-reduce");
    const double* v = values.data_ptr<double>();
    size_t k = 0;
    r.total = 0.0;
    for (auto& [name, t] : r.terms) {
      t = torch::full({}, v[k], torch::kDouble);
      r.total += v[k++];
    }
    r.stop = v[k] > 0;
  } else {
    r.total = total.item<double>();
  }
  if (!std::isfinite(r.total)) {
    std::string detail;
    for (auto& [name, t] : r.terms) detail += (detail.empty() ? "" : ", ") + name + " = " + std::to_string(t.item<double>());
    throw Error(ErrorKind::Runtime, stepName + ": the loss is not finite (" + detail + "); try a lower learning rate");
  }
  if (parallel) c.reducer->prepare();
  total.backward();
  if (parallel) c.reducer->finish(stepName + ": gradient all-reduce");
  if (c.spec.optim.maxGradNorm > 0) torch::nn::utils::clip_grad_norm_(c.clipped, c.spec.optim.maxGradNorm);
  c.optimizer->step();
  ++state.phaseStep;
  ++state.globalStep;
  r.examples = share ? static_cast<int64_t>(share->global.rows) : batch.size();
  return r;
}

}  // namespace retort::distill
