#include "core/model/bilstm.h"

#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <set>

#include "core/io/safetensors.h"
#include "core/io/safetensors_torch.h"
#include "core/io/state_dict.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "core/util/json_fields.h"
#include "core/util/text_format.h"

namespace fs = std::filesystem;

namespace retort::model {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& source, const std::string& key, const std::string& why) {
  util::badField(source, key, why);
}
constexpr auto getInt = util::intField;
constexpr auto getDouble = util::doubleField;

const std::set<std::string>& knownKeys() {
  static const std::set<std::string> keys = {"model_type",  "vocab_size", "embedding_dim",
                                             "hidden_size", "dense_size", "num_labels",
                                             "id2label",    "label2id",   "pad_token_id",
                                             "dropout",     "architectures"};
  return keys;
}

std::string shapeText(c10::IntArrayRef shape) { return util::shapeText(shape.vec()); }

}  // namespace

// ---- config -------------------------------------------------------------------------------

void BiLstmConfig::validate(const std::string& source) const {
  auto positive = [&](int64_t v, const char* key) {
    if (v <= 0) bad(source, key, "must be positive, found " + std::to_string(v));
  };
  positive(vocabSize, "vocab_size");
  positive(embeddingDim, "embedding_dim");
  positive(hidden, "hidden_size");
  positive(denseHidden, "dense_size");
  positive(numLabels, "num_labels");
  if (!labels.empty() && static_cast<int64_t>(labels.size()) != numLabels)
    bad(source, "id2label",
        "names " + std::to_string(labels.size()) + " classes but num_labels is " +
            std::to_string(numLabels));
  if (padTokenId < 0 || padTokenId >= vocabSize)
    bad(source, "pad_token_id",
        "must be a token id below vocab_size (" + std::to_string(vocabSize) + "), found " +
            std::to_string(padTokenId));
  if (!(dropout >= 0.0 && dropout < 1.0))
    bad(source, "dropout", "must be in [0, 1), found " + std::to_string(dropout));
}

json BiLstmConfig::toJson() const {
  json j = json::object();
  j["model_type"] = kBiLstmModelType;
  j["vocab_size"] = vocabSize;
  j["embedding_dim"] = embeddingDim;
  j["hidden_size"] = hidden;
  j["dense_size"] = denseHidden;
  j["num_labels"] = numLabels;
  json id2label = json::object();
  for (int64_t i = 0; i < numLabels; ++i)
    id2label[std::to_string(i)] =
        labels.empty() ? "LABEL_" + std::to_string(i) : labels[static_cast<size_t>(i)];
  j["id2label"] = id2label;
  j["pad_token_id"] = padTokenId;
  j["dropout"] = dropout;
  return j;
}

BiLstmConfig BiLstmConfig::fromJson(const json& j, const std::string& source) {
  if (!j.is_object()) throw Error(ErrorKind::Format, source + ": a config must be a JSON object");
  for (auto& [k, v] : j.items())
    if (!knownKeys().count(k))
      bad(source, k, "is not a BiLSTM config key (expected vocab_size, embedding_dim, hidden_size, "
                     "dense_size, num_labels, id2label, pad_token_id, dropout)");
  if (auto it = j.find("model_type"); it != j.end()) {
    if (!it->is_string() || it->get<std::string>() != kBiLstmModelType)
      bad(source, "model_type",
          "is " + it->dump() + "; a BiLSTM config has \"" + std::string(kBiLstmModelType) + "\"");
  }
  if (!j.contains("vocab_size") || j["vocab_size"].is_null()) bad(source, "vocab_size", "is missing");
  BiLstmConfig c;
  c.vocabSize = getInt(j, source, "vocab_size", 0);
  c.embeddingDim = getInt(j, source, "embedding_dim", c.embeddingDim);
  c.hidden = getInt(j, source, "hidden_size", c.hidden);
  c.denseHidden = getInt(j, source, "dense_size", c.denseHidden);
  c.padTokenId = getInt(j, source, "pad_token_id", c.padTokenId);
  c.dropout = getDouble(j, source, "dropout", c.dropout);

  if (auto labels = util::labelsField(j, source); !labels.empty()) {
    c.labels = std::move(labels);
    c.numLabels = getInt(j, source, "num_labels", static_cast<int64_t>(c.labels.size()));
  } else {
    c.numLabels = getInt(j, source, "num_labels", c.numLabels);
  }
  c.validate(source);
  return c;
}

// ---- model --------------------------------------------------------------------------------

BiLstmClassifierImpl::BiLstmClassifierImpl(const BiLstmConfig& config) : m_config(config) {
  m_config.validate("BiLstmConfig");
  const auto& c = m_config;
  embedding = register_module(
      "embedding",
      torch::nn::Embedding(torch::nn::EmbeddingOptions(c.vocabSize, c.embeddingDim)
                               .padding_idx(c.padTokenId)));
  lstm = register_module(
      "lstm", torch::nn::LSTM(torch::nn::LSTMOptions(c.embeddingDim, c.hidden)
                                  .num_layers(1)
                                  .bidirectional(true)
                                  .batch_first(true)));
  dense = register_module("dense", torch::nn::Linear(2 * c.hidden, c.denseHidden));
  dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
  classifier = register_module("classifier", torch::nn::Linear(c.denseHidden, c.numLabels));
}

torch::Tensor BiLstmClassifierImpl::encode(const torch::Tensor& inputIds,
                                           const torch::Tensor& attentionMask) {
  if (!inputIds.defined() || inputIds.dim() != 2 || inputIds.scalar_type() != torch::kLong)
    throw Error(ErrorKind::Shape,
                "input_ids must be an int64 tensor [batch, seq], found " +
                    (inputIds.defined() ? std::string(c10::toString(inputIds.scalar_type())) + " " +
                                              shapeText(inputIds.sizes())
                                        : std::string("an undefined tensor")));
  const int64_t batch = inputIds.size(0), seq = inputIds.size(1);
  if (batch == 0) throw Error(ErrorKind::Shape, "input_ids holds no sequence (batch size 0)");
  if (seq == 0) throw Error(ErrorKind::Shape, "input_ids has sequences of length 0");
  {
    const auto range = torch::stack({inputIds.min(), inputIds.max()}).to(torch::kCPU);
    const int64_t lo = range[0].item<int64_t>(), hi = range[1].item<int64_t>();
    if (lo < 0 || hi >= m_config.vocabSize)
      throw Error(ErrorKind::InvalidArgument,
                  "input_ids holds token id " + std::to_string(lo < 0 ? lo : hi) +
                      "; vocab_size is " + std::to_string(m_config.vocabSize));
  }

  const auto x = embedding->forward(inputIds);  // [B,S,E]
  torch::Tensor hN;                              // [2,B,h]: forward, backward
  if (!attentionMask.defined()) {
    hN = std::get<0>(std::get<1>(lstm->forward(x)));
  } else {
    if (attentionMask.sizes() != inputIds.sizes())
      throw Error(ErrorKind::Shape, "attention_mask is " + shapeText(attentionMask.sizes()) +
                                        ", input_ids is " + shapeText(inputIds.sizes()));
    const auto mask = attentionMask.ne(0);
    const auto lengths = mask.sum(1);  // int64 [B]
    const auto expected =
        torch::arange(seq, lengths.options()).unsqueeze(0).lt(lengths.unsqueeze(1));
    if (!torch::equal(mask, expected))
      throw Error(ErrorKind::Shape,
                  "attention_mask must be right-padded (1s, then 0s) in every row");
    const auto cpuLengths = lengths.to(torch::kCPU);
    const int64_t shortest = cpuLengths.min().item<int64_t>();
    if (shortest == 0) {
      const int64_t row = cpuLengths.eq(0).nonzero()[0][0].item<int64_t>();
      throw Error(ErrorKind::Shape, "sequence " + std::to_string(row) +
                                        " of the batch has length 0 (attention_mask is all 0)");
    }
    if (shortest == seq) {
      hN = std::get<0>(std::get<1>(lstm->forward(x)));
    } else {
      auto packed = torch::nn::utils::rnn::pack_padded_sequence(x, cpuLengths, /*batch_first=*/true,
                                                                /*enforce_sorted=*/false);
      // With enforce_sorted = false, h_n comes back in the batch's original order.
      hN = std::get<0>(std::get<1>(lstm->forward_with_packed_input(packed)));
    }
  }
  return torch::cat({hN[0], hN[1]}, /*dim=*/1);
}

torch::Tensor BiLstmClassifierImpl::forward(const torch::Tensor& inputIds,
                                            const torch::Tensor& attentionMask) {
  auto h = torch::relu(dense->forward(encode(inputIds, attentionMask)));
  return classifier->forward(dropout->forward(h));
}

int64_t BiLstmClassifierImpl::parameterCount() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

void initEmbeddingsFrom(BiLstmClassifier& model, const torch::Tensor& vectors) {
  auto& weight = model->embedding->weight;
  if (!vectors.defined() || vectors.sizes() != weight.sizes())
    throw Error(ErrorKind::Shape,
                "word vectors must be " + shapeText(weight.sizes()) + " (vocab_size, embedding_dim), found " +
                    (vectors.defined() ? shapeText(vectors.sizes()) : std::string("an undefined tensor")));
  torch::NoGradGuard noGrad;
  weight.copy_(vectors);
}

// ---- checkpoints --------------------------------------------------------------------------

void saveBiLstm(const std::string& directory, BiLstmClassifier& model) {
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) throw Error(ErrorKind::Io, directory + ": cannot create the directory: " + ec.message());
  std::map<std::string, torch::Tensor> tensors;
  for (auto& item : model->named_parameters())
    tensors[item.key()] = item.value().detach().to(torch::kCPU, torch::kFloat);
  io::saveTensors((fs::path(directory) / "model.safetensors").string(), tensors,
                  {{"format", "pt"}, {"model_type", kBiLstmModelType}});
  util::writeFileAtomic((fs::path(directory) / "config.json").string(),
                        model->config().toJson().dump(2) + "\n");
}

BiLstmClassifier loadBiLstm(const std::string& directory) {
  if (!fs::is_directory(directory)) throw Error(ErrorKind::Io, directory + ": not a directory");
  const std::string configPath = (fs::path(directory) / "config.json").string();
  const std::string weightsPath = (fs::path(directory) / "model.safetensors").string();
  if (!fs::exists(configPath)) throw Error(ErrorKind::Io, directory + ": no config.json in this directory");
  json j;
  try {
    j = json::parse(util::readFile(configPath));
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e400
    throw Error(ErrorKind::Format, configPath + ": not valid JSON (" + e.what() + ")");
  }
  if (j.is_object() && !j.contains("model_type"))
    bad(configPath, "model_type", std::string("is missing; a BiLSTM config has \"") + kBiLstmModelType + "\"");
  const BiLstmConfig config = BiLstmConfig::fromJson(j, configPath);
  if (!fs::exists(weightsPath))
    throw Error(ErrorKind::Io, directory + ": no model.safetensors in this directory");

  auto file = io::SafetensorsFile::open(weightsPath);
  auto stored = io::loadTensors(file, /*toFloat32=*/true);
  BiLstmClassifier model(config);

  io::StateDictOptions so;
  so.refuseUnexpected = true;
  so.modelName = "BiLSTM";
  io::loadStateDict(*model, stored, weightsPath, so);
  return model;
}

}  // namespace retort::model
