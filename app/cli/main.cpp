// retort-cli: Retort without a desktop. Links retort_core only (no Qt), so its messages
// are English.

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "app/cli/commands.h"
#include "core/util/error.h"
#include "core/util/runtime.h"

namespace {

const char* kUsage =
    "Usage: retort-cli COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  --version, version     Retort, LibTorch and Qt versions, the BLAS in use, threads\n"
    "  create                 write a freshly initialised BERT checkpoint\n"
    "                           --config FILE --out DIR [--vocab FILE] [--seed N] [--mlm]\n"
    "  inspect                run a checkpoint on one input, print tokens and logits\n"
    "                           --model DIR (--text T [--text-pair T] | --ids 101,2023,102)\n"
    "                           [--max-length N] [--out FILE.safetensors]\n"
    "  convert                rewrite a checkpoint, e.g. as float16\n"
    "                           --model DIR --out DIR [--dtype f32|f16|bf16]\n"
    "  run EXPERIMENT|PRESET  a distillation run; writes a run directory. PRESET: a name\n"
    "                           of resources/presets (demo, quickstart, kd-logits,\n"
    "                           distilbert, tinybert, bilstm, demo-year, demo-topics,\n"
    "                           demo-tags)\n"
    "                           [--out DIR] [--train FILE] [--dev FILE] [--teacher DIR]\n"
    "                           [--set key.path=value ...] [--resume] [--threads N]\n"
    "                           [--nproc N] [--dist-timeout SECONDS]\n"
    "                           [--glue TASK --data DIR]: a GLUE task (cola, sst2, mrpc,\n"
    "                           qqp, stsb, mnli, mnli-mm, qnli, rte, wnli) from its\n"
    "                           unzipped folder, with the task's official metric\n"
    "                           Refuses a directory that holds a run, unless --resume\n"
    "                           (then it continues that run). Ctrl-C or SIGTERM stops\n"
    "                           it with a checkpoint. --nproc N: data parallel over N\n"
    "                           local processes; under torchrun or srun it joins their\n"
    "                           ranks (README, Scaling out).\n"
    "  resume RUN_DIR         continue a killed, stopped or cancelled run from its newest\n"
    "                           checkpoint, exactly as if it had not stopped\n"
    "                           [--nproc N] [--dist-timeout SECONDS]\n"
    "  report RUN_DIR...      the runs' teacher/student table (accuracy, retention, size,\n"
    "                           latency at batch 1 and 32, speedup, compression)\n"
    "                           [--markdown]\n"
    "  bench forward          median latency of a forward pass\n"
    "                           (--model DIR | --config FILE) [--batch B] [--seq S]\n"
    "                           [--threads N] [--runs N]\n"
    "  bench train            median time of a TinyBERT distillation step\n"
    "                           --teacher-config F --student-config F [--batch B]\n"
    "                           [--seq S] [--steps N] [--threads N] [--nproc N]\n"
    "                           (--nproc: the global batch split over N ranks, and the\n"
    "                           gradient all-reduce's wait after backward)\n"
    "  bench quantize         dynamic int8 Linear products (each quantized engine) against\n"
    "                           float32: time and error (--model DIR | --config FILE)\n"
    "                           [--batch B] [--seq S] [--runs N] [--threads N]\n"
    "  bench allreduce        median time to sum one step's gradients over the ranks\n"
    "                           (--student-config F | --params N) --nproc N\n"
    "                           [--iterations N] [--bucket-mb MB]\n"
    "\n"
    "Run 'retort-cli COMMAND --help' for a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  retort::util::ensurePassiveOpenMp(argv);
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  retort::cli::ArgList rest(argv + 2, argv + argc);
  for (const auto& a : rest)
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  try {
    if (command == "--version" || command == "version") return retort::cli::runVersion(rest);
    if (command == "create") return retort::cli::runCreate(rest);
    if (command == "inspect") return retort::cli::runInspect(rest);
    if (command == "bench") return retort::cli::runBench(rest);
    if (command == "run") return retort::cli::runRun(rest);
    if (command == "resume") return retort::cli::runResume(rest);
    if (command == "report") return retort::cli::runReport(rest);
    if (command == "convert") return retort::cli::runConvert(rest);
    std::fprintf(stderr, "retort-cli: unknown command \"%s\"\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const retort::Error& e) {
    std::fprintf(stderr, "retort-cli %s: %s\n", command.c_str(), e.what());
    return e.kind() == retort::ErrorKind::InvalidArgument ? 2 : 1;
  } catch (const std::exception& e) {
    // LibTorch errors carry a C++ backtrace after the first line: keep the first line.
    std::string what = e.what();
    if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
    std::fprintf(stderr, "retort-cli %s: %s\n", command.c_str(), what.c_str());
    return 1;
  }
}
