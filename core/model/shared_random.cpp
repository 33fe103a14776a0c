#include "core/model/shared_random.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/Generator.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace retort::model {
namespace {

struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  std::thread::id owner;
  int depth = 0;
  int waiting = 0;  ///< threads in acquire(), not yet owners
};

Shared& shared() {
  static Shared s;
  return s;
}

/// Takes the generator for this thread (nests); `afterOthers`: only once nobody else waits.
void acquire(int depth, bool afterOthers) {
  Shared& s = shared();
  std::unique_lock<std::mutex> lock(s.mutex);
  const auto me = std::this_thread::get_id();
  if (s.owner == me) {
    s.depth += depth;
    return;
  }
  if (!afterOthers) ++s.waiting;
  s.changed.wait(lock, [&] { return s.owner == std::thread::id() && (!afterOthers || s.waiting == 0); });
  if (!afterOthers) --s.waiting;
  s.owner = me;
  s.depth = depth;
}

void release() {
  Shared& s = shared();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (--s.depth > 0) return;
    s.owner = std::thread::id();
  }
  s.changed.notify_all();
}

}  // namespace

RunRandom::RunRandom() { acquire(1, false); }
RunRandom::~RunRandom() { release(); }

RandomTurn::RandomTurn() {
  Shared& s = shared();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.owner != std::this_thread::get_id()) return;
    m_depth = s.depth;
    s.depth = 0;
    s.owner = std::thread::id();
  }
  s.changed.notify_all();
}

RandomTurn::~RandomTurn() {
  if (m_depth > 0) acquire(m_depth, true);
}

IsolatedRandom::IsolatedRandom() {
  acquire(1, false);
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  m_state = gen.get_state();
}

IsolatedRandom::~IsolatedRandom() {
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(m_state);
  }
  release();
}

}  // namespace retort::model
