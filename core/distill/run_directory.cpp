#include "core/distill/run_directory.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/util/error.h"
#include "core/util/files.h"

namespace retort::distill {

nlohmann::json toJson(const StepMetrics& m) {
  nlohmann::json j = {{"type", "step"},          {"stage", m.stage},        {"stage_index", m.stageIndex},
                      {"epoch", m.epoch},        {"step", m.step},          {"stage_steps", m.stageSteps},
                      {"global_step", m.globalStep}, {"total_steps", m.totalSteps}, {"loss", m.total},
                      {"learning_rate", m.learningRate}, {"examples_per_second", m.examplesPerSecond},
                      {"elapsed_seconds", m.elapsedSeconds}};
  j["losses"] = m.losses;
  return j;
}

nlohmann::json toJson(const EvalMetrics& m) {
  nlohmann::json j = {{"type", "eval"},   {"stage", m.stage},       {"model", m.model},
                      {"split", m.split}, {"global_step", m.globalStep}, {"examples", m.examples},
                      {"accuracy", m.accuracy}, {"best", m.best}, {"metric", m.metric}, {"score", m.score}};
  j["mcc"] = m.mcc;
  if (m.binary) j["f1"] = m.f1;
  for (const auto& [name, value] : m.figures) j[name] = value;
  return j;
}

nlohmann::json toJson(const RunSummary& s) {
  auto figures = [](const ModelFigures& f) {
    nlohmann::json j = {{"parameters", f.parameters}, {"size_mb", f.sizeMb}, {"latency_ms", f.latencyMs},
                        {"latency_b32_ms", f.latencyBatchMs}};
    j["accuracy"] = f.evaluated && f.accuracy >= 0 ? nlohmann::json(f.accuracy) : nlohmann::json(nullptr);
    j["score"] = f.evaluated ? nlohmann::json(f.score) : nlohmann::json(nullptr);
    return j;
  };
  return {{"teacher", figures(s.teacher)},
          {"student", figures(s.student)},
          {"retention", s.retention > 0 ? nlohmann::json(s.retention) : nlohmann::json(nullptr)},
          {"speedup", s.speedup},
          {"speedup_b32", s.speedupBatch},
          {"compression", s.compression},
          {"typical_length", s.typicalLength},
          {"cancelled", s.cancelled},
          {"seconds", s.seconds},
          {"name", s.name},
          {"student_kind", s.studentKind},
          {"metric", s.metric}};
}

MetricsLog::MetricsLog(const std::string& path, Observer& next) : m_path(path), m_out(path, std::ios::app), m_next(next) {
  if (!m_out) throw Error(ErrorKind::Io, path + ": cannot open for writing: " + std::strerror(errno));
}

void MetricsLog::write(const nlohmann::json& line) {
  m_out << line.dump() << '\n';
  m_out.flush();
  if (!m_out) {
    const int err = errno;
    throw Error(ErrorKind::Io, m_path + ": write failed: " + (err ? std::strerror(err) : "disk full?"));
  }
}

void MetricsLog::onStageStart(const std::string& name, int index, int count, int64_t steps) {
  if (index == m_skipStage) m_skipStage = -1;
  else write({{"type", "stage"}, {"stage", name}, {"stage_index", index}, {"stages", count}, {"steps", steps}});
  m_next.onStageStart(name, index, count, steps);
}

void MetricsLog::onStep(const StepMetrics& m) {
  write(toJson(m));
  m_next.onStep(m);
}

void MetricsLog::onEval(const EvalMetrics& m) {
  write(toJson(m));
  m_next.onEval(m);
}

void writeSummary(const std::string& path, const RunSummary& summary) {
  util::writeFileAtomic(path, toJson(summary).dump(2) + "\n");
}

RunSummary readSummary(const std::string& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(util::readFile(path));
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
    throw Error(ErrorKind::Format, path + ": not JSON (" + std::string(e.what()) + ")");
  }
  auto number = [&](const nlohmann::json& o, const std::string& at, const char* key, bool optional) -> double {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (optional) return -1.0;
      throw Error(ErrorKind::Format, path + ": " + at + key + ": missing");
    }
    if (!it->is_number()) throw Error(ErrorKind::Format, path + ": " + at + key + ": must be a number");
    return it->get<double>();
  };
  // A count: a non-negative integer that a double holds exactly (casting 1e300 would be undefined).
  auto count = [&](const nlohmann::json& o, const std::string& at, const char* key, bool optional) -> int64_t {
    const double x = number(o, at, key, optional);
    if (optional && x == -1.0 && (!o.contains(key) || o[key].is_null())) return 0;
    if (!(x >= 0) || x > 9007199254740992.0 || x != std::floor(x))
      throw Error(ErrorKind::Format, path + ": " + at + key + ": must be a non-negative integer");
    return static_cast<int64_t>(x);
  };
  auto figures = [&](const char* who) {
    auto it = j.find(who);
    if (it == j.end() || !it->is_object()) throw Error(ErrorKind::Format, path + ": " + who + ": missing object");
    const std::string at = std::string(who) + ".";
    ModelFigures f;
    f.accuracy = number(*it, at, "accuracy", true);
    f.parameters = count(*it, at, "parameters", false);
    f.sizeMb = number(*it, at, "size_mb", false);
    f.latencyMs = number(*it, at, "latency_ms", false);
    f.latencyBatchMs = std::max(0.0, number(*it, at, "latency_b32_ms", true));
    // Runs from before task.metric: their metric was accuracy.
    const bool hasScore = it->contains("score");
    f.score = hasScore ? number(*it, at, "score", true) : f.accuracy;
    f.evaluated = hasScore ? !(*it)["score"].is_null() : f.accuracy >= 0;
    return f;
  };
  if (!j.is_object()) throw Error(ErrorKind::Format, path + ": must be a JSON object");
  RunSummary s;
  s.runDir = std::filesystem::path(path).parent_path().string();
  s.teacher = figures("teacher");
  s.student = figures("student");
  s.retention = std::max(0.0, number(j, "", "retention", true));
  s.speedup = number(j, "", "speedup", false);
  s.speedupBatch = std::max(0.0, number(j, "", "speedup_b32", true));
  s.compression = number(j, "", "compression", false);
  s.typicalLength = count(j, "", "typical_length", true);
  s.seconds = std::max(0.0, number(j, "", "seconds", true));
  if (auto it = j.find("cancelled"); it != j.end() && it->is_boolean()) s.cancelled = it->get<bool>();
  if (auto it = j.find("name"); it != j.end() && it->is_string()) s.name = it->get<std::string>();
  if (auto it = j.find("student_kind"); it != j.end() && it->is_string()) s.studentKind = it->get<std::string>();
  if (auto it = j.find("metric"); it != j.end() && it->is_string()) s.metric = it->get<std::string>();
  return s;
}

}  // namespace retort::distill
