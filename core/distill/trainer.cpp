#include "core/distill/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <unistd.h>

#include "core/distributed/world.h"
#include "core/distill/phase_loop.h"
#include "core/distill/resume_info.h"
#include "core/distill/run_checkpoint.h"
#include "core/distill/run_directory.h"
#include "core/distill/run_plan.h"
#include "core/distill/run_summary.h"
#include "core/distill/stage_data.h"
#include "core/model/shared_random.h"
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

/// A rank's private directory (ranks above 0 write nothing into the run directory), removed
/// with the object.
struct ScratchDirectory {
  std::string path;
  explicit ScratchDirectory(int64_t rank) {
    std::error_code ec;
    auto base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    const auto p = base / ("retort-rank" + std::to_string(rank) + "-" + std::to_string(::getpid()) + "-" +
                           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(p, ec);
    if (ec) throw Error(ErrorKind::Io, p.string() + ": cannot create rank " + std::to_string(rank) +
                                           "'s scratch directory: " + ec.message());
    path = p.string();
  }
  ~ScratchDirectory() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

bool leads(const distributed::World* world) { return !world || world->rank() == 0; }

/// A run, fresh or resumed. document: the experiment as RUN/experiment.json holds it (each
/// checkpoint keeps a copy, to which a resume compares the file). runDir is rank 0's run
/// directory, or another rank's scratch directory.
RunSummary execute(const Experiment& e, const nlohmann::json& document, Observer& userObserver,
                   const std::string& runDir, RunControl* control, std::optional<TrainingCheckpoint> resume,
                   distributed::World* world) {
  const auto started = std::chrono::steady_clock::now();
  const bool lead = leads(world);
  if (world && world->size() > 1) {
    // The same experiment everywhere (its JSON's hash), before any weight is drawn.
    const auto hash = static_cast<int64_t>(std::hash<std::string>()(document.dump()) & 0x7fffffffffffffffull);
    world->checkSame({hash, resume ? resume->state.globalStep : -1}, "experiment",
                     {"an experiment with hash", "a checkpoint at step"});
  }
  util::setThreads(e.threads);
  // The run's draws from the process's generator are the run's alone (model/shared_random.h).
  model::RunRandom ownsRandom;
  torch::manual_seed(e.seed);
  // With CUDA, local rank k of a data-parallel run takes GPU k (modulo the GPUs there are).
  const int64_t gpu = world && torch::cuda::is_available()
                          ? world->spec().localRank % static_cast<int64_t>(torch::cuda::device_count())
                          : 0;
  const torch::Device device = torch::cuda::is_available()
                                   ? torch::Device(torch::kCUDA, static_cast<torch::DeviceIndex>(gpu))
                                   : torch::Device(torch::kCPU);
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
  plan->world = world;
  RunCheckpoints checkpoints(runDir, e.observer, document, models, metricsPath);
  checkpoints.setObserver(&observer);
  checkpoints.setWriting(lead);
  RunState state;
  state.seed = e.seed;
  if (resume) state = resume->state;
  // Data parallelism splits each global batch, so a run may resume on another number of ranks.
  state.worldSize = world ? world->size() : 1;
  state.rank = world ? world->rank() : 0;
  if (resume) {
    const std::string from = resume->path;
    checkpoints.restore(std::move(*resume));
    if (state.phase < static_cast<int64_t>(plan->phases.size()) && !state.atPhaseStart())
      observer.skipStageLine(static_cast<int>(state.phase));
    observer.onMessage("resuming from " + from + " (step " + std::to_string(state.globalStep) + ")");
  }
  bool cancelled = false;
  try {
    cancelled = !runPhases(*plan, e, stageData, state, control, &checkpoints, resume.has_value());
  } catch (const std::exception& err) {
    if (world && world->size() > 1) world->reportFailure(err.what());
    const auto* retortError = dynamic_cast<const Error*>(&err);
    if (!retortError || retortError->kind() != ErrorKind::Runtime || checkpoints.lastPath().empty()) throw;
    throw Error(ErrorKind::Runtime, std::string(err.what()) + "; the last good checkpoint is kept in " + checkpoints.lastPath());
  }
  if (!lead) {  // rank 0 writes the models and measures them
    RunSummary summary;
    summary.runDir = runDir;
    summary.cancelled = cancelled;
    summary.name = e.name;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
  }

  // The best dev student, the files, the figures.
  if (state.bestWeights == BestWeights::Memory) restoreParameters(*plan->student, plan->bestWeights);
  plan->student->save((fs::path(runDir) / "student").string(), plan->data.tokenizer.get());
  BertStudent teacher(plan->teacher.model);
  if (plan->teacher.trained) teacher.save((fs::path(runDir) / "teacher").string(), plan->data.tokenizer.get());

  RunSummary summary =
      summarizeModels(teacher, *plan->student, plan->data.trainEncoded, plan->data.devSet(), device, e.task.metric,
                      e.task.threshold);
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
  if (!leads(m_world.get())) {
    ScratchDirectory scratch(m_world->rank());
    return execute(e, e.toJson(), observer, scratch.path, m_control, std::nullopt, m_world.get());
  }
  makeDirectory(runDir);
  util::DirectoryLock lock(runDir);
  if (holdsRun(runDir))
    throw Error(ErrorKind::InvalidArgument, runDir + ": this directory holds a run already (experiment.json); "
                                                     "continue it with `retort-cli resume " + runDir +
                                                     "` or choose another directory");
  return execute(e, e.toJson(), observer, runDir, m_control, std::nullopt, m_world.get());
}

RunSummary Trainer::resume(const std::string& runDir, Observer& observer) {
  const std::string experimentPath = (fs::path(runDir) / "experiment.json").string();
  if (!util::exists(experimentPath))
    throw Error(ErrorKind::Io, experimentPath + ": not found; " + runDir + " is not a Retort run directory" +
                                   (leads(m_world.get()) ? "" : " (every rank reads the run directory to resume: "
                                                                "put it on a shared file system)"));
  const bool lead = leads(m_world.get());
  std::optional<util::DirectoryLock> lock;
  if (lead) lock.emplace(runDir);
  if (!resumeInfo(runDir).resumable && util::exists((fs::path(runDir) / "summary.json").string()))
    throw Error(ErrorKind::InvalidArgument,
                runDir + ": the run is complete (summary.json); there is nothing to resume");
  const nlohmann::json doc = Experiment::readDocument(experimentPath);
  auto checkpoint = readLatestCheckpoint(runDir, lead ? &observer : nullptr);
  const std::string diff = firstDifference(doc, checkpoint.experiment);
  if (!diff.empty())
    throw Error(ErrorKind::Format, experimentPath + ": " + diff + " (" + checkpoint.path +
                                       "); a run resumes with the experiment it was started with");
  const auto e = Experiment::fromJson(doc, experimentPath, runDir);
  if (!lead) {
    ScratchDirectory scratch(m_world->rank());
    return execute(e, doc, observer, scratch.path, m_control, std::move(checkpoint), m_world.get());
  }
  return execute(e, doc, observer, runDir, m_control, std::move(checkpoint), m_world.get());
}

}  // namespace retort::distill
