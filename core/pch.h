#pragma once
// Precompiled header of retort_core: the LibTorch headers every model file needs.
#include <torch/torch.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <memory>
