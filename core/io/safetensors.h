#pragma once
// Retort's own reader and writer for the safetensors format (torch-free).
//
// Layout of a file: an 8-byte little-endian unsigned header length N, then N bytes of
// UTF-8 JSON (an object: tensor name -> {"dtype", "shape", "data_offsets"}, plus an
// optional "__metadata__" object of string -> string), possibly padded with trailing
// spaces, then the data section (the rest of the file). data_offsets are [begin, end)
// byte offsets relative to the start of the data section. Tensor data is stored
// row-major, little-endian. See safetensors_torch.h for the LibTorch adapter.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace retort::io {

/// Element types that safetensors files can hold (the subset Retort supports).
enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

/// Size of one element in bytes (F64: 8, F32: 4, F16/BF16: 2, ..., U8/I8/Bool: 1).
size_t dtypeSize(DType dtype);

/// The dtype's name as written in safetensors headers: "F64", "F32", "F16", "BF16",
/// "I64", "I32", "I16", "I8", "U8", "BOOL".
std::string dtypeName(DType dtype);

/// Parses a header dtype name (exact, case-sensitive); std::nullopt when unknown.
std::optional<DType> dtypeFromName(const std::string& name);

/// Largest header that open() accepts, in bytes (100 MiB); larger ones are refused as
/// absurd instead of being read.
constexpr uint64_t kMaxSafetensorsHeaderBytes = 100ull * 1024 * 1024;

/// Product of the dimensions of shape (1 for a scalar, shape {}); std::nullopt when a
/// dimension is negative or the product overflows.
std::optional<uint64_t> elementCount(const std::vector<int64_t>& shape);

/// One tensor described in a file's header.
struct TensorInfo {
  std::string name;            ///< the tensor's key in the header
  DType dtype = DType::F32;    ///< element type
  std::vector<int64_t> shape;  ///< dimensions, row-major; {} is a scalar
  size_t offset = 0;           ///< first byte, relative to the start of the data section
  size_t nbytes = 0;           ///< byte count = product(shape) * dtypeSize(dtype)
};

/// A safetensors file opened read-only. The whole header is validated by open(); after
/// that every TensorInfo is known to lie inside the file with a consistent size.
/// The file is memory-mapped (or read into memory where mapping is impossible) and
/// stays mapped until the object is destroyed. Movable, not copyable.
class SafetensorsFile {
 public:
  /// Opens and validates path. Throws retort::Error with ErrorKind::Io when the file
  /// cannot be opened or read, ErrorKind::Format when its content is malformed; the
  /// message starts with the path and names the tensor or field at fault.
  static SafetensorsFile open(const std::string& path);

  ~SafetensorsFile();
  SafetensorsFile(SafetensorsFile&& other) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&& other) noexcept;
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  /// All tensors, ordered by their position in the data section (ties by name).
  const std::vector<TensorInfo>& tensors() const { return m_tensors; }

  /// The tensor called name, or nullptr when there is none.
  const TensorInfo* find(const std::string& name) const;

  /// First byte of the tensor's data (nbytes valid bytes, no alignment guaranteed).
  /// info must come from this file's tensors() or find().
  const uint8_t* data(const TensorInfo& info) const;

  /// The "__metadata__" entries (empty when the file has none).
  const std::map<std::string, std::string>& metadata() const { return m_metadata; }

  /// The path given to open().
  const std::string& path() const { return m_path; }

  /// Size of the whole file in bytes.
  size_t fileSize() const { return m_size; }

  /// Header length N from the first 8 bytes (padding included); data starts at 8 + N.
  size_t headerSize() const { return m_headerSize; }

 private:
  SafetensorsFile() = default;
  void release() noexcept;
  void parseHeader();

  std::string m_path;
  std::vector<TensorInfo> m_tensors;
  std::map<std::string, size_t> m_index;  // name -> position in m_tensors
  std::map<std::string, std::string> m_metadata;
  const uint8_t* m_bytes = nullptr;  // the whole file
  size_t m_size = 0;
  size_t m_headerSize = 0;
  bool m_mapped = false;              // m_bytes is an mmap (else it points into m_buffer)
  std::vector<uint8_t> m_buffer;      // fallback when mmap is impossible
};

/// One tensor to write: data points at product(shape) * dtypeSize(dtype) bytes laid out
/// row-major, little-endian (may be nullptr for a zero-size tensor).
struct TensorToWrite {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  const void* data = nullptr;
};

/// Writes a safetensors file atomically: the tensors' data is stored contiguously in the
/// given order, the header is padded with spaces to a multiple of 8 bytes, and metadata
/// (may be empty) becomes "__metadata__". The bytes go to "<path>.tmp-XXXXXX" in the same
/// directory, are flushed and fsync'ed, then renamed over path; on any failure the
/// temporary file is removed and path is left as it was.
/// Throws retort::Error: ErrorKind::InvalidArgument for duplicate or reserved names,
/// negative dimensions or missing data; ErrorKind::Io (naming the path and the system's
/// reason) when writing fails.
void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace retort::io
