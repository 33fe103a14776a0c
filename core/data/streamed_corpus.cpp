#include "core/data/streamed_corpus.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>
#include <random>

#include <fcntl.h>
#include <unistd.h>

#include "core/util/error.h"
#include "core/util/random.h"
#include "core/util/utf8.h"

namespace retort::data {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

/// A file descriptor that closes itself.
struct File {
  int fd = -1;
  File(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd < 0) throw Error(ErrorKind::Io, path + ": cannot open: " + std::strerror(errno));
  }
  ~File() {
    if (fd >= 0) ::close(fd);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
};

}  // namespace

StreamedCorpus StreamedCorpus::index(const std::string& path, uint64_t chunkBytes) {
  StreamedCorpus c;
  c.m_path = path;
  File file(path);
  std::vector<char> block(8u << 20);
  uint64_t offset = 0;  // file offset of block[0]
  CorpusChunk chunk;
  chunk.firstLine = 1;
  uint64_t line = 1;
  bool lineHasText = false;
  auto closeChunk = [&](uint64_t end) {
    chunk.bytes = end - chunk.offset;
    if (chunk.texts > 0) c.m_chunks.push_back(chunk);
    c.m_size += chunk.texts;
    chunk = CorpusChunk{};
    chunk.offset = end;
    chunk.firstLine = line;
  };
  while (true) {
    const ssize_t n = ::read(file.fd, block.data(), block.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorKind::Io, path + ": read error: " + std::strerror(errno));
    }
    if (n == 0) break;
    const char* p = block.data();
    const char* end = p + n;
    if (offset == 0 && n >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;  // a byte-order mark is not text
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      const char* stop = nl ? nl : end;
      for (const char* q = p; !lineHasText && q < stop; ++q) lineHasText = !isSpace(*q);
      if (!nl) break;
      if (lineHasText) ++chunk.texts;
      lineHasText = false;
      ++line;
      const uint64_t next = offset + static_cast<uint64_t>(nl + 1 - block.data());
      if (next - chunk.offset >= chunkBytes) closeChunk(next);
      p = nl + 1;
    }
    offset += static_cast<uint64_t>(n);
  }
  if (lineHasText) ++chunk.texts;
  closeChunk(offset);
  c.m_fileBytes = offset;
  if (c.m_size == 0) throw Error(ErrorKind::Format, path + ": no text (the file is empty or every line is blank)");
  return c;
}

void StreamedCorpus::prepareEpoch(uint64_t seed, int64_t epoch, bool shuffle) const {
  if (m_epoch == epoch && m_seed == seed && m_shuffle == shuffle && !m_order.empty()) return;
  m_order.resize(m_chunks.size());
  std::iota(m_order.begin(), m_order.end(), size_t{0});
  if (shuffle) {
    std::mt19937_64 rng(util::mix64(seed ^ util::mix64(static_cast<uint64_t>(epoch))));
    util::shuffle(m_order.begin(), m_order.size(), rng);
  }
  m_starts.assign(m_order.size() + 1, 0);
  for (size_t i = 0; i < m_order.size(); ++i) m_starts[i + 1] = m_starts[i] + m_chunks[m_order[i]].texts;
  m_seed = seed;
  m_epoch = epoch;
  m_shuffle = shuffle;
}

const std::vector<std::string>& StreamedCorpus::loadChunk(size_t index) const {
  if (m_loaded.chunk == index && m_loaded.seed == m_seed && m_loaded.epoch == m_epoch && m_loaded.shuffle == m_shuffle)
    return m_loaded.lines;
  const CorpusChunk& chunk = m_chunks[index];
  std::string bytes(chunk.bytes, '\0');
  {
    File file(m_path);
    uint64_t done = 0;
    while (done < chunk.bytes) {
      const ssize_t n = ::pread(file.fd, bytes.data() + done, chunk.bytes - done, static_cast<off_t>(chunk.offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Error(ErrorKind::Io, m_path + ": read error: " + std::strerror(errno));
      if (n == 0) throw Error(ErrorKind::Io, m_path + ": the file changed after it was indexed (it is shorter)");
      done += static_cast<uint64_t>(n);
    }
  }
  std::string_view rest(bytes);
  if (chunk.offset == 0 && rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  std::vector<std::string> lines;
  lines.reserve(chunk.texts);
  uint64_t line = chunk.firstLine;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view text = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (std::any_of(text.begin(), text.end(), [](char ch) { return !isSpace(ch); })) {
      const size_t bad = util::invalidUtf8At(text);
      if (bad != std::string_view::npos)
        throw Error(ErrorKind::Format, m_path + ":" + std::to_string(line) + ": the line is not valid UTF-8 (byte " +
                                           util::hexByte(static_cast<unsigned char>(text[bad])) + " at byte offset " +
                                           std::to_string(bad) + ")");
      lines.emplace_back(text);
    }
    ++line;
  }
  if (lines.size() != chunk.texts)
    throw Error(ErrorKind::Io, m_path + ": the file changed after it was indexed (lines " + std::to_string(chunk.firstLine) +
                                   " to " + std::to_string(line - 1) + ")");
  if (m_shuffle) {
    std::mt19937_64 rng(util::mix64(m_seed ^ util::mix64(static_cast<uint64_t>(m_epoch)) ^
                                    util::mix64(0x5DEECE66DULL + index)));
    util::shuffle(lines.begin(), lines.size(), rng);
  }
  m_loaded.lines = std::move(lines);
  m_loaded.chunk = index;
  m_loaded.seed = m_seed;
  m_loaded.epoch = m_epoch;
  m_loaded.shuffle = m_shuffle;
  return m_loaded.lines;
}

std::vector<std::string> StreamedCorpus::texts(uint64_t seed, int64_t epoch, bool shuffle, uint64_t begin,
                                               uint64_t end) const {
  end = std::min(end, m_size);
  std::vector<std::string> out;
  if (begin >= end) return out;
  prepareEpoch(seed, epoch, shuffle);
  out.reserve(end - begin);
  for (uint64_t p = begin; p < end;) {
    const size_t k = static_cast<size_t>(std::upper_bound(m_starts.begin(), m_starts.end(), p) - m_starts.begin()) - 1;
    const auto& lines = loadChunk(m_order[k]);
    const uint64_t stop = std::min(end, m_starts[k + 1]);
    for (; p < stop; ++p) out.push_back(lines[static_cast<size_t>(p - m_starts[k])]);
  }
  return out;
}

}  // namespace retort::data
