#include "core/distill/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include "core/distill/phase_loop.h"
#include "core/distill/resume_info.h"
#include "core/distill/run_checkpoint.h"
#include "core/distill/run_directory.h"
#include "core/distill/run_plan.h"
#include "core/distill/run_summary.h"
#include "core/distill/stage_data.h"
#include "core/util/dir_lock.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "core/util/runtime.h"

namespace fs = std::filesystem;

namespace retort::distill {
namespace {

void makeDirectory(const std::string& runDir) {
  std::error_code ec;
  fs::create_directories(runDir, ec);
  if (ec) throw Error(ErrorKind::Io, runDir + ": cannot create the run directory: " + ec.message());
}

/// A run, fresh or resumed. document: the experiment as RUN/experiment.json holds it (each
/// checkpoint keeps a copy, to which a resume compares the file).
RunSummary execute(const Experiment& e, const nlohmann::json& document, Observer& userObserver,
                   const std::string& runDir, RunControl* control, std::optional<TrainingCheckpoint> resume) {
  const auto started = std::chrono::steady_clock::now();
  util::setThreads(e.threads);
  torch::manual_seed(e.seed);
  const torch::Device device = torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  const std::string metricsPath = (fs::path(runDir) / "metrics.jsonl").string();
  if (resume) util::writeFileAtomic(metricsPath, resume->metrics);  // the log as it was at the checkpoint
  else util::writeFileAtomic((fs::path(runDir) / "experiment.json").string(), document.dump(2) + "\n");
  MetricsLog observer(metricsPath, userObserver);

  auto plan = planRun(e, observer, control, runDir, device);
  StageData stageData(e, plan->data, plan->teacher.model, observer, control, runDir);
  CheckpointModels models;
  models.student = plan->student.get();
  models.projections = plan->projections.get();
  models.teacher = plan->teacher.trained ? plan->teacher.asStudent.get() : nullptr;
  models.bestWeights = &plan->bestWeights;
  RunCheckpoints checkpoints(runDir, e.observer, document, models, metricsPath);
  checkpoints.setObserver(&observer);
  RunState state;
  state.seed = e.seed;
  if (resume) {
    state = resume->state;
    const std::string from = resume->path;
    checkpoints.restore(std::move(*resume));
    if (state.phase < static_cast<int64_t>(plan->phases.size()) && !state.atPhaseStart())
      observer.skipStageLine(static_cast<int>(state.phase));
    observer.onMessage("resuming from " + from + " (step " + std::to_string(state.globalStep) + ")");
  }
  bool cancelled = false;
  try {
    cancelled = !runPhases(*plan, e, stageData, state, control, &checkpoints, resume.has_value());
  } catch (const Error& err) {
    if (err.kind() != ErrorKind::Runtime || checkpoints.lastPath().empty()) throw;
    throw Error(err.kind(), std::string(err.what()) + "; the last good checkpoint is kept in " + checkpoints.lastPath());
  }

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
  if (!cancelled) checkpoints.removeAll();
  return summary;
}

}  // namespace

RunSummary Trainer::run(const Experiment& e, Observer& observer, const std::string& runDir) {
  makeDirectory(runDir);
  util::DirectoryLock lock(runDir);
  if (holdsRun(runDir))
    throw Error(ErrorKind::InvalidArgument, runDir + ": this directory holds a run already (experiment.json); "
                                                     "continue it with `retort-cli resume " + runDir +
                                                     "` or choose another directory");
  return execute(e, e.toJson(), observer, runDir, m_control, std::nullopt);
}

RunSummary Trainer::resume(const std::string& runDir, Observer& observer) {
  const std::string experimentPath = (fs::path(runDir) / "experiment.json").string();
  if (!util::exists(experimentPath))
    throw Error(ErrorKind::Io, experimentPath + ": not found; " + runDir + " is not a Retort run directory");
  util::DirectoryLock lock(runDir);
  if (!resumeInfo(runDir).resumable && util::exists((fs::path(runDir) / "summary.json").string()))
    throw Error(ErrorKind::InvalidArgument,
                runDir + ": the run is complete (summary.json); there is nothing to resume");
  const nlohmann::json doc = Experiment::readDocument(experimentPath);
  auto checkpoint = readLatestCheckpoint(runDir, &observer);
  const std::string diff = firstDifference(doc, checkpoint.experiment);
  if (!diff.empty())
    throw Error(ErrorKind::Format, experimentPath + ": " + diff + " (" + checkpoint.path +
                                       "); a run resumes with the experiment it was started with");
  const auto e = Experiment::fromJson(doc, experimentPath, runDir);
  return execute(e, doc, observer, runDir, m_control, std::move(checkpoint));
}

}  // namespace retort::distill
