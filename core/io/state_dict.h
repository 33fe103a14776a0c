#pragma once
// Copying named tensors into a module's parameters, name by name with shape checks: the one
// loader behind BERT checkpoints (checkpoint.cpp) and BiLSTM checkpoints (bilstm.cpp).

#include <torch/nn/module.h>
#include <torch/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace retort::io {

struct StateDictOptions {
  /// Parameters that may be absent from the tensors (e.g. a fresh classifier head): they keep
  /// their initialisation and are listed in StateDictReport::initialized. Unset: every
  /// parameter is required.
  std::function<bool(const std::string& name)> optional;
  /// Whether tensors that the module has no parameter for are an error (else they are only
  /// listed in StateDictReport::unexpected).
  bool refuseUnexpected = false;
  /// How the model is called in the message about unexpected tensors:
  /// "<source>: unexpected tensors (not part of this <modelName>): ...".
  std::string modelName = "model";
  /// What the parameters' shapes come from, in the message about wrong shapes:
  /// "<name> is [a, b], <shapesFrom> implies [c, d]".
  std::string shapesFrom = "config.json";
};

/// What loading did, tensor by tensor.
struct StateDictReport {
  std::vector<std::string> loaded;       ///< parameters copied from the tensors
  std::vector<std::string> initialized;  ///< optional parameters absent from the tensors
  std::vector<std::string> unexpected;   ///< tensors the module has no parameter for
};

/// Copies tensors[name] into every parameter of module (named_parameters(), recursively),
/// without recording gradients; values are converted to the parameter's dtype and device.
/// `source` (a file or directory) starts every message. Throws retort::Error:
///   Shape  "<source>: tensors of the wrong shape: <name> is [..], config.json implies [..]"
///          (up to 4 listed, then "and N more"), checked first;
///   Format "<source>: missing tensors: <names>" for required parameters without a tensor;
///   Format "<source>: unexpected tensors (not part of this <modelName>): <names>" when
///          options.refuseUnexpected.
/// Nothing is copied when it throws.
StateDictReport loadStateDict(torch::nn::Module& module, const std::map<std::string, torch::Tensor>& tensors,
                              const std::string& source, const StateDictOptions& options = {});

}  // namespace retort::io
