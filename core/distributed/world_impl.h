#pragma once
// World's c10d members, shared by world.cpp and reducer.cpp only (includes c10d).

// c10d declares the Gloo process group only with USE_C10D_GLOO (Debian's LibTorch is built
// with it; its CMake package does not export the define).
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/distributed/world.h"

namespace retort::distributed {

struct World::Impl {
  LaunchSpec spec;
  std::string host;
  c10::intrusive_ptr<c10d::Store> tcp;    ///< the TCPStore connection (or server)
  c10::intrusive_ptr<c10d::Store> store;  ///< tcp under the run's prefix
  c10::intrusive_ptr<c10d::ProcessGroupGloo> pg;
  c10::intrusive_ptr<c10d::Store> beatStore;
  std::thread beat;
  std::mutex beatMutex;
  std::condition_variable beatWake;
  bool stopBeat = false;

  /// Waits for a collective at most spec.timeout; throws Error(Runtime) with
  /// World::failureMessage when it fails.
  void wait(World& world, const c10::intrusive_ptr<c10d::Work>& work, const std::string& what);
};

}  // namespace retort::distributed
