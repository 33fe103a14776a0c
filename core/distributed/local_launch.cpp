#include "core/distributed/local_launch.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "core/distributed/world.h"
#include "core/util/error.h"

extern char** environ;

namespace retort::distributed {
namespace {

using Clock = std::chrono::steady_clock;

const char* kOwned[] = {"RANK=",        "WORLD_SIZE=",         "LOCAL_RANK=",    "LOCAL_WORLD_SIZE=",
                        "MASTER_ADDR=", "MASTER_PORT=",        "RETORT_AGENT_STORE=", "RETORT_DIST_TIMEOUT=",
                        "GROUP_RANK=",  "TORCHELASTIC_USE_AGENT_STORE="};

bool owned(const char* entry) {
  for (const char* key : kOwned)
    if (std::strncmp(entry, key, std::strlen(key)) == 0) return true;
  return false;
}

}  // namespace

std::string describe(const RankExit& e) {
  std::string s = "rank " + std::to_string(e.rank) + " (pid " + std::to_string(static_cast<long>(e.pid)) + ")";
  if (e.running) return s + " is running";
  if (e.signal) return s + " was killed by signal " + std::to_string(e.signal) + " (" + strsignal(e.signal) + ")";
  return s + " exited with status " + std::to_string(e.exitCode);
}

LocalLaunch::LocalLaunch(const std::string& program, const std::vector<std::string>& args, int64_t worldSize,
                         int64_t firstRank, std::chrono::milliseconds timeout, int threadsPerRank)
    : m_store(std::make_unique<StoreServer>(0)), m_worldSize(worldSize), m_timeout(timeout) {
  if (worldSize < 1 || firstRank < 0 || firstRank > worldSize)
    throw Error(ErrorKind::InvalidArgument, "local launch: ranks " + std::to_string(firstRank) + ".." +
                                                std::to_string(worldSize - 1) + " do not exist");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int threads = threadsPerRank > 0 ? threadsPerRank : std::max(1, static_cast<int>(cores / worldSize));
  std::vector<std::string> base;
  for (char** e = environ; *e; ++e)
    if (!owned(*e))
      base.emplace_back(*e);
  const bool threadsGiven = std::getenv("RETORT_THREADS") != nullptr;
  std::vector<std::string> argvText{program};
  argvText.insert(argvText.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argvText) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (int64_t r = firstRank; r < worldSize; ++r) {
    std::vector<std::string> env = base;
    env.push_back("RANK=" + std::to_string(r));
    env.push_back("LOCAL_RANK=" + std::to_string(r));
    env.push_back("WORLD_SIZE=" + std::to_string(worldSize));
    env.push_back("LOCAL_WORLD_SIZE=" + std::to_string(worldSize));
    env.push_back("MASTER_ADDR=127.0.0.1");
    env.push_back("MASTER_PORT=" + std::to_string(m_store->port()));
    env.push_back("RETORT_AGENT_STORE=1");
    env.push_back("RETORT_DIST_TIMEOUT=" + std::to_string(std::max<int64_t>(1, timeout.count() / 1000)));
    if (!threadsGiven) env.push_back("RETORT_THREADS=" + std::to_string(threads));
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), envp.data());
    if (rc != 0) {
      signalAll(SIGKILL);
      for (auto& k : m_ranks) ::waitpid(k.pid, nullptr, 0);
      m_ranks.clear();
      throw Error(ErrorKind::Runtime, program + ": cannot start rank " + std::to_string(r) + ": " + std::strerror(rc));
    }
    RankExit e;
    e.rank = r;
    e.pid = pid;
    m_ranks.push_back(e);
  }
}

LocalLaunch::~LocalLaunch() {
  signalAll(SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < deadline) {
    poll();
    if (std::none_of(m_ranks.begin(), m_ranks.end(), [](const RankExit& e) { return e.running; })) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  signalAll(SIGKILL);
  for (auto& e : m_ranks)
    if (e.running) ::waitpid(e.pid, nullptr, 0);
}

LaunchSpec LocalLaunch::specFor(int64_t rank) const {
  LaunchSpec s;
  s.launcher = Launcher::Retort;
  s.rank = rank;
  s.localRank = rank;
  s.worldSize = m_worldSize;
  s.masterAddr = "127.0.0.1";
  s.masterPort = m_store->port();
  s.agentStore = true;
  s.timeout = m_timeout;
  return s;
}

int LocalLaunch::port() const { return m_store->port(); }

std::vector<RankExit> LocalLaunch::poll() {
  std::vector<RankExit> ended;
  for (auto& e : m_ranks) {
    if (!e.running) continue;
    int status = 0;
    const pid_t got = ::waitpid(e.pid, &status, WNOHANG);
    if (got != e.pid) continue;
    e.running = false;
    if (WIFSIGNALED(status)) {
      e.signal = WTERMSIG(status);
      e.exitCode = 128 + e.signal;
    } else {
      e.exitCode = WEXITSTATUS(status);
    }
    ended.push_back(e);
  }
  return ended;
}

void LocalLaunch::awaitJoined(const std::function<bool()>& stopRequested) {
  const auto deadline = Clock::now() + m_timeout;
  for (;;) {
    for (const auto& e : poll())
      throw Error(ErrorKind::Runtime, describe(e) + " before it joined the run");
    std::string missing;
    for (const auto& e : m_ranks)
      if (!m_store->joined(e.rank)) missing += (missing.empty() ? "" : ", ") + std::to_string(e.rank);
    if (missing.empty()) return;
    if (stopRequested && stopRequested()) throw Error(ErrorKind::Runtime, "stopped while the ranks were starting");
    if (Clock::now() > deadline)
      throw Error(ErrorKind::Runtime, "ranks " + missing + " did not join the run within " +
                                          std::to_string(m_timeout.count() / 1000) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void LocalLaunch::signalAll(int signal) {
  for (auto& e : m_ranks)
    if (e.running) ::kill(e.pid, signal);
}

int LocalLaunch::wait(const std::function<void(const std::string&)>& note, const std::function<bool()>& stopRequested) {
  int result = 0;
  bool forwarded = false;
  Clock::time_point failedAt{};
  bool terminated = false;
  while (std::any_of(m_ranks.begin(), m_ranks.end(), [](const RankExit& e) { return e.running; })) {
    for (const auto& e : poll()) {
      if (e.exitCode == 0 || (forwarded && e.exitCode == 130)) continue;
      if (note) note(describe(e));
      if (result == 0) {
        result = e.exitCode;
        failedAt = Clock::now();
      }
    }
    if (!forwarded && stopRequested && stopRequested()) {
      signalAll(SIGINT);
      forwarded = true;
    }
    if (result != 0 && !terminated && Clock::now() - failedAt > m_timeout + std::chrono::seconds(10)) {
      if (note) note("ending the ranks still running " + std::to_string(m_timeout.count() / 1000 + 10) +
                     " s after the first failure");
      signalAll(SIGTERM);
      terminated = true;
      failedAt = Clock::now();
    } else if (terminated && Clock::now() - failedAt > std::chrono::seconds(5)) {
      signalAll(SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (result == 0 && forwarded) result = 130;
  return result;
}

}  // namespace retort::distributed
