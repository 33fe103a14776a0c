#include "app/cli/args.h"

#include "core/util/error.h"

namespace retort::cli {

Args::Args(const std::vector<std::string>& argv, std::set<std::string> valued, std::set<std::string> flags) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      m_positionals.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool inlineValue = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inlineValue = true;
    }
    if (flags.count(name)) {
      if (inlineValue) throw Error(ErrorKind::InvalidArgument, "--" + name + " takes no value");
      m_flags.insert(name);
    } else if (valued.count(name)) {
      if (!inlineValue) {
        if (i + 1 >= argv.size()) throw Error(ErrorKind::InvalidArgument, "--" + name + " needs a value");
        value = argv[++i];
      }
      m_values[name].push_back(value);
    } else {
      throw Error(ErrorKind::InvalidArgument, "unknown option --" + name);
    }
  }
}

bool Args::has(const std::string& name) const { return m_flags.count(name) || m_values.count(name); }

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = m_values.find(name);
  if (it == m_values.end()) return std::nullopt;
  return it->second.back();
}

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw Error(ErrorKind::InvalidArgument, "--" + name + " is required");
  return *v;
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = m_values.find(name);
  return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

int64_t Args::getInt(const std::string& name, int64_t fallback, int64_t min) const {
  auto v = get(name);
  if (!v) return fallback;
  size_t used = 0;
  int64_t n = 0;
  try {
    n = std::stoll(*v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != v->size() || v->empty())
    throw Error(ErrorKind::InvalidArgument, "--" + name + " must be an integer, got \"" + *v + "\"");
  if (n < min)
    throw Error(ErrorKind::InvalidArgument, "--" + name + " must be at least " + std::to_string(min));
  return n;
}

}  // namespace retort::cli
