#include "core/io/safetensors_torch.h"

#include "core/util/error.h"

#include <torch/torch.h>

#include <cstring>
#include <vector>

namespace retort::io {

torch::ScalarType toScalarType(DType dtype) {
  switch (dtype) {
    case DType::F64: return torch::kFloat64;
    case DType::F32: return torch::kFloat32;
    case DType::F16: return torch::kFloat16;
    case DType::BF16: return torch::kBFloat16;
    case DType::I64: return torch::kInt64;
    case DType::I32: return torch::kInt32;
    case DType::I16: return torch::kInt16;
    case DType::I8: return torch::kInt8;
    case DType::U8: return torch::kUInt8;
    case DType::Bool: return torch::kBool;
  }
  throw Error(ErrorKind::InvalidArgument, "invalid retort::io::DType value");
}

std::optional<DType> fromScalarType(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat64: return DType::F64;
    case torch::kFloat32: return DType::F32;
    case torch::kFloat16: return DType::F16;
    case torch::kBFloat16: return DType::BF16;
    case torch::kInt64: return DType::I64;
    case torch::kInt32: return DType::I32;
    case torch::kInt16: return DType::I16;
    case torch::kInt8: return DType::I8;
    case torch::kUInt8: return DType::U8;
    case torch::kBool: return DType::Bool;
    default: return std::nullopt;
  }
}

torch::Tensor loadTensor(const SafetensorsFile& file, const TensorInfo& info, bool toFloat32) {
  const uint8_t* bytes = file.data(info);  // checks that info lies inside file
  // Bool is read through uint8 so that bytes other than 0/1 cannot make an invalid bool.
  const auto storedType = info.dtype == DType::Bool ? torch::kUInt8 : toScalarType(info.dtype);
  torch::Tensor tensor = torch::empty(info.shape, torch::TensorOptions().dtype(storedType));
  if (static_cast<size_t>(tensor.nbytes()) != info.nbytes) {
    throw Error(ErrorKind::Shape, file.path() + ": tensor '" + info.name + "': expected " +
                                      std::to_string(tensor.nbytes()) + " bytes, header gives " +
                                      std::to_string(info.nbytes));
  }
  if (info.nbytes > 0) std::memcpy(tensor.data_ptr(), bytes, info.nbytes);
  if (info.dtype == DType::Bool) return tensor.ne(0);
  const bool wider = info.dtype == DType::F16 || info.dtype == DType::BF16 || info.dtype == DType::F64;
  if (toFloat32 && wider) return tensor.to(torch::kFloat32);
  return tensor;
}

std::map<std::string, torch::Tensor> loadTensors(const SafetensorsFile& file, bool toFloat32) {
  std::map<std::string, torch::Tensor> result;
  for (const auto& info : file.tensors()) result.emplace(info.name, loadTensor(file, info, toFloat32));
  return result;
}

void saveTensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                 const std::map<std::string, std::string>& metadata) {
  std::vector<torch::Tensor> keepAlive;  // contiguous CPU copies that the pointers refer to
  keepAlive.reserve(tensors.size());
  std::vector<TensorToWrite> toWrite;
  toWrite.reserve(tensors.size());
  for (const auto& [name, tensor] : tensors) {
    if (!tensor.defined()) {
      throw Error(ErrorKind::InvalidArgument, path + ": tensor '" + name + "' is undefined");
    }
    const auto dtype = fromScalarType(tensor.scalar_type());
    if (!dtype) {
      throw Error(ErrorKind::Unsupported,
                  path + ": tensor '" + name + "' has dtype " +
                      std::string(c10::toString(tensor.scalar_type())) +
                      ", which safetensors files here cannot hold (supported: float64, float32, "
                      "float16, bfloat16, int64, int32, int16, int8, uint8, bool)");
    }
    if (tensor.layout() != torch::kStrided) {
      throw Error(ErrorKind::Unsupported,
                  path + ": tensor '" + name + "' is not a dense (strided) tensor");
    }
    torch::Tensor cpu = tensor.detach().to(torch::kCPU).contiguous();
    if (cpu.is_conj() || cpu.is_neg()) cpu = cpu.resolve_conj().resolve_neg();
    keepAlive.push_back(cpu);
    toWrite.push_back({name, *dtype, cpu.sizes().vec(), cpu.numel() > 0 ? cpu.data_ptr() : nullptr});
  }
  writeSafetensors(path, toWrite, metadata);
}

}  // namespace retort::io
