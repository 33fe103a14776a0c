#pragma once
// Where a run stands, as plain data: what a checkpoint saves and a resume restores (and what
// rank 0 would broadcast so that every rank agrees). Together with the experiment it is
// everything a run needs besides weights and optimiser moments: the order of an epoch is a
// pure function of (seed, phase, epoch, world size, rank) (epochOrder) and an MLM mask a pure
// function of (seed, global step) (maskSeed), so no list of indices is ever stored.
// Torch-free header: the GUI and checkpoint writers can include it cheaply.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::distill {

/// Where the weights of RunState::bestScore are kept.
enum class BestWeights {
  None,    ///< no best yet, or the run does not keep one (no dev set)
  Memory,  ///< a copy in memory, held by the trainer (lost with the process)
  File     ///< a safetensors file at RunState::bestWeightsPath
};

struct RunState {
  /// The experiment's seed; epoch orders, MLM masks and augmentations derive from it.
  uint64_t seed = 42;
  /// Ranks of a data-parallel run (1 and 0 for a single process); part of the epoch order.
  int64_t worldSize = 1;
  int64_t rank = 0;

  int64_t globalStep = 0;   ///< optimiser steps taken over the whole run
  int64_t phase = 0;        ///< 0-based index of the phase being run (the phase count when done)
  int64_t phaseStep = 0;    ///< steps taken in that phase: the learning-rate schedule's position
  int64_t epoch = 0;        ///< 0-based epoch of the phase
  int64_t batchesDone = 0;  ///< batches of that epoch's order (epochOrder) already trained

  /// torch's default CPU generator (dropout masks, weight initialisation), as
  /// Generator::get_state() bytes; empty = not captured. cudaGenerator: the same for the
  /// default CUDA generator when the run uses one.
  std::vector<uint8_t> cpuGenerator;
  std::vector<uint8_t> cudaGenerator;

  /// Examples each phase trains on, as known when the state was taken (an augmented set's
  /// real size once it is made, the expected size before): a resume past an augmented phase
  /// does not make that set again, and still plans the run's steps as the run did.
  std::vector<int64_t> phaseExamples;

  double bestScore = -1.0;       ///< best dev score (task.metric) of the student so far; -1 = none
  int64_t bestGlobalStep = -1;   ///< the global step it was measured at
  int64_t bestPhase = -1;        ///< the phase it was measured in
  BestWeights bestWeights = BestWeights::None;
  std::string bestWeightsPath;   ///< BestWeights::File only

  /// At the first batch of state.phase (nothing of it trained yet): a fresh phase, or a
  /// checkpoint made between phases.
  bool atPhaseStart() const { return phaseStep == 0 && epoch == 0 && batchesDone == 0; }

  /// Every field; generator states as lower-case hex strings.
  nlohmann::json toJson() const;
  /// Reads what toJson() wrote. Throws Error(Format) "<source>: "<key>" <reason>" for a
  /// missing key, a value of the wrong type or range, or a bad hex string.
  static RunState fromJson(const nlohmann::json& json, const std::string& source);

  bool operator==(const RunState& other) const;
  bool operator!=(const RunState& other) const { return !(*this == other); }
};

/// Seed of a phase's epoch orders: seed + phase · 1000003.
uint64_t phaseOrderSeed(uint64_t seed, int64_t phase);

/// The batches of one epoch of a phase: the run-wide order
/// data::epochBatches(examples, batchSize, shuffle = true, phaseOrderSeed(seed, phase), epoch),
/// the same for every world size; with several ranks each batch is the rank's share of it
/// (shareOf: contiguous rows, sizes differing by at most one, possibly empty when the batch
/// has fewer rows than there are ranks). So the global batch is batchSize whatever the
/// number of ranks, and no example is padded in or dropped (DistributedSampler pads or
/// drops a remainder; here the loss normalisers make every step the single process's).
/// A pure function: resuming at (phase, epoch, batchesDone) needs no stored order.
/// Throws Error(InvalidArgument) for batchSize < 1, worldSize < 1 or a rank outside
/// [0, worldSize).
std::vector<std::vector<size_t>> epochOrder(size_t examples, int64_t batchSize, uint64_t seed, int64_t phase,
                                            int64_t epoch, int64_t worldSize = 1, int64_t rank = 0);

/// Rows [first, second) of a global batch of `rows` rows that `rank` trains:
/// [floor(rank·rows/worldSize), floor((rank+1)·rows/worldSize)). Throws
/// Error(InvalidArgument) for a rank outside [0, worldSize).
std::pair<int64_t, int64_t> shareOf(int64_t rows, int64_t worldSize, int64_t rank);

/// Seed of the default generator (dropout) of `rank` at global step `globalStep` of a
/// data-parallel run: each rank draws its own masks, and a resume with the same ranks draws
/// the same ones without storing any rank's generator. A single process does not reseed.
uint64_t dropoutSeed(uint64_t seed, int64_t globalStep, int64_t rank);

/// Seed of the MLM masking of the batch trained at (0-based) global step `globalStep`.
uint64_t maskSeed(uint64_t seed, int64_t globalStep);

/// Copies torch's default generators into state (CPU always, CUDA when available) and back.
/// Not done per step: a checkpoint writer calls captureGenerators, a resume restoreGenerators.
void captureGenerators(RunState& state);
/// Throws Error(Format) when a stored state does not fit the generator.
void restoreGenerators(const RunState& state);

}  // namespace retort::distill
