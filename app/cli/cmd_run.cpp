// retort-cli run EXPERIMENT.json: a headless distillation run with a progress bar.

#include <torch/torch.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <unistd.h>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/ranks.h"
#include "core/data/glue.h"
#include "core/distributed/launch.h"
#include "core/distributed/world.h"
#include "core/distill/resume_info.h"
#include "core/distill/run_checkpoint.h"
#include "core/distill/trainer.h"
#include "core/util/error.h"
#include "core/util/resources.h"
#include "core/util/files.h"

namespace fs = std::filesystem;

namespace retort::cli {
namespace {

distill::RunControl* g_control = nullptr;

extern "C" void onInterrupt(int signal) {
  if (g_control) g_control->requestCancel();
  std::signal(signal, SIG_DFL);  // a second Ctrl-C (or SIGTERM) ends the program at once
}

/// A rank above 0 of a data-parallel run: rank 0 reports; this one stays quiet.
class QuietObserver : public distill::Observer {
 public:
  bool wantsAttention() const override { return false; }
};

/// The ranks' `run` arguments: argList without --nproc, with --out DIR.
std::vector<std::string> childArguments(const ArgList& argList, const std::string& out) {
  auto rest = rankArguments({"run"}, argList, {"out"});
  rest.insert(rest.end(), {"--out", out});
  return rest;
}

std::string clock(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "--:--";
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

/// Progress on stderr: a redrawn bar on a terminal, a line every ~5% otherwise.
class ConsoleObserver : public distill::Observer {
 public:
  explicit ConsoleObserver(bool terminal) : m_terminal(terminal), m_start(std::chrono::steady_clock::now()) {}

  void onStageStart(const std::string& name, int index, int count, int64_t steps) override {
    endBar();
    std::fprintf(stderr, "stage %d/%d: %s (%lld steps)\n", index + 1, count, name.c_str(), static_cast<long long>(steps));
  }
  void onMessage(const std::string& text) override {
    endBar();
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  void onEval(const distill::EvalMetrics& m) override {
    endBar();
    std::fprintf(stderr, "  %s %s", m.model.c_str(), m.split.c_str());
    if (m.figures.empty()) {
      std::fprintf(stderr, " accuracy %.4f", m.accuracy);
      if (m.binary) std::fprintf(stderr, "  f1 %.4f", m.f1);
      std::fprintf(stderr, "  mcc %.4f", m.mcc);
    } else {
      for (const auto& [name, value] : m.figures) std::fprintf(stderr, " %s %.4f", name.c_str(), value);
    }
    if (m.metric != "accuracy") std::fprintf(stderr, "  (task metric %s)", m.metric.c_str());
    std::fprintf(stderr, "%s\n", m.best ? "  (best so far)" : "");
  }
  void onStep(const distill::StepMetrics& m) override {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    const double fraction = m.totalSteps > 0 ? static_cast<double>(m.globalStep) / static_cast<double>(m.totalSteps) : 0.0;
    const double eta = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : -1.0;
    char line[256];
    std::snprintf(line, sizeof line, "%5.1f%%  step %lld/%lld  loss %.4f  lr %.2e  %.0f ex/s  ETA %s", 100.0 * fraction,
                  static_cast<long long>(m.globalStep), static_cast<long long>(m.totalSteps), m.total, m.learningRate,
                  m.examplesPerSecond, clock(eta).c_str());
    if (m_terminal) {
      const int width = 24, filled = static_cast<int>(fraction * width);
      std::string bar(static_cast<size_t>(filled), '#');
      bar.resize(width, '.');
      std::fprintf(stderr, "\r[%s] %s\033[K", bar.c_str(), line);
      m_barOpen = true;
    } else if (fraction >= m_nextPrint || m.globalStep == m.totalSteps) {
      std::fprintf(stderr, "%s\n", line);
      m_nextPrint = fraction + 0.05;
    }
  }
  bool wantsAttention() const override { return false; }
  void endBar() {
    if (m_barOpen) std::fputc('\n', stderr);
    m_barOpen = false;
  }

 private:
  bool m_terminal;
  bool m_barOpen = false;
  double m_nextPrint = 0.0;
  std::chrono::steady_clock::time_point m_start;
};

std::string absolute(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

/// Runs train(trainer, observer) with Ctrl-C and SIGTERM wired to cancel (a cancelled run
/// writes a checkpoint), then prints the run's table. Exit code 130 when cancelled.
int trainAndReport(const std::string& out, std::shared_ptr<distributed::World> world,
                   const std::function<distill::RunSummary(distill::Trainer&, distill::Observer&)>& train) {
  distill::RunControl control;
  g_control = &control;
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  ConsoleObserver console(::isatty(STDERR_FILENO) != 0);
  QuietObserver quiet;
  const bool lead = !world || world->rank() == 0;
  distill::Trainer trainer(&control, world);
  struct Restore {
    ~Restore() {
      g_control = nullptr;
      std::signal(SIGINT, SIG_DFL);
      std::signal(SIGTERM, SIG_DFL);
    }
  } restore;
  const auto s = train(trainer, lead ? static_cast<distill::Observer&>(console) : quiet);
  console.endBar();
  if (!lead) return s.cancelled ? 130 : 0;  // rank 0 prints the table

  if (s.cancelled)
    std::printf("cancelled; kept what was trained and a checkpoint in %s (continue with: retort-cli resume %s)\n",
                out.c_str(), out.c_str());
  else
    std::printf("run directory: %s\n", out.c_str());
  // The task's metric first when it is not accuracy (task.metric); the retention is its ratio.
  const bool other = s.metric != "accuracy";
  if (other) std::printf("%-10s %10s", "", s.metric.c_str());
  else std::printf("%-10s", "");
  std::printf(" %10s %12s %10s %12s\n", "accuracy", "parameters", "size MB", "latency ms");
  auto row = [other](const char* who, const distill::ModelFigures& f) {
    std::printf("%-10s", who);
    if (other) {
      if (f.evaluated) std::printf(" %10.4f", f.score);
      else std::printf(" %10s", "-");
    }
    if (f.evaluated && f.accuracy >= 0) std::printf(" %10.4f", f.accuracy);
    else std::printf(" %10s", "-");
    std::printf(" %12lld %10.2f %12.2f\n", static_cast<long long>(f.parameters), f.sizeMb, f.latencyMs);
  };
  row("teacher", s.teacher);
  row("student", s.student);
  if (s.retention > 0) std::printf("retention %.1f%%  ", 100.0 * s.retention);
  std::printf("speedup %.2fx  compression %.2fx  (latency at batch 1, %lld tokens)\n", s.speedup, s.compression,
              static_cast<long long>(s.typicalLength));
  return s.cancelled ? 130 : 0;
}

}  // namespace

int runRun(const ArgList& argList) {
  Args args(argList, {"out", "train", "dev", "teacher", "set", "threads", "nproc", "dist-timeout", "glue", "data"},
            {"resume"});
  if (args.positionals().size() != 1)
    throw Error(ErrorKind::InvalidArgument,
                "give one experiment file or preset: retort-cli run EXPERIMENT.json | PRESET");
  const std::string path = util::experimentPath(args.positionals().front());
  nlohmann::json doc = distill::Experiment::readDocument(path);  // errors with line and column
  auto setPath = [&](const char* key, const std::string& value) {
    distill::applyOverride(doc, std::string(key) + "=" + nlohmann::json(absolute(value)).dump());
  };
  if (args.get("glue") || args.get("data")) {
    // A GLUE task from its unzipped folder: the files, columns and official metric (data/glue.h).
    if (!args.get("glue") || !args.get("data"))
      throw Error(ErrorKind::InvalidArgument, "--glue TASK and --data DIR go together (DIR: the unzipped GLUE folder)");
    if (args.get("train") || args.get("dev"))
      throw Error(ErrorKind::InvalidArgument, "--glue names the task's files; leave out --train and --dev");
    const auto& task = data::glueTask(*args.get("glue"));
    const auto files = data::glueFiles(task, *args.get("data"));
    auto set = [&](const std::string& key, const nlohmann::json& value) {
      distill::applyOverride(doc, "task." + key + "=" + value.dump());
    };
    set("train", files.train);
    set("dev", files.dev);
    set("test", "");
    set("format", "tsv");
    set("columns", task.columns);
    set("text_column", task.textColumn);
    set("pair_column", task.pairColumn);
    set("label_column", task.labelColumn);
    set("labels", nlohmann::json::array());  // the file's classes, in the teacher's order when it knows them
    set("metric", task.metric);
    set("kind", task.kind);
    if (task.kind == "regression" && doc.contains("stages") && doc["stages"].is_array()) {
      // STS-B as TinyBERT distils it: the preset's soft targets become MSE between the logits.
      for (size_t i = 0; i < doc["stages"].size(); ++i) {
        auto& stage = doc["stages"][i];
        if (!stage.is_object() || !stage.contains("losses") || !stage["losses"].is_object()) continue;
        auto& l = stage["losses"];
        if (!l.contains("soft_targets") || !l["soft_targets"].is_number() || l["soft_targets"].get<double>() <= 0) continue;
        const double w = l["soft_targets"].get<double>() + (l.contains("logit_mse") && l["logit_mse"].is_number()
                                                                ? l["logit_mse"].get<double>() : 0.0);
        l["logit_mse"] = w;
        l["soft_targets"] = 0;
        std::fprintf(stderr, "GLUE %s is a regression: stages[%zu]'s soft targets become logit_mse %g (as TinyBERT does)\n",
                     task.folder.c_str(), i, w);
      }
    }
    distill::applyOverride(doc, "name=" + nlohmann::json(doc.value("name", std::string("run")) + "-" + task.name).dump());
  }
  if (auto v = args.get("train")) setPath("task.train", *v);
  if (auto v = args.get("dev")) {
    setPath("task.dev", *v);
  } else if (args.get("train")) {
    // The file's dev (and test) sets belong to its own task, not to the one given by --train.
    distill::applyOverride(doc, "task.dev=\"\"");
  }
  if (args.get("train")) distill::applyOverride(doc, "task.test=\"\"");
  if (auto v = args.get("teacher")) setPath("teacher.checkpoint", *v);
  for (const auto& s : args.all("set")) distill::applyOverride(doc, s);
  if (args.get("threads")) distill::applyOverride(doc, "threads=" + std::to_string(args.getInt("threads", 0, 1)));
  const std::string baseDir = fs::absolute(path).parent_path().string();
  const auto experiment = distill::Experiment::fromJson(doc, path, baseDir);

  std::string out;
  if (auto o = args.get("out")) out = *o;
  else if (!experiment.outputDir.empty()) out = experiment.outputDir;
  else {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    out = "runs/" + experiment.name + "-" + stamp;
  }

  const int64_t nproc = args.getInt("nproc", 1, 1);
  if (nproc > 1 && !distributed::launchFromEnvironment().distributed())
    return launchLocal(childArguments(argList, absolute(out)), nproc, distTimeout(args));
  auto world = joinWorld(args);

  bool resumeHere = args.has("resume") && distill::holdsRun(out);
  // Rank 0 decides (it may have written the directory by the time another rank looks). The
  // workbench's rank 0 (app/gui/run_controller.cpp) makes the same broadcast: keep them paired.
  if (world)
    resumeHere = world->broadcastValue(resumeHere ? 1 : 0, "run: --resume") != 0;
  if (resumeHere) {
    // --resume on a run directory: the same experiment, continued.
    const std::string saved = (fs::path(out) / "experiment.json").string();
    const std::string diff = distill::firstDifference(experiment.toJson(), distill::Experiment::readDocument(saved),
                                                      "in " + path, "in " + saved);
    if (!diff.empty())
      throw Error(ErrorKind::InvalidArgument,
                  diff + "; --resume continues a run with the experiment it was started with");
    return trainAndReport(out, world, [&](distill::Trainer& t, distill::Observer& o) { return t.resume(out, o); });
  }
  return trainAndReport(out, world,
                        [&](distill::Trainer& t, distill::Observer& o) { return t.run(experiment, o, out); });
}

int runResume(const ArgList& argList) {
  Args args(argList, {"nproc", "dist-timeout"}, {});
  if (args.positionals().size() != 1)
    throw Error(ErrorKind::InvalidArgument, "give one run directory: retort-cli resume RUN_DIR");
  const std::string dir = absolute(args.positionals().front());
  const int64_t nproc = args.getInt("nproc", 1, 1);
  if (nproc > 1 && !distributed::launchFromEnvironment().distributed()) {
    std::vector<std::string> rest{"resume", dir};
    if (auto t = args.get("dist-timeout")) rest.insert(rest.end(), {"--dist-timeout", *t});
    return launchLocal(rest, nproc, distTimeout(args));
  }
  auto world = joinWorld(args);
  return trainAndReport(dir, world, [&](distill::Trainer& t, distill::Observer& o) { return t.resume(dir, o); });
}

}  // namespace retort::cli
