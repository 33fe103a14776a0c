#include "core/io/safetensors.h"

#include "core/util/error.h"
#include "core/util/text_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace retort::io {
namespace {

using Json = nlohmann::json;

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

[[noreturn]] void fail(ErrorKind kind, const std::string& path, const std::string& what) {
  throw Error(kind, path + ": " + what);
}

std::string systemReason(int err) { return std::strerror(err); }

using util::shapeText;

std::string supportedDTypes() {
  std::string text;
  for (const auto& e : kDTypes) {
    if (!text.empty()) text += ", ";
    text += e.name;
  }
  return text;
}

/// product(shape) * dtypeSize, or nullopt on a negative dimension or overflow.
std::optional<uint64_t> byteCount(const std::vector<int64_t>& shape, DType dtype) {
  const auto count = elementCount(shape);
  if (!count) return std::nullopt;
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(*count, static_cast<uint64_t>(dtypeSize(dtype)), &bytes)) {
    return std::nullopt;
  }
  return bytes;
}

/// Reads one non-negative JSON integer; nullopt for anything else (floats included).
std::optional<uint64_t> unsignedValue(const Json& value) {
  if (!value.is_number_unsigned()) return std::nullopt;
  return value.get<uint64_t>();
}

}  // namespace

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

// --- writing ---------------------------------------------------------------------------

namespace {

/// Writes all n bytes; returns 0 or the errno of the failure.
int writeAll(int fd, const uint8_t* bytes, size_t n) {
  constexpr size_t kChunk = size_t(1) << 30;
  while (n > 0) {
    const ssize_t done = ::write(fd, bytes, std::min(n, kChunk));
    if (done < 0 && errno == EINTR) continue;
    if (done < 0) return errno;
    if (done == 0) return EIO;
    bytes += done;
    n -= static_cast<size_t>(done);
  }
  return 0;
}

std::string randomSuffix() {
  static std::atomic<uint64_t> counter{0};
  const uint64_t seed = static_cast<uint64_t>(
                            std::chrono::steady_clock::now().time_since_epoch().count()) ^
                        (static_cast<uint64_t>(::getpid()) << 32) ^ counter.fetch_add(1);
  std::mt19937_64 rng(seed);
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string suffix;
  for (int i = 0; i < 6; ++i) suffix += kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
  return suffix;
}

/// The temporary file of an atomic write: closed and removed unless committed.
struct TempFile {
  std::string path;
  int fd = -1;
  bool committed = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!committed && !path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) {
    auto& meta = header["__metadata__"] = nlohmann::ordered_json::object();
    for (const auto& [key, value] : metadata) meta[key] = value;
  }
  std::set<std::string> names;
  std::vector<uint64_t> sizes;
  uint64_t offset = 0;
  for (const auto& t : tensors) {
    if (t.name == "__metadata__") {
      fail(ErrorKind::InvalidArgument, path, "tensor name '__metadata__' is reserved");
    }
    if (!names.insert(t.name).second) {
      fail(ErrorKind::InvalidArgument, path, "duplicate tensor name '" + t.name + "'");
    }
    const auto bytes = byteCount(t.shape, t.dtype);
    if (!bytes) {
      fail(ErrorKind::InvalidArgument, path,
           "tensor '" + t.name + "': shape " + shapeText(t.shape) +
               " has a negative dimension or too many elements");
    }
    if (*bytes > 0 && t.data == nullptr) {
      fail(ErrorKind::InvalidArgument, path, "tensor '" + t.name + "': data is null");
    }
    uint64_t end = 0;
    if (__builtin_add_overflow(offset, *bytes, &end)) {
      fail(ErrorKind::InvalidArgument, path, "tensors too large for one file");
    }
    header[t.name] = {{"dtype", dtypeName(t.dtype)},
                      {"shape", t.shape},
                      {"data_offsets", {offset, end}}};
    sizes.push_back(*bytes);
    offset = end;
  }

  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::ordered_json::exception& e) {
    fail(ErrorKind::InvalidArgument, path,
         std::string("tensor names and metadata must be valid UTF-8: ") + e.what());
  }
  while (text.size() % 8 != 0) text.push_back(' ');
  std::string prefix(8, '\0');
  for (int i = 0; i < 8; ++i) prefix[i] = static_cast<char>((uint64_t(text.size()) >> (8 * i)) & 0xff);
  text.insert(0, prefix);

  const auto slash = path.find_last_of('/');
  const std::string directory =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));

  TempFile temp;
  for (int attempt = 0; attempt < 100 && temp.fd < 0; ++attempt) {
    const std::string candidate = path + ".tmp-" + randomSuffix();
    temp.fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (temp.fd >= 0) {
      temp.path = candidate;
    } else if (errno != EEXIST) {
      fail(ErrorKind::Io, path,
           "cannot write: cannot create a temporary file in '" + directory +
               "': " + systemReason(errno));
    }
  }
  if (temp.fd < 0) {
    fail(ErrorKind::Io, path, "cannot write: no free temporary file name in '" + directory + "'");
  }

  int err = writeAll(temp.fd, reinterpret_cast<const uint8_t*>(text.data()), text.size());
  for (size_t i = 0; i < tensors.size() && err == 0; ++i) {
    err = writeAll(temp.fd, static_cast<const uint8_t*>(tensors[i].data), sizes[i]);
  }
  if (err == 0 && ::fsync(temp.fd) != 0) err = errno;
  if (err == 0) {
    const int fd = std::exchange(temp.fd, -1);
    if (::close(fd) != 0) err = errno;
  }
  if (err != 0) fail(ErrorKind::Io, path, "cannot write: " + systemReason(err));

  if (::rename(temp.path.c_str(), path.c_str()) != 0) {
    fail(ErrorKind::Io, path, "cannot replace the file: " + systemReason(errno));
  }
  temp.committed = true;

  // Make the rename itself durable (best effort: some file systems refuse).
  const int dirFd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
}

}  // namespace retort::io
