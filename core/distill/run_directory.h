#pragma once
// The run directory: experiment.json (resolved), metrics.jsonl (one JSON object per logged
// step, evaluation and stage start), summary.json, student/ and teacher/.

#include <fstream>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "core/distill/observer.h"

namespace retort::distill {

nlohmann::json toJson(const StepMetrics& m);
nlohmann::json toJson(const EvalMetrics& m);
nlohmann::json toJson(const RunSummary& s);

/// An observer that appends every event to metrics.jsonl (flushed per line, so a cancelled
/// or crashed run keeps what it logged) and forwards it to another observer.
class MetricsLog : public Observer {
 public:
  MetricsLog(const std::string& path, Observer& next);
  void onStageStart(const std::string& name, int index, int count, int64_t steps) override;
  void onStep(const StepMetrics& m) override;
  void onEval(const EvalMetrics& m) override;
  void onAttention(const AttentionSnapshot& s) override { m_next.onAttention(s); }
  void onMessage(const std::string& text) override { m_next.onMessage(text); }
  bool wantsAttention() const override { return m_next.wantsAttention(); }
  /// A resumed run continues inside phase `index`: its stage line is in the log already, so
  /// the next onStageStart of that phase is forwarded but not written again.
  void skipStageLine(int index) { m_skipStage = index; }
  const std::string& path() const { return m_path; }

 private:
  void write(const nlohmann::json& line);
  std::string m_path;
  std::ofstream m_out;
  Observer& m_next;
  int m_skipStage = -1;
};

/// Writes summary.json atomically.
void writeSummary(const std::string& path, const RunSummary& summary);

/// Reads a summary.json back (runDir is set to the file's directory). Throws Error(Io) when
/// it cannot be read and Error(Format) "path: field: reason" for a malformed document.
RunSummary readSummary(const std::string& path);

}  // namespace retort::distill
