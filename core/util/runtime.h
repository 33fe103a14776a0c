#pragma once
// What the process computes with: LibTorch's version and threads, the BLAS library that
// is really loaded (Debian switches libblas.so.3 through alternatives), the device.

#include <string>

namespace retort::util {

struct RuntimeInfo {
  std::string torchVersion;    ///< e.g. "1.13.1"
  std::string blasLibrary;     ///< resolved path of the loaded BLAS, e.g. ".../openblas-pthread/libblas.so.3"
  std::string blasName;        ///< "OpenBLAS 0.3.21 ... Haswell" when OpenBLAS answers, else the file name
  int blasThreads = 0;         ///< OpenBLAS's own thread count (0 = unknown)
  int torchThreads = 0;        ///< torch::get_num_threads()
  int torchInteropThreads = 0; ///< torch::get_num_interop_threads()
  bool cudaAvailable = false;
  int cudaDevices = 0;
  std::string ompWaitPolicy;   ///< OMP_WAIT_POLICY as the process saw it at start
};

RuntimeInfo runtimeInfo();

/// Sets LibTorch's intra-op threads and OpenBLAS's own pool (which torch::set_num_threads
/// does not reach). threads <= 0: RETORT_THREADS when set (a launcher of N local ranks sets
/// it to cores / N), else the number of cores.
void setThreads(int threads);

/// libgomp reads OMP_WAIT_POLICY once, when it loads; spinning OpenMP threads fight
/// OpenBLAS for the cores (measured 2.5x slower on 2 cores). When the variable is unset
/// this sets it to PASSIVE and re-executes the program (argv unchanged). Call first in main.
void ensurePassiveOpenMp(char** argv);

/// Keeps freed large blocks in the process's heap instead of returning them to the kernel
/// (mallopt), so that per-step activations do not page-fault afresh every step. Called by
/// ensurePassiveOpenMp().
void keepFreedMemory();

}  // namespace retort::util
