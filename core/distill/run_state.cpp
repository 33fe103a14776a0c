#include "core/distill/run_state.h"

#include <torch/torch.h>

#include <cstring>
#include <mutex>

#include "core/data/batching.h"
#include "core/util/error.h"
#include "core/util/json_fields.h"

namespace retort::distill {
namespace {

using nlohmann::json;

const char* bestWeightsName(BestWeights b) {
  switch (b) {
    case BestWeights::Memory: return "memory";
    case BestWeights::File: return "file";
    case BestWeights::None: break;
  }
  return "none";
}

std::string hex(const std::vector<uint8_t>& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

std::vector<uint8_t> unhex(const std::string& text, const std::string& source, const char* key) {
  auto nibble = [&](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    util::badField(source, key, std::string("is not a hex string (found '") + c + "')");
  };
  if (text.size() % 2) util::badField(source, key, "is not a hex string (odd length)");
  std::vector<uint8_t> out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<uint8_t>(nibble(text[2 * i]) * 16 + nibble(text[2 * i + 1]));
  return out;
}

const json& required(const json& j, const std::string& source, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) util::badField(source, key, "is missing");
  return *it;
}

int64_t integer(const json& j, const std::string& source, const char* key, int64_t min) {
  const json& v = required(j, source, key);
  if (!v.is_number_integer()) util::badField(source, key, "must be an integer, found " + v.dump());
  const int64_t x = v.get<int64_t>();
  if (x < min) util::badField(source, key, "must be >= " + std::to_string(min) + ", found " + v.dump());
  return x;
}

std::string text(const json& j, const std::string& source, const char* key) {
  const json& v = required(j, source, key);
  if (!v.is_string()) util::badField(source, key, "must be a string, found " + v.dump());
  return v.get<std::string>();
}

std::vector<uint8_t> stateBytes(torch::Generator g) {
  std::lock_guard<std::mutex> lock(g.mutex());
  const auto t = g.get_state().contiguous();
  std::vector<uint8_t> out(static_cast<size_t>(t.numel()));
  if (!out.empty()) std::memcpy(out.data(), t.data_ptr<uint8_t>(), out.size());
  return out;
}

void setStateBytes(torch::Generator g, const std::vector<uint8_t>& bytes, const char* which) {
  auto t = torch::empty({static_cast<int64_t>(bytes.size())}, torch::kUInt8);
  if (!bytes.empty()) std::memcpy(t.data_ptr<uint8_t>(), bytes.data(), bytes.size());
  try {
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_state(t);
  } catch (const c10::Error& e) {
    throw Error(ErrorKind::Format, std::string("run state: the ") + which + " generator state does not fit (" +
                                       e.what_without_backtrace() + ")");
  }
}

}  // namespace

json RunState::toJson() const {
  return {{"seed", seed},
          {"world_size", worldSize},
          {"rank", rank},
          {"global_step", globalStep},
          {"phase", phase},
          {"phase_step", phaseStep},
          {"epoch", epoch},
          {"batches_done", batchesDone},
          {"cpu_generator", hex(cpuGenerator)},
          {"cuda_generator", hex(cudaGenerator)},
          {"phase_examples", phaseExamples},
          {"best_score", bestScore},
          {"best_global_step", bestGlobalStep},
          {"best_phase", bestPhase},
          {"best_weights", bestWeightsName(bestWeights)},
          {"best_weights_path", bestWeightsPath}};
}

RunState RunState::fromJson(const json& j, const std::string& source) {
  if (!j.is_object()) throw Error(ErrorKind::Format, source + ": a run state must be a JSON object");
  RunState s;
  const json& seed = required(j, source, "seed");
  if (!seed.is_number_unsigned()) util::badField(source, "seed", "must be a non-negative integer, found " + seed.dump());
  s.seed = seed.get<uint64_t>();
  s.worldSize = integer(j, source, "world_size", 1);
  s.rank = integer(j, source, "rank", 0);
  if (s.rank >= s.worldSize)
    util::badField(source, "rank", "must be below world_size (" + std::to_string(s.worldSize) + "), found " +
                                       std::to_string(s.rank));
  s.globalStep = integer(j, source, "global_step", 0);
  s.phase = integer(j, source, "phase", 0);
  s.phaseStep = integer(j, source, "phase_step", 0);
  s.epoch = integer(j, source, "epoch", 0);
  s.batchesDone = integer(j, source, "batches_done", 0);
  s.cpuGenerator = unhex(text(j, source, "cpu_generator"), source, "cpu_generator");
  s.cudaGenerator = unhex(text(j, source, "cuda_generator"), source, "cuda_generator");
  const json& examples = required(j, source, "phase_examples");
  if (!examples.is_array()) util::badField(source, "phase_examples", "must be an array, found " + examples.dump());
  for (const auto& n : examples) {
    if (!n.is_number_integer() || n.get<int64_t>() < 0)
      util::badField(source, "phase_examples", "must hold integers >= 0, found " + n.dump());
    s.phaseExamples.push_back(n.get<int64_t>());
  }
  const json& best = required(j, source, "best_score");
  if (!best.is_number()) util::badField(source, "best_score", "must be a number, found " + best.dump());
  s.bestScore = best.get<double>();
  s.bestGlobalStep = integer(j, source, "best_global_step", -1);
  s.bestPhase = integer(j, source, "best_phase", -1);
  const std::string where = text(j, source, "best_weights");
  if (where == "none") s.bestWeights = BestWeights::None;
  else if (where == "memory") s.bestWeights = BestWeights::Memory;
  else if (where == "file") s.bestWeights = BestWeights::File;
  else util::badField(source, "best_weights", "must be none, memory or file, found \"" + where + "\"");
  s.bestWeightsPath = text(j, source, "best_weights_path");
  if (s.bestWeights == BestWeights::File && s.bestWeightsPath.empty())
    util::badField(source, "best_weights_path", "must name a file when best_weights is \"file\"");
  return s;
}

bool RunState::operator==(const RunState& o) const {
  return seed == o.seed && worldSize == o.worldSize && rank == o.rank && globalStep == o.globalStep &&
         phase == o.phase && phaseStep == o.phaseStep && epoch == o.epoch && batchesDone == o.batchesDone &&
         cpuGenerator == o.cpuGenerator && cudaGenerator == o.cudaGenerator && phaseExamples == o.phaseExamples &&
         bestScore == o.bestScore &&
         bestGlobalStep == o.bestGlobalStep && bestPhase == o.bestPhase && bestWeights == o.bestWeights &&
         bestWeightsPath == o.bestWeightsPath;
}

uint64_t phaseOrderSeed(uint64_t seed, int64_t phase) { return seed + static_cast<uint64_t>(phase) * 1000003ull; }

std::pair<int64_t, int64_t> shareOf(int64_t rows, int64_t worldSize, int64_t rank) {
  if (worldSize < 1 || rank < 0 || rank >= worldSize)
    throw Error(ErrorKind::InvalidArgument, "batch share: rank " + std::to_string(rank) + " of world size " +
                                                std::to_string(worldSize) + " does not exist");
  return {rows * rank / worldSize, rows * (rank + 1) / worldSize};
}

std::vector<std::vector<size_t>> epochOrder(size_t examples, int64_t batchSize, uint64_t seed, int64_t phase,
                                            int64_t epoch, int64_t worldSize, int64_t rank) {
  if (worldSize < 1 || rank < 0 || rank >= worldSize)
    throw Error(ErrorKind::InvalidArgument, "epoch order: rank " + std::to_string(rank) + " of world size " +
                                                std::to_string(worldSize) + " does not exist");
  auto all = data::epochBatches(examples, batchSize, true, phaseOrderSeed(seed, phase), epoch);
  if (worldSize == 1) return all;
  for (auto& batch : all) {
    const auto [begin, end] = shareOf(static_cast<int64_t>(batch.size()), worldSize, rank);
    batch = std::vector<size_t>(batch.begin() + begin, batch.begin() + end);
  }
  return all;
}

uint64_t dropoutSeed(uint64_t seed, int64_t globalStep, int64_t rank) {
  return (seed ^ 0x9e3779b97f4a7c15ull) * 2862933555777941757ull + static_cast<uint64_t>(globalStep) * 1000003ull +
         static_cast<uint64_t>(rank);
}

uint64_t maskSeed(uint64_t seed, int64_t globalStep) {
  return seed * 6364136223846793005ull + static_cast<uint64_t>(globalStep);
}

void captureGenerators(RunState& state) {
  state.cpuGenerator = stateBytes(at::globalContext().defaultGenerator(torch::kCPU));
  state.cudaGenerator.clear();
  if (torch::cuda::is_available())
    state.cudaGenerator = stateBytes(at::globalContext().defaultGenerator(torch::Device(torch::kCUDA, 0)));
}

void restoreGenerators(const RunState& state) {
  if (!state.cpuGenerator.empty())
    setStateBytes(at::globalContext().defaultGenerator(torch::kCPU), state.cpuGenerator, "CPU");
  if (!state.cudaGenerator.empty() && torch::cuda::is_available())
    setStateBytes(at::globalContext().defaultGenerator(torch::Device(torch::kCUDA, 0)), state.cudaGenerator, "CUDA");
}

}  // namespace retort::distill
