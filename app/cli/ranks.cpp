// The data-parallel side of retort-cli's commands (run, resume, bench): --nproc N starts
// the local ranks of this program; a rank joins its process group from the launcher's
// variables (torchrun, Slurm, --nproc).

#include <csignal>
#include <cstdio>
#include <unistd.h>

#include "app/cli/ranks.h"
#include "core/distributed/local_launch.h"
#include "core/distributed/world.h"
#include "core/util/error.h"

namespace retort::cli {
namespace {

volatile std::sig_atomic_t g_launcherStop = 0;

extern "C" void onLauncherInterrupt(int signal) {
  g_launcherStop = 1;
  std::signal(signal, SIG_DFL);
}

}  // namespace

std::vector<std::string> rankArguments(std::vector<std::string> head, const std::vector<std::string>& argList,
                                       const std::vector<std::string>& drop) {
  auto dropped = [&](const std::string& a, bool withValue) {
    for (const std::string& name : drop)
      if (withValue ? a == "--" + name : a.rfind("--" + name + "=", 0) == 0) return true;
    return withValue ? a == "--nproc" : a.rfind("--nproc=", 0) == 0;
  };
  for (size_t i = 0; i < argList.size(); ++i) {
    if (dropped(argList[i], true)) {
      ++i;  // and its value
      continue;
    }
    if (!dropped(argList[i], false)) head.push_back(argList[i]);
  }
  return head;
}

std::chrono::milliseconds distTimeout(const Args& args) {
  auto spec = distributed::launchFromEnvironment();
  if (args.get("dist-timeout")) return std::chrono::milliseconds(1000 * args.getInt("dist-timeout", 300, 1));
  return spec.timeout;
}

/// --nproc N: hosts the store and runs N ranks of this program; returns their exit code.
int launchLocal(const std::vector<std::string>& childArgs, int64_t nproc, std::chrono::milliseconds timeout) {
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) throw Error(ErrorKind::Runtime, "cannot find this program's path (/proc/self/exe)");
  self[n] = '\0';
  g_launcherStop = 0;
  std::signal(SIGINT, onLauncherInterrupt);
  std::signal(SIGTERM, onLauncherInterrupt);
  distributed::LocalLaunch launch(self, childArgs, nproc, 0, timeout);
  std::fprintf(stderr, "data parallel: %lld local ranks, store 127.0.0.1:%d, timeout %lld s\n",
               static_cast<long long>(nproc), launch.port(), static_cast<long long>(timeout.count() / 1000));
  const int rc = launch.wait([](const std::string& line) { std::fprintf(stderr, "launcher: %s\n", line.c_str()); },
                             [] { return g_launcherStop != 0; });
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  return rc;
}

/// The process group this process belongs to, from the launcher's variables (null: one process).
std::shared_ptr<distributed::World> joinWorld(const Args& args) {
  auto spec = distributed::launchFromEnvironment();
  if (!spec.distributed()) return nullptr;
  spec.timeout = distTimeout(args);
  auto world = distributed::World::connect(spec);
  if (spec.rank == 0) std::fprintf(stderr, "data parallel: %s\n", distributed::describe(spec).c_str());
  return world;
}

}  // namespace retort::cli
