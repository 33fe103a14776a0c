// Writing safetensors files (writeSafetensors): the header, the data, and the atomic
// replacement of the target through a temporary file. Reading is in safetensors.cpp.

#include "core/io/safetensors.h"
#include "core/io/safetensors_detail.h"

#include "core/util/error.h"
#include "core/util/text_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <random>
#include <set>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace retort::io {

using detail::byteCount;
using detail::fail;
using detail::systemReason;
using util::shapeText;

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
