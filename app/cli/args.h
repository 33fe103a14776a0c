#pragma once
// A small, strict command-line parser: "--name value", "--flag", "--name=value" and
// positionals. Unknown options and missing values are errors that name the option.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace retort::cli {

class Args {
 public:
  /// valued: options that take a value; flags: options that do not. Repeatable valued
  /// options keep every value (all()).
  Args(const std::vector<std::string>& argv, std::set<std::string> valued, std::set<std::string> flags);

  bool has(const std::string& name) const;
  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  int64_t getInt(const std::string& name, int64_t fallback, int64_t min = 1) const;
  const std::vector<std::string>& positionals() const { return m_positionals; }

 private:
  std::map<std::string, std::vector<std::string>> m_values;
  std::set<std::string> m_flags;
  std::vector<std::string> m_positionals;
};

}  // namespace retort::cli
