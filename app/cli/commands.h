#pragma once
// The sub-commands of retort-cli. Each takes the arguments after its name and returns
// the process exit code; errors are thrown as retort::Error and reported by main().

#include <string>
#include <vector>

namespace retort::cli {

using ArgList = std::vector<std::string>;

int runVersion(const ArgList& args);
int runCreate(const ArgList& args);
int runInspect(const ArgList& args);
int runBench(const ArgList& args);
int runRun(const ArgList& args);
int runResume(const ArgList& args);
int runReport(const ArgList& args);
int runConvert(const ArgList& args);

}  // namespace retort::cli
