#pragma once
// BERT checkpoints in the Hugging Face directory layout:
//   config.json            BertConfig keys
//   model.safetensors      (or model.safetensors.index.json + shards) F32/F16/BF16
//   vocab.txt | spiece.model | tokenizer.model, tokenizer_config.json
// Pickled PyTorch files (pytorch_model.bin) are refused: unpickling can run code.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/bert.h"
#include "core/text/tokenizer.h"

namespace retort::io {

/// What loading found, tensor by tensor.
struct LoadReport {
  std::vector<std::string> initialized;  ///< head tensors absent from the files, freshly initialised
  std::vector<std::string> unexpected;   ///< tensors in the files that the model does not use
  std::vector<std::string> ignored;      ///< known extras: tied decoder weights, position_ids buffers
  std::vector<std::string> files;        ///< the weight files read
};

struct LoadOptions {
  /// Heads to build. Unset: the heads the checkpoint has (classifier if "classifier.weight"
  /// is there, MLM head if "cls.predictions.*" is, pooler if "bert.pooler.*" is).
  std::optional<model::BertHeads> heads;
  /// Throw when the directory has no tokenizer file.
  bool requireTokenizer = false;
};

struct LoadedCheckpoint {
  std::string directory;
  model::BertConfig config;
  model::BertModel model{nullptr};
  std::unique_ptr<text::Tokenizer> tokenizer;  ///< null when the directory has none
  LoadReport report;
};

/// Loads a checkpoint directory. Missing backbone tensors and wrongly shaped tensors are
/// errors that list the tensors by name; see LoadReport for the rest.
LoadedCheckpoint loadCheckpoint(const std::string& directory, const LoadOptions& options = {});

/// Reads every weight tensor of a checkpoint directory (converted to float32), with the
/// keys as stored. Follows model.safetensors.index.json for sharded checkpoints.
std::map<std::string, torch::Tensor> readCheckpointTensors(const std::string& directory,
                                                           std::vector<std::string>* files = nullptr);

/// Writes config.json, model.safetensors (floating-point tensors as `dtype`: float32, or
/// float16 / bfloat16 to halve the file; the tied MLM decoder is not written, as Hugging Face
/// does) and the tokenizer's files into `directory`, creating it if needed. config.json's
/// torch_dtype names the stored type. Each file is written atomically.
void saveCheckpoint(const std::string& directory, model::BertModel& model,
                    const text::Tokenizer* tokenizer, torch::ScalarType dtype = torch::kFloat);

/// Parameter count and float32 size in megabytes (10^6 bytes) of a model.
struct ModelSize {
  int64_t parameters = 0;
  double sizeMb = 0.0;
};
ModelSize modelSize(model::BertModel& model);

}  // namespace retort::io
