#pragma once
// Starts the local ranks of a data-parallel run, as torchrun's agent does: hosts the
// rendezvous store (StoreServer) and spawns processes of a program with the launcher
// variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT, RETORT_AGENT_STORE,
// RETORT_DIST_TIMEOUT, RETORT_THREADS), watches them, forwards a stop, and ends the ones
// left when another has failed and they did not end on their own within the timeout.
// Used by `retort-cli run --nproc N` (ranks 0..N-1) and by the workbench (ranks 1..N-1; it
// runs rank 0 itself).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/distributed/launch.h"

namespace retort::distributed {

class StoreServer;

struct RankExit {
  int64_t rank = 0;
  pid_t pid = 0;
  bool running = true;
  int exitCode = 0;  ///< the exit status, or 128 + signal
  int signal = 0;    ///< the signal that ended it, 0 if it exited
};

/// "rank 1 (pid 123) exited with status 2", "... was killed by signal 9 (Killed)".
std::string describe(const RankExit& e);

class LocalLaunch {
 public:
  /// Starts ranks [firstRank, worldSize) of `program args...` (args without argv[0]).
  /// threadsPerRank 0: cores / worldSize. Throws Error(Runtime) when the store or a process
  /// cannot be started (the ones started are ended).
  LocalLaunch(const std::string& program, const std::vector<std::string>& args, int64_t worldSize,
              int64_t firstRank, std::chrono::milliseconds timeout, int threadsPerRank = 0);
  ~LocalLaunch();  ///< ends the processes still running (SIGTERM, then SIGKILL after 5 s)
  LocalLaunch(const LocalLaunch&) = delete;
  LocalLaunch& operator=(const LocalLaunch&) = delete;

  /// The launch spec a rank in this process joins with (rank 0 for the workbench).
  LaunchSpec specFor(int64_t rank) const;
  int port() const;

  /// Blocks until every spawned rank has reached the store, so that the caller's rank can
  /// join the group without waiting the whole timeout for a process that has already died.
  /// Throws Error(Runtime) naming a rank that ended first ("rank 1 (pid 12) exited with
  /// status 2 before it joined the run"), the ranks still missing after the timeout, or
  /// "stopped" when `stopRequested` says so.
  void awaitJoined(const std::function<bool()>& stopRequested);
  /// Non-blocking: collects the processes that ended; returns those that ended since the
  /// last call.
  std::vector<RankExit> poll();
  /// Blocks until every process ended. A process that fails starts the clock: the others
  /// get the timeout (plus 10 s) to end with their own message, then SIGTERM, then SIGKILL.
  /// `note` hears one line per process that fails; `stopRequested` (polled) forwards SIGINT.
  /// Returns 0 when every process exited 0, else the first failure's exit code.
  int wait(const std::function<void(const std::string&)>& note, const std::function<bool()>& stopRequested);
  /// Sends a signal to every process still running.
  void signalAll(int signal);
  const std::vector<RankExit>& ranks() const { return m_ranks; }

 private:
  std::unique_ptr<StoreServer> m_store;
  std::vector<RankExit> m_ranks;
  int64_t m_worldSize = 1;
  std::chrono::milliseconds m_timeout;
};

}  // namespace retort::distributed
