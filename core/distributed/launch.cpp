#include "core/distributed/launch.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <optional>

#include "core/util/error.h"

namespace retort::distributed {
namespace {

std::optional<std::string> variable(const Environment& env, const char* name) {
  const char* v = env(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

int64_t number(const Environment& env, const char* name, int64_t low, int64_t high) {
  const std::string text = *variable(env, name);
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end == text.c_str() || *end != '\0' || v < low || v > high)
    throw Error(ErrorKind::InvalidArgument, std::string("the environment variable ") + name + " is \"" + text +
                                                "\"; expected a whole number from " + std::to_string(low) + " to " +
                                                std::to_string(high));
  return v;
}

int64_t numberOr(const Environment& env, const char* name, int64_t low, int64_t high, int64_t fallback) {
  return variable(env, name) ? number(env, name, low, high) : fallback;
}

const char* launcherName(Launcher l) {
  switch (l) {
    case Launcher::Single: return "one process";
    case Launcher::Torchrun: return "torchrun";
    case Launcher::Retort: return "retort --nproc";
    case Launcher::Slurm: return "Slurm";
  }
  return "?";
}

}  // namespace

LaunchSpec launchFromEnvironment(const Environment& env) {
  LaunchSpec s;
  s.timeout = std::chrono::milliseconds(
      1000 * numberOr(env, "RETORT_DIST_TIMEOUT", 1, 7 * 24 * 3600, kDefaultTimeoutSeconds));
  const int64_t maxRanks = 1 << 20;
  const char* rankVar = nullptr;
  const char* worldVar = nullptr;
  if (variable(env, "WORLD_SIZE") || variable(env, "RANK")) {
    rankVar = "RANK";
    worldVar = "WORLD_SIZE";
    s.launcher = variable(env, "RETORT_AGENT_STORE") ? Launcher::Retort : Launcher::Torchrun;
  } else if (variable(env, "SLURM_NTASKS") && variable(env, "SLURM_PROCID")) {
    rankVar = "SLURM_PROCID";
    worldVar = "SLURM_NTASKS";
    s.launcher = Launcher::Slurm;
  } else {
    return s;
  }
  if (!variable(env, worldVar))
    throw Error(ErrorKind::InvalidArgument,
                std::string(rankVar) + " is set but " + worldVar + " is not; a launcher sets both");
  if (!variable(env, rankVar))
    throw Error(ErrorKind::InvalidArgument,
                std::string(worldVar) + " is set but " + rankVar + " is not; a launcher sets both");
  s.worldSize = number(env, worldVar, 1, maxRanks);
  s.rank = number(env, rankVar, 0, maxRanks);
  if (s.rank >= s.worldSize)
    throw Error(ErrorKind::InvalidArgument, std::string(rankVar) + " is " + std::to_string(s.rank) + " but " +
                                                worldVar + " is " + std::to_string(s.worldSize) +
                                                ": ranks run from 0 to " + std::to_string(s.worldSize - 1));
  const char* localVar = s.launcher == Launcher::Slurm ? "SLURM_LOCALID" : "LOCAL_RANK";
  s.localRank = numberOr(env, localVar, 0, maxRanks, s.launcher == Launcher::Slurm ? 0 : s.rank);
  s.restartCount = numberOr(env, "TORCHELASTIC_RESTART_COUNT", 0, maxRanks, 0);
  const auto agent = variable(env, "TORCHELASTIC_USE_AGENT_STORE");
  s.agentStore = s.launcher == Launcher::Retort || (agent && (*agent == "True" || *agent == "true" || *agent == "1"));
  if (!s.distributed()) return s;
  if (auto addr = variable(env, "MASTER_ADDR")) {
    s.masterAddr = *addr;
  } else if (s.launcher == Launcher::Slurm) {
    throw Error(ErrorKind::InvalidArgument,
                "Slurm runs " + std::to_string(s.worldSize) +
                    " tasks but MASTER_ADDR is not set: name the host of task 0 in the job script, e.g. "
                    "export MASTER_ADDR=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)");
  } else {
    throw Error(ErrorKind::InvalidArgument, "WORLD_SIZE is " + std::to_string(s.worldSize) +
                                                " but MASTER_ADDR is not set: the host of the rendezvous store");
  }
  if (variable(env, "MASTER_PORT")) s.masterPort = static_cast<int>(number(env, "MASTER_PORT", 1, 65535));
  else if (s.launcher != Launcher::Slurm)
    throw Error(ErrorKind::InvalidArgument, "WORLD_SIZE is " + std::to_string(s.worldSize) +
                                                " but MASTER_PORT is not set: the port of the rendezvous store");
  return s;
}

LaunchSpec launchFromEnvironment() {
  return launchFromEnvironment([](const char* name) -> const char* { return std::getenv(name); });
}

std::string describe(const LaunchSpec& s) {
  if (!s.distributed()) return "one process";
  return "rank " + std::to_string(s.rank) + " of " + std::to_string(s.worldSize) + " (" + launcherName(s.launcher) +
         ", local rank " + std::to_string(s.localRank) + "), store " + s.masterAddr + ":" +
         std::to_string(s.masterPort);
}

std::string hostName() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "localhost";
  return buf;
}

}  // namespace retort::distributed
