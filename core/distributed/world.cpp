#include "core/distributed/world.h"

// world_impl.h first: it defines USE_C10D_GLOO, which ProcessGroupGloo.hpp needs.
#include "core/distributed/world_impl.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include "core/util/error.h"

namespace retort::distributed {
namespace {

using Clock = std::chrono::steady_clock;

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

/// The first line of an exception's text, at most 300 characters.
std::string shortCause(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > 300) line = line.substr(0, 300) + "...";
  return line;
}

std::string toText(const std::vector<uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }
std::vector<uint8_t> toBytes(const std::string& text) { return std::vector<uint8_t>(text.begin(), text.end()); }

std::string prefixOf(const LaunchSpec& s) { return "retort/attempt_" + std::to_string(s.restartCount) + "/"; }

/// A client connection to the run's store (keys under the run's prefix).
c10::intrusive_ptr<c10d::Store> clientStore(const LaunchSpec& s, std::chrono::milliseconds timeout) {
  c10d::TCPStoreOptions o;
  o.port = static_cast<uint16_t>(s.masterPort);
  o.isServer = false;
  o.waitWorkers = false;
  o.timeout = timeout;
  auto tcp = c10::make_intrusive<c10d::TCPStore>(s.masterAddr, o);
  return c10::make_intrusive<c10d::PrefixStore>(prefixOf(s), tcp);
}

std::shared_ptr<::gloo::transport::Device> glooDevice(const LaunchSpec& s) {
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  if (s.masterAddr == "127.0.0.1" || s.masterAddr == "localhost" || s.masterAddr == "::1")
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

World::World(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}

World::~World() {
  {
    std::lock_guard<std::mutex> lock(m->beatMutex);
    m->stopBeat = true;
  }
  m->beatWake.notify_all();
  if (m->beat.joinable()) m->beat.join();
}

std::shared_ptr<World> World::connect(const LaunchSpec& spec) {
  auto impl = std::make_unique<Impl>();
  impl->spec = spec;
  impl->host = hostName();
  const std::string where = spec.masterAddr + ":" + std::to_string(spec.masterPort);
  const std::string self = "rank " + std::to_string(spec.rank) + " (" + impl->host + ")";
  const bool server = !spec.agentStore && spec.rank == 0;
  try {
    c10d::TCPStoreOptions o;
    o.port = static_cast<uint16_t>(spec.masterPort);
    o.isServer = server;
    o.numWorkers = static_cast<size_t>(spec.worldSize);
    o.waitWorkers = false;
    o.timeout = spec.timeout;
    impl->tcp = c10::make_intrusive<c10d::TCPStore>(spec.masterAddr, o);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::Runtime,
                self + ": cannot " + (server ? "open" : "reach") + " the rendezvous store at " + where + " (" +
                    shortCause(e.what()) + ")" +
                    (server ? "; is the port in use?" : "; is rank 0 (or the launcher) running, and MASTER_ADDR right?"));
  }
  impl->store = c10::make_intrusive<c10d::PrefixStore>(prefixOf(spec), impl->tcp);
  impl->store->set("host/" + std::to_string(spec.rank),
                   toBytes(impl->host + ", pid " + std::to_string(static_cast<long>(::getpid()))));
  try {
    auto options = c10d::ProcessGroupGloo::Options::create(spec.timeout);
    options->devices.push_back(glooDevice(spec));
    options->threads = 2;
    impl->pg = c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, static_cast<int>(spec.rank),
                                                          static_cast<int>(spec.worldSize), options);
  } catch (const std::exception& e) {
    std::string missing;
    try {
      for (int64_t q = 0; q < spec.worldSize; ++q)
        if (!impl->store->check({"host/" + std::to_string(q)})) missing += (missing.empty() ? "" : ", ") + std::to_string(q);
    } catch (...) {
    }
    throw Error(ErrorKind::Runtime,
                self + ": the process group of " + std::to_string(spec.worldSize) + " ranks (store " + where +
                    ") did not form within " + seconds(spec.timeout.count() / 1000.0) +
                    (missing.empty() ? std::string() : "; ranks that never joined: " + missing) + " (" +
                    shortCause(e.what()) + ")");
  }
  // The heartbeat: one key a second on a connection of its own, read by failureMessage.
  impl->beatStore = clientStore(spec, std::chrono::milliseconds(10000));
  Impl* raw = impl.get();
  impl->beat = std::thread([raw] {
    int64_t count = 0;
    std::unique_lock<std::mutex> lock(raw->beatMutex);
    while (!raw->stopBeat) {
      lock.unlock();
      try {
        raw->beatStore->set("beat/" + std::to_string(raw->spec.rank), toBytes(std::to_string(++count)));
      } catch (...) {
        // the store may be gone at the end of a run; failureMessage says so when it matters
      }
      lock.lock();
      raw->beatWake.wait_for(lock, std::chrono::seconds(1), [raw] { return raw->stopBeat; });
    }
  });
  return std::shared_ptr<World>(new World(std::move(impl)));
}

int64_t World::rank() const { return m->spec.rank; }
int64_t World::size() const { return m->spec.worldSize; }
const LaunchSpec& World::spec() const { return m->spec; }
const std::string& World::host() const { return m->host; }

void World::Impl::wait(World& world, const c10::intrusive_ptr<c10d::Work>& work, const std::string& what) {
  const auto started = Clock::now();
  try {
    work->wait(spec.timeout);
  } catch (const std::exception& e) {
    const double waited = std::chrono::duration<double>(Clock::now() - started).count();
    throw Error(ErrorKind::Runtime, world.failureMessage(what, e.what(), waited));
  }
}

void World::broadcast(const std::vector<torch::Tensor>& tensors, const std::string& what) {
  torch::NoGradGuard noGrad;
  std::map<std::pair<int, std::string>, std::vector<torch::Tensor>> groups;  // by dtype and device
  for (const auto& t : tensors)
    if (t.defined() && t.numel() > 0) groups[{static_cast<int>(t.scalar_type()), t.device().str()}].push_back(t);
  for (auto& [key, list] : groups) {
    std::vector<torch::Tensor> flat{torch::cat([&] {
      std::vector<torch::Tensor> parts;
      for (const auto& t : list) parts.push_back(t.detach().reshape({-1}));
      return parts;
    }())};
    c10d::BroadcastOptions o;
    o.rootRank = 0;
    o.timeout = m->spec.timeout;
    m->wait(*this, m->pg->broadcast(flat, o), what);
    int64_t offset = 0;
    for (auto& t : list) {
      auto target = t.detach();
      target.copy_(flat[0].narrow(0, offset, t.numel()).view(t.sizes()));
      offset += t.numel();
    }
  }
}

void World::allReduceSum(torch::Tensor& tensor, const std::string& what) {
  std::vector<torch::Tensor> list{tensor};
  c10d::AllreduceOptions o;
  o.reduceOp = c10d::ReduceOp::SUM;
  o.timeout = m->spec.timeout;
  m->wait(*this, m->pg->allreduce(list, o), what);
}

void World::checkSame(const std::vector<int64_t>& values, const std::string& what,
                      const std::vector<std::string>& names) {
  auto t = torch::tensor(values, torch::kLong);
  const auto mine = t.clone();
  broadcast({t}, what);
  for (size_t i = 0; i < values.size(); ++i) {
    const int64_t root = t[static_cast<int64_t>(i)].item<int64_t>();
    if (root != values[i]) {
      const std::string name = i < names.size() ? names[i] : "value " + std::to_string(i);
      throw Error(ErrorKind::InvalidArgument, what + ": rank " + std::to_string(rank()) + " (" + m->host + ") has " +
                                                  name + " " + std::to_string(values[i]) + ", rank 0 has " +
                                                  std::to_string(root) +
                                                  "; every rank must run the same experiment on the same files");
    }
  }
}

int64_t World::broadcastValue(int64_t value, const std::string& what) {
  auto t = torch::tensor(std::vector<int64_t>{value}, torch::kLong);
  broadcast({t}, what);
  return t[0].item<int64_t>();
}

void World::barrier(const std::string& what) {
  c10d::BarrierOptions o;
  o.timeout = m->spec.timeout;
  m->wait(*this, m->pg->barrier(o), what);
}

void World::reportFailure(const std::string& message) noexcept {
  try {
    auto s = clientStore(m->spec, std::chrono::milliseconds(3000));
    s->set("failed/" + std::to_string(m->spec.rank), toBytes(m->host + ": " + shortCause(message)));
  } catch (...) {
  }
}

std::string World::failureMessage(const std::string& what, const std::string& cause, double waitedSeconds) {
  const auto& s = m->spec;
  std::string msg = "rank " + std::to_string(s.rank) + " (" + m->host + "): " + what + " failed after " +
                    seconds(waitedSeconds) + " (" + shortCause(cause) + ")";
  std::string about;
  try {
    auto store = clientStore(s, std::chrono::milliseconds(5000));
    auto name = [&](int64_t q) {
      const std::string key = "host/" + std::to_string(q);
      return store->check({key}) ? toText(store->get(key)) : std::string("host unknown");
    };
    std::vector<std::string> beats(static_cast<size_t>(s.worldSize));
    auto readBeat = [&](int64_t q) {
      const std::string key = "beat/" + std::to_string(q);
      return store->check({key}) ? toText(store->get(key)) : std::string();
    };
    for (int64_t q = 0; q < s.worldSize; ++q) {
      if (q == s.rank) continue;
      const std::string key = "failed/" + std::to_string(q);
      if (store->check({key})) about += "; rank " + std::to_string(q) + " reported: " + toText(store->get(key));
      beats[static_cast<size_t>(q)] = readBeat(q);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    for (int64_t q = 0; q < s.worldSize; ++q) {
      if (q == s.rank || about.find("rank " + std::to_string(q) + " reported") != std::string::npos) continue;
      if (readBeat(q) == beats[static_cast<size_t>(q)])
        about += "; rank " + std::to_string(q) + " (" + name(q) +
                 ") stopped responding: no heartbeat for 2.5 s (it was killed or stopped, or its machine cannot be "
                 "reached)";
    }
  } catch (const std::exception&) {
    about += "; the rendezvous store at " + s.masterAddr + ":" + std::to_string(s.masterPort) +
             " cannot be reached either: the launcher" + (s.agentStore ? "" : " (rank 0)") + " has ended";
  }
  if (about.empty())
    about = "; every other rank is alive and reported no error: one may be stuck in a long step or checkpoint "
            "(raise RETORT_DIST_TIMEOUT, now " + seconds(s.timeout.count() / 1000.0) + ")";
  return msg + about + "; the run can be resumed from its last checkpoint";
}

struct StoreServer::Impl {
  c10::intrusive_ptr<c10d::TCPStore> store;
};

StoreServer::StoreServer(int port, const std::string& host) : m(std::make_unique<Impl>()) {
  c10d::TCPStoreOptions o;
  o.port = static_cast<uint16_t>(port);
  o.isServer = true;
  o.waitWorkers = false;
  try {
    m->store = c10::make_intrusive<c10d::TCPStore>(host, o);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::Runtime, "cannot open a rendezvous store on " + host + ":" + std::to_string(port) + " (" +
                                        shortCause(e.what()) + ")");
  }
}

StoreServer::~StoreServer() = default;
int StoreServer::port() const { return m->store->getPort(); }

bool StoreServer::joined(int64_t rank) const {
  // Through a PrefixStore as the ranks write it (c10d joins prefix and key with a '/').
  c10d::PrefixStore store(prefixOf(LaunchSpec{}), m->store);
  return store.check({"host/" + std::to_string(rank)});
}

}  // namespace retort::distributed
