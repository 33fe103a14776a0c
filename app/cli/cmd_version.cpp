#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/util/runtime.h"

namespace retort::cli {

int runVersion(const ArgList& argList) {
  Args args(argList, {"threads"}, {});
  util::setThreads(static_cast<int>(args.getInt("threads", 0, 0)));
  const auto info = util::runtimeInfo();
  std::printf("Retort %s\n", RETORT_VERSION);
  std::printf("LibTorch %s%s\n", info.torchVersion.c_str(),
              info.cudaAvailable ? (" (CUDA, " + std::to_string(info.cudaDevices) + " devices)").c_str()
                                 : " (CPU)");
  if (*RETORT_QT_VERSION)
    std::printf("Qt %s (the GUI's; retort-cli does not link Qt)\n", RETORT_QT_VERSION);
  else
    std::printf("Qt none (built with RETORT_GUI=OFF)\n");
  std::printf("BLAS: %s\n", info.blasName.c_str());
  std::printf("BLAS library: %s\n", info.blasLibrary.empty() ? "-" : info.blasLibrary.c_str());
  std::printf("threads: %d (LibTorch intra-op), %d (inter-op), %d (BLAS); OMP_WAIT_POLICY=%s\n",
              info.torchThreads, info.torchInteropThreads, info.blasThreads, info.ompWaitPolicy.c_str());
  return 0;
}

}  // namespace retort::cli
