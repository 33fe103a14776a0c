#include "core/distill/run_directory.h"

#include <cerrno>
#include <cstring>

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
                      {"accuracy", m.accuracy}, {"best", m.best}};
  if (m.binary) {
    j["f1"] = m.f1;
    j["mcc"] = m.mcc;
  }
  return j;
}

nlohmann::json toJson(const RunSummary& s) {
  auto figures = [](const ModelFigures& f) {
    nlohmann::json j = {{"parameters", f.parameters}, {"size_mb", f.sizeMb}, {"latency_ms", f.latencyMs}};
    j["accuracy"] = f.accuracy >= 0 ? nlohmann::json(f.accuracy) : nlohmann::json(nullptr);
    return j;
  };
  return {{"teacher", figures(s.teacher)},
          {"student", figures(s.student)},
          {"retention", s.retention > 0 ? nlohmann::json(s.retention) : nlohmann::json(nullptr)},
          {"speedup", s.speedup},
          {"compression", s.compression},
          {"typical_length", s.typicalLength},
          {"cancelled", s.cancelled},
          {"seconds", s.seconds}};
}

MetricsLog::MetricsLog(const std::string& path, Observer& next) : m_path(path), m_out(path, std::ios::app), m_next(next) {
  if (!m_out) throw Error(ErrorKind::Io, path + ": cannot open for writing: " + std::strerror(errno));
}

void MetricsLog::write(const nlohmann::json& line) {
  m_out << line.dump() << '\n';
  m_out.flush();
  if (!m_out) throw Error(ErrorKind::Io, m_path + ": write failed (disk full?)");
}

void MetricsLog::onStageStart(const std::string& name, int index, int count, int64_t steps) {
  write({{"type", "stage"}, {"stage", name}, {"stage_index", index}, {"stages", count}, {"steps", steps}});
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

}  // namespace retort::distill
