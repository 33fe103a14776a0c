#pragma once
// The loss functions of knowledge distillation (DistilBERT, TinyBERT, Tang et al.'s
// BERT-to-BiLSTM), following the papers' reference code; see DESIGN.md, "Reference formulas".
//
// Every loss returns a scalar tensor that is differentiable with respect to the student's
// inputs. Teacher tensors are detached inside (constants: the teacher never receives a
// gradient) and cast to the student's dtype. Shapes are checked first: a mismatch throws
// retort::Error(ErrorKind::Shape) naming the loss and both shapes, for example
// "attention loss: student scores [2, 4, 8, 8] vs teacher [2, 4, 9, 9]". NaN and Inf are
// not checked here (the trainer does that once per step).
//
// Shapes: B = batch, S = sequence length, C = classes, V = vocabulary, H = hidden size,
// A = attention heads. Attention masks are [B,S], 1 (or true) = token, 0 = padding, of any
// integer, bool or floating dtype; an undefined mask means "no padding".

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <map>
#include <vector>

namespace retort::distill {

/// Soft-target loss of Hinton et al. as DistilBERT uses it:
/// T² · KL(softmax(t/T) || softmax(s/T)) with "batchmean" reduction (summed over classes,
/// divided by B). Logits [B,C]; temperature T > 0 (DistilBERT: 2). The T² keeps the
/// gradient's magnitude independent of T.
torch::Tensor softTargetKl(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                           double temperature);

/// TinyBERT's prediction-layer loss (soft_cross_entropy): mean over B×C of
/// −softmax(t/T) · log_softmax(s/T); no T² factor (TinyBERT uses T = 1). Logits [B,C].
torch::Tensor softTargetCe(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                           double temperature);

/// Cross-entropy with the gold labels, mean over the batch. Logits [B,C]; labels int64 [B]
/// in 0..C-1.
torch::Tensor hardLabelCe(const torch::Tensor& studentLogits, const torch::Tensor& labels);

/// A regression's hard loss (Hugging Face's for problem_type "regression"): the mean squared
/// error between the one output and the gold value. Logits [B,1] (or [B]); labels float [B].
torch::Tensor hardLabelMse(const torch::Tensor& studentLogits, const torch::Tensor& labels);

/// A multi-label task's hard loss (problem_type "multi_label_classification"): binary
/// cross-entropy of sigmoid(logits) with the 0/1 targets, the mean over B×C. Logits and
/// targets [B,C].
torch::Tensor hardLabelBce(const torch::Tensor& studentLogits, const torch::Tensor& targets);

/// Soft targets of a multi-label task: each class is a Bernoulli variable, the teacher's
/// p = sigmoid(t/T), the student's q = sigmoid(s/T). kl: T² · Σ_c KL(Bern(p) || Bern(q)) / B
/// (the two-outcome analogue of softTargetKl); ce: the mean over B×C of the binary
/// cross-entropy −p·log q − (1−p)·log(1−q) (analogue of softTargetCe). Logits [B,C].
torch::Tensor softTargetBernoulli(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                                  double temperature, bool kl);

/// Tang et al.'s logit regression: mean squared error over all B×C elements. Logits [B,C].
torch::Tensor logitMse(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits);

/// DistilBERT's cosine loss: the mean over non-padded positions of 1 − cos(h_s, h_t)
/// (CosineEmbeddingLoss with target 1). Hidden [B,S,H] with equal H in both (else
/// Error(Shape) naming both sizes); mask [B,S] or undefined. Throws Error(InvalidArgument)
/// when the mask marks no token at all.
torch::Tensor cosineHidden(const torch::Tensor& studentHidden, const torch::Tensor& teacherHidden,
                           const torch::Tensor& attentionMask);

/// Masked-language-model cross-entropy, mean over the labels that are not −100 (ignored).
/// Logits [N,V] with labels int64 [N], or [B,S,V] with labels [B,S]; labels in 0..V-1 or −100.
/// When every label is −100 the loss is 0 (still connected to the logits' graph).
torch::Tensor mlmLoss(const torch::Tensor& mlmLogits, const torch::Tensor& mlmLabels);

/// What attentionMse does when the student has fewer attention heads than the teacher.
enum class HeadMismatch {
  Average,  ///< average the teacher's heads in consecutive groups of A_T / A_S
  Refuse    ///< throw Error(Shape) naming both head counts
};

/// TinyBERT's attention loss: MSE between the student's and the teacher's attention scores
/// (before softmax), the mean over all B×A×S×S elements. Scores [B,A,S,S] as in
/// BertOutputs::attentionScores, i.e. before the padding mask. Entries whose key or query
/// position is padding are set to 0 in both tensors (they count in the mean as zeros).
/// TinyBERT's reference zeroes the masked entries (scores <= −100: padded keys); we also
/// zero padded query rows, which the model's output never depends on, so that the loss
/// does not train the student on them.
/// When A_S < A_T: HeadMismatch::Average averages teacher heads [g·k, g·k + k) with
/// k = A_T / A_S into student head g (Error(Shape) unless A_S divides A_T);
/// HeadMismatch::Refuse throws Error(Shape). A_S > A_T is always an error.
torch::Tensor attentionMse(const torch::Tensor& studentScores, const torch::Tensor& teacherScores,
                           const torch::Tensor& attentionMask, HeadMismatch mode);

/// TinyBERT's hidden-state (and embedding) loss: MSE(projection(h_s), h_t), the mean over all
/// B×S×H_T elements. Hidden [B,S,H_S] and [B,S,H_T]; projection is Linear(H_S, H_T), or null
/// for the identity (then H_S must equal H_T). No padding mask, as in TinyBERT.
torch::Tensor hiddenMse(const torch::Tensor& studentHidden, const torch::Tensor& teacherHidden,
                        const torch::nn::Linear& projection);

/// The learned projections W_h of TinyBERT's hidden loss, mapping the student's hidden size
/// to the teacher's: one Linear(studentHidden, teacherHidden) with bias named "shared", or
/// one per student layer named "layer_<m>" (m as given, 0 = embedding output). Weights are
/// drawn from normal(0, 0.02) and biases are zero, deterministic given torch::manual_seed.
/// A Linear is made even when the sizes are equal (TinyBERT always learns W_h).
/// A plain Module (not a ModuleHolder): hold it by pointer (std::make_shared or
/// std::make_unique<HiddenProjections>(...)) and move it
/// to the student's device with ->to(device).
class HiddenProjections : public torch::nn::Module {
 public:
  /// studentLayers: the student layers that get a projection (ignored when shared;
  /// duplicates are kept once). Throws Error(InvalidArgument) for non-positive sizes.
  HiddenProjections(int64_t studentHidden, int64_t teacherHidden,
                    const std::vector<int64_t>& studentLayers, bool shared);

  /// The projection for a student layer (the shared one when shared). Throws
  /// Error(InvalidArgument) when the layer has none.
  torch::nn::Linear forLayer(int64_t studentLayer) const;

  bool shared() const { return m_shared; }

 private:
  bool m_shared;
  torch::nn::Linear m_sharedProjection{nullptr};
  std::map<int64_t, torch::nn::Linear> m_perLayer;
};

}  // namespace retort::distill
