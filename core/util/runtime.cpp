#include "core/util/runtime.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <cstdlib>
#include <dlfcn.h>
#include <link.h>
#include <thread>

#include <malloc.h>
#include <unistd.h>
#include <climits>

namespace retort::util {
namespace {

int collectBlas(struct dl_phdr_info* info, size_t, void* data) {
  auto* out = static_cast<std::string*>(data);
  const std::string name = info->dlpi_name ? info->dlpi_name : "";
  if (out->empty() && (name.find("blas") != std::string::npos || name.find("mkl_rt") != std::string::npos)) {
    char resolved[PATH_MAX];
    *out = ::realpath(name.c_str(), resolved) ? std::string(resolved) : name;
  }
  return 0;
}

template <typename Fn>
Fn blasSymbol(const char* name) {
  return reinterpret_cast<Fn>(::dlsym(RTLD_DEFAULT, name));
}

}  // namespace

RuntimeInfo runtimeInfo() {
  RuntimeInfo info;
  info.torchVersion = TORCH_VERSION;
  ::dl_iterate_phdr(collectBlas, &info.blasLibrary);
  if (auto config = blasSymbol<char* (*)()>("openblas_get_config")) {
    info.blasName = config();  // "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell MAX_THREADS=64"
  } else if (!info.blasLibrary.empty()) {
    info.blasName = info.blasLibrary.substr(info.blasLibrary.rfind('/') + 1);
    if (info.blasLibrary.find("/blas/") != std::string::npos)
      info.blasName += " (reference BLAS: slow; install libopenblas0-pthread)";
  } else {
    info.blasName = "none found";
  }
  if (auto threads = blasSymbol<int (*)()>("openblas_get_num_threads")) info.blasThreads = threads();
  info.torchThreads = torch::get_num_threads();
  info.torchInteropThreads = torch::get_num_interop_threads();
  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDevices = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  info.ompWaitPolicy = policy ? policy : "unset";
  return info;
}

void setThreads(int threads) {
  if (threads <= 0) {
    // A launcher of several local ranks shares the cores out (RETORT_THREADS).
    const char* share = std::getenv("RETORT_THREADS");
    threads = share ? std::atoi(share) : 0;
  }
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  if (auto set = blasSymbol<void (*)(int)>("openblas_set_num_threads")) set(threads);
}

void keepFreedMemory() {
  // Training allocates and frees the same large activation buffers every step. glibc hands
  // blocks above its mmap threshold back to the kernel on free, and every page of the next
  // allocation faults again (millions of page faults per run). Keep them in the heap.
  ::mallopt(M_MMAP_THRESHOLD, 1 << 30);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

void ensurePassiveOpenMp(char** argv) {
  keepFreedMemory();
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  ::execv("/proc/self/exe", argv);
  // exec failed: go on with the policy unset for libgomp; nothing else is lost.
}

}  // namespace retort::util
