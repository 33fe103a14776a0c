#pragma once
// Where Retort's read-only resources live (presets, the bundled demo, models).
//
// Order: $RETORT_RESOURCE_DIR when set; else <executable>/../share/retort when it exists (an
// installed Retort, e.g. /usr/bin/retort -> /usr/share/retort); else the source tree's
// resources/ (a build tree). An installed binary therefore never reads the build tree.

#include <string>
#include <vector>

namespace retort::util {

/// The resource directory (see above); throws Error(Io) when none exists.
std::string resourceDir();

/// A file or directory under resourceDir(), e.g. resourcePath("presets/demo.json").
std::string resourcePath(const std::string& relative);

/// An experiment file given by path or by preset name: an existing path is returned as is;
/// a bare name ("demo", "tinybert") becomes resourcePath("presets/<name>.json"). Throws
/// Error(Io) "no such file or preset: X (presets: a, b, ...)" otherwise.
std::string experimentPath(const std::string& pathOrPreset);

/// The preset names under resourceDir()/presets, sorted; empty when there are none.
std::vector<std::string> presetNames();

}  // namespace retort::util
