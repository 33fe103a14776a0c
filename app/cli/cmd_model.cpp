// retort-cli create | inspect

#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/io/checkpoint.h"
#include "core/io/safetensors_torch.h"
#include "core/text/wordpiece.h"
#include "core/util/error.h"

namespace retort::cli {
namespace {

std::vector<int64_t> parseIds(const std::string& text) {
  std::vector<int64_t> ids;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t used = 0;
    int64_t id = -1;
    try {
      id = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || id < 0)
      throw Error(ErrorKind::InvalidArgument, "--ids: \"" + item + "\" is not a token id");
    ids.push_back(id);
  }
  if (ids.empty()) throw Error(ErrorKind::InvalidArgument, "--ids is empty");
  return ids;
}

}  // namespace

int runCreate(const ArgList& argList) {
  Args args(argList, {"config", "out", "vocab", "seed"}, {"mlm", "no-classifier"});
  const auto config = model::BertConfig::load(args.require("config"));
  const std::string out = args.require("out");
  torch::manual_seed(static_cast<uint64_t>(args.getInt("seed", 42, 0)));
  model::BertHeads heads;
  heads.classifier = !args.has("no-classifier");
  heads.mlm = args.has("mlm");
  model::BertModel m(config, heads);
  std::unique_ptr<text::Tokenizer> tokenizer;
  if (auto vocab = args.get("vocab")) {
    tokenizer = text::WordPieceTokenizer::fromVocabFile(*vocab);
    if (tokenizer->vocabSize() != config.vocabSize)
      throw Error(ErrorKind::InvalidArgument,
                  *vocab + " has " + std::to_string(tokenizer->vocabSize()) +
                      " tokens but the config's vocab_size is " + std::to_string(config.vocabSize));
  }
  io::saveCheckpoint(out, m, tokenizer.get());
  const auto size = io::modelSize(m);
  std::printf("wrote %s: %lld parameters, %.2f MB\n", out.c_str(), static_cast<long long>(size.parameters),
              size.sizeMb);
  return 0;
}

int runInspect(const ArgList& argList) {
  Args args(argList, {"model", "text", "text-pair", "ids", "out", "max-length"}, {});
  const std::string dir = args.require("model");
  if (args.has("ids") == args.has("text"))
    throw Error(ErrorKind::InvalidArgument, "give either --text or --ids");
  if (args.has("text-pair") && !args.has("text"))
    throw Error(ErrorKind::InvalidArgument, "--text-pair needs --text");
  auto ck = io::loadCheckpoint(dir);
  ck.model->eval();
  for (const auto& name : ck.report.initialized)
    std::fprintf(stderr, "note: %s is not in the checkpoint (randomly initialised)\n", name.c_str());
  for (const auto& name : ck.report.unexpected)
    std::fprintf(stderr, "note: %s in the checkpoint is not used\n", name.c_str());

  text::Encoding enc;
  if (auto t = args.get("text")) {
    if (!ck.tokenizer) throw Error(ErrorKind::Io, dir + ": no tokenizer (vocab.txt or spiece.model); use --ids");
    text::EncodeOptions eo;
    eo.maxLength = args.getInt("max-length", ck.config.maxPositionEmbeddings, 3);
    auto pair = args.get("text-pair");
    enc = ck.tokenizer->encode(*t, pair ? &*pair : nullptr, eo);
  } else {
    enc.input_ids = parseIds(*args.get("ids"));
    enc.token_type_ids.assign(enc.input_ids.size(), 0);
    enc.attention_mask.assign(enc.input_ids.size(), 1);
    for (int64_t id : enc.input_ids) {
      if (id >= ck.config.vocabSize)
        throw Error(ErrorKind::InvalidArgument, "--ids: " + std::to_string(id) + " is not below vocab_size " +
                                                    std::to_string(ck.config.vocabSize));
      enc.tokens.push_back(ck.tokenizer ? ck.tokenizer->idToToken(id) : std::to_string(id));
    }
  }
  const auto n = static_cast<int64_t>(enc.input_ids.size());
  auto asTensor = [&](const std::vector<int64_t>& v) { return torch::tensor(v, torch::kLong).view({1, n}); };
  model::BertInputs in{asTensor(enc.input_ids), asTensor(enc.token_type_ids), asTensor(enc.attention_mask)};
  model::ForwardOptions opt;
  const bool writeAll = args.has("out");
  opt.hiddenStates = opt.attentionScores = opt.attentionProbs = writeAll;
  torch::NoGradGuard noGrad;
  auto out = ck.model->forward(in, opt);

  std::printf("tokens (%lld):", static_cast<long long>(n));
  for (int64_t i = 0; i < n; ++i) std::printf(" %s", enc.tokens[static_cast<size_t>(i)].c_str());
  std::printf("\nids:");
  for (auto id : enc.input_ids) std::printf(" %lld", static_cast<long long>(id));
  std::printf("\n");
  if (out.logits.defined()) {
    auto logits = out.logits[0];
    auto probs = torch::softmax(logits, -1);
    std::printf("logits:\n");
    for (int64_t c = 0; c < logits.size(0); ++c)
      std::printf("  %-20s %12.6f   p=%.4f\n", ck.config.labels[static_cast<size_t>(c)].c_str(),
                  logits[c].item<double>(), probs[c].item<double>());
  } else {
    std::printf("logits: none (the checkpoint has no classifier head)\n");
  }

  if (writeAll) {
    std::map<std::string, torch::Tensor> t;
    t["input_ids"] = in.inputIds;
    t["token_type_ids"] = in.tokenTypeIds;
    t["attention_mask"] = in.attentionMask;
    if (out.logits.defined()) t["logits"] = out.logits;
    if (out.pooled.defined()) t["pooled_output"] = out.pooled;
    for (size_t k = 0; k < out.hiddenStates.size(); ++k) t["hidden_states." + std::to_string(k)] = out.hiddenStates[k];
    for (size_t k = 0; k < out.attentionScores.size(); ++k) {
      t["attention_scores." + std::to_string(k)] = out.attentionScores[k];
      t["attention_probs." + std::to_string(k)] = out.attentionProbs[k];
    }
    const std::string path = *args.get("out");
    io::saveTensors(path, t, {{"model", dir}});
    std::printf("wrote %zu tensors to %s\n", t.size(), path.c_str());
  }
  return 0;
}

int runConvert(const ArgList& argList) {
  Args args(argList, {"model", "out", "dtype"}, {});
  const std::string in = args.require("model"), out = args.require("out");
  const std::string name = args.get("dtype").value_or("f16");
  torch::ScalarType dtype = torch::kHalf;
  if (name == "f32") dtype = torch::kFloat;
  else if (name == "bf16") dtype = torch::kBFloat16;
  else if (name != "f16") throw Error(ErrorKind::InvalidArgument, "--dtype: \"" + name + "\" (f32, f16 or bf16)");
  auto ck = io::loadCheckpoint(in);
  io::saveCheckpoint(out, ck.model, ck.tokenizer.get(), dtype);
  std::uintmax_t bytes = std::filesystem::file_size(std::filesystem::path(out) / "model.safetensors");
  std::printf("wrote %s: %lld parameters, model.safetensors %.2f MB (%s)\n", out.c_str(),
              static_cast<long long>(ck.model->parameterCount()), static_cast<double>(bytes) / 1e6, name.c_str());
  return 0;
}

}  // namespace retort::cli
