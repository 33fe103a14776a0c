#pragma once
// A BERT encoder in LibTorch whose module tree mirrors Hugging Face's, so that
// named_parameters() yields exactly the state_dict keys of transformers'
// BertForSequenceClassification / BertForMaskedLM ("bert.encoder.layer.0.attention.self.query.weight",
// "classifier.weight", "cls.predictions.transform.dense.weight", ...).
//
// Shapes: B = batch, S = sequence length, H = hidden size, A = heads, V = vocabulary.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "core/model/bert_config.h"

namespace retort::model {

/// Which intermediate results a forward pass returns. Asking for nothing costs nothing:
/// unrequested tensors are never kept (and the padding mask is then added in place).
struct ForwardOptions {
  bool hiddenStates = false;     ///< L+1 tensors [B,S,H]; index 0 = embedding output
  bool attentionScores = false;  ///< L tensors [B,A,S,S]: QKᵀ/√d before the padding mask and softmax
  bool attentionProbs = false;   ///< L tensors [B,A,S,S]: softmax of the masked scores
  bool pooled = true;            ///< pooler output [B,H] (when the model has a pooler)
  bool logits = true;            ///< classifier logits [B,num_labels] (when it has a classifier)
  bool mlmLogits = false;        ///< MLM logits (when it has an MLM head)
  /// Optional bool [B,S]: compute MLM logits only at these positions (result [K,V]);
  /// undefined = every position (result [B,S,V]).
  torch::Tensor mlmPositions;
};

struct BertInputs {
  torch::Tensor inputIds;       ///< int64 [B,S]
  torch::Tensor tokenTypeIds;   ///< int64 [B,S]; undefined = all zeros
  torch::Tensor attentionMask;  ///< [B,S], 1 = token, 0 = padding; undefined = no padding
};

struct BertOutputs {
  torch::Tensor lastHidden;                    ///< [B,S,H]
  torch::Tensor pooled;                        ///< [B,H] or undefined
  torch::Tensor logits;                        ///< [B,num_labels] ([B,S,num_labels] per token) or undefined
  torch::Tensor mlmLogits;                     ///< [B,S,V] or [K,V] or undefined
  std::vector<torch::Tensor> hiddenStates;     ///< L+1 × [B,S,H] when requested
  std::vector<torch::Tensor> attentionScores;  ///< L × [B,A,S,S] when requested
  std::vector<torch::Tensor> attentionProbs;   ///< L × [B,A,S,S] when requested
};

/// Applies config.hidden_act.
torch::Tensor activation(const torch::Tensor& x, const std::string& name);

class BertEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit BertEmbeddingsImpl(const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& inputIds, const torch::Tensor& tokenTypeIds);

  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr},
      token_type_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};

 private:
  double m_dropout;
};
TORCH_MODULE(BertEmbeddings);

/// attention.self: the query, key and value projections.
class BertSelfAttentionImpl : public torch::nn::Module {
 public:
  explicit BertSelfAttentionImpl(const BertConfig& config);
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};
};
TORCH_MODULE(BertSelfAttention);

/// A dense layer followed by dropout, the residual sum and LayerNorm
/// (Hugging Face's BertSelfOutput and BertOutput).
class BertResidualOutputImpl : public torch::nn::Module {
 public:
  BertResidualOutputImpl(int64_t in, const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& residual);
  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};

 private:
  double m_dropout;
};
TORCH_MODULE(BertResidualOutput);

class BertAttentionImpl : public torch::nn::Module {
 public:
  explicit BertAttentionImpl(const BertConfig& config);
  BertSelfAttention self{nullptr};
  BertResidualOutput output{nullptr};
};
TORCH_MODULE(BertAttention);

class BertIntermediateImpl : public torch::nn::Module {
 public:
  explicit BertIntermediateImpl(const BertConfig& config);
  torch::nn::Linear dense{nullptr};
};
TORCH_MODULE(BertIntermediate);

class BertLayerImpl : public torch::nn::Module {
 public:
  explicit BertLayerImpl(const BertConfig& config);
  /// x [B,S,H]; maskBias [B,1,1,S] additive (0 or a large negative) or undefined.
  /// Writes the scores / probabilities when the pointers are non-null.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& maskBias,
                        torch::Tensor* scoresOut, torch::Tensor* probsOut);

  BertAttention attention{nullptr};
  BertIntermediate intermediate{nullptr};
  BertResidualOutput output{nullptr};

 private:
  int64_t m_heads;
  int64_t m_headDim;
  double m_attentionDropout;
  std::string m_act;
};
TORCH_MODULE(BertLayer);

class BertEncoderImpl : public torch::nn::Module {
 public:
  explicit BertEncoderImpl(const BertConfig& config);
  torch::nn::ModuleList layer{nullptr};
};
TORCH_MODULE(BertEncoder);

class BertPoolerImpl : public torch::nn::Module {
 public:
  explicit BertPoolerImpl(const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& lastHidden);
  torch::nn::Linear dense{nullptr};
};
TORCH_MODULE(BertPooler);

/// Hugging Face's BertModel: embeddings, encoder and (optionally) the pooler.
class BertBackboneImpl : public torch::nn::Module {
 public:
  BertBackboneImpl(const BertConfig& config, bool withPooler);
  /// Fills lastHidden, pooled (if asked and present) and the requested per-layer tensors.
  BertOutputs forward(const BertInputs& inputs, const ForwardOptions& options);

  BertEmbeddings embeddings{nullptr};
  BertEncoder encoder{nullptr};
  BertPooler pooler{nullptr};  ///< null when built without a pooler

 private:
  std::vector<BertLayer> m_layers;  // the encoder's layers, typed, for the forward loop
};
TORCH_MODULE(BertBackbone);

/// cls.predictions: transform (dense, act, LayerNorm) then the decoder tied to the word
/// embeddings, plus a bias of size V.
class BertMlmTransformImpl : public torch::nn::Module {
 public:
  explicit BertMlmTransformImpl(const BertConfig& config);
  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(BertMlmTransform);

class BertMlmPredictionsImpl : public torch::nn::Module {
 public:
  explicit BertMlmPredictionsImpl(const BertConfig& config);
  BertMlmTransform transform{nullptr};
  torch::Tensor bias;
};
TORCH_MODULE(BertMlmPredictions);

class BertMlmHeadImpl : public torch::nn::Module {
 public:
  explicit BertMlmHeadImpl(const BertConfig& config);
  BertMlmPredictions predictions{nullptr};
};
TORCH_MODULE(BertMlmHead);

/// Which heads a model carries.
struct BertHeads {
  bool pooler = true;      ///< bert.pooler (needed by a sequence classifier)
  bool classifier = true;  ///< classifier: Linear(H, num_labels) on the pooled output
  bool mlm = false;        ///< cls.predictions: masked-language-model head
  /// The classifier is Hugging Face's BertForTokenClassification head: applied to every
  /// position of the last hidden state (logits [B,S,num_labels]); no pooler needed.
  bool tokenClassifier = false;
};

/// The heads of a model for a task kind (task.kind): a sequence classifier with its pooler,
/// or for "token_classification" a per-token classifier without one; plus the MLM head.
BertHeads headsForTask(const std::string& taskKind, bool mlm);

/// The whole model: "bert" (the backbone) plus the heads asked for.
class BertModelImpl : public torch::nn::Module {
 public:
  BertModelImpl(const BertConfig& config, const BertHeads& heads);
  BertOutputs forward(const BertInputs& inputs, const ForwardOptions& options = {});

  /// Hugging Face's _init_weights: normal(0, initializer_range) for Linear and Embedding
  /// weights, zero biases (and the padding row), LayerNorm 1/0. Deterministic given
  /// torch::manual_seed.
  void initWeights();

  const BertConfig& config() const { return m_config; }
  const BertHeads& heads() const { return m_heads; }
  int64_t parameterCount() const;

  BertBackbone bert{nullptr};
  torch::nn::Linear classifier{nullptr};
  BertMlmHead cls{nullptr};

 private:
  BertConfig m_config;
  BertHeads m_heads;
};
TORCH_MODULE(BertModel);

}  // namespace retort::model
