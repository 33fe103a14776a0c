// retort-cli bench forward

#include <torch/torch.h>

#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/eval/latency.h"
#include "core/io/checkpoint.h"
#include "core/util/error.h"
#include "core/util/runtime.h"

namespace retort::cli {
namespace {

/// Multiply-adds ×2 of one forward pass of the encoder (matrix products only).
double forwardFlops(const model::BertConfig& c, int64_t batch, int64_t seq) {
  const double B = static_cast<double>(batch), S = static_cast<double>(seq);
  const double H = static_cast<double>(c.hiddenSize), Fd = static_cast<double>(c.intermediateSize);
  const double perLayer = 2.0 * B * S * (4.0 * H * H + 2.0 * H * Fd) + 2.0 * 2.0 * B * S * S * H;
  return perLayer * static_cast<double>(c.numHiddenLayers);
}

int benchForward(const ArgList& argList) {
  Args args(argList, {"model", "config", "batch", "seq", "threads", "runs"}, {});
  if (args.has("model") == args.has("config"))
    throw Error(ErrorKind::InvalidArgument, "give either --model DIR or --config FILE");
  util::setThreads(static_cast<int>(args.getInt("threads", 0, 0)));
  const int64_t batch = args.getInt("batch", 1);
  const int64_t seq = args.getInt("seq", 128);
  const int runs = static_cast<int>(args.getInt("runs", 20));

  model::BertModel m{nullptr};
  std::string source;
  if (auto dir = args.get("model")) {
    m = io::loadCheckpoint(*dir).model;
    source = *dir;
  } else {
    source = *args.get("config");
    m = model::BertModel(model::BertConfig::load(source), model::BertHeads{});
  }
  const auto& cfg = m->config();
  if (seq > cfg.maxPositionEmbeddings)
    throw Error(ErrorKind::InvalidArgument, "--seq " + std::to_string(seq) + " exceeds max_position_embeddings " +
                                                std::to_string(cfg.maxPositionEmbeddings));
  const torch::Device device = torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  m->to(device);
  m->eval();
  torch::manual_seed(0);
  model::BertInputs in;
  in.inputIds = torch::randint(0, cfg.vocabSize, {batch, seq}, torch::TensorOptions(torch::kLong).device(device));
  in.attentionMask = torch::ones({batch, seq}, torch::TensorOptions(torch::kLong).device(device));
  torch::NoGradGuard noGrad;
  eval::LatencyOptions lo;
  lo.minRuns = std::min(runs, 5);
  lo.maxRuns = runs;
  lo.maxSeconds = 60;
  const auto st = eval::measureLatency(
      [&] {
        auto out = m->forward(in);
        if (device.is_cuda()) torch::cuda::synchronize();
      },
      lo);
  const auto info = util::runtimeInfo();
  std::printf("bench forward: %s  layers %lld  hidden %lld  heads %lld  ffn %lld\n", source.c_str(),
              static_cast<long long>(cfg.numHiddenLayers), static_cast<long long>(cfg.hiddenSize),
              static_cast<long long>(cfg.numAttentionHeads), static_cast<long long>(cfg.intermediateSize));
  std::printf("batch %lld  seq %lld  device %s  threads %d  BLAS %s\n", static_cast<long long>(batch),
              static_cast<long long>(seq), device.str().c_str(), info.torchThreads, info.blasName.c_str());
  std::printf("median %.2f ms  min %.2f ms  p90 %.2f ms  (%d runs after 3 warm-up)\n", st.medianMs, st.minMs,
              st.p90Ms, st.runs);
  std::printf("%.1f sequences/s  %.1f GFLOP/s\n", 1000.0 * static_cast<double>(batch) / st.medianMs,
              forwardFlops(cfg, batch, seq) / (st.medianMs * 1e6));
  return 0;
}

}  // namespace

int runBench(const ArgList& argList) {
  if (argList.empty()) throw Error(ErrorKind::InvalidArgument, "bench needs a kind: bench forward");
  const std::string kind = argList.front();
  const ArgList rest(argList.begin() + 1, argList.end());
  if (kind == "forward") return benchForward(rest);
  throw Error(ErrorKind::InvalidArgument, "unknown bench \"" + kind + "\" (forward)");
}

}  // namespace retort::cli
