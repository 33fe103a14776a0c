#pragma once
// A plain-text corpus of any size, read as it is needed: one pass indexes it into chunks of
// about 4 MB (each starting at a line start) and counts the non-blank lines of each; an
// epoch's order then visits the chunks in a shuffled order and each chunk's lines in a
// shuffled order, both drawn from (seed, epoch, chunk), so that memory holds one chunk,
// whatever the corpus's size, and the order is a pure function of (seed, epoch): a run that
// resumes at batch b of an epoch reads exactly the texts it would have read. Torch-free.
//
// Lines follow readCorpus's rules (one text per line, "\n" or "\r\n", a UTF-8 byte-order
// mark skipped, blank lines skipped, invalid UTF-8 an error naming the file and line).

#include <cstdint>
#include <string>
#include <vector>

namespace retort::data {

struct CorpusChunk {
  uint64_t offset = 0;     ///< first byte
  uint64_t bytes = 0;      ///< length
  uint64_t firstLine = 0;  ///< 1-based line number of its first line, for messages
  uint64_t texts = 0;      ///< non-blank lines
};

class StreamedCorpus {
 public:
  /// Reads `path` once (in 8 MB blocks) and splits it into chunks of about chunkBytes.
  /// Throws retort::Error: Io when it cannot be read, Format when it holds no text.
  static StreamedCorpus index(const std::string& path, uint64_t chunkBytes = 4u << 20);

  const std::string& path() const { return m_path; }
  /// Number of texts (non-blank lines).
  uint64_t size() const { return m_size; }
  uint64_t fileBytes() const { return m_fileBytes; }
  const std::vector<CorpusChunk>& chunks() const { return m_chunks; }

  /// The texts at positions [begin, end) of an epoch's order (end clipped to size()). With
  /// shuffle, chunks in a permutation drawn from (seed, epoch) and lines within a chunk in a
  /// permutation drawn from (seed, epoch, chunk); without, file order. Reads only the chunks
  /// these positions lie in and keeps the last one; not safe to call from two threads at once.
  /// Throws Format "path:line: the line is not valid UTF-8 (...)" for a malformed line.
  std::vector<std::string> texts(uint64_t seed, int64_t epoch, bool shuffle, uint64_t begin, uint64_t end) const;

 private:
  struct Loaded {
    size_t chunk = SIZE_MAX;
    uint64_t seed = 0;
    int64_t epoch = -1;
    bool shuffle = false;
    std::vector<std::string> lines;  ///< in the epoch's order
  };
  void prepareEpoch(uint64_t seed, int64_t epoch, bool shuffle) const;
  const std::vector<std::string>& loadChunk(size_t chunk) const;

  std::string m_path;
  uint64_t m_size = 0;
  uint64_t m_fileBytes = 0;
  std::vector<CorpusChunk> m_chunks;
  // The epoch prepared last: chunk order and where each (ordered) chunk starts.
  mutable uint64_t m_seed = 0;
  mutable int64_t m_epoch = -1;
  mutable bool m_shuffle = false;
  mutable std::vector<size_t> m_order;
  mutable std::vector<uint64_t> m_starts;
  mutable Loaded m_loaded;
};

}  // namespace retort::data
