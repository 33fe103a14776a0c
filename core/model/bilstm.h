#pragma once
// The BiLSTM student of Tang et al. 2019, "Distilling Task-Specific Knowledge from BERT into
// Simple Neural Networks": word embeddings, one bidirectional LSTM layer, the concatenation
// of its final forward and backward states, a ReLU dense layer and a linear classifier.
//
// Checkpoints are Retort's own format: a directory with config.json
// ({"model_type": "retort-bilstm", ...}) and model.safetensors whose names are those of
// named_parameters() ("embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0_reverse",
// "dense.weight", "classifier.bias", ...), i.e. the names PyTorch's nn.Embedding / nn.LSTM /
// nn.Linear use.
//
// Shapes: B = batch, S = sequence length, V = vocabulary, E = embedding size,
// h = LSTM hidden size per direction, D = dense size, C = number of classes.

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::model {

/// The architecture of a BiLSTM student. Defaults are Tang et al.'s.
/// In config.json: vocab_size, embedding_dim, hidden_size, dense_size, num_labels, id2label,
/// pad_token_id, dropout (plus "model_type": "retort-bilstm").
struct BiLstmConfig {
  int64_t vocabSize = 0;        ///< V, vocab_size; required, > 0
  int64_t embeddingDim = 300;   ///< E, embedding_dim
  int64_t hidden = 150;         ///< h, hidden_size: LSTM units per direction
  int64_t denseHidden = 200;    ///< D, dense_size: width of the ReLU layer
  int64_t numLabels = 2;        ///< C, num_labels
  /// id2label: class names, index = class id. Empty = unnamed ("LABEL_i" in files);
  /// otherwise its size must equal numLabels.
  std::vector<std::string> labels;
  int64_t padTokenId = 0;       ///< pad_token_id: the embedding's padding row, in [0, V)
  double dropout = 0.1;         ///< dropout after the dense layer, in [0, 1)

  /// The config.json object, with "model_type": "retort-bilstm".
  nlohmann::json toJson() const;
  /// Parses a config.json object; `source` names the file in error messages. Throws
  /// retort::Error(Format) for a missing vocab_size, a key it does not know, a value of the
  /// wrong type or out of range, or a model_type other than "retort-bilstm".
  static BiLstmConfig fromJson(const nlohmann::json& json, const std::string& source);
  /// Throws retort::Error(Format) naming `source` and the key when a value is out of range.
  void validate(const std::string& source) const;
};

/// The model. Modules: "embedding" (Embedding(V, E) with padding_idx = pad_token_id),
/// "lstm" (LSTM(E, h), 1 layer, bidirectional, batch_first), "dense" (Linear(2h, D)),
/// "dropout", "classifier" (Linear(D, C)). Initialisation is LibTorch's default for each
/// module (deterministic given torch::manual_seed); the padding row starts at zero.
class BiLstmClassifierImpl : public torch::nn::Module {
 public:
  /// Validates config (throws retort::Error naming "BiLstmConfig" and the key).
  explicit BiLstmClassifierImpl(const BiLstmConfig& config);

  /// inputIds: int64 [B,S]. attentionMask: [B,S] (any numeric or bool dtype), 1 = token,
  /// 0 = padding, right-padded (1s then 0s); undefined = no padding. Each sequence is read
  /// over its real length only, so padding never changes the result. Returns the logits
  /// [B,C]: classifier(dropout(relu(dense([h_fwd ; h_bwd])))), where h_fwd is the forward
  /// state after the last real token and h_bwd the backward state after reading from the
  /// last real token back to the first. Throws retort::Error(Shape) for a wrong rank, dtype
  /// or size, an empty batch, a mask that is not right-padded, or a sequence of length 0;
  /// retort::Error(InvalidArgument) for a token id outside [0, V).
  torch::Tensor forward(const torch::Tensor& inputIds, const torch::Tensor& attentionMask = {});

  /// The concatenated final states [B,2h] (forward then backward), as forward() uses them.
  torch::Tensor encode(const torch::Tensor& inputIds, const torch::Tensor& attentionMask = {});

  const BiLstmConfig& config() const { return m_config; }
  /// Number of trainable scalars: V·E + 2·(4h·(E+h) + 8h) + (2h·D + D) + (D·C + C).
  int64_t parameterCount() const;

  torch::nn::Embedding embedding{nullptr};
  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear dense{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier{nullptr};

 private:
  BiLstmConfig m_config;
};
TORCH_MODULE(BiLstmClassifier);

/// The "model_type" written to and required in a BiLSTM config.json.
inline constexpr const char* kBiLstmModelType = "retort-bilstm";

/// Writes directory/config.json and directory/model.safetensors (F32, names =
/// named_parameters()), each atomically; creates the directory. Throws retort::Error(Io).
void saveBiLstm(const std::string& directory, BiLstmClassifier& model);

/// Reads what saveBiLstm() wrote, on the CPU. Throws retort::Error naming the file and the
/// key or tensors at fault: Io (no directory, no config.json / model.safetensors), Format
/// (bad JSON, bad config keys, missing or unexpected tensors), Shape (tensors of the wrong
/// shape, with both shapes).
BiLstmClassifier loadBiLstm(const std::string& directory);

/// Copies pre-trained word vectors [V,E] (e.g. word2vec, or a teacher's embeddings
/// projected to E) into the embedding table, row for row, the padding row included.
/// Throws retort::Error(Shape) when the shape is not [V,E].
void initEmbeddingsFrom(BiLstmClassifier& model, const torch::Tensor& vectors);

}  // namespace retort::model
