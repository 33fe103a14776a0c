#pragma once
// BertConfig: the architecture of a BERT model, read from and written to a Hugging Face
// config.json (the keys of transformers.BertConfig). Torch-free.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::model {

struct BertConfig {
  int64_t vocabSize = 30522;               ///< vocab_size
  int64_t hiddenSize = 768;                ///< hidden_size (H)
  int64_t numHiddenLayers = 12;            ///< num_hidden_layers (L)
  int64_t numAttentionHeads = 12;          ///< num_attention_heads; must divide hidden_size
  int64_t intermediateSize = 3072;         ///< intermediate_size (feed-forward width)
  std::string hiddenAct = "gelu";          ///< gelu | gelu_new | gelu_pytorch_tanh | relu | silu
  double hiddenDropoutProb = 0.1;          ///< hidden_dropout_prob
  double attentionProbsDropoutProb = 0.1;  ///< attention_probs_dropout_prob
  int64_t maxPositionEmbeddings = 512;     ///< max_position_embeddings
  int64_t typeVocabSize = 2;               ///< type_vocab_size
  double initializerRange = 0.02;          ///< initializer_range (std of the normal init)
  double layerNormEps = 1e-12;             ///< layer_norm_eps
  int64_t padTokenId = 0;                  ///< pad_token_id
  /// id2label: the class names, index = class id. num_labels = its size (default 2).
  std::vector<std::string> labels = {"LABEL_0", "LABEL_1"};
  /// problem_type of BertForSequenceClassification: "" (not given), "regression",
  /// "single_label_classification" or "multi_label_classification".
  std::string problemType;
  /// Every key of the file that Retort does not interpret, kept for a faithful round trip.
  nlohmann::json extra = nlohmann::json::object();

  int64_t numLabels() const { return static_cast<int64_t>(labels.size()); }
  int64_t headDim() const { return hiddenSize / numAttentionHeads; }
  /// The problem type as Hugging Face reads it: problem_type when given, else "regression"
  /// for one label and "single_label_classification" otherwise; "token_classification" for
  /// a BertForTokenClassification (isTokenClassifier).
  std::string effectiveProblemType() const;

  /// Throws retort::Error (naming `source` and the key) when a value is out of range.
  void validate(const std::string& source = "config") const;

  /// Parses a config.json object. `source` names the file in error messages.
  static BertConfig fromJson(const nlohmann::json& json, const std::string& source = "config");
  static BertConfig load(const std::string& path);
  nlohmann::json toJson() const;
  /// Writes config.json atomically (temp file, then rename).
  void save(const std::string& path) const;
};

/// Number of parameters of the encoder (embeddings + layers + pooler), without heads.
int64_t backboneParameterCount(const BertConfig& config, bool withPooler = true);

/// The problem type of a task kind as effectiveProblemType() names it: problem_type for
/// classification, regression and multi_label; "token_classification" (not a problem_type:
/// the architecture BertForTokenClassification) for a token_classification.
std::string problemTypeOf(const std::string& taskKind);

/// Whether config.json's "architectures" names BertForTokenClassification.
bool isTokenClassifier(const BertConfig& config);

/// Makes the config one of a task kind's model: problem_type (cleared for a token
/// classification), and "architectures" BertForTokenClassification for a token_classification
/// (a token classifier's architectures become BertForSequenceClassification for the others).
void setTaskKind(BertConfig& config, const std::string& taskKind);

/// The hidden_act values Retort computes.
const std::vector<std::string>& supportedActivations();

}  // namespace retort::model
