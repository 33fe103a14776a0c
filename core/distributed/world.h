#pragma once
// The process group of a data-parallel run, on PyTorch's own c10d: a TCPStore for the
// rendezvous and ProcessGroupGloo for the collectives (CPU tensors; with a CUDA LibTorch,
// Gloo over GPU tensors). The only place besides reducer.cpp that includes c10d.
//
// Failure: every collective waits at most the spec's timeout. When one fails (a rank died,
// hung, or reported an error) the message names the collective, this rank and host, and
// what the store tells of the others (a rank that reported an error, one whose heartbeat
// stopped, or a store that is gone), never a silent hang.

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/distributed/launch.h"

namespace retort::distributed {

class World {
 public:
  /// Joins the group (blocks until every rank has joined, at most spec.timeout). Throws
  /// Error(Runtime) naming the store and the ranks that are missing.
  static std::shared_ptr<World> connect(const LaunchSpec& spec);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  int64_t rank() const;
  int64_t size() const;
  const LaunchSpec& spec() const;
  const std::string& host() const;

  /// Rank 0's values into every rank's tensors, in place (flattened in buckets per dtype).
  void broadcast(const std::vector<torch::Tensor>& tensors, const std::string& what);
  /// Sums a tensor over the ranks, in place, synchronously.
  void allReduceSum(torch::Tensor& tensor, const std::string& what);
  /// Throws Error(InvalidArgument) "<what>: rank R has V, rank 0 has V0" unless every rank
  /// passes the same values (checked against rank 0's, broadcast).
  void checkSame(const std::vector<int64_t>& values, const std::string& what, const std::vector<std::string>& names);
  /// Rank 0's value on every rank.
  int64_t broadcastValue(int64_t value, const std::string& what);
  /// Rank 0 waits until every rank reaches this point.
  void barrier(const std::string& what);

  /// Tells the other ranks (through the store, best effort) why this rank stops; their
  /// failure messages quote it.
  void reportFailure(const std::string& message) noexcept;

  /// The failure message for a collective that threw `cause` (used by the reducer).
  std::string failureMessage(const std::string& what, const std::string& cause, double waitedSeconds);

  /// The c10d objects (for reducer.cpp only).
  struct Impl;
  Impl& impl() { return *m; }

 private:
  explicit World(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m;
};

/// A rendezvous store hosted by a launcher (retort-cli run --nproc, the workbench) that its
/// ranks join as clients, as torchrun's agent store. Port 0 picks a free port.
class StoreServer {
 public:
  explicit StoreServer(int port = 0, const std::string& host = "127.0.0.1");
  ~StoreServer();
  int port() const;
  /// Whether `rank` has joined the store (written its host key, first thing after it
  /// reached the store; attempt 0).
  bool joined(int64_t rank) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m;
};

}  // namespace retort::distributed
