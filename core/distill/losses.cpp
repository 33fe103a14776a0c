#include "core/distill/losses.h"

#include <torch/torch.h>

#include <cmath>
#include <string>

#include "core/util/error.h"
#include "core/util/text_format.h"

namespace retort::distill {
namespace {

constexpr int64_t kIgnoreIndex = -100;

std::string shapeText(c10::IntArrayRef shape) { return util::shapeText(shape.vec()); }

[[noreturn]] void shapeError(const std::string& message) { throw Error(ErrorKind::Shape, message); }

void checkDefined(const std::string& loss, const torch::Tensor& t, const std::string& name) {
  if (!t.defined()) shapeError(loss + ": " + name + " is missing (undefined tensor)");
}

void checkFloating(const std::string& loss, const torch::Tensor& t, const std::string& name) {
  checkDefined(loss, t, name);
  if (!t.is_floating_point()) {
    shapeError(loss + ": " + name + " " + shapeText(t.sizes()) + " must be floating point, not " +
               std::string(c10::toString(t.scalar_type())));
  }
}

void checkLabels(const std::string& loss, const torch::Tensor& labels) {
  checkDefined(loss, labels, "labels");
  if (labels.scalar_type() != torch::kLong) {
    shapeError(loss + ": labels " + shapeText(labels.sizes()) + " must be int64, not " +
               std::string(c10::toString(labels.scalar_type())));
  }
}

/// Student and teacher logits: floating, [B,C], equal shapes, not empty.
void checkLogitPair(const std::string& loss, const torch::Tensor& s, const torch::Tensor& t) {
  checkFloating(loss, s, "student logits");
  checkFloating(loss, t, "teacher logits");
  if (s.dim() != 2 || s.sizes() != t.sizes()) {
    shapeError(loss + ": student logits " + shapeText(s.sizes()) + " vs teacher " +
               shapeText(t.sizes()) + " (both must be [B,C] and equal)");
  }
  if (s.numel() == 0) shapeError(loss + ": the logits " + shapeText(s.sizes()) + " are empty");
}

void checkTemperature(const std::string& loss, double temperature) {
  if (!(temperature > 0.0) || !std::isfinite(temperature)) {
    throw Error(ErrorKind::InvalidArgument,
                loss + ": the temperature must be a finite number > 0, not " +
                    std::to_string(temperature));
  }
}

/// The mask as bool [B,S] on `like`'s device, after checking its shape against [B,S].
torch::Tensor maskOf(const std::string& loss, const torch::Tensor& mask, int64_t batch,
                     int64_t seq, const torch::Tensor& like, const std::string& likeName) {
  if (mask.dim() != 2 || mask.size(0) != batch || mask.size(1) != seq) {
    shapeError(loss + ": attention mask " + shapeText(mask.sizes()) + " does not match " + likeName +
               " " + shapeText(like.sizes()) + " (expected [" + std::to_string(batch) + ", " +
               std::to_string(seq) + "])");
  }
  return mask.to(like.device()).ne(0);
}

/// The teacher as a constant of the student's dtype.
torch::Tensor constantLike(const torch::Tensor& teacher, const torch::Tensor& student) {
  return teacher.detach().to(student.scalar_type());
}

}  // namespace

torch::Tensor softTargetKl(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                           double temperature) {
  const std::string loss = "soft-target KL loss";
  checkLogitPair(loss, studentLogits, teacherLogits);
  checkTemperature(loss, temperature);
  const auto teacher = constantLike(teacherLogits, studentLogits);
  const auto logPs = torch::log_softmax(studentLogits / temperature, 1);
  const auto logPt = torch::log_softmax(teacher / temperature, 1);
  const auto kl = (logPt.exp() * (logPt - logPs)).sum() / static_cast<double>(studentLogits.size(0));
  return kl * (temperature * temperature);
}

torch::Tensor softTargetCe(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                           double temperature) {
  const std::string loss = "soft-target CE loss";
  checkLogitPair(loss, studentLogits, teacherLogits);
  checkTemperature(loss, temperature);
  const auto teacher = constantLike(teacherLogits, studentLogits);
  const auto pt = torch::softmax(teacher / temperature, 1);
  return (-pt * torch::log_softmax(studentLogits / temperature, 1)).mean();
}

torch::Tensor hardLabelCe(const torch::Tensor& studentLogits, const torch::Tensor& labels) {
  const std::string loss = "hard-label loss";
  checkFloating(loss, studentLogits, "student logits");
  checkLabels(loss, labels);
  if (studentLogits.dim() != 2 || labels.dim() != 1 || labels.size(0) != studentLogits.size(0)) {
    shapeError(loss + ": student logits " + shapeText(studentLogits.sizes()) + " vs labels " +
               shapeText(labels.sizes()) + " (expected [B,C] and [B])");
  }
  if (labels.numel() == 0) shapeError(loss + ": the batch is empty");
  const int64_t classes = studentLogits.size(1);
  const auto bad = labels.lt(0).logical_or(labels.ge(classes));
  if (bad.any().item<bool>()) {
    const int64_t value = labels.masked_select(bad)[0].item<int64_t>();
    throw Error(ErrorKind::InvalidArgument, loss + ": label " + std::to_string(value) +
                                                " is outside 0.." + std::to_string(classes - 1));
  }
  return torch::nn::functional::cross_entropy(studentLogits, labels.to(studentLogits.device()));
}

torch::Tensor hardLabelMse(const torch::Tensor& studentLogits, const torch::Tensor& labels) {
  const std::string loss = "hard-label MSE loss";
  checkFloating(loss, studentLogits, "student outputs");
  checkFloating(loss, labels, "labels");
  const bool column = studentLogits.dim() == 2 && studentLogits.size(1) == 1;
  if (!(column || studentLogits.dim() == 1) || labels.dim() != 1 || labels.size(0) != studentLogits.size(0))
    shapeError(loss + ": student outputs " + shapeText(studentLogits.sizes()) + " vs labels " +
               shapeText(labels.sizes()) + " (expected [B,1] and [B]: a regression has one output)");
  if (labels.numel() == 0) shapeError(loss + ": the batch is empty");
  const auto out = column ? studentLogits.squeeze(1) : studentLogits;
  return torch::mse_loss(out, labels.to(out.device(), out.scalar_type()));
}

torch::Tensor hardLabelBce(const torch::Tensor& studentLogits, const torch::Tensor& targets) {
  const std::string loss = "hard-label BCE loss";
  checkFloating(loss, studentLogits, "student logits");
  checkFloating(loss, targets, "targets");
  if (studentLogits.dim() != 2 || targets.sizes() != studentLogits.sizes())
    shapeError(loss + ": student logits " + shapeText(studentLogits.sizes()) + " vs targets " +
               shapeText(targets.sizes()) + " (expected both [B,C])");
  if (targets.numel() == 0) shapeError(loss + ": the batch is empty");
  return torch::binary_cross_entropy_with_logits(studentLogits,
                                                 targets.to(studentLogits.device(), studentLogits.scalar_type()));
}

torch::Tensor softTargetBernoulli(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                                  double temperature, bool kl) {
  const std::string loss = kl ? "soft-target Bernoulli KL loss" : "soft-target Bernoulli CE loss";
  checkLogitPair(loss, studentLogits, teacherLogits);
  checkTemperature(loss, temperature);
  const auto teacher = constantLike(teacherLogits, studentLogits) / temperature;
  const auto s = studentLogits / temperature;
  const auto logQ = torch::log_sigmoid(s), log1mQ = torch::log_sigmoid(-s);
  const auto logP = torch::log_sigmoid(teacher), log1mP = torch::log_sigmoid(-teacher);
  const auto p = logP.exp(), p1 = log1mP.exp();
  if (!kl) return (-(p * logQ + p1 * log1mQ)).mean();
  const auto divergence = p * (logP - logQ) + p1 * (log1mP - log1mQ);
  return divergence.sum() / static_cast<double>(studentLogits.size(0)) * (temperature * temperature);
}

torch::Tensor logitMse(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits) {
  const std::string loss = "logit MSE loss";
  checkLogitPair(loss, studentLogits, teacherLogits);
  return torch::mse_loss(studentLogits, constantLike(teacherLogits, studentLogits));
}

torch::Tensor cosineHidden(const torch::Tensor& studentHidden, const torch::Tensor& teacherHidden,
                           const torch::Tensor& attentionMask) {
  const std::string loss = "cosine loss";
  checkFloating(loss, studentHidden, "student hidden");
  checkFloating(loss, teacherHidden, "teacher hidden");
  if (studentHidden.dim() != 3 || teacherHidden.dim() != 3 ||
      studentHidden.size(0) != teacherHidden.size(0) ||
      studentHidden.size(1) != teacherHidden.size(1)) {
    shapeError(loss + ": student hidden " + shapeText(studentHidden.sizes()) + " vs teacher " +
               shapeText(teacherHidden.sizes()) + " (both must be [B,S,H])");
  }
  if (studentHidden.size(2) != teacherHidden.size(2)) {
    shapeError(loss + ": the student's hidden size " + std::to_string(studentHidden.size(2)) +
               " differs from the teacher's " + std::to_string(teacherHidden.size(2)) +
               " (student hidden " + shapeText(studentHidden.sizes()) + " vs teacher " +
               shapeText(teacherHidden.sizes()) + "); the cosine loss needs equal hidden sizes");
  }
  const auto teacher = constantLike(teacherHidden, studentHidden);
  const auto distance = 1.0 - torch::cosine_similarity(studentHidden, teacher, 2, 1e-8);  // [B,S]
  if (!attentionMask.defined()) return distance.mean();
  const auto keep = maskOf(loss, attentionMask, studentHidden.size(0), studentHidden.size(1),
                           studentHidden, "student hidden");
  if (!keep.any().item<bool>()) {
    throw Error(ErrorKind::InvalidArgument, loss + ": the attention mask marks no token");
  }
  return distance.masked_select(keep).mean();
}

torch::Tensor mlmLoss(const torch::Tensor& mlmLogits, const torch::Tensor& mlmLabels) {
  const std::string loss = "MLM loss";
  checkFloating(loss, mlmLogits, "logits");
  checkLabels(loss, mlmLabels);
  const bool shapesOk = (mlmLogits.dim() == 2 || mlmLogits.dim() == 3) &&
                        mlmLabels.dim() == mlmLogits.dim() - 1 &&
                        mlmLabels.sizes() == mlmLogits.sizes().slice(0, mlmLabels.dim());
  if (!shapesOk) {
    shapeError(loss + ": logits " + shapeText(mlmLogits.sizes()) + " vs labels " +
               shapeText(mlmLabels.sizes()) + " (expected [N,V] with [N], or [B,S,V] with [B,S])");
  }
  const int64_t vocab = mlmLogits.size(-1);
  const auto logits = mlmLogits.reshape({-1, vocab});
  const auto labels = mlmLabels.reshape({-1}).to(mlmLogits.device());
  const auto bad = labels.ne(kIgnoreIndex).logical_and(labels.lt(0).logical_or(labels.ge(vocab)));
  if (bad.any().item<bool>()) {
    const int64_t value = labels.masked_select(bad)[0].item<int64_t>();
    throw Error(ErrorKind::InvalidArgument,
                loss + ": label " + std::to_string(value) + " is outside the vocabulary 0.." +
                    std::to_string(vocab - 1) + " (and is not the ignored -100)");
  }
  if (!labels.ne(kIgnoreIndex).any().item<bool>()) return logits.sum() * 0.0;
  return torch::nn::functional::cross_entropy(
      logits, labels, torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex));
}

torch::Tensor attentionMse(const torch::Tensor& studentScores, const torch::Tensor& teacherScores,
                           const torch::Tensor& attentionMask, HeadMismatch mode) {
  const std::string loss = "attention loss";
  checkFloating(loss, studentScores, "student scores");
  checkFloating(loss, teacherScores, "teacher scores");
  const auto& s = studentScores;
  const auto& t = teacherScores;
  if (s.dim() != 4 || t.dim() != 4 || s.size(0) != t.size(0) || s.size(2) != t.size(2) ||
      s.size(3) != t.size(3) || s.size(2) != s.size(3)) {
    shapeError(loss + ": student scores " + shapeText(s.sizes()) + " vs teacher " +
               shapeText(t.sizes()) + " (both must be [B,A,S,S] with equal B and S)");
  }
  const int64_t studentHeads = s.size(1);
  const int64_t teacherHeads = t.size(1);
  auto teacher = constantLike(t, s);
  if (studentHeads > teacherHeads) {
    shapeError(loss + ": the student has " + std::to_string(studentHeads) +
               " attention heads and the teacher " + std::to_string(teacherHeads) +
               "; a student cannot learn from fewer teacher heads than it has");
  }
  if (studentHeads < teacherHeads) {
    if (mode == HeadMismatch::Refuse) {
      shapeError(loss + ": the student has " + std::to_string(studentHeads) +
                 " attention heads and the teacher " + std::to_string(teacherHeads) +
                 "; choose head averaging, or give the student " + std::to_string(teacherHeads) +
                 " heads");
    }
    if (studentHeads == 0 || teacherHeads % studentHeads != 0) {
      shapeError(loss + ": the teacher's " + std::to_string(teacherHeads) +
                 " attention heads cannot be averaged into the student's " +
                 std::to_string(studentHeads) + " (" + std::to_string(teacherHeads) +
                 " is not a multiple of " + std::to_string(studentHeads) + ")");
    }
    const int64_t group = teacherHeads / studentHeads;
    teacher = teacher.reshape({t.size(0), studentHeads, group, t.size(2), t.size(3)}).mean(2);
  }
  torch::Tensor student = s;
  if (attentionMask.defined()) {
    const auto keep1d = maskOf(loss, attentionMask, s.size(0), s.size(2), s, "student scores");
    if (keep1d.device().is_cpu() && keep1d.all().item<bool>()) return torch::mse_loss(student, teacher);  // no padding
    // [B,1,S,1] & [B,1,1,S]: entry (query i, key j) is kept when both are tokens.
    const auto drop = keep1d.unsqueeze(1).unsqueeze(3).logical_and(keep1d.unsqueeze(1).unsqueeze(2))
                          .logical_not();
    student = student.masked_fill(drop, 0.0);
    teacher = teacher.masked_fill(drop, 0.0);
  }
  return torch::mse_loss(student, teacher);
}

torch::Tensor hiddenMse(const torch::Tensor& studentHidden, const torch::Tensor& teacherHidden,
                        const torch::nn::Linear& projection) {
  const std::string loss = "hidden loss";
  checkFloating(loss, studentHidden, "student hidden");
  checkFloating(loss, teacherHidden, "teacher hidden");
  const auto& s = studentHidden;
  const auto& t = teacherHidden;
  if (s.dim() != 3 || t.dim() != 3 || s.size(0) != t.size(0) || s.size(1) != t.size(1)) {
    shapeError(loss + ": student hidden " + shapeText(s.sizes()) + " vs teacher " +
               shapeText(t.sizes()) + " (both must be [B,S,H] with equal B and S)");
  }
  const auto teacher = constantLike(t, s);
  if (projection.is_empty()) {
    if (s.size(2) != t.size(2)) {
      shapeError(loss + ": student hidden " + shapeText(s.sizes()) + " vs teacher " +
                 shapeText(t.sizes()) + ": the hidden sizes " + std::to_string(s.size(2)) +
                 " and " + std::to_string(t.size(2)) + " differ and no projection is given");
    }
    return torch::mse_loss(s, teacher);
  }
  const auto& options = projection->options;
  if (options.in_features() != s.size(2) || options.out_features() != t.size(2)) {
    shapeError(loss + ": the projection maps " + std::to_string(options.in_features()) + " -> " +
               std::to_string(options.out_features()) + " but the student hidden is " +
               shapeText(s.sizes()) + " and the teacher " + shapeText(t.sizes()));
  }
  return torch::mse_loss(torch::nn::functional::linear(s, projection->weight, projection->bias),
                         teacher);
}

HiddenProjections::HiddenProjections(int64_t studentHidden, int64_t teacherHidden,
                                     const std::vector<int64_t>& studentLayers, bool shared)
    : m_shared(shared) {
  if (studentHidden <= 0 || teacherHidden <= 0) {
    throw Error(ErrorKind::InvalidArgument,
                "hidden projections: hidden sizes must be positive (student " +
                    std::to_string(studentHidden) + ", teacher " + std::to_string(teacherHidden) +
                    ")");
  }
  auto make = [&](const std::string& name) {
    auto linear = register_module(
        name, torch::nn::Linear(torch::nn::LinearOptions(studentHidden, teacherHidden).bias(true)));
    torch::NoGradGuard noGrad;
    linear->weight.normal_(0.0, 0.02);
    linear->bias.zero_();
    return linear;
  };
  if (shared) {
    m_sharedProjection = make("shared");
    return;
  }
  for (int64_t m : studentLayers) {
    if (m < 0) {
      throw Error(ErrorKind::InvalidArgument,
                  "hidden projections: student layer " + std::to_string(m) + " is negative");
    }
    if (m_perLayer.count(m) == 0) m_perLayer.emplace(m, make("layer_" + std::to_string(m)));
  }
}

torch::nn::Linear HiddenProjections::forLayer(int64_t studentLayer) const {
  if (m_shared) return m_sharedProjection;
  auto it = m_perLayer.find(studentLayer);
  if (it == m_perLayer.end()) {
    throw Error(ErrorKind::InvalidArgument, "hidden projections: student layer " +
                                                std::to_string(studentLayer) +
                                                " has no projection");
  }
  return it->second;
}

}  // namespace retort::distill
