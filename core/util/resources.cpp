#include "core/util/resources.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/util/error.h"
#include "core/util/files.h"
#include "retort_build_paths.h"  // RETORT_DATA_INSTALL_SUBDIR, RETORT_SOURCE_RESOURCES (generated)

namespace fs = std::filesystem;

namespace retort::util {

std::string resourceDir() {
  if (const char* env = std::getenv("RETORT_RESOURCE_DIR"); env && *env) {
    if (!fs::is_directory(env)) throw Error(ErrorKind::Io, std::string(env) + ": RETORT_RESOURCE_DIR is not a directory");
    return env;
  }
  const std::string exe = executableDir();
  if (!exe.empty()) {
    const fs::path installed = fs::path(exe).parent_path() / RETORT_DATA_INSTALL_SUBDIR;
    std::error_code ec;
    if (fs::is_directory(installed / "presets", ec)) return installed.lexically_normal().string();
  }
  if (fs::is_directory(RETORT_SOURCE_RESOURCES)) return RETORT_SOURCE_RESOURCES;
  throw Error(ErrorKind::Io, "Retort's resources were not found (set RETORT_RESOURCE_DIR)");
}

std::string resourcePath(const std::string& relative) { return (fs::path(resourceDir()) / relative).string(); }

std::vector<std::string> presetNames() {
  std::vector<std::string> names;
  std::error_code ec;
  const fs::path dir = fs::path(resourceDir()) / "presets";
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string experimentPath(const std::string& pathOrPreset) {
  if (exists(pathOrPreset)) return pathOrPreset;
  const bool bare = pathOrPreset.find('/') == std::string::npos && !pathOrPreset.empty();
  if (bare) {
    std::string name = pathOrPreset;
    if (fs::path(name).extension() == ".json") name = fs::path(name).stem().string();
    const std::string preset = resourcePath("presets/" + name + ".json");
    if (exists(preset)) return preset;
  }
  std::string list;
  for (const auto& n : presetNames()) list += (list.empty() ? "" : ", ") + n;
  throw Error(ErrorKind::Io, pathOrPreset + ": no such file or preset" + (list.empty() ? "" : " (presets: " + list + ")"));
}

}  // namespace retort::util
