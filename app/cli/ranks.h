#pragma once
// Data-parallel launch for retort-cli's commands (see ranks.cpp).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/args.h"

namespace retort::distributed {
class World;
}

namespace retort::cli {

/// --dist-timeout S, else RETORT_DIST_TIMEOUT, else 300 s.
std::chrono::milliseconds distTimeout(const Args& args);
/// --nproc N: hosts the store and runs N ranks of this program with `childArgs`; returns
/// their exit code (Ctrl-C is forwarded to them).
int launchLocal(const std::vector<std::string>& childArgs, int64_t nproc, std::chrono::milliseconds timeout);
/// `head` then argList without the options in `drop` (and their values): the arguments of
/// the ranks that --nproc starts ("--nproc" is always dropped).
std::vector<std::string> rankArguments(std::vector<std::string> head, const std::vector<std::string>& argList,
                                       const std::vector<std::string>& drop = {});
/// The process group this process belongs to, from the launcher's variables (null: one
/// process). Rank 0 prints where it stands.
std::shared_ptr<distributed::World> joinWorld(const Args& args);

}  // namespace retort::cli
