#include "core/distill/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <filesystem>

#include "core/distill/phase_loop.h"
#include "core/distill/run_directory.h"
#include "core/distill/run_plan.h"
#include "core/distill/run_summary.h"
#include "core/distill/stage_data.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "core/util/runtime.h"

namespace fs = std::filesystem;

namespace retort::distill {

RunSummary Trainer::run(const Experiment& e, Observer& userObserver, const std::string& runDir) {
  const auto started = std::chrono::steady_clock::now();
  util::setThreads(e.threads);
  torch::manual_seed(e.seed);
  const torch::Device device = torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  std::error_code ec;
  fs::create_directories(runDir, ec);
  if (ec) throw Error(ErrorKind::Io, runDir + ": cannot create the run directory: " + ec.message());
  util::writeFileAtomic((fs::path(runDir) / "experiment.json").string(), e.toJson().dump(2) + "\n");
  MetricsLog observer((fs::path(runDir) / "metrics.jsonl").string(), userObserver);

  auto plan = planRun(e, observer, m_control, runDir, device);
  StageData stageData(e, plan->data, plan->teacher.model, observer, m_control, runDir);
  RunState state;
  state.seed = e.seed;
  const bool cancelled = !runPhases(*plan, e, stageData, state, m_control);

  // The best dev student, the files, the figures.
  if (state.bestWeights == BestWeights::Memory) restoreParameters(*plan->student, plan->bestWeights);
  plan->student->save((fs::path(runDir) / "student").string(), plan->data.tokenizer.get());
  BertStudent teacher(plan->teacher.model);
  if (plan->teacher.trained) teacher.save((fs::path(runDir) / "teacher").string(), plan->data.tokenizer.get());

  RunSummary summary = summarizeModels(teacher, *plan->student, plan->data.trainEncoded, plan->data.devSet(), device);
  summary.runDir = runDir;
  summary.cancelled = cancelled;
  summary.name = e.name;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  writeSummary((fs::path(runDir) / "summary.json").string(), summary);
  return summary;
}

}  // namespace retort::distill
