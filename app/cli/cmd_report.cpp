// retort-cli report RUN_DIR... : the papers' table from the runs' summary.json files.

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/distill/resume_info.h"
#include "core/distill/run_directory.h"
#include "core/util/error.h"

namespace fs = std::filesystem;

namespace retort::cli {
namespace {

std::string percent(double x) {
  if (x < 0) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", 100.0 * x);
  return b;
}

/// A metric's value (MCC may be 0 or negative); "-" without a dev set.
std::string score(double x, bool known) {
  if (!known) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.4f", x);
  return b;
}

std::string fixed(double x, const char* format) {
  if (x <= 0) return "-";
  char b[32];
  std::snprintf(b, sizeof b, format, x);
  return b;
}

std::string millions(int64_t n) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2fM", static_cast<double>(n) / 1e6);
  return b;
}

}  // namespace

int runReport(const ArgList& argList) {
  Args args(argList, {}, {"markdown"});
  const auto& dirs = args.positionals();
  if (dirs.empty()) throw Error(ErrorKind::InvalidArgument, "report needs at least one run directory");
  std::vector<distill::RunSummary> runs;
  for (const auto& d : dirs) {
    const fs::path p = fs::is_directory(d) ? fs::path(d) / "summary.json" : fs::path(d);
    if (!fs::exists(p)) {
      const auto resume = distill::resumeInfo(d);
      if (resume.resumable)
        throw Error(ErrorKind::Io, d + ": the run did not finish (interrupted at step " +
                                       std::to_string(resume.globalStep) + "); continue it with `retort-cli resume " + d + "`");
      throw Error(ErrorKind::Io, p.string() + ": no such file (is " + d + " a finished run?)");
    }
    runs.push_back(distill::readSummary(p.string()));
  }
  const bool md = args.has("markdown");
  // The task's metric (task.metric) and both scores on it; the retention is their ratio.
  const std::vector<std::string> head = {"run",          "metric",        "teacher",       "student",
                                         "teacher acc %", "student acc %", "retention %",
                                         "teacher params", "student params", "teacher MB",  "student MB",
                                         "teacher ms b1", "student ms b1", "teacher ms b32", "student ms b32",
                                         "speedup b1",   "speedup b32",   "compression"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : runs) {
    std::string name = r.name.empty() ? fs::path(r.runDir).filename().string() : r.name;
    if (r.cancelled) name += " (cancelled)";
    rows.push_back({name, r.metric, score(r.teacher.score, r.teacher.evaluated),
                    score(r.student.score, r.student.evaluated), percent(r.teacher.accuracy),
                    percent(r.student.accuracy),
                    r.retention > 0 ? percent(r.retention) : "-", millions(r.teacher.parameters),
                    millions(r.student.parameters), fixed(r.teacher.sizeMb, "%.1f"), fixed(r.student.sizeMb, "%.1f"),
                    fixed(r.teacher.latencyMs, "%.2f"), fixed(r.student.latencyMs, "%.2f"),
                    fixed(r.teacher.latencyBatchMs, "%.1f"), fixed(r.student.latencyBatchMs, "%.1f"),
                    fixed(r.speedup, "%.1fx"), fixed(r.speedupBatch, "%.1fx"), fixed(r.compression, "%.1fx")});
  }
  std::vector<size_t> width(head.size());
  for (size_t c = 0; c < head.size(); ++c) {
    width[c] = head[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  auto print = [&](const std::vector<std::string>& row) {
    std::string line = md ? "|" : "";
    for (size_t c = 0; c < row.size(); ++c) {
      std::string cell = row[c];
      const size_t pad = width[c] - cell.size();
      cell = c == 0 ? cell + std::string(pad, ' ') : std::string(pad, ' ') + cell;  // numbers right-aligned
      line += md ? " " + cell + " |" : (c ? "  " : "") + cell;
    }
    std::printf("%s\n", line.c_str());
  };
  print(head);
  if (md) {
    std::string rule = "|";
    for (size_t c = 0; c < head.size(); ++c)
      rule += (c == 0 ? std::string(width[c] + 2, '-') : std::string(width[c] + 1, '-') + ":") + "|";
    std::printf("%s\n", rule.c_str());
  } else {
    size_t total = 0;
    for (auto w : width) total += w + 2;
    std::printf("%s\n", std::string(total - 2, '-').c_str());
  }
  for (const auto& row : rows) print(row);
  if (!runs.empty() && runs.front().typicalLength > 0)
    std::printf("%slatency: median forward pass at the task's typical length (%lld tokens), batch 1 and 32\n",
                md ? "\n" : "", static_cast<long long>(runs.front().typicalLength));
  return 0;
}

}  // namespace retort::cli
