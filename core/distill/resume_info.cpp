#include "core/distill/resume_info.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace retort::distill {
namespace {

nlohmann::json readJson(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

}  // namespace

std::vector<std::pair<int64_t, fs::path>> checkpointDirectories(const fs::path& dir) {
  std::vector<std::pair<int64_t, fs::path>> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("step-", 0) != 0 || name.size() == 5 || name.size() > 23) continue;
    if (!std::all_of(name.begin() + 5, name.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    out.emplace_back(std::stoll(name.substr(5)), it->path());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return out;
}

bool holdsRun(const std::string& runDir) {
  std::error_code ec;
  return fs::exists(fs::path(runDir) / "experiment.json", ec);
}

ResumeInfo resumeInfo(const std::string& runDir) {
  ResumeInfo info;
  const auto summary = readJson(fs::path(runDir) / "summary.json");
  if (summary.is_object()) {
    const auto cancelled = summary.find("cancelled");
    if (cancelled == summary.end() || !cancelled->is_boolean() || !cancelled->get<bool>()) return info;
  }
  for (const auto& [step, path] : checkpointDirectories(fs::path(runDir) / "checkpoints")) {
    const auto state = readJson(path / "state.json");
    if (!state.is_object() || !state.contains("global_step") || !state["global_step"].is_number_integer()) continue;
    info.resumable = true;
    info.globalStep = state["global_step"].get<int64_t>();
    if (state.contains("phase_name") && state["phase_name"].is_string()) info.phaseName = state["phase_name"];
    info.checkpoint = path.string();
    break;
  }
  if (!info.resumable) return info;
  // The planned total, from the last step line of the checkpoint's log.
  std::ifstream log(fs::path(info.checkpoint) / "metrics.jsonl");
  std::string line, lastStep;
  while (std::getline(log, line))
    if (line.find("\"type\":\"step\"") != std::string::npos) lastStep = line;
  const auto j = nlohmann::json::parse(lastStep, nullptr, false);
  if (j.is_object() && j.contains("total_steps") && j["total_steps"].is_number_integer())
    info.totalSteps = j["total_steps"].get<int64_t>();
  return info;
}

}  // namespace retort::distill
