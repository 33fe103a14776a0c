#pragma once
// LibTorch adapter for Retort's safetensors reader and writer (core/io/safetensors.h).

#include "core/io/safetensors.h"

#include <torch/types.h>

#include <map>
#include <optional>
#include <string>

namespace retort::io {

/// The LibTorch scalar type of a safetensors dtype (F32 -> kFloat, BF16 -> kBFloat16,
/// Bool -> kBool, ...).
torch::ScalarType toScalarType(DType dtype);

/// The safetensors dtype of a LibTorch scalar type; std::nullopt for types that
/// safetensors cannot hold here (complex, quantized, unsigned wider than 8 bits, ...).
std::optional<DType> fromScalarType(torch::ScalarType type);

/// Loads one tensor of file as a CPU tensor that owns its memory (a copy of the mapped
/// bytes, independent of file's lifetime), with info's shape. When toFloat32 is true
/// (the default), F16, BF16 and F64 are converted to float32; integer and bool dtypes are
/// always kept. BOOL bytes other than 0 read as true.
torch::Tensor loadTensor(const SafetensorsFile& file, const TensorInfo& info, bool toFloat32 = true);

/// Loads every tensor of file by name, as loadTensor() does.
std::map<std::string, torch::Tensor> loadTensors(const SafetensorsFile& file, bool toFloat32 = true);

/// Writes tensors (on any device, any strides) to path, atomically, as writeSafetensors()
/// does: each tensor keeps its dtype (float32 is stored as F32, bfloat16 as BF16, ...),
/// in name order. Throws retort::Error with ErrorKind::Unsupported naming the tensor when
/// its dtype or layout cannot be stored, ErrorKind::InvalidArgument for an undefined
/// tensor, and writeSafetensors()'s errors otherwise.
void saveTensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                 const std::map<std::string, std::string>& metadata = {});

}  // namespace retort::io
