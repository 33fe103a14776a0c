// retort-cli bench forward

#include <torch/torch.h>
#include <ATen/core/dispatch/Dispatcher.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/ranks.h"
#include "core/distill/run_state.h"
#include "core/distributed/launch.h"
#include "core/distributed/reducer.h"
#include "core/distributed/world.h"
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
/// backward + gradient clipping + AdamW (parameter groups). With --nproc, each rank trains its
/// share of the global batch.
int benchTrain(const ArgList& argList) {
  Args args(argList, {"teacher-config", "student-config", "batch", "seq", "steps", "threads", "nproc", "dist-timeout"}, {});
  const int64_t nproc = args.getInt("nproc", 1, 1);
  if (nproc > 1 && !distributed::launchFromEnvironment().distributed())
    return launchLocal(rankArguments({"bench", "train"}, argList), nproc, distTimeout(args));
  auto world = joinWorld(args);
  const bool lead = !world || world->rank() == 0;
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
  spec.world = world.get();
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
  // With several ranks, b is the global batch (the same on every rank: seed 0) and each rank
  // trains its share of its rows, as a run does.
  data::Batch local = b;
  distill::BatchShare share;
  if (world) {
    const auto [from, to] = distill::shareOf(batch, world->size(), world->rank());
    if (to <= from) throw Error(ErrorKind::InvalidArgument, "--batch must be at least the number of ranks");
    local.inputIds = b.inputIds.slice(0, from, to);
    local.tokenTypeIds = b.tokenTypeIds.slice(0, from, to);
    local.attentionMask = b.attentionMask.slice(0, from, to);
    share.local = distill::termCounts(local);
    share.global = distill::termCounts(b);
  }
  double lastLoss = 0;
  std::vector<double> waits;
  const auto st = eval::measureLatency(
      [&] {
        lastLoss = distill::trainStep(context, local, state, world ? &share : nullptr).total;
        if (device.is_cuda()) torch::cuda::synchronize();
        if (context.reducer) waits.push_back(1e3 * context.reducer->lastWaitSeconds());
      },
      lo);
  if (!lead) return 0;
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
  std::printf("batch %lld  seq %lld  device %s  threads %d  ranks %lld\n", static_cast<long long>(batch),
              static_cast<long long>(seq), device.str().c_str(), info.torchThreads,
              static_cast<long long>(world ? world->size() : 1));
  if (context.reducer) {
    if (waits.size() > 2) waits.erase(waits.begin(), waits.begin() + 2);  // the warm-up steps
    std::printf("gradient all-reduce: %.1f MB in %zu buckets, median %.2f ms a step waited after backward\n",
                static_cast<double>(context.reducer->lastBytes()) / 1e6, context.reducer->buckets(),
                eval::summarize(waits).medianMs);
  }
  std::printf("median %.2f ms/step  min %.2f ms  (%d steps after 2 warm-up; last loss %.4f)\n", st.medianMs, st.minMs,
              st.runs, lastLoss);
  std::printf("%.1f GFLOP/s\n", flops / (st.medianMs * 1e6));
  return 0;
}

/// The all-reduce of one step's gradients on its own: a flat float32 tensor of the student's
/// parameter count, summed over the ranks, as the reducer's buckets are.
int benchAllReduce(const ArgList& argList) {
  Args args(argList, {"student-config", "params", "iterations", "bucket-mb", "nproc", "dist-timeout", "threads"}, {});
  const int64_t nproc = args.getInt("nproc", 1, 1);
  if (nproc > 1 && !distributed::launchFromEnvironment().distributed())
    return launchLocal(rankArguments({"bench", "allreduce"}, argList), nproc, distTimeout(args));
  auto world = joinWorld(args);
  if (!world)
    throw Error(ErrorKind::InvalidArgument,
                "bench allreduce needs several ranks: --nproc 2, or start it under torchrun or srun");
  util::setThreads(static_cast<int>(args.getInt("threads", 1, 0)));
  int64_t params = args.getInt("params", 0, 0);
  std::string source = "--params";
  if (auto c = args.get("student-config")) {
    torch::manual_seed(0);
    model::BertModel m(model::BertConfig::load(*c), model::BertHeads{true, true, false});
    params = 0;
    for (const auto& p : m->parameters()) params += p.numel();
    source = *c;
  }
  if (params <= 0) throw Error(ErrorKind::InvalidArgument, "give --student-config FILE or --params N");
  const int iterations = static_cast<int>(args.getInt("iterations", 20, 1));
  const int64_t bucket = std::max<int64_t>(1, args.getInt("bucket-mb", 25, 1) * (1 << 20) / 4);
  std::vector<torch::Tensor> buckets;
  for (int64_t at = 0; at < params; at += bucket) buckets.push_back(torch::ones({std::min(bucket, params - at)}));
  std::vector<double> ms;
  for (int i = 0; i < iterations + 3; ++i) {
    world->barrier("bench allreduce");
    const auto t0 = std::chrono::steady_clock::now();
    for (auto& t : buckets) world->allReduceSum(t, "bench allreduce");
    if (i >= 3) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  const double expect = std::pow(static_cast<double>(world->size()), static_cast<double>(iterations + 3));
  if (std::fabs(buckets.front()[0].item<double>() - expect) > 1e-3 * expect)
    throw Error(ErrorKind::Runtime, "bench allreduce: the sums are wrong");
  if (world->rank() != 0) return 0;
  const double bytes = 4.0 * static_cast<double>(params);
  const auto st = eval::summarize(ms);
  const double m = st.medianMs;
  const double n = static_cast<double>(world->size());
  std::printf("bench allreduce: %s  %lld parameters (%.1f MB float32) in %zu buckets  ranks %lld  (%s)\n",
              source.c_str(), static_cast<long long>(params), bytes / 1e6, buckets.size(),
              static_cast<long long>(world->size()), distributed::describe(world->spec()).c_str());
  std::printf("median %.2f ms  min %.2f ms  (%d all-reduces after 3 warm-up)  algorithm bandwidth %.2f GB/s  bus bandwidth %.2f GB/s\n",
              m, st.minMs, iterations, bytes / (m * 1e6),
              bytes / (m * 1e6) * 2.0 * (n - 1) / n);
  return 0;
}

/// Dynamic int8 Linear through LibTorch's quantized operators (quantized::linear_prepack and
/// quantized::linear_dynamic via the dispatcher) against float32, on every Linear shape of a
/// model, per quantized engine this LibTorch has: the time of all of one forward pass's
/// products and their largest error relative to the float output's scale.
int benchQuantize(const ArgList& argList) {
  Args args(argList, {"config", "model", "batch", "seq", "runs", "threads"}, {});
  util::setThreads(static_cast<int>(args.getInt("threads", 0, 0)));
  const int64_t batch = args.getInt("batch", 1), seq = args.getInt("seq", 64);
  const int runs = static_cast<int>(args.getInt("runs", 30, 1));
  model::BertConfig config;
  std::string source;
  torch::manual_seed(0);
  model::BertModel m{nullptr};
  if (auto d = args.get("model")) {
    auto ck = io::loadCheckpoint(*d);
    m = ck.model;
    config = ck.config;
    source = *d;
  } else {
    config = model::BertConfig::load(args.require("config"));
    m = model::BertModel(config, model::BertHeads{true, false, false});
    source = *args.get("config");
  }
  std::vector<torch::Tensor> weights, biases;
  for (const auto& item : m->named_modules()) {
    if (auto* lin = item.value()->as<torch::nn::Linear>()) {
      weights.push_back(lin->weight.detach());
      biases.push_back(lin->bias.defined() ? lin->bias.detach() : torch::Tensor());
    }
  }
  if (weights.empty()) throw Error(ErrorKind::InvalidArgument, source + ": the model has no Linear layers");
  const int64_t rows = batch * seq;
  std::vector<torch::Tensor> inputs;
  double macs = 0;
  for (const auto& w : weights) {
    inputs.push_back(torch::randn({rows, w.size(1)}));
    macs += static_cast<double>(rows) * static_cast<double>(w.size(0)) * static_cast<double>(w.size(1));
  }
  torch::NoGradGuard noGrad;
  eval::LatencyOptions lo;
  lo.minRuns = lo.maxRuns = runs;
  lo.maxSeconds = 600;
  auto timeIt = [&](const std::function<void()>& fn) { return eval::measureLatency(fn, lo).medianMs; };
  std::vector<torch::Tensor> reference(weights.size());
  const double floatMs = timeIt([&] {
    for (size_t i = 0; i < weights.size(); ++i) reference[i] = torch::linear(inputs[i], weights[i], biases[i]);
  });
  std::printf("bench quantize: %s  %zu Linear layers  %lld rows (batch %lld x seq %lld)  threads %d\n", source.c_str(),
              weights.size(), static_cast<long long>(rows), static_cast<long long>(batch), static_cast<long long>(seq),
              util::runtimeInfo().torchThreads);
  std::printf("float32      median %8.3f ms  %6.1f GMAC/s\n", floatMs, macs / (floatMs * 1e6));
  // Boxed calls: the packed weights are a TorchScript custom class (LinearPackedParamsBase).
  const auto prepackOp = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_prepack", "");
  const auto dynamicOp = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_dynamic", "");
  auto prepack = [&](const torch::Tensor& q, const torch::Tensor& bias) {
    torch::jit::Stack stack{q, bias.defined() ? c10::IValue(bias) : c10::IValue()};
    prepackOp.callBoxed(&stack);
    return stack.at(0);
  };
  auto dynamic = [&](const torch::Tensor& x, const c10::IValue& packed) {
    torch::jit::Stack stack{x, packed, false};
    dynamicOp.callBoxed(&stack);
    return stack.at(0).toTensor();
  };
  for (const auto engine : at::globalContext().supportedQEngines()) {
    if (engine == at::QEngine::NoQEngine) continue;
    at::globalContext().setQEngine(engine);
    const std::string name = c10::toString(engine);
    std::vector<c10::IValue> packed;
    try {
      for (size_t i = 0; i < weights.size(); ++i) {
        // Per-tensor symmetric int8 weights, as torch.ao.quantization.quantize_dynamic makes them.
        const double scale = std::max(1e-8, weights[i].abs().max().item<double>() / 127.0);
        auto q = torch::quantize_per_tensor(weights[i], scale, 0, torch::kQInt8);
        packed.push_back(prepack(q, biases[i]));
      }
    } catch (const c10::Error& e) {
      std::string what = e.what_without_backtrace();
      what = what.substr(0, what.find('\n'));
      std::printf("%-12s cannot prepack: %s\n", name.c_str(), what.c_str());
      continue;
    }
    std::vector<torch::Tensor> out(weights.size());
    const double ms = timeIt([&] {
      for (size_t i = 0; i < weights.size(); ++i) out[i] = dynamic(inputs[i], packed[i]);
    });
    double worst = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
      const double scale = std::max(1e-12, reference[i].abs().max().item<double>());
      worst = std::max(worst, (out[i] - reference[i]).abs().max().item<double>() / scale);
    }
    std::printf("int8 %-7s median %8.3f ms  %6.1f GMAC/s  %.2fx float32  largest error %.4f of the output's range\n",
                name.c_str(), ms, macs / (ms * 1e6), floatMs / ms, worst);
  }
  return 0;
}

}  // namespace

int runBench(const ArgList& argList) {
  if (argList.empty()) throw Error(ErrorKind::InvalidArgument, "bench needs a kind: bench forward");
  const std::string kind = argList.front();
  const ArgList rest(argList.begin() + 1, argList.end());
  if (kind == "forward") return benchForward(rest);
  if (kind == "train") return benchTrain(rest);
  if (kind == "allreduce") return benchAllReduce(rest);
  if (kind == "quantize") return benchQuantize(rest);
  throw Error(ErrorKind::InvalidArgument, "unknown bench \"" + kind + "\" (forward, train, allreduce, quantize)");
}

}  // namespace retort::cli
