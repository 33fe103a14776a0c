#include "core/io/state_dict.h"

#include <torch/torch.h>

#include <set>

#include "core/util/error.h"
#include "core/util/text_format.h"

namespace retort::io {

StateDictReport loadStateDict(torch::nn::Module& module, const std::map<std::string, torch::Tensor>& tensors,
                              const std::string& source, const StateDictOptions& options) {
  StateDictReport report;
  std::vector<std::string> missing, mismatched;
  std::vector<std::pair<torch::Tensor, const torch::Tensor*>> copies;
  std::set<std::string> used;
  for (auto& item : module.named_parameters()) {
    const std::string& name = item.key();
    auto it = tensors.find(name);
    if (it == tensors.end()) {
      (options.optional && options.optional(name) ? report.initialized : missing).push_back(name);
      continue;
    }
    used.insert(name);
    if (it->second.sizes() != item.value().sizes()) {
      mismatched.push_back(name + " is " + util::shapeText(it->second.sizes().vec()) + ", " + options.shapesFrom +
                           " implies " + util::shapeText(item.value().sizes().vec()));
      continue;
    }
    copies.emplace_back(item.value(), &it->second);
    report.loaded.push_back(name);
  }
  for (const auto& [name, tensor] : tensors)
    if (!used.count(name)) report.unexpected.push_back(name);
  if (!mismatched.empty())
    throw Error(ErrorKind::Shape, source + ": tensors of the wrong shape: " + util::listNames(mismatched, 4));
  if (!missing.empty()) throw Error(ErrorKind::Format, source + ": missing tensors: " + util::listNames(missing));
  if (options.refuseUnexpected && !report.unexpected.empty())
    throw Error(ErrorKind::Format, source + ": unexpected tensors (not part of this " + options.modelName +
                                       "): " + util::listNames(report.unexpected));
  torch::NoGradGuard noGrad;
  for (auto& [parameter, value] : copies) parameter.copy_(*value);
  return report;
}

}  // namespace retort::io
