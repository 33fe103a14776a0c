#pragma once
// Where a process stands in a data-parallel run, read from the environment that the usual
// launchers set: torchrun (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT,
// TORCHELASTIC_USE_AGENT_STORE), Slurm's srun (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID,
// with MASTER_ADDR named by the job script) and `retort-cli run --nproc N` (the torchrun
// variables plus RETORT_AGENT_STORE=1). Torch-free and c10d-free: the CLI, the GUI and the
// tests read it cheaply.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace retort::distributed {

enum class Launcher {
  Single,    ///< no launcher variables: one process
  Torchrun,  ///< torchrun (torch.distributed.run), or any launcher that sets RANK/WORLD_SIZE
  Retort,    ///< retort-cli run --nproc N, or the workbench's processes
  Slurm      ///< srun: SLURM_PROCID / SLURM_NTASKS
};

/// The default time a rank waits for the others (to join, or in a collective) before it ends
/// the run with a message naming the ranks: RETORT_DIST_TIMEOUT seconds, else 300.
constexpr int64_t kDefaultTimeoutSeconds = 300;

struct LaunchSpec {
  Launcher launcher = Launcher::Single;
  int64_t rank = 0;
  int64_t worldSize = 1;
  int64_t localRank = 0;                 ///< the rank on this machine (its GPU, with CUDA)
  std::string masterAddr = "127.0.0.1";  ///< where the rendezvous store listens
  int masterPort = 29500;
  /// Join a store that the launcher hosts (torchrun's agent, retort --nproc) as a client;
  /// otherwise rank 0 hosts it (Slurm, a plain RANK/WORLD_SIZE launch).
  bool agentStore = false;
  int64_t restartCount = 0;  ///< TORCHELASTIC_RESTART_COUNT: keys of a restarted attempt stay apart
  std::chrono::milliseconds timeout{kDefaultTimeoutSeconds * 1000};

  bool distributed() const { return worldSize > 1; }
};

/// getenv, or a map in tests.
using Environment = std::function<const char*(const char*)>;

/// Reads the launcher's variables. RANK/WORLD_SIZE win over Slurm's (torchrun inside an
/// allocation). Throws Error(InvalidArgument) naming the variable for a value that is not a
/// number, a rank outside [0, WORLD_SIZE), or a missing MASTER_ADDR/MASTER_PORT where one is
/// needed (with how to set it under Slurm).
LaunchSpec launchFromEnvironment(const Environment& env);
LaunchSpec launchFromEnvironment();

/// "rank 1 of 2 (torchrun, local rank 1), store 127.0.0.1:29500".
std::string describe(const LaunchSpec& spec);

/// This machine's host name ("localhost" when it has none).
std::string hostName();

}  // namespace retort::distributed
