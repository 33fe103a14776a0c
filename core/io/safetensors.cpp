#include "core/io/safetensors.h"
#include "core/io/safetensors_detail.h"

#include "core/util/error.h"
#include "core/util/text_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <set>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace retort::io {
namespace {

using Json = nlohmann::json;
using detail::byteCount;
using detail::fail;
using detail::systemReason;

struct DTypeEntry {
  DType dtype;
  const char* name;
  size_t size;
};

constexpr DTypeEntry kDTypes[] = {
    {DType::F64, "F64", 8}, {DType::F32, "F32", 4}, {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8}, {DType::I32, "I32", 4},
    {DType::I16, "I16", 2}, {DType::I8, "I8", 1}, {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1}};

const DTypeEntry& entryOf(DType dtype) {
  for (const auto& e : kDTypes) {
    if (e.dtype == dtype) return e;
  }
  throw Error(ErrorKind::InvalidArgument, "invalid retort::io::DType value");
}

/// Deeper nesting than this cannot be a safetensors header (its deepest value is a
/// dimension inside "shape", at depth 3); refusing it early bounds the parser's work.
constexpr int kMaxJsonDepth = 16;

using util::shapeText;

std::string supportedDTypes() {
  std::string text;
  for (const auto& e : kDTypes) {
    if (!text.empty()) text += ", ";
    text += e.name;
  }
  return text;
}

/// Reads one non-negative JSON integer; nullopt for anything else (floats included).
std::optional<uint64_t> unsignedValue(const Json& value) {
  if (!value.is_number_unsigned()) return std::nullopt;
  return value.get<uint64_t>();
}

}  // namespace

namespace detail {

void fail(ErrorKind kind, const std::string& path, const std::string& what) { throw Error(kind, path + ": " + what); }

std::string systemReason(int err) { return std::strerror(err); }

std::optional<uint64_t> byteCount(const std::vector<int64_t>& shape, DType dtype) {
  const auto count = elementCount(shape);
  if (!count) return std::nullopt;
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(*count, static_cast<uint64_t>(dtypeSize(dtype)), &bytes)) {
    return std::nullopt;
  }
  return bytes;
}

}  // namespace detail

// --- dtypes ----------------------------------------------------------------------------

size_t dtypeSize(DType dtype) { return entryOf(dtype).size; }

std::string dtypeName(DType dtype) { return entryOf(dtype).name; }

std::optional<DType> dtypeFromName(const std::string& name) {
  for (const auto& e : kDTypes) {
    if (name == e.name) return e.dtype;
  }
  return std::nullopt;
}

std::optional<uint64_t> elementCount(const std::vector<int64_t>& shape) {
  uint64_t count = 1;
  for (const int64_t dim : shape) {
    if (dim < 0) return std::nullopt;
    if (__builtin_mul_overflow(count, static_cast<uint64_t>(dim), &count)) return std::nullopt;
  }
  return count;
}

// --- reading ---------------------------------------------------------------------------

SafetensorsFile SafetensorsFile::open(const std::string& path) {
  SafetensorsFile file;
  file.m_path = path;

  // O_NONBLOCK: never block on a FIFO (refused below as not a regular file).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) fail(ErrorKind::Io, path, "cannot open: " + systemReason(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};

  struct stat st {};
  if (::fstat(fd, &st) != 0) fail(ErrorKind::Io, path, "cannot stat: " + systemReason(errno));
  if (S_ISDIR(st.st_mode)) fail(ErrorKind::Io, path, "is a directory, not a safetensors file");
  if (!S_ISREG(st.st_mode)) fail(ErrorKind::Io, path, "is not a regular file");
  if (st.st_size < 8) {
    fail(ErrorKind::Format, path,
         "file is too short (" + std::to_string(st.st_size) +
             " bytes): a safetensors file starts with an 8-byte header length");
  }
  file.m_size = static_cast<size_t>(st.st_size);

  void* mapped = ::mmap(nullptr, file.m_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (mapped != MAP_FAILED) {
    file.m_bytes = static_cast<const uint8_t*>(mapped);
    file.m_mapped = true;
  } else {
    // Some file systems cannot map files: read the whole file instead.
    file.m_buffer.resize(file.m_size);
    size_t done = 0;
    while (done < file.m_size) {
      const ssize_t got = ::pread(fd, file.m_buffer.data() + done, file.m_size - done,
                                  static_cast<off_t>(done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) fail(ErrorKind::Io, path, "cannot read: " + systemReason(errno));
      if (got == 0) fail(ErrorKind::Io, path, "cannot read: the file shrank while being read");
      done += static_cast<size_t>(got);
    }
    file.m_bytes = file.m_buffer.data();
  }

  file.parseHeader();
  return file;
}

void SafetensorsFile::parseHeader() {
  uint64_t headerSize = 0;
  for (int i = 0; i < 8; ++i) headerSize |= static_cast<uint64_t>(m_bytes[i]) << (8 * i);
  if (headerSize > kMaxSafetensorsHeaderBytes) {
    fail(ErrorKind::Format, m_path,
         "header size " + std::to_string(headerSize) +
             " bytes is absurd (limit 100 MiB); this is not a safetensors file");
  }
  if (headerSize > m_size - 8) {
    fail(ErrorKind::Format, m_path,
         "header size " + std::to_string(headerSize) + " bytes is larger than the file (" +
             std::to_string(m_size) + " bytes in all)");
  }
  m_headerSize = static_cast<size_t>(headerSize);
  const uint64_t dataSize = m_size - 8 - headerSize;

  // Parse with a callback that rejects duplicate keys (nlohmann keeps the last one
  // silently) and nesting that no safetensors header has.
  std::vector<std::set<std::string>> openObjects;
  const auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (depth >= kMaxJsonDepth) {
          fail(ErrorKind::Format, m_path,
               "header JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        }
        if (event == Json::parse_event_t::object_start) openObjects.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!openObjects.empty()) openObjects.pop_back();
        break;
      case Json::parse_event_t::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        if (!openObjects.empty() && !openObjects.back().insert(key).second) {
          fail(ErrorKind::Format, m_path,
               depth == 1 ? "duplicate tensor name '" + key + "' in header"
                          : "duplicate key '" + key + "' in header JSON");
        }
        break;
      }
      default:
        break;
    }
    return true;
  };

  const char* begin = reinterpret_cast<const char*>(m_bytes) + 8;
  Json root;
  try {
    root = Json::parse(begin, begin + m_headerSize, callback);
  } catch (const Json::exception& e) {
    fail(ErrorKind::Format, m_path, std::string("header is not valid JSON: ") + e.what());
  }
  if (!root.is_object()) {
    fail(ErrorKind::Format, m_path,
         std::string("header is not a JSON object (found ") + root.type_name() + ")");
  }

  for (const auto& [name, entry] : root.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) {
        fail(ErrorKind::Format, m_path,
             std::string("'__metadata__' must be an object of strings (found ") +
                 entry.type_name() + ")");
      }
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) {
          fail(ErrorKind::Format, m_path,
               "'__metadata__' value for key '" + key + "' is not a string (found " +
                   value.type_name() + ")");
        }
        m_metadata[key] = value.get<std::string>();
      }
      continue;
    }

    const std::string where = "tensor '" + name + "': ";
    if (!entry.is_object()) {
      fail(ErrorKind::Format, m_path,
           where + "entry must be an object with dtype, shape and data_offsets (found " +
               entry.type_name() + ")");
    }
    TensorInfo info;
    info.name = name;

    const auto dtypeIt = entry.find("dtype");
    if (dtypeIt == entry.end()) fail(ErrorKind::Format, m_path, where + "missing field 'dtype'");
    if (!dtypeIt->is_string()) {
      fail(ErrorKind::Format, m_path,
           where + "field 'dtype' must be a string (found " + dtypeIt->type_name() + ")");
    }
    const auto dtype = dtypeFromName(dtypeIt->get<std::string>());
    if (!dtype) {
      fail(ErrorKind::Format, m_path,
           where + "unknown dtype '" + dtypeIt->get<std::string>() + "' (supported: " +
               supportedDTypes() + ")");
    }
    info.dtype = *dtype;

    const auto shapeIt = entry.find("shape");
    if (shapeIt == entry.end()) fail(ErrorKind::Format, m_path, where + "missing field 'shape'");
    if (!shapeIt->is_array()) {
      fail(ErrorKind::Format, m_path,
           where + "field 'shape' must be an array of integers (found " + shapeIt->type_name() +
               ")");
    }
    for (size_t i = 0; i < shapeIt->size(); ++i) {
      const Json& dim = (*shapeIt)[i];
      if (dim.is_number_integer() && !dim.is_number_unsigned()) {
        fail(ErrorKind::Format, m_path,
             where + "field 'shape' has a negative dimension (" +
                 std::to_string(dim.get<int64_t>()) + ") at index " + std::to_string(i));
      }
      const auto value = unsignedValue(dim);
      if (!value) {
        fail(ErrorKind::Format, m_path,
             where + "field 'shape' must be an array of integers (index " + std::to_string(i) +
                 " is " + dim.type_name() + ")");
      }
      if (*value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        fail(ErrorKind::Format, m_path,
             where + "field 'shape' has a dimension too large (" + std::to_string(*value) +
                 ") at index " + std::to_string(i));
      }
      info.shape.push_back(static_cast<int64_t>(*value));
    }

    const auto offsetsIt = entry.find("data_offsets");
    if (offsetsIt == entry.end()) {
      fail(ErrorKind::Format, m_path, where + "missing field 'data_offsets'");
    }
    const bool pair = offsetsIt->is_array() && offsetsIt->size() == 2;
    const auto first = pair ? unsignedValue((*offsetsIt)[0]) : std::nullopt;
    const auto last = pair ? unsignedValue((*offsetsIt)[1]) : std::nullopt;
    if (!first || !last) {
      fail(ErrorKind::Format, m_path,
           where + "field 'data_offsets' must be an array of two non-negative integers [begin, end]");
    }
    if (*first > *last) {
      fail(ErrorKind::Format, m_path,
           where + "data_offsets begin (" + std::to_string(*first) + ") is greater than end (" +
               std::to_string(*last) + ")");
    }
    if (*last > dataSize) {
      fail(ErrorKind::Format, m_path,
           where + "data_offsets end (" + std::to_string(*last) +
               ") is beyond the end of the data section (" + std::to_string(dataSize) +
               " bytes)");
    }
    const uint64_t span = *last - *first;
    const auto expected = byteCount(info.shape, info.dtype);
    if (!expected || *expected != span) {
      const std::string need =
          expected ? std::to_string(*expected) + " bytes" : "more than 2^64 bytes";
      fail(ErrorKind::Format, m_path,
           where + "shape/size mismatch: shape " + shapeText(info.shape) + " with dtype " +
               dtypeName(info.dtype) + " needs " + need + " but data_offsets [" +
               std::to_string(*first) + ", " + std::to_string(*last) + "] span " +
               std::to_string(span) + " bytes");
    }
    info.offset = static_cast<size_t>(*first);
    info.nbytes = static_cast<size_t>(span);
    m_tensors.push_back(std::move(info));
  }

  std::sort(m_tensors.begin(), m_tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.name < b.name;
  });
  const TensorInfo* previous = nullptr;  // the non-empty range that ends last so far
  for (const auto& info : m_tensors) {
    if (info.nbytes == 0) continue;  // an empty range overlaps nothing
    if (previous && info.offset < previous->offset + previous->nbytes) {
      fail(ErrorKind::Format, m_path,
           "tensors '" + previous->name + "' (bytes [" + std::to_string(previous->offset) +
               ", " + std::to_string(previous->offset + previous->nbytes) + ")) and '" +
               info.name + "' (bytes [" + std::to_string(info.offset) + ", " +
               std::to_string(info.offset + info.nbytes) + ")) overlap in the data section");
    }
    if (!previous || info.offset + info.nbytes > previous->offset + previous->nbytes) {
      previous = &info;
    }
  }
  for (size_t i = 0; i < m_tensors.size(); ++i) m_index[m_tensors[i].name] = i;
}

SafetensorsFile::~SafetensorsFile() { release(); }

void SafetensorsFile::release() noexcept {
  if (m_mapped && m_bytes) ::munmap(const_cast<uint8_t*>(m_bytes), m_size);
  m_bytes = nullptr;
  m_mapped = false;
  m_buffer.clear();
  m_buffer.shrink_to_fit();
}

SafetensorsFile::SafetensorsFile(SafetensorsFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_tensors(std::move(other.m_tensors)),
      m_index(std::move(other.m_index)),
      m_metadata(std::move(other.m_metadata)),
      m_bytes(std::exchange(other.m_bytes, nullptr)),
      m_size(std::exchange(other.m_size, 0)),
      m_headerSize(std::exchange(other.m_headerSize, 0)),
      m_mapped(std::exchange(other.m_mapped, false)),
      m_buffer(std::move(other.m_buffer)) {}

SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&& other) noexcept {
  if (this != &other) {
    release();
    m_path = std::move(other.m_path);
    m_tensors = std::move(other.m_tensors);
    m_index = std::move(other.m_index);
    m_metadata = std::move(other.m_metadata);
    m_bytes = std::exchange(other.m_bytes, nullptr);
    m_size = std::exchange(other.m_size, 0);
    m_headerSize = std::exchange(other.m_headerSize, 0);
    m_mapped = std::exchange(other.m_mapped, false);
    m_buffer = std::move(other.m_buffer);  // the vector's storage (and m_bytes) moves along
  }
  return *this;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
  const auto it = m_index.find(name);
  return it == m_index.end() ? nullptr : &m_tensors[it->second];
}

const uint8_t* SafetensorsFile::data(const TensorInfo& info) const {
  const size_t dataSize = m_bytes ? m_size - 8 - m_headerSize : 0;
  if (info.offset > dataSize || info.nbytes > dataSize - info.offset) {
    fail(ErrorKind::InvalidArgument, m_path,
         "tensor '" + info.name + "' does not lie inside this file's data section");
  }
  return m_bytes + 8 + m_headerSize + info.offset;
}

}  // namespace retort::io
