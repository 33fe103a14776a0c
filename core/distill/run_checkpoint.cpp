#include "core/distill/run_checkpoint.h"

#include <torch/torch.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

#include "core/distill/resume_info.h"
#include "core/io/safetensors_torch.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "core/util/json_fields.h"

namespace fs = std::filesystem;

namespace retort::distill {
namespace {

using nlohmann::json;

constexpr int kFormat = 1;

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void fsyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string optimizerKey(size_t group, size_t index, const char* what) {
  return "optimizer/" + std::to_string(group) + "/" + std::to_string(index) + "/" + what;
}

std::string paramKey(const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

void addModel(std::map<std::string, torch::Tensor>& out, const std::string& prefix, StudentModel* m) {
  if (!m) return;
  for (auto& [name, p] : m->namedParameters()) out[prefix + name] = p.detach();
}

/// Copies saved tensors "<prefix><name>" into the parameters; every parameter must be there.
void restoreInto(const std::map<std::string, torch::Tensor>& saved, const std::string& prefix,
                 const std::vector<std::pair<std::string, torch::Tensor>>& params, const std::string& file) {
  torch::NoGradGuard noGrad;
  for (const auto& [name, p] : params) {
    const auto it = saved.find(prefix + name);
    if (it == saved.end()) throw Error(ErrorKind::Format, file + ": tensor " + prefix + name + " is missing");
    if (it->second.sizes() != p.sizes() || it->second.scalar_type() != p.scalar_type())
      throw Error(ErrorKind::Shape, file + ": tensor " + prefix + name + " has shape " +
                                        c10::str(it->second.sizes()) + ", the model's is " + c10::str(p.sizes()));
    p.copy_(it->second);
  }
}

std::vector<std::pair<std::string, torch::Tensor>> projectionParams(HiddenProjections* p) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  if (p)
    for (auto& item : p->named_parameters()) out.emplace_back(item.key(), item.value());
  return out;
}

const json& field(const json& j, const std::string& source, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) util::badField(source, key, "is missing");
  return *it;
}

struct Labels {
  const std::string& here;
  const std::string& there;
};

std::string differenceAt(const json& a, const json& b, const std::string& at, const Labels& l) {
  const std::string where = at.empty() ? std::string("the document") : at;
  if (a.type() != b.type() && !(a.is_number() && b.is_number()))
    return where + ": " + a.dump() + " " + l.here + ", " + b.dump() + " " + l.there;
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      const std::string key = at.empty() ? it.key() : at + "." + it.key();
      const auto other = b.find(it.key());
      if (other == b.end()) return key + ": " + it.value().dump() + " " + l.here + ", absent " + l.there;
      auto d = differenceAt(it.value(), *other, key, l);
      if (!d.empty()) return d;
    }
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key()))
        return (at.empty() ? it.key() : at + "." + it.key()) + ": absent " + l.here + ", " + it.value().dump() + " " +
               l.there;
    return {};
  }
  if (a.is_array()) {
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      auto d = differenceAt(a[i], b[i], at + "[" + std::to_string(i) + "]", l);
      if (!d.empty()) return d;
    }
    if (a.size() != b.size())
      return where + ": " + std::to_string(a.size()) + " entries " + l.here + ", " + std::to_string(b.size()) + " " + l.there;
    return {};
  }
  if (a != b) return where + ": " + a.dump() + " " + l.here + ", " + b.dump() + " " + l.there;
  return {};
}

}  // namespace

std::string firstDifference(const json& current, const json& saved, const std::string& currentName,
                            const std::string& savedName) {
  return differenceAt(current, saved, "", Labels{currentName, savedName});
}

TrainingCheckpoint readCheckpoint(const std::string& path) {
  TrainingCheckpoint ck;
  ck.path = path;
  const std::string statePath = (fs::path(path) / "state.json").string();
  json doc;
  try {
    doc = json::parse(util::readFile(statePath));
  } catch (const json::exception& e) {
    throw Error(ErrorKind::Format, statePath + ": not valid JSON (" + e.what() + ")");
  }
  if (!doc.is_object()) throw Error(ErrorKind::Format, statePath + ": must be a JSON object");
  const json& format = field(doc, statePath, "format");
  if (format != kFormat)
    util::badField(statePath, "format", "is " + format.dump() + "; this Retort reads checkpoint format 1");
  ck.state = RunState::fromJson(field(doc, statePath, "run_state"), statePath + ": run_state");
  const json& name = field(doc, statePath, "phase_name");
  if (!name.is_string()) util::badField(statePath, "phase_name", "must be a string, found " + name.dump());
  ck.phaseName = name.get<std::string>();
  const json& steps = field(doc, statePath, "optimizer_steps");
  if (!steps.is_array()) util::badField(statePath, "optimizer_steps", "must be an array, found " + steps.dump());
  for (const auto& group : steps) {
    if (!group.is_array()) util::badField(statePath, "optimizer_steps", "must hold arrays, found " + group.dump());
    std::vector<int64_t> g;
    for (const auto& s : group) {
      if (!s.is_number_integer() || s.get<int64_t>() < -1)
        util::badField(statePath, "optimizer_steps", "must hold integers >= -1, found " + s.dump());
      g.push_back(s.get<int64_t>());
    }
    ck.optimizerSteps.push_back(std::move(g));
  }
  const json& metricsBytes = field(doc, statePath, "metrics_bytes");
  if (!metricsBytes.is_number_unsigned())
    util::badField(statePath, "metrics_bytes", "must be a non-negative integer, found " + metricsBytes.dump());
  const json& hasBest = field(doc, statePath, "best");
  if (!hasBest.is_boolean()) util::badField(statePath, "best", "must be true or false, found " + hasBest.dump());

  const std::string experimentPath = (fs::path(path) / "experiment.json").string();
  try {
    ck.experiment = json::parse(util::readFile(experimentPath));
  } catch (const json::exception& e) {
    throw Error(ErrorKind::Format, experimentPath + ": not valid JSON (" + e.what() + ")");
  }
  const std::string metricsPath = (fs::path(path) / "metrics.jsonl").string();
  ck.metrics = util::readFile(metricsPath);
  if (ck.metrics.size() != metricsBytes.get<uint64_t>())
    throw Error(ErrorKind::Format, metricsPath + ": " + std::to_string(ck.metrics.size()) + " bytes, state.json says " +
                                       metricsBytes.dump());
  const auto weights = io::SafetensorsFile::open((fs::path(path) / "weights.safetensors").string());
  ck.weights = io::loadTensors(weights, false);
  for (size_t g = 0; g < ck.optimizerSteps.size(); ++g)
    for (size_t i = 0; i < ck.optimizerSteps[g].size(); ++i)
      if (ck.optimizerSteps[g][i] >= 0)
        for (const char* what : {"exp_avg", "exp_avg_sq"})
          if (!ck.weights.count(optimizerKey(g, i, what)))
            throw Error(ErrorKind::Format, weights.path() + ": tensor " + optimizerKey(g, i, what) + " is missing");
  if (hasBest.get<bool>()) {
    const auto best = io::SafetensorsFile::open((fs::path(path) / "best.safetensors").string());
    auto tensors = io::loadTensors(best, false);
    for (size_t i = 0; i < tensors.size(); ++i) {
      const auto it = tensors.find("best/" + std::to_string(i));
      if (it == tensors.end()) throw Error(ErrorKind::Format, best.path() + ": tensor best/" + std::to_string(i) + " is missing");
      ck.best.push_back(it->second);
    }
  }
  if (ck.state.bestWeights == BestWeights::Memory && ck.best.empty())
    util::badField(statePath, "best", "is false but run_state keeps a best student");
  return ck;
}

TrainingCheckpoint readLatestCheckpoint(const std::string& runDir, Observer* note) {
  const fs::path dir = fs::path(runDir) / "checkpoints";
  const auto steps = checkpointDirectories(dir);
  if (steps.empty())
    throw Error(ErrorKind::Format, dir.string() + ": no checkpoint to resume from (the run stopped before its first one)");
  std::string firstError;
  for (const auto& [step, path] : steps) {
    try {
      return readCheckpoint(path.string());
    } catch (const Error& e) {
      if (firstError.empty()) firstError = e.what();
      if (note) note->onMessage(std::string("skipping an unreadable checkpoint: ") + e.what());
    }
  }
  throw Error(ErrorKind::Format, firstError);
}

RunCheckpoints::RunCheckpoints(std::string runDir, const ObserverSpec& policy, json experiment,
                               CheckpointModels models, std::string metricsPath)
    : m_runDir(std::move(runDir)),
      m_dir((fs::path(m_runDir) / "checkpoints").string()),
      m_policy(policy),
      m_experiment(std::move(experiment)),
      m_models(models),
      m_metricsPath(std::move(metricsPath)),
      m_lastTime(nowSeconds()) {}

void RunCheckpoints::afterStep(const StepContext* step, RunState& state, bool stopping) {
  if (!m_writing) return;
  if (m_policy.checkpointEvery == 0 && m_policy.checkpointMinutes == 0) return;
  if (state.globalStep == m_lastStep) return;
  bool due = stopping;
  if (!due && m_policy.checkpointEvery > 0) due = state.globalStep - std::max<int64_t>(0, m_lastStep) >= m_policy.checkpointEvery;
  if (!due && m_policy.checkpointMinutes > 0) due = nowSeconds() - m_lastTime >= 60.0 * m_policy.checkpointMinutes;
  if (due) write(step, state, step ? step->spec.name : std::string());
}

void RunCheckpoints::write(const StepContext* step, RunState& state, const std::string& phaseName) {
  if (!m_writing) return;
  std::error_code ec;
  fs::create_directories(m_dir, ec);
  if (ec) throw Error(ErrorKind::Io, m_dir + ": cannot create the directory: " + ec.message());
  const std::string name = "step-" + std::to_string(state.globalStep);
  const fs::path tmp = fs::path(m_dir) / (".tmp-" + name);
  const fs::path final = fs::path(m_dir) / name;
  const double started = nowSeconds();
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) throw Error(ErrorKind::Io, tmp.string() + ": cannot create the directory: " + ec.message());
  try {
    captureGenerators(state);
    std::map<std::string, torch::Tensor> tensors;
    addModel(tensors, "student/", m_models.student);
    addModel(tensors, "teacher/", m_models.teacher);
    for (auto& [n, p] : projectionParams(m_models.projections)) tensors["projections/" + n] = p.detach();
    json steps = json::array();
    if (step) {
      auto& opt = *step->optimizer;
      for (size_t g = 0; g < opt.param_groups().size(); ++g) {
        json groupSteps = json::array();
        const auto& params = opt.param_groups()[g].params();
        for (size_t i = 0; i < params.size(); ++i) {
          const auto it = opt.state().find(paramKey(params[i]));
          if (it == opt.state().end()) {
            groupSteps.push_back(-1);
            continue;
          }
          const auto& s = static_cast<const torch::optim::AdamWParamState&>(*it->second);
          groupSteps.push_back(s.step());
          tensors[optimizerKey(g, i, "exp_avg")] = s.exp_avg();
          tensors[optimizerKey(g, i, "exp_avg_sq")] = s.exp_avg_sq();
        }
        steps.push_back(std::move(groupSteps));
      }
    }
    io::saveTensors((tmp / "weights.safetensors").string(), tensors, {{"format", "retort-checkpoint-1"}});

    const bool hasBest = state.bestWeights == BestWeights::Memory && m_models.bestWeights &&
                         !m_models.bestWeights->empty();
    if (hasBest) {
      const fs::path previous = fs::path(m_lastPath) / "best.safetensors";
      bool linked = false;
      if (!m_lastPath.empty() && m_lastBestStep == state.bestGlobalStep) {
        fs::create_hard_link(previous, tmp / "best.safetensors", ec);
        linked = !ec;
      }
      if (!linked) {
        std::map<std::string, torch::Tensor> best;
        for (size_t i = 0; i < m_models.bestWeights->size(); ++i) best["best/" + std::to_string(i)] = (*m_models.bestWeights)[i];
        io::saveTensors((tmp / "best.safetensors").string(), best, {{"format", "retort-checkpoint-1"}});
      }
    }
    const std::string metrics = util::exists(m_metricsPath) ? util::readFile(m_metricsPath) : std::string();
    util::writeFileAtomic((tmp / "metrics.jsonl").string(), metrics);
    util::writeFileAtomic((tmp / "experiment.json").string(), m_experiment.dump(2) + "\n");
    const json doc = {{"format", kFormat},
                      {"global_step", state.globalStep},
                      {"phase_name", phaseName},
                      {"run_state", state.toJson()},
                      {"optimizer_steps", steps},
                      {"metrics_bytes", metrics.size()},
                      {"best", hasBest}};
    util::writeFileAtomic((tmp / "state.json").string(), doc.dump(1) + "\n");
    fs::remove_all(final, ec);
    fs::rename(tmp, final, ec);
    if (ec) throw Error(ErrorKind::Io, final.string() + ": cannot rename the checkpoint into place: " + ec.message());
    fsyncDirectory(m_dir);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    throw;
  }
  m_lastStep = state.globalStep;
  m_lastTime = nowSeconds();
  m_lastPath = final.string();
  m_lastBestStep = hasBestStep(state);
  prune();
  if (m_observer) {
    uint64_t bytes = 0;
    for (fs::directory_iterator it(final, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file(ec)) bytes += it->file_size(ec);
    char line[96];
    std::snprintf(line, sizeof line, ": %.1f MB in %.2f s", static_cast<double>(bytes) / 1e6, m_lastTime - started);
    m_observer->onMessage("checkpoint " + m_lastPath + line);
  }
}

int64_t RunCheckpoints::hasBestStep(const RunState& state) {
  return state.bestWeights == BestWeights::Memory ? state.bestGlobalStep : -2;
}

void RunCheckpoints::prune() {
  const auto steps = checkpointDirectories(m_dir);
  std::error_code ec;
  for (size_t i = static_cast<size_t>(std::max<int64_t>(1, m_policy.checkpointKeep)); i < steps.size(); ++i)
    fs::remove_all(steps[i].second, ec);
  for (fs::directory_iterator it(m_dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(".tmp-", 0) == 0 && it->path() != fs::path(m_lastPath)) {
      std::error_code ignored;
      fs::remove_all(it->path(), ignored);
    }
}

void RunCheckpoints::restore(TrainingCheckpoint ck) {
  const std::string file = (fs::path(ck.path) / "weights.safetensors").string();
  if (m_models.student) restoreInto(ck.weights, "student/", m_models.student->namedParameters(), file);
  if (m_models.teacher) restoreInto(ck.weights, "teacher/", m_models.teacher->namedParameters(), file);
  restoreInto(ck.weights, "projections/", projectionParams(m_models.projections), file);
  if (m_models.bestWeights) {
    *m_models.bestWeights = std::move(ck.best);
    if (m_models.student && !m_models.bestWeights->empty()) {
      auto params = m_models.student->module().parameters();
      const std::string bestFile = (fs::path(ck.path) / "best.safetensors").string();
      if (params.size() != m_models.bestWeights->size())
        throw Error(ErrorKind::Shape, bestFile + ": " + std::to_string(m_models.bestWeights->size()) +
                                          " tensors, the student has " + std::to_string(params.size()));
      for (size_t i = 0; i < params.size(); ++i)
        if ((*m_models.bestWeights)[i].sizes() != params[i].sizes())
          throw Error(ErrorKind::Shape, bestFile + ": tensor best/" + std::to_string(i) + " has shape " +
                                            c10::str((*m_models.bestWeights)[i].sizes()) + ", the student's is " +
                                            c10::str(params[i].sizes()));
    }
  }
  m_pendingPhase = ck.optimizerSteps.empty() ? -1 : ck.state.phase;
  m_pendingSteps = std::move(ck.optimizerSteps);
  m_pendingMoments.clear();
  for (auto& [name, t] : ck.weights)
    if (name.rfind("optimizer/", 0) == 0) m_pendingMoments[name] = t;
  m_lastStep = ck.state.globalStep;
  m_lastTime = nowSeconds();
  m_lastPath = ck.path;
  m_lastBestStep = hasBestStep(ck.state);
}

void RunCheckpoints::restoreOptimizer(StepContext& step, const RunState& state) {
  if (m_pendingPhase < 0 || m_pendingPhase != state.phase) return;
  auto& opt = *step.optimizer;
  const std::string file = (fs::path(m_lastPath) / "weights.safetensors").string();
  if (opt.param_groups().size() != m_pendingSteps.size())
    throw Error(ErrorKind::Format, file + ": optimizer state for " + std::to_string(m_pendingSteps.size()) +
                                       " parameter groups, the phase has " + std::to_string(opt.param_groups().size()));
  for (size_t g = 0; g < m_pendingSteps.size(); ++g) {
    const auto& params = opt.param_groups()[g].params();
    if (params.size() != m_pendingSteps[g].size())
      throw Error(ErrorKind::Format, file + ": optimizer group " + std::to_string(g) + " has " +
                                         std::to_string(m_pendingSteps[g].size()) + " parameters, the phase has " +
                                         std::to_string(params.size()));
    for (size_t i = 0; i < params.size(); ++i) {
      if (m_pendingSteps[g][i] < 0) continue;
      auto s = std::make_unique<torch::optim::AdamWParamState>();
      s->step(m_pendingSteps[g][i]);
      for (const char* what : {"exp_avg", "exp_avg_sq"}) {
        const auto& t = m_pendingMoments.at(optimizerKey(g, i, what));
        if (t.sizes() != params[i].sizes())
          throw Error(ErrorKind::Shape, file + ": tensor " + optimizerKey(g, i, what) + " has shape " +
                                            c10::str(t.sizes()) + ", its parameter's is " + c10::str(params[i].sizes()));
        auto copy = t.to(params[i].device()).clone();
        if (std::strcmp(what, "exp_avg") == 0) s->exp_avg(copy);
        else s->exp_avg_sq(copy);
      }
      opt.state()[paramKey(params[i])] = std::move(s);
    }
  }
  m_pendingPhase = -1;
  m_pendingSteps.clear();
  m_pendingMoments.clear();
}

void RunCheckpoints::removeAll() {
  std::error_code ec;
  fs::remove_all(m_dir, ec);
}

}  // namespace retort::distill
