#include "core/model/bert_config.h"

#include <set>

#include "core/util/error.h"
#include "core/util/files.h"
#include "core/util/json_fields.h"

namespace retort::model {
namespace {

using nlohmann::json;

using util::badField;
constexpr auto getInt = util::intField;
constexpr auto getDouble = util::doubleField;
constexpr auto getString = util::stringField;

[[noreturn]] void bad(const std::string& source, const std::string& key, const std::string& why) {
  badField(source, key, why);
}

const std::set<std::string>& interpretedKeys() {
  static const std::set<std::string> keys = {
      "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
      "intermediate_size", "hidden_act", "hidden_dropout_prob", "attention_probs_dropout_prob",
      "max_position_embeddings", "type_vocab_size", "initializer_range", "layer_norm_eps",
      "pad_token_id", "id2label", "label2id", "num_labels", "model_type", "problem_type"};
  return keys;
}

}  // namespace

const std::vector<std::string>& supportedActivations() {
  static const std::vector<std::string> acts = {"gelu", "gelu_new", "gelu_pytorch_tanh", "relu",
                                                "silu", "swish"};
  return acts;
}

void BertConfig::validate(const std::string& source) const {
  auto positive = [&](int64_t v, const char* key) {
    if (v <= 0) bad(source, key, "must be positive, found " + std::to_string(v));
  };
  positive(vocabSize, "vocab_size");
  positive(hiddenSize, "hidden_size");
  positive(numHiddenLayers, "num_hidden_layers");
  positive(numAttentionHeads, "num_attention_heads");
  positive(intermediateSize, "intermediate_size");
  positive(maxPositionEmbeddings, "max_position_embeddings");
  positive(typeVocabSize, "type_vocab_size");
  if (hiddenSize % numAttentionHeads != 0)
    bad(source, "hidden_size",
        "(" + std::to_string(hiddenSize) + ") must be a multiple of num_attention_heads (" +
            std::to_string(numAttentionHeads) + ")");
  bool known = false;
  for (const auto& a : supportedActivations()) known = known || a == hiddenAct;
  if (!known)
    bad(source, "hidden_act",
        "\"" + hiddenAct + "\" is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu, silu)");
  auto probability = [&](double p, const char* key) {
    if (!(p >= 0.0 && p < 1.0)) bad(source, key, "must be in [0, 1), found " + std::to_string(p));
  };
  probability(hiddenDropoutProb, "hidden_dropout_prob");
  probability(attentionProbsDropoutProb, "attention_probs_dropout_prob");
  if (!(layerNormEps > 0.0)) bad(source, "layer_norm_eps", "must be positive");
  if (!(initializerRange > 0.0)) bad(source, "initializer_range", "must be positive");
  if (padTokenId < 0 || padTokenId >= vocabSize)
    bad(source, "pad_token_id", "must be a token id below vocab_size");
  if (labels.empty()) bad(source, "id2label", "must name at least one class");
}

BertConfig BertConfig::fromJson(const json& j, const std::string& source) {
  if (!j.is_object()) throw Error(ErrorKind::Format, source + ": a config must be a JSON object");
  BertConfig c;
  const std::string modelType = getString(j, source, "model_type", "bert");
  if (modelType != "bert")
    bad(source, "model_type", "is \"" + modelType + "\"; Retort reads BERT models (\"bert\")");
  const std::string posType = getString(j, source, "position_embedding_type", "absolute");
  if (posType != "absolute")
    bad(source, "position_embedding_type", "\"" + posType + "\" is not supported (absolute only)");
  c.vocabSize = getInt(j, source, "vocab_size", c.vocabSize);
  c.hiddenSize = getInt(j, source, "hidden_size", c.hiddenSize);
  c.numHiddenLayers = getInt(j, source, "num_hidden_layers", c.numHiddenLayers);
  c.numAttentionHeads = getInt(j, source, "num_attention_heads", c.numAttentionHeads);
  c.intermediateSize = getInt(j, source, "intermediate_size", c.intermediateSize);
  c.hiddenAct = getString(j, source, "hidden_act", c.hiddenAct);
  c.hiddenDropoutProb = getDouble(j, source, "hidden_dropout_prob", c.hiddenDropoutProb);
  c.attentionProbsDropoutProb =
      getDouble(j, source, "attention_probs_dropout_prob", c.attentionProbsDropoutProb);
  c.maxPositionEmbeddings = getInt(j, source, "max_position_embeddings", c.maxPositionEmbeddings);
  c.typeVocabSize = getInt(j, source, "type_vocab_size", c.typeVocabSize);
  c.initializerRange = getDouble(j, source, "initializer_range", c.initializerRange);
  c.layerNormEps = getDouble(j, source, "layer_norm_eps", c.layerNormEps);
  c.padTokenId = getInt(j, source, "pad_token_id", c.padTokenId);

  // Classes: id2label wins; else num_labels; else BertConfig's default of 2.
  if (auto labels = util::labelsField(j, source); !labels.empty()) {
    c.labels = std::move(labels);
  } else if (j.contains("num_labels")) {
    const int64_t n = getInt(j, source, "num_labels", 2);
    if (n <= 0) bad(source, "num_labels", "must be positive");
    c.labels.clear();
    for (int64_t i = 0; i < n; ++i) c.labels.push_back("LABEL_" + std::to_string(i));
  }
  if (j.contains("problem_type") && !j["problem_type"].is_null()) {
    c.problemType = getString(j, source, "problem_type", "");
    if (c.problemType != "regression" && c.problemType != "single_label_classification" &&
        c.problemType != "multi_label_classification")
      bad(source, "problem_type",
          "\"" + c.problemType + "\" is not regression, single_label_classification or multi_label_classification");
  }
  for (auto& [k, v] : j.items())
    if (!interpretedKeys().count(k)) c.extra[k] = v;
  c.validate(source);
  return c;
}

BertConfig BertConfig::load(const std::string& path) {
  const std::string text = util::readFile(path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e400
    throw Error(ErrorKind::Format, path + ": not valid JSON (" + e.what() + ")");
  }
  return fromJson(j, path);
}

json BertConfig::toJson() const {
  json j = extra;
  j["model_type"] = "bert";
  if (!j.contains("architectures")) j["architectures"] = json::array({"BertForSequenceClassification"});
  j["vocab_size"] = vocabSize;
  j["hidden_size"] = hiddenSize;
  j["num_hidden_layers"] = numHiddenLayers;
  j["num_attention_heads"] = numAttentionHeads;
  j["intermediate_size"] = intermediateSize;
  j["hidden_act"] = hiddenAct;
  j["hidden_dropout_prob"] = hiddenDropoutProb;
  j["attention_probs_dropout_prob"] = attentionProbsDropoutProb;
  j["max_position_embeddings"] = maxPositionEmbeddings;
  j["type_vocab_size"] = typeVocabSize;
  j["initializer_range"] = initializerRange;
  j["layer_norm_eps"] = layerNormEps;
  j["pad_token_id"] = padTokenId;
  json id2label = json::object(), label2id = json::object();
  for (size_t i = 0; i < labels.size(); ++i) {
    id2label[std::to_string(i)] = labels[i];
    label2id[labels[i]] = static_cast<int64_t>(i);
  }
  j["id2label"] = id2label;
  j["label2id"] = label2id;
  if (!problemType.empty()) j["problem_type"] = problemType;
  return j;
}

std::string BertConfig::effectiveProblemType() const {
  if (isTokenClassifier(*this)) return "token_classification";
  if (!problemType.empty()) return problemType;
  return numLabels() == 1 ? "regression" : "single_label_classification";
}

std::string problemTypeOf(const std::string& taskKind) {
  if (taskKind == "regression") return "regression";
  if (taskKind == "multi_label") return "multi_label_classification";
  if (taskKind == "token_classification") return "token_classification";
  return "single_label_classification";
}

bool isTokenClassifier(const BertConfig& config) {
  const auto it = config.extra.find("architectures");
  if (it == config.extra.end() || !it->is_array()) return false;
  for (const auto& a : *it)
    if (a.is_string() && a.get<std::string>() == "BertForTokenClassification") return true;
  return false;
}

void setTaskKind(BertConfig& config, const std::string& taskKind) {
  if (taskKind == "token_classification") {
    config.problemType.clear();
    config.extra["architectures"] = json::array({"BertForTokenClassification"});
  } else {
    config.problemType = problemTypeOf(taskKind);
    if (isTokenClassifier(config)) config.extra["architectures"] = json::array({"BertForSequenceClassification"});
  }
}

void BertConfig::save(const std::string& path) const {
  util::writeFileAtomic(path, toJson().dump(2) + "\n");
}

int64_t backboneParameterCount(const BertConfig& c, bool withPooler) {
  const int64_t H = c.hiddenSize, F = c.intermediateSize;
  const int64_t embeddings = (c.vocabSize + c.maxPositionEmbeddings + c.typeVocabSize) * H + 2 * H;
  const int64_t attention = 4 * (H * H + H) + 2 * H;
  const int64_t ffn = H * F + F + F * H + H + 2 * H;
  const int64_t pooler = withPooler ? H * H + H : 0;
  return embeddings + c.numHiddenLayers * (attention + ffn) + pooler;
}

}  // namespace retort::model
