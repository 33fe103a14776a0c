// retort-cli bench forward

#include <torch/torch.h>

#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/distill/train_step.h"
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

/// One TinyBERT-style intermediate-layer distillation step through distill::trainStep, timed:
/// teacher forward (no grad) + student forward + attention, hidden and embedding losses +
/// backward + gradient clipping + AdamW (parameter groups).
int benchTrain(const ArgList& argList) {
  Args args(argList, {"teacher-config", "student-config", "batch", "seq", "steps", "threads"}, {});
  util::setThreads(static_cast<int>(args.getInt("threads", 0, 0)));
  const int64_t batch = args.getInt("batch", 32);
  const int64_t seq = args.getInt("seq", 64);
  const int steps = static_cast<int>(args.getInt("steps", 10));
  const auto tc = model::BertConfig::load(args.require("teacher-config"));
  auto sc = model::BertConfig::load(args.require("student-config"));
  if (sc.vocabSize != tc.vocabSize)
    throw Error(ErrorKind::InvalidArgument, "the two configs must share vocab_size (" + std::to_string(tc.vocabSize) +
                                                " vs " + std::to_string(sc.vocabSize) + ")");
  if (seq > std::min(tc.maxPositionEmbeddings, sc.maxPositionEmbeddings))
    throw Error(ErrorKind::InvalidArgument, "--seq exceeds max_position_embeddings");
  const torch::Device device = torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  torch::manual_seed(0);
  model::BertModel teacher(tc, model::BertHeads{true, true, false});
  model::BertModel studentBert(sc, model::BertHeads{true, true, false});
  teacher->to(device);
  studentBert->to(device);
  distill::BertStudent student(studentBert);
  auto pairs = distill::withEmbeddingPair(distill::uniformMapping(tc.numHiddenLayers, sc.numHiddenLayers, true, true));
  std::vector<int64_t> layers;
  for (const auto& p : pairs) layers.push_back(p.student);
  distill::HiddenProjections projections(sc.hiddenSize, tc.hiddenSize, layers, true);
  projections.to(device);

  // The run's own step: AdamW with Hugging Face's parameter groups, clipping at 1.0, a
  // constant learning rate of 1e-4.
  distill::StepSpec spec;
  spec.name = "bench";
  spec.student = &student;
  spec.teacher = teacher;
  spec.pairs = pairs;
  spec.projections = &projections;
  spec.losses.attention = spec.losses.hidden = spec.losses.embedding = 1.0;
  spec.optim.learningRate = 1e-4;
  spec.optim.weightDecay = 0.01;
  spec.optim.maxGradNorm = 1.0;
  spec.optim.schedule = "constant";
  spec.optim.warmup = 0;
  eval::LatencyOptions lo;
  lo.warmup = 2;
  lo.minRuns = std::min(steps, 3);
  lo.maxRuns = steps;
  lo.maxSeconds = 120;
  auto context = distill::makeStepContext(spec, lo.warmup + steps);
  distill::RunState state;

  data::Batch b;
  b.inputIds = torch::randint(5, tc.vocabSize, {batch, seq}, torch::TensorOptions(torch::kLong).device(device));
  b.tokenTypeIds = torch::zeros({batch, seq}, torch::TensorOptions(torch::kLong).device(device));
  b.attentionMask = torch::ones({batch, seq}, torch::TensorOptions(torch::kLong).device(device));
  double lastLoss = 0;
  const auto st = eval::measureLatency(
      [&] {
        lastLoss = distill::trainStep(context, b, state).total;
        if (device.is_cuda()) torch::cuda::synchronize();
      },
      lo);
  // Matrix-product FLOPs: teacher forward + student forward and backward (~3x forward)
  // + the hidden projections (forward and backward).
  const double projection = 3.0 * 2.0 * static_cast<double>(batch * seq) * static_cast<double>(sc.hiddenSize) *
                            static_cast<double>(tc.hiddenSize) * static_cast<double>(pairs.size());
  const double flops = forwardFlops(tc, batch, seq) + 3.0 * forwardFlops(sc, batch, seq) + projection;
  const auto info = util::runtimeInfo();
  std::printf("bench train (TinyBERT intermediate step, trainStep): teacher %lldx%lld/%lldh/%lld  student %lldx%lld/%lldh/%lld  vocab %lld\n",
              static_cast<long long>(tc.numHiddenLayers), static_cast<long long>(tc.hiddenSize),
              static_cast<long long>(tc.numAttentionHeads), static_cast<long long>(tc.intermediateSize),
              static_cast<long long>(sc.numHiddenLayers), static_cast<long long>(sc.hiddenSize),
              static_cast<long long>(sc.numAttentionHeads), static_cast<long long>(sc.intermediateSize),
              static_cast<long long>(tc.vocabSize));
  std::printf("batch %lld  seq %lld  device %s  threads %d\n", static_cast<long long>(batch),
              static_cast<long long>(seq), device.str().c_str(), info.torchThreads);
  std::printf("median %.2f ms/step  min %.2f ms  (%d steps after 2 warm-up; last loss %.4f)\n", st.medianMs, st.minMs,
              st.runs, lastLoss);
  std::printf("%.1f GFLOP/s\n", flops / (st.medianMs * 1e6));
  return 0;
}

}  // namespace

int runBench(const ArgList& argList) {
  if (argList.empty()) throw Error(ErrorKind::InvalidArgument, "bench needs a kind: bench forward");
  const std::string kind = argList.front();
  const ArgList rest(argList.begin() + 1, argList.end());
  if (kind == "forward") return benchForward(rest);
  if (kind == "train") return benchTrain(rest);
  throw Error(ErrorKind::InvalidArgument, "unknown bench \"" + kind + "\" (forward, train)");
}

}  // namespace retort::cli
