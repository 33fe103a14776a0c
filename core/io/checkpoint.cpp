#include "core/io/checkpoint.h"
#include "core/io/safetensors_index.h"

#include <torch/torch.h>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "core/io/safetensors.h"
#include "core/io/safetensors_torch.h"
#include "core/io/state_dict.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "core/util/text_format.h"

namespace fs = std::filesystem;

namespace retort::io {
namespace {

bool startsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Maps the key spellings of older or headless checkpoints onto ours:
/// LayerNorm gamma/beta -> weight/bias; a BertModel's keys without the "bert." prefix.
std::string canonicalKey(std::string key) {
  if (endsWith(key, ".gamma")) key = key.substr(0, key.size() - 6) + ".weight";
  else if (endsWith(key, ".beta")) key = key.substr(0, key.size() - 5) + ".bias";
  for (const char* root : {"embeddings.", "encoder.", "pooler."})
    if (startsWith(key, root)) return "bert." + key;
  return key;
}

bool isIgnoredKey(const std::string& key) {
  return endsWith(key, "embeddings.position_ids") || key == "cls.predictions.decoder.weight" ||
         key == "cls.predictions.decoder.bias";
}

}  // namespace

std::map<std::string, torch::Tensor> readCheckpointTensors(const std::string& dir,
                                                           std::vector<std::string>* files) {
  const fs::path d(dir);
  std::vector<std::string> shards;
  if (fs::exists(d / "model.safetensors")) {
    shards.push_back((d / "model.safetensors").string());
  } else if (fs::exists(d / "model.safetensors.index.json")) {
    for (const auto& f : readSafetensorsIndex((d / "model.safetensors.index.json").string()))
      shards.push_back((d / f).string());
  } else if (fs::exists(d / "pytorch_model.bin") || fs::exists(d / "tf_model.h5")) {
    throw Error(ErrorKind::Unsupported,
                dir + " holds only pytorch_model.bin, a pickled PyTorch file. Retort does not read "
                      "pickles because loading one can run arbitrary code. Convert it once with "
                      "Python: python3 -c \"import torch; from safetensors.torch import save_file; "
                      "sd = torch.load('pytorch_model.bin', map_location='cpu'); "
                      "save_file({k: v.contiguous() for k, v in sd.items()}, 'model.safetensors', "
                      "metadata={'format': 'pt'})\"");
  } else {
    throw Error(ErrorKind::Io, dir + ": no model.safetensors (nor a sharded index) in this directory");
  }

  std::map<std::string, torch::Tensor> tensors;
  for (const auto& path : shards) {
    auto file = SafetensorsFile::open(path);
    for (auto& [name, t] : loadTensors(file, /*toFloat32=*/true)) {
      if (tensors.count(name))
        throw Error(ErrorKind::Format, path + ": tensor " + name + " appears in two shards");
      tensors.emplace(name, std::move(t));
    }
    if (files) files->push_back(path);
  }
  return tensors;
}

LoadedCheckpoint loadCheckpoint(const std::string& dir, const LoadOptions& options) {
  LoadedCheckpoint ck;
  ck.directory = dir;
  if (!fs::is_directory(dir)) throw Error(ErrorKind::Io, dir + ": not a directory");
  const std::string configPath = (fs::path(dir) / "config.json").string();
  if (!fs::exists(configPath)) throw Error(ErrorKind::Io, dir + ": no config.json in this directory");
  ck.config = model::BertConfig::load(configPath);

  std::map<std::string, torch::Tensor> stored;
  for (auto& [key, t] : readCheckpointTensors(dir, &ck.report.files)) {
    if (isIgnoredKey(key)) {
      ck.report.ignored.push_back(key);
      continue;
    }
    stored[canonicalKey(key)] = t;
  }
  const std::string weightsName = ck.report.files.size() == 1 ? ck.report.files.front() : dir;

  model::BertHeads heads;
  if (options.heads) {
    heads = *options.heads;
  } else {
    heads.classifier = stored.count("classifier.weight") > 0;
    heads.tokenClassifier = heads.classifier && isTokenClassifier(ck.config);
    heads.pooler = (heads.classifier && !heads.tokenClassifier) || stored.count("bert.pooler.dense.weight") > 0;
    heads.mlm = stored.count("cls.predictions.bias") > 0 ||
                stored.count("cls.predictions.transform.dense.weight") > 0;
  }
  if (heads.classifier) {
    auto it = stored.find("classifier.weight");
    if (it != stored.end() && it->second.dim() == 2 && it->second.size(0) != ck.config.numLabels())
      throw Error(ErrorKind::Shape,
                  weightsName + ": classifier.weight has " + std::to_string(it->second.size(0)) +
                      " classes but config.json names " + std::to_string(ck.config.numLabels()) +
                      " (id2label)");
  }
  ck.model = model::BertModel(ck.config, heads);

  StateDictOptions so;
  // Heads (and the pooler) absent from the files start fresh; the backbone is required.
  so.optional = [](const std::string& name) { return !startsWith(name, "bert.") || startsWith(name, "bert.pooler."); };
  auto loaded = loadStateDict(*ck.model, stored, weightsName, so);
  ck.report.initialized = std::move(loaded.initialized);
  ck.report.unexpected = std::move(loaded.unexpected);

  const bool hasTokenizer = fs::exists(fs::path(dir) / "vocab.txt") ||
                            fs::exists(fs::path(dir) / "spiece.model") ||
                            fs::exists(fs::path(dir) / "tokenizer.model");
  if (hasTokenizer) {
    ck.tokenizer = text::loadTokenizer(dir);
    if (ck.tokenizer->vocabSize() > ck.config.vocabSize)
      throw Error(ErrorKind::Shape, dir + ": the tokenizer has " +
                                        std::to_string(ck.tokenizer->vocabSize()) +
                                        " tokens but vocab_size in config.json is " +
                                        std::to_string(ck.config.vocabSize));
  } else if (options.requireTokenizer) {
    throw Error(ErrorKind::Io, dir + ": no tokenizer (vocab.txt, spiece.model or tokenizer.model)");
  }
  return ck;
}

void saveCheckpoint(const std::string& dir, model::BertModel& model, const text::Tokenizer* tokenizer,
                    torch::ScalarType dtype) {
  if (dtype != torch::kFloat && dtype != torch::kHalf && dtype != torch::kBFloat16)
    throw Error(ErrorKind::InvalidArgument, "checkpoints are stored as float32, float16 or bfloat16");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::Io, dir + ": cannot create the directory: " + ec.message());
  model::BertConfig config = model->config();
  const auto& heads = model->heads();
  config.extra["architectures"] = nlohmann::json::array(
      {heads.classifier ? (heads.tokenClassifier ? "BertForTokenClassification" : "BertForSequenceClassification")
       : heads.mlm      ? "BertForMaskedLM"
                        : "BertModel"});
  if (heads.tokenClassifier) config.problemType.clear();  // BertForTokenClassification has none
  std::map<std::string, torch::Tensor> tensors;
  for (auto& item : model->named_parameters()) {
    auto t = item.value().detach();
    tensors[item.key()] = t.is_floating_point() ? t.to(dtype) : t;
  }
  config.extra["torch_dtype"] = dtype == torch::kHalf ? "float16" : dtype == torch::kBFloat16 ? "bfloat16" : "float32";
  saveTensors((fs::path(dir) / "model.safetensors").string(), tensors, {{"format", "pt"}});
  config.save((fs::path(dir) / "config.json").string());
  if (tokenizer) tokenizer->save(dir);
}

ModelSize modelSize(model::BertModel& model) {
  ModelSize s;
  s.parameters = model->parameterCount();
  s.sizeMb = static_cast<double>(s.parameters) * 4.0 / 1e6;
  return s;
}

}  // namespace retort::io
