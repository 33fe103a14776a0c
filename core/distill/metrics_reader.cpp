#include "core/distill/metrics_reader.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <string_view>

#include "core/util/error.h"
#include "core/util/files.h"

namespace retort::distill {
namespace {

using json = nlohmann::json;

/// Typed fields of one line, with errors that name the file, the line and the key.
class LineReader {
 public:
  LineReader(const json& j, const std::string& where) : m_j(j), m_where(where) {}

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw Error(ErrorKind::Format, m_where + ": \"" + key + "\" " + why);
  }
  const json* find(const char* key) const {
    auto it = m_j.find(key);
    return it == m_j.end() || it->is_null() ? nullptr : &*it;
  }
  std::string text(const char* key) const {
    const json* v = find(key);
    if (!v) return {};
    if (!v->is_string()) fail(key, "must be a string");
    return v->get<std::string>();
  }
  double number(const char* key, double fallback = 0.0) const {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_number()) fail(key, "must be a number");
    const double x = v->get<double>();
    if (!std::isfinite(x)) fail(key, "must be finite");
    return x;
  }
  /// A non-negative integer below 2^53 (what a double holds exactly).
  int64_t count(const char* key) const {
    const json* v = find(key);
    if (!v) return 0;
    if (!v->is_number()) fail(key, "must be a number");
    if (v->is_number_unsigned() || v->is_number_integer()) {
      if (v->is_number_integer() && v->get<int64_t>() < 0) fail(key, "must not be negative");
      const uint64_t u = v->get<uint64_t>();
      if (u > (uint64_t{1} << 53)) fail(key, "is too large");
      return static_cast<int64_t>(u);
    }
    const double x = v->get<double>();
    if (!(x >= 0) || x > 9007199254740992.0 || x != std::floor(x)) fail(key, "must be a non-negative integer");
    return static_cast<int64_t>(x);
  }
  bool flag(const char* key) const {
    const json* v = find(key);
    if (!v) return false;
    if (!v->is_boolean()) fail(key, "must be true or false");
    return v->get<bool>();
  }

 private:
  const json& m_j;
  std::string m_where;
};

int smallCount(const LineReader& r, const char* key) {
  const int64_t n = r.count(key);
  if (n > std::numeric_limits<int>::max()) r.fail(key, "is too large");
  return static_cast<int>(n);
}

StepMetrics readStep(const LineReader& r) {
  StepMetrics m;
  m.stage = r.text("stage");
  m.stageIndex = smallCount(r, "stage_index");
  m.epoch = r.count("epoch");
  m.step = r.count("step");
  m.stageSteps = r.count("stage_steps");
  m.globalStep = r.count("global_step");
  m.totalSteps = r.count("total_steps");
  m.total = r.number("loss");
  m.learningRate = r.number("learning_rate");
  m.examplesPerSecond = r.number("examples_per_second");
  m.elapsedSeconds = r.number("elapsed_seconds");
  if (const json* losses = r.find("losses")) {
    if (!losses->is_object()) r.fail("losses", "must be an object");
    for (auto it = losses->begin(); it != losses->end(); ++it) {
      if (!it->is_number() || !std::isfinite(it->get<double>())) r.fail("losses." + it.key(), "must be a finite number");
      m.losses[it.key()] = it->get<double>();
    }
  }
  return m;
}

EvalMetrics readEval(const LineReader& r) {
  EvalMetrics e;
  e.stage = r.text("stage");
  e.model = r.text("model");
  e.split = r.text("split");
  e.globalStep = r.count("global_step");
  e.examples = r.count("examples");
  e.accuracy = r.number("accuracy");
  e.best = r.flag("best");
  e.binary = r.find("f1") != nullptr;
  e.f1 = r.number("f1", -1.0);
  e.mcc = r.number("mcc", -1.0);
  // Logs from before task.metric: their metric was accuracy.
  e.metric = r.find("metric") ? r.text("metric") : std::string("accuracy");
  e.score = r.number("score", e.accuracy);
  for (const char* name : {"pearson", "spearman", "micro_f1", "macro_f1", "exact_match", "entity_f1",
                           "entity_precision", "entity_recall"})
    if (r.find(name)) e.figures.emplace_back(name, r.number(name));
  return e;
}

}  // namespace

MetricsLogContents readMetricsLog(const std::string& path) {
  const std::string content = util::readFile(path);
  MetricsLogContents out;
  size_t start = 0;
  int64_t lineNo = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    const bool last = end == std::string::npos;
    if (last) end = content.size();
    ++lineNo;
    std::string_view line(content.data() + start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const std::string where = path + ":" + std::to_string(lineNo);
    json j = json::parse(line.begin(), line.end(), nullptr, false);
    if (j.is_discarded()) {
      if (last) {  // a line cut short by a killed run
        out.truncatedTail = true;
        break;
      }
      throw Error(ErrorKind::Format, where + ": not valid JSON");
    }
    if (!j.is_object()) throw Error(ErrorKind::Format, where + ": must be a JSON object");
    const LineReader r(j, where);
    const std::string type = r.text("type");
    if (type.empty()) r.fail("type", "is missing");
    if (type == "step") {
      out.steps.push_back(readStep(r));
    } else if (type == "eval") {
      out.evals.push_back(readEval(r));
    } else if (type == "stage") {
      StageStartRecord s;
      s.stage = r.text("stage");
      s.index = smallCount(r, "stage_index");
      s.count = smallCount(r, "stages");
      s.steps = r.count("steps");
      out.stages.push_back(s);
    }
  }
  return out;
}

}  // namespace retort::distill
