// WordPiece normalisation and tokenization (BERT's BasicTokenizer + WordpieceTokenizer),
// the constructor and vocabulary access. Files and factories are in wordpiece_files.cpp.

#include "core/text/wordpiece.h"

#include "core/util/error.h"

#include <utf8proc.h>

#include <algorithm>

namespace retort::text {

/// Buffers reused across the words of one tokenize() call (no allocation per character).
struct WordPieceTokenizer::Scratch {
  std::vector<int32_t> cleaned;   ///< the segment after cleaning and CJK spacing
  std::vector<int32_t> word;      ///< the current word, lower-cased, then NFC
  std::vector<int32_t> nfd;       ///< its canonical decomposition
  std::string bytes;              ///< "##" + UTF-8 of the current WordPiece word
  std::vector<uint32_t> offsets;  ///< byte offset of each code point in bytes (after "##")
  std::vector<int64_t> pieces;    ///< ids of the pieces found so far
};

namespace {

// ---------------------------------------------------------------------------------------
// Character classes

enum : uint8_t { kControl = 1, kSpace = 2, kPunct = 4 };

struct AsciiTable {
  uint8_t cls[128] = {};
  AsciiTable() {
    for (int c = 0; c < 128; ++c) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') cls[c] = kSpace;
      else if (c < 32 || c == 127) cls[c] = kControl;
      else if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
               (c >= 123 && c <= 126))
        cls[c] = kPunct;
    }
  }
};
const AsciiTable kAscii;

bool isControlCategory(utf8proc_category_t cat) {
  return cat == UTF8PROC_CATEGORY_CN || cat == UTF8PROC_CATEGORY_CC ||
         cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_CS ||
         cat == UTF8PROC_CATEGORY_CO;
}

bool isPunct(int32_t cp) {
  if (cp < 128) return kAscii.cls[cp] & kPunct;
  const utf8proc_category_t cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

/// The CJK Unified Ideographs blocks of Hugging Face's _is_chinese_char.
bool isChineseChar(int32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

// ---------------------------------------------------------------------------------------
// UTF-8

/// Decodes the code point at s[i] and advances i. A byte that does not start a well-formed
/// sequence (stray continuation, overlong form, surrogate, beyond U+10FFFF, truncated)
/// yields U+FFFD and advances by that one byte.
inline int32_t decodeUtf8(const unsigned char* s, size_t n, size_t& i) {
  constexpr int32_t kBad = 0xFFFD;
  const unsigned char c = s[i++];
  if (c < 0x80) return c;
  if (c < 0xC2 || c > 0xF4) return kBad;
  const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (n - (i - 1) < len) return kBad;
  int32_t cp = c & (0xFF >> (len + 1));
  for (size_t k = 0; k + 1 < len; ++k) {
    const unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) return kBad;
    cp = (cp << 6) | (cc & 0x3F);
  }
  constexpr int32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};  // shorter forms are overlong
  if (cp < kMinimum[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kBad;
  i += len - 1;
  return cp;
}

inline void appendUtf8(std::string& out, int32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// ---------------------------------------------------------------------------------------
// Normalisation

/// out = NFD(in): canonical decomposition of each code point, then canonical ordering
/// (a stable sort of each run of non-starters by combining class).
void canonicalDecompose(const std::vector<int32_t>& in, std::vector<int32_t>& out) {
  out.clear();
  int32_t buffer[32];
  for (int32_t cp : in) {
    int boundclass = 0;
    const utf8proc_ssize_t n = utf8proc_decompose_char(cp, buffer, 32, UTF8PROC_DECOMPOSE,
                                                       &boundclass);
    if (n < 0 || n > 32) {  // cannot happen for canonical decompositions (at most 4)
      out.push_back(cp);
      continue;
    }
    out.insert(out.end(), buffer, buffer + n);
  }
  auto ccc = [](int32_t cp) { return cp < 0x300 ? 0 : utf8proc_get_property(cp)->combining_class; };
  for (size_t i = 1; i < out.size(); ++i) {
    const int32_t cp = out[i];
    const int c = ccc(cp);
    if (c == 0) continue;
    size_t j = i;
    while (j > 0) {
      const int prev = ccc(out[j - 1]);
      if (prev == 0 || prev <= c) break;
      out[j] = out[j - 1];
      --j;
    }
    out[j] = cp;
  }
}

/// word = NFC of the decomposed sequence nfd.
void canonicalCompose(const std::vector<int32_t>& nfd, std::vector<int32_t>& word) {
  word = nfd;
  const utf8proc_ssize_t n = utf8proc_normalize_utf32(
      word.data(), static_cast<utf8proc_ssize_t>(word.size()),
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n >= 0) word.resize(static_cast<size_t>(n));
  else word = nfd;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Construction

WordPieceTokenizer::WordPieceTokenizer(std::vector<std::string> tokens,
                                       const WordPieceOptions& options,
                                       const std::string& origin)
    : m_options(options),
      m_stripAccents(options.effectiveStripAccents()),
      m_tokens(std::move(tokens)) {
  if (m_options.maxInputCharsPerWord < 1)
    throw Error(ErrorKind::InvalidArgument,
                "maxInputCharsPerWord must be at least 1, not " +
                    std::to_string(m_options.maxInputCharsPerWord));
  if (m_tokens.empty()) throw Error(ErrorKind::Format, origin + " has no tokens");
  m_vocab.reserve(m_tokens.size() * 2);
  for (size_t i = 0; i < m_tokens.size(); ++i) {
    const auto [it, inserted] =
        m_vocab.emplace(std::string_view(m_tokens[i]), static_cast<int64_t>(i));
    if (!inserted)
      throw Error(ErrorKind::Format, origin + ": the token \"" + m_tokens[i] + "\" at id " +
                                         std::to_string(i) + " repeats id " +
                                         std::to_string(it->second));
  }
  auto find = [&](const std::string& t) -> int64_t {
    auto it = m_vocab.find(t);
    return it == m_vocab.end() ? -1 : it->second;
  };
  m_special.cls = find("[CLS]");
  m_special.sep = find("[SEP]");
  m_special.pad = find("[PAD]");
  m_special.mask = find("[MASK]");
  m_special.unk = find(m_options.unkToken);

  std::vector<std::string> never = {"[CLS]", "[SEP]", "[PAD]", "[MASK]", m_options.unkToken};
  never.insert(never.end(), m_options.neverSplit.begin(), m_options.neverSplit.end());
  for (auto& t : never) {
    if (t.empty() || std::find(m_neverSplit.begin(), m_neverSplit.end(), t) != m_neverSplit.end())
      continue;
    m_neverSplit.push_back(t);
    m_neverSplitFirstByte[static_cast<unsigned char>(t[0])] = true;
  }
  std::stable_sort(m_neverSplit.begin(), m_neverSplit.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

// ---------------------------------------------------------------------------------------
// Tokenization

std::vector<std::string> WordPieceTokenizer::tokenize(const std::string& text) const {
  std::vector<std::string> out;
  out.reserve(text.size() / 4 + 4);
  Scratch scratch;
  size_t segmentStart = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!m_neverSplitFirstByte[static_cast<unsigned char>(text[i])]) continue;
    for (const std::string& token : m_neverSplit) {  // longest first
      if (text.compare(i, token.size(), token) != 0) continue;
      tokenizeSegment(std::string_view(text).substr(segmentStart, i - segmentStart), scratch, out);
      out.push_back(token);
      i += token.size() - 1;
      segmentStart = i + 1;
      break;
    }
  }
  tokenizeSegment(std::string_view(text).substr(segmentStart), scratch, out);
  return out;
}

void WordPieceTokenizer::tokenizeSegment(std::string_view segment, Scratch& scratch,
                                         std::vector<std::string>& out) const {
  // Clean, map whitespace to ' ', put CJK ideographs between spaces.
  std::vector<int32_t>& cleaned = scratch.cleaned;
  cleaned.clear();
  const auto* s = reinterpret_cast<const unsigned char*>(segment.data());
  const size_t n = segment.size();
  for (size_t i = 0; i < n;) {
    const int32_t cp = decodeUtf8(s, n, i);
    if (cp < 128) {
      const uint8_t cls = kAscii.cls[cp];
      if (cls & kControl) continue;  // includes U+0000
      cleaned.push_back((cls & kSpace) ? ' ' : cp);
      continue;
    }
    if (cp == 0xFFFD) continue;
    const utf8proc_category_t cat = utf8proc_category(cp);
    if (isControlCategory(cat)) continue;
    if (cat == UTF8PROC_CATEGORY_ZS || cp == 0x2028 || cp == 0x2029) {
      cleaned.push_back(' ');
    } else if (m_options.tokenizeChineseChars && isChineseChar(cp)) {
      cleaned.push_back(' ');
      cleaned.push_back(cp);
      cleaned.push_back(' ');
    } else {
      cleaned.push_back(cp);
    }
  }
  // Words between spaces.
  size_t i = 0;
  const size_t m = cleaned.size();
  while (i < m) {
    while (i < m && cleaned[i] == ' ') ++i;
    const size_t begin = i;
    while (i < m && cleaned[i] != ' ') ++i;
    if (i == begin) break;
    std::vector<int32_t>& word = scratch.word;
    word.clear();
    if (m_options.lowerCase) {
      for (size_t k = begin; k < i; ++k) {
        const int32_t cp = cleaned[k];
        if (cp < 128) {
          word.push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        } else if (cp == 0x130) {  // Python: "İ".lower() == "i\u0307"
          word.push_back('i');
          word.push_back(0x307);
        } else {
          word.push_back(utf8proc_tolower(cp));
        }
      }
    } else {
      word.assign(cleaned.begin() + static_cast<std::ptrdiff_t>(begin),
                  cleaned.begin() + static_cast<std::ptrdiff_t>(i));
    }
    processWord(scratch, out);
  }
}

void WordPieceTokenizer::processWord(Scratch& scratch, std::vector<std::string>& out) const {
  std::vector<int32_t>& word = scratch.word;
  int32_t highest = 0;
  for (int32_t cp : word) highest = std::max(highest, cp);
  // Below U+0300 nothing composes, and there is nothing to strip in ASCII.
  const bool needNfc = highest >= 0x300;
  const bool needStrip = m_stripAccents && highest >= 0x80;
  if (needNfc || needStrip) canonicalDecompose(word, scratch.nfd);
  if (needNfc) canonicalCompose(scratch.nfd, word);

  if (isNeverSplit(word.data(), word.data() + word.size(), scratch)) {
    wordPiece(word.data(), word.data() + word.size(), scratch, out);
    return;
  }
  if (needStrip) {
    word.clear();
    for (int32_t cp : scratch.nfd)
      if (cp < 0x300 || utf8proc_category(cp) != UTF8PROC_CATEGORY_MN) word.push_back(cp);
  }
  // Split around punctuation.
  const int32_t* w = word.data();
  const size_t n = word.size();
  size_t start = 0;
  for (size_t k = 0; k < n; ++k) {
    if (!isPunct(w[k])) continue;
    if (k > start) wordPiece(w + start, w + k, scratch, out);
    wordPiece(w + k, w + k + 1, scratch, out);
    start = k + 1;
  }
  if (start < n) wordPiece(w + start, w + n, scratch, out);
}

bool WordPieceTokenizer::isNeverSplit(const int32_t* begin, const int32_t* end,
                                      Scratch& scratch) const {
  if (begin == end || m_neverSplit.empty()) return false;
  // Cheap rejection by the first byte of the word's UTF-8.
  std::string& bytes = scratch.bytes;
  bytes.clear();
  appendUtf8(bytes, *begin);
  if (!m_neverSplitFirstByte[static_cast<unsigned char>(bytes[0])]) return false;
  for (const int32_t* p = begin + 1; p != end; ++p) appendUtf8(bytes, *p);
  return std::find(m_neverSplit.begin(), m_neverSplit.end(), bytes) != m_neverSplit.end();
}

void WordPieceTokenizer::wordPiece(const int32_t* begin, const int32_t* end, Scratch& scratch,
                                   std::vector<std::string>& out) const {
  const size_t n = static_cast<size_t>(end - begin);
  if (n == 0) return;
  if (n > static_cast<size_t>(m_options.maxInputCharsPerWord)) {
    out.push_back(m_options.unkToken);
    return;
  }
  // bytes = "##" + UTF-8 of the word; offsets[k] = where code point k starts, after "##".
  std::string& bytes = scratch.bytes;
  std::vector<uint32_t>& offsets = scratch.offsets;
  bytes.assign("##");
  offsets.clear();
  for (const int32_t* p = begin; p != end; ++p) {
    offsets.push_back(static_cast<uint32_t>(bytes.size() - 2));
    appendUtf8(bytes, *p);
  }
  offsets.push_back(static_cast<uint32_t>(bytes.size() - 2));

  // Whole word first: the common case.
  auto whole = m_vocab.find(std::string_view(bytes.data() + 2, bytes.size() - 2));
  if (whole != m_vocab.end()) {
    out.push_back(m_tokens[static_cast<size_t>(whole->second)]);
    return;
  }
  // Greedy longest match first. A continuation "##" + piece is made in place: the two
  // bytes before the piece belong to pieces already consumed (or to the "##" prefix).
  std::vector<int64_t>& pieces = scratch.pieces;
  pieces.clear();
  size_t start = 0;
  while (start < n) {
    size_t stop = (start == 0) ? n - 1 : n;  // the whole word was tried above
    int64_t found = -1;
    if (start > 0) {
      bytes[offsets[start]] = '#';
      bytes[offsets[start] + 1] = '#';
    }
    for (; stop > start; --stop) {
      const size_t from = start == 0 ? 2 : offsets[start];
      const size_t to = offsets[stop] + 2;
      auto it = m_vocab.find(std::string_view(bytes.data() + from, to - from));
      if (it != m_vocab.end()) {
        found = it->second;
        break;
      }
    }
    if (found < 0) {
      out.push_back(m_options.unkToken);
      return;
    }
    pieces.push_back(found);
    start = stop;
  }
  for (int64_t id : pieces) out.push_back(m_tokens[static_cast<size_t>(id)]);
}

// ---------------------------------------------------------------------------------------
// Vocabulary access

int64_t WordPieceTokenizer::tokenToId(const std::string& token) const {
  auto it = m_vocab.find(token);
  if (it != m_vocab.end()) return it->second;
  if (m_special.unk < 0)
    throw Error(ErrorKind::InvalidArgument,
                "the token \"" + token + "\" is not in the vocabulary, which has no \"" +
                    m_options.unkToken + "\" token either");
  return m_special.unk;
}

std::string WordPieceTokenizer::idToToken(int64_t id) const {
  if (id < 0 || id >= vocabSize())
    throw Error(ErrorKind::InvalidArgument,
                "token id " + std::to_string(id) + " is outside the vocabulary (0 to " +
                    std::to_string(vocabSize() - 1) + ")");
  return m_tokens[static_cast<size_t>(id)];
}

}  // namespace retort::text
