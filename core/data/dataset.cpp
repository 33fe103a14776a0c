#include "core/data/dataset.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <unordered_map>

#include "core/util/error.h"
#include "core/util/files.h"
#include "core/util/utf8.h"

namespace retort::data {

namespace {

constexpr int64_t kMaxIntegerLabel = 100000;  // integer labels at or above this are names

/// One record of any format, before validation: the raw strings of the columns we use.
struct RawRow {
  int64_t line = 0;
  std::string text, pair, label;
  bool labelIsList = false;            ///< multi_label from a JSON array: labelList holds it
  std::vector<std::string> labelList;
  bool isTokens = false;               ///< token_classification: words (and tags) hold the row
  std::vector<std::string> words, tags;
};

/// A header row and records of a delimited file (TSV or CSV).
struct Record {
  std::vector<std::string> fields;
  int64_t line = 0;
};

[[noreturn]] void fail(const std::string& path, int64_t line, const std::string& message) {
  throw Error(ErrorKind::Format,
              path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message);
}

std::string inQuotes(const std::string& s) { return "\"" + s + "\""; }

std::string joinNames(const std::vector<std::string>& names, bool quote) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += quote ? inQuotes(names[i]) : names[i];
  }
  return out;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

bool isBlank(std::string_view s) { return std::all_of(s.begin(), s.end(), isSpace); }

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && isSpace(s[b])) ++b;
  while (e > b && isSpace(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

using util::hexByte;
using util::invalidUtf8At;

/// Throws when s is not UTF-8; `what` names it ("column \"x\"", "the header", ...).
void checkUtf8(const std::string& path, int64_t line, std::string_view s, const std::string& what) {
  const size_t at = invalidUtf8At(s);
  if (at != std::string_view::npos)
    fail(path, line, what + " is not valid UTF-8 (byte " +
                         hexByte(static_cast<unsigned char>(s[at])) + " at byte offset " +
                         std::to_string(at) + ")");
}

std::string_view stripBom(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

/// Calls fn(lineNumber, lineWithoutTerminator) for every line ("\n" or "\r\n").
template <typename Fn>
void forEachLine(std::string_view s, Fn&& fn) {
  int64_t line = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find('\n', pos);
    const size_t next = end == std::string_view::npos ? s.size() : end + 1;
    if (end == std::string_view::npos) end = s.size();
    std::string_view text = s.substr(pos, end - pos);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    fn(++line, text);
    pos = next;
  }
}

/// Calls fn(Record&&) for each non-blank line; fn returns false to stop.
template <typename Fn>
void parseTsv(std::string_view content, Fn&& fn) {
  bool go = true;
  forEachLine(content, [&](int64_t line, std::string_view text) {
    if (!go || isBlank(text)) return;
    Record r;
    r.line = line;
    size_t pos = 0;
    while (true) {
      const size_t tab = text.find('\t', pos);
      r.fields.emplace_back(text.substr(pos, tab == std::string_view::npos ? text.npos : tab - pos));
      if (tab == std::string_view::npos) break;
      pos = tab + 1;
    }
    go = fn(std::move(r));
  });
}

/// RFC 4180 with "\n" or "\r\n" record ends. Quotes inside an unquoted field are kept as
/// they are (common in the wild); a closing quote must be followed by a comma or a record end.
/// Calls fn(Record&&) for each record; fn returns false to stop.
template <typename Fn>
void parseCsv(const std::string& path, std::string_view s, Fn&& fn) {
  const size_t n = s.size();
  size_t pos = 0;
  int64_t line = 1;
  auto atRecordEnd = [&](size_t p) {
    return p >= n || s[p] == '\n' || (s[p] == '\r' && (p + 1 >= n || s[p + 1] == '\n'));
  };
  while (pos < n) {
    Record r;
    r.line = line;
    bool anyQuoted = false;
    while (true) {
      std::string field;
      if (pos < n && s[pos] == '"') {
        anyQuoted = true;
        const int64_t openLine = line;
        ++pos;
        while (true) {
          if (pos >= n)
            fail(path, openLine, "the quoted field " + std::to_string(r.fields.size() + 1) +
                                     " that opens on this line is never closed");
          const char c = s[pos];
          if (c == '"') {
            if (pos + 1 < n && s[pos + 1] == '"') { field += '"'; pos += 2; continue; }
            ++pos;
            break;
          }
          if (c == '\r' && pos + 1 < n && s[pos + 1] == '\n') { field += '\n'; pos += 2; ++line; continue; }
          if (c == '\n') ++line;
          field += c;
          ++pos;
        }
        if (!(atRecordEnd(pos) || s[pos] == ','))
          fail(path, line, "unexpected character after the closing quote of field " +
                               std::to_string(r.fields.size() + 1) +
                               " (a quote inside a quoted field must be doubled)");
      } else {
        const size_t start = pos;
        while (!atRecordEnd(pos) && s[pos] != ',') ++pos;
        field.assign(s.substr(start, pos - start));
      }
      r.fields.push_back(std::move(field));
      if (pos < n && s[pos] == ',') { ++pos; continue; }
      if (pos < n) {  // record end: "\n" or "\r\n" or a final "\r"
        pos += (s[pos] == '\r' && pos + 1 < n) ? 2 : 1;
        ++line;
      }
      break;
    }
    const bool blank = !anyQuoted && r.fields.size() == 1 && isBlank(r.fields[0]);
    if (!blank && !fn(std::move(r))) return;
  }
}

/// Columns of the header that we read; -1 for a column not asked for.
struct Columns {
  int64_t text = -1, pair = -1, label = -1;
};

int64_t findColumn(const std::string& path, const Record& header, const std::string& name,
                   const std::string& role) {
  for (size_t i = 0; i < header.fields.size(); ++i)
    if (header.fields[i] == name) return static_cast<int64_t>(i);
  fail(path, header.line, "the header has no " + role + " column " + inQuotes(name) +
                              " (its columns are " + joinNames(header.fields, true) + ")");
}

/// Streams the rows of a TSV or CSV file: the header first (its names go to `columns`), then
/// fn(RawRow&&) per record until fn returns false.
template <typename Fn>
void delimitedRows(const DatasetSpec& spec, std::string_view content, bool csv,
                   std::vector<std::string>* columns, Fn&& fn) {
  bool haveHeader = false;
  Record header;
  Columns cols;
  auto useHeader = [&] {
    if (columns) *columns = header.fields;
    cols.text = findColumn(spec.path, header, spec.textColumn, "text");
    if (!spec.pairColumn.empty()) cols.pair = findColumn(spec.path, header, spec.pairColumn, "pair");
    if (!spec.labelColumn.empty()) cols.label = findColumn(spec.path, header, spec.labelColumn, "label");
  };
  if (!spec.columns.empty()) {  // no header row: the names are given
    haveHeader = true;
    header.fields = spec.columns;
    header.line = 0;
    useHeader();
  }
  auto onRecord = [&](Record&& rec) -> bool {
    if (!haveHeader) {
      haveHeader = true;
      header = std::move(rec);
      for (const auto& name : header.fields) checkUtf8(spec.path, header.line, name, "the header");
      for (auto& name : header.fields) name = trim(name);
      useHeader();
      return true;
    }
    if (rec.fields.size() != header.fields.size())
      fail(spec.path, rec.line, "expected " + std::to_string(header.fields.size()) + " fields (" +
                                    joinNames(header.fields, false) + "), found " +
                                    std::to_string(rec.fields.size()) +
                                    (csv ? "" : " (fields are separated by tabs)"));
    for (size_t i = 0; i < rec.fields.size(); ++i)
      checkUtf8(spec.path, rec.line, rec.fields[i], "column " + inQuotes(header.fields[i]));
    RawRow row;
    row.line = rec.line;
    row.text = std::move(rec.fields[static_cast<size_t>(cols.text)]);
    if (cols.pair >= 0) row.pair = std::move(rec.fields[static_cast<size_t>(cols.pair)]);
    if (cols.label >= 0) row.label = trim(rec.fields[static_cast<size_t>(cols.label)]);
    return fn(std::move(row));
  };
  if (csv) parseCsv(spec.path, content, onRecord);
  else parseTsv(content, onRecord);
  if (!haveHeader) fail(spec.path, 0, "the file is empty (expected a header row)");
}

std::string jsonFieldNames(const nlohmann::json& object) {
  std::vector<std::string> names;
  for (auto it = object.begin(); it != object.end(); ++it) names.push_back(it.key());
  return names.empty() ? "it has none" : "it has " + joinNames(names, true);
}

std::string jsonString(const std::string& path, int64_t line, const nlohmann::json& object,
                       const std::string& name, bool allowInteger) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null())
    fail(path, line, "field " + inQuotes(name) + " is missing (" + jsonFieldNames(object) + ")");
  if (it->is_string()) return it->get<std::string>();
  if (allowInteger && it->is_number_integer())
    return it->is_number_unsigned() ? std::to_string(it->get<uint64_t>())
                                    : std::to_string(it->get<int64_t>());
  fail(path, line, "field " + inQuotes(name) + " must be a string" +
                       (allowInteger ? std::string(" or an integer") : std::string()) + ", not " +
                       it->type_name() + " " + it->dump());
}

/// The label field of a JSON object: a string or an integer; for a regression also a number,
/// for multi_label also an array of strings or integers.
void jsonLabel(const DatasetSpec& spec, int64_t line, const nlohmann::json& object, RawRow& row) {
  const std::string& name = spec.labelColumn;
  const auto it = object.find(name);
  const bool any = spec.kind == "auto";  // a preview guessing the kind takes every label form
  if ((spec.kind == "regression" || any) && it != object.end() && it->is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", it->get<double>());
    row.label = buf;
    return;
  }
  if ((spec.kind == "multi_label" || any) && it != object.end() && it->is_array()) {
    row.labelIsList = true;
    for (const auto& v : *it) {
      if (v.is_string()) row.labelList.push_back(trim(v.get<std::string>()));
      else if (v.is_number_integer()) row.labelList.push_back(v.dump());
      else
        fail(spec.path, line, "field " + inQuotes(name) + " must hold strings or integers (the classes), not " +
                                  v.type_name() + " " + v.dump());
      if (row.labelList.back().empty())
        fail(spec.path, line, "field " + inQuotes(name) + " holds an empty class name");
    }
    for (const auto& l : row.labelList) row.label += (row.label.empty() ? "" : spec.labelSeparator) + l;
    return;
  }
  if ((spec.kind == "multi_label" || any) && it != object.end() && it->is_string()) {
    row.label = trim(it->get<std::string>());
    return;
  }
  row.label = trim(jsonString(spec.path, line, object, name, true));
}

/// Streams the sentences of a CoNLL-style column file: one word per line, fields separated by
/// white space, the first field the word and the last its tag; a blank line ends a sentence;
/// "-DOCSTART-" lines (CoNLL-2003's document marks) are skipped. `columns` gets {"tokens",
/// "tags"}. A row's line is its first word's.
template <typename Fn>
void conllRows(const DatasetSpec& spec, std::string_view content, std::vector<std::string>* columns, Fn&& fn) {
  if (columns) *columns = {"tokens", "tags"};
  const bool labeled = !spec.labelColumn.empty();
  bool go = true;
  RawRow row;
  row.isTokens = true;
  auto flush = [&] {
    if (!go || row.words.empty()) return;
    RawRow done = std::move(row);
    row = RawRow();
    row.isTokens = true;
    go = fn(std::move(done));
  };
  forEachLine(content, [&](int64_t line, std::string_view text) {
    if (!go) return;
    if (isBlank(text)) {
      flush();
      return;
    }
    checkUtf8(spec.path, line, text, "the line");
    std::vector<std::string_view> fields;
    size_t pos = 0;
    while (pos < text.size()) {
      while (pos < text.size() && isSpace(text[pos])) ++pos;
      if (pos >= text.size()) break;
      size_t end = pos;
      while (end < text.size() && !isSpace(text[end])) ++end;
      fields.push_back(text.substr(pos, end - pos));
      pos = end;
    }
    if (fields.front() == "-DOCSTART-") {
      flush();
      return;
    }
    if (labeled && fields.size() < 2)
      fail(spec.path, line, "expected a word and its tag separated by white space, found only " +
                                inQuotes(std::string(fields.front())) + " (CoNLL: one word per line, the tag last)");
    if (row.words.empty()) row.line = line;
    row.words.emplace_back(fields.front());
    if (labeled) row.tags.emplace_back(fields.back());
  });
  flush();
}

/// The field of a token-classification JSON object: `name` when the object has it, else (when
/// `name` is the reader's default) the first of the usual names it has.
std::string tokenField(const nlohmann::json& object, const std::string& name, const char* defaultName,
                       std::initializer_list<const char*> usual) {
  if (object.contains(name) || name != defaultName) return name;
  for (const char* u : usual)
    if (object.contains(u)) return u;
  return name;
}

/// The words and tags of a token-classification JSON object: arrays of strings of one length.
void jsonTokens(const DatasetSpec& spec, int64_t line, const nlohmann::json& object, RawRow& row) {
  row.isTokens = true;
  const std::string wordsName = tokenField(object, spec.textColumn, "sentence", {"tokens", "words"});
  auto strings = [&](const std::string& name, std::vector<std::string>& out, const char* what) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null())
      fail(spec.path, line, "field " + inQuotes(name) + " is missing (" + jsonFieldNames(object) + ")");
    if (!it->is_array())
      fail(spec.path, line, "field " + inQuotes(name) + " must be an array of " + what + ", not " + it->type_name() +
                                " " + it->dump());
    for (size_t i = 0; i < it->size(); ++i) {
      const auto& v = (*it)[i];
      if (!v.is_string())
        fail(spec.path, line, "field " + inQuotes(name) + "[" + std::to_string(i) + "] must be a string (" + what +
                                  "), not " + v.type_name() + " " + v.dump());
      out.push_back(v.get<std::string>());
    }
  };
  strings(wordsName, row.words, "words");
  if (spec.labelColumn.empty()) return;
  const std::string tagsName = tokenField(object, spec.labelColumn, "label", {"tags", "ner_tags"});
  strings(tagsName, row.tags, "tag names such as \"B-PER\"");
  for (auto& t : row.tags) t = trim(t);
  if (row.tags.size() != row.words.size())
    fail(spec.path, line, "field " + inQuotes(tagsName) + " has " + std::to_string(row.tags.size()) + " tags for " +
                              std::to_string(row.words.size()) + " words in " + inQuotes(wordsName) +
                              " (one tag per word)");
}

/// Streams the objects of a JSON Lines file as rows (the first object's field names go to
/// `columns`) until fn returns false.
template <typename Fn>
void jsonlRows(const DatasetSpec& spec, std::string_view content, std::vector<std::string>* columns, Fn&& fn) {
  bool go = true, first = true;
  forEachLine(content, [&](int64_t line, std::string_view text) {
    if (!go || isBlank(text)) return;
    checkUtf8(spec.path, line, text, "the line");
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
      std::string why = e.what();
      const size_t at = why.find("parse error at line 1, ");
      if (at != std::string::npos) why = why.substr(at + 23);
      fail(spec.path, line, "malformed JSON (" + why + "); expected one JSON object per line");
    } catch (const nlohmann::json::out_of_range& e) {  // a number such as 1e400
      fail(spec.path, line, std::string("malformed JSON (") + e.what() + "); expected one JSON object per line");
    }
    if (!object.is_object())
      fail(spec.path, line, std::string("expected a JSON object, found ") + object.type_name() +
                                " (JSON Lines: one object per line)");
    if (first && columns) {
      columns->clear();
      for (auto it = object.begin(); it != object.end(); ++it) columns->push_back(it.key());
    }
    first = false;
    RawRow row;
    row.line = line;
    const bool tokens = spec.kind == "token_classification" ||
                        (spec.kind == "auto" && object.contains(tokenField(object, spec.textColumn, "sentence",
                                                                           {"tokens", "words"})) &&
                         object[tokenField(object, spec.textColumn, "sentence", {"tokens", "words"})].is_array());
    if (tokens) {
      jsonTokens(spec, line, object, row);
      go = fn(std::move(row));
      return;
    }
    row.text = jsonString(spec.path, line, object, spec.textColumn, false);
    if (!spec.pairColumn.empty())
      row.pair = jsonString(spec.path, line, object, spec.pairColumn, false);
    if (!spec.labelColumn.empty()) jsonLabel(spec, line, object, row);
    go = fn(std::move(row));
  });
}

std::string lowerExtension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

bool isConllExtension(const std::string& ext) {
  return ext == "conll" || ext == "iob" || ext == "iob2" || ext == "bio" || ext == "txt";
}

std::string resolveFormat(const DatasetSpec& spec) {
  const bool tokens = spec.kind == "token_classification";
  std::string format = spec.format;
  if (format == "auto") {
    const std::string ext = lowerExtension(spec.path);
    if (ext == "tsv" || ext == "csv" || ext == "jsonl") format = ext;
    else if (ext == "json") format = "jsonl";
    else if (isConllExtension(ext) && (tokens || spec.kind == "auto")) format = "conll";
    else if (isConllExtension(ext) && ext != "txt")
      throw Error(ErrorKind::InvalidArgument,
                  spec.path + ": a ." + ext + " file holds a tag per word (CoNLL columns): read it as a "
                              "token_classification, or give the format");
    else
      throw Error(ErrorKind::InvalidArgument,
                  spec.path + ": cannot tell the dataset format from the extension (expected .tsv, .csv, .jsonl or .json" +
                      std::string(tokens ? ", or .conll for tokens and tags" : "") + ", or give the format)");
  } else if (format != "tsv" && format != "csv" && format != "jsonl" && format != "conll") {
    throw Error(ErrorKind::InvalidArgument, spec.path + ": unknown dataset format " + inQuotes(spec.format) +
                                                " (expected auto, tsv, csv, jsonl or conll)");
  }
  if (tokens && (format == "tsv" || format == "csv"))
    throw Error(ErrorKind::InvalidArgument,
                spec.path + ": a token_classification reads CoNLL column files (one word and its tag per line) "
                            "or JSON Lines with arrays of tokens and tags, not " + format);
  if (format == "conll" && !tokens && spec.kind != "auto")
    throw Error(ErrorKind::InvalidArgument, spec.path + ": a CoNLL file holds tags per word: it is read by a "
                                                        "token_classification task, not a " + spec.kind);
  return format;
}

/// Non-negative decimal integer below kMaxIntegerLabel, or -1.
int64_t integerLabel(const std::string& s) {
  if (s.empty() || s.size() > 6) return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v < kMaxIntegerLabel ? v : -1;
}

}  // namespace

std::vector<int64_t> LabeledDataset::labelCounts() const {
  std::vector<int64_t> counts(labels.size(), 0);
  for (const auto& ex : examples) {
    if (kind == "multi_label") {
      for (size_t c = 0; c < ex.targets.size() && c < counts.size(); ++c)
        if (ex.targets[c] > 0.5f) ++counts[c];
    } else if (kind == "regression") {
      if (!ex.targets.empty() && !counts.empty()) ++counts[0];
    } else if (kind == "token_classification") {
      for (int64_t t : ex.tags)
        if (t >= 0 && static_cast<size_t>(t) < counts.size()) ++counts[static_cast<size_t>(t)];
    } else if (ex.label >= 0 && static_cast<size_t>(ex.label) < counts.size()) {
      ++counts[static_cast<size_t>(ex.label)];
    }
  }
  return counts;
}

void forEachExample(const DatasetSpec& spec, const std::function<bool(RawExample&&)>& fn,
                    std::vector<std::string>* columns) {
  if (spec.textColumn.empty())
    throw Error(ErrorKind::InvalidArgument, spec.path + ": no text column given");
  if (spec.kind != "classification" && spec.kind != "regression" && spec.kind != "multi_label" &&
      spec.kind != "token_classification" && spec.kind != "auto")
    throw Error(ErrorKind::InvalidArgument, spec.path + ": unknown task kind \"" + spec.kind +
                                                "\" (classification, regression, multi_label, token_classification)");
  if (spec.kind == "multi_label" && spec.labelSeparator.empty())
    throw Error(ErrorKind::InvalidArgument, spec.path + ": the multi-label separator is empty");
  const std::string format = resolveFormat(spec);
  const std::string bytes = util::readFile(spec.path);
  const std::string_view content = stripBom(bytes);
  const bool labeled = !spec.labelColumn.empty();
  const char* where = format == "jsonl" ? "field " : "column ";
  bool any = false;
  auto onRow = [&](RawRow&& row) -> bool {
    if (row.isTokens) {
      if (row.words.empty()) fail(spec.path, row.line, "the array of words is empty (a sentence needs at least one word)");
      for (size_t i = 0; i < row.words.size(); ++i)
        if (isBlank(row.words[i]))
          fail(spec.path, row.line, "word " + std::to_string(i + 1) + " is empty");
      for (size_t i = 0; i < row.tags.size(); ++i)
        if (row.tags[i].empty())
          fail(spec.path, row.line, "the tag of word " + std::to_string(i + 1) + " (" + inQuotes(row.words[i]) +
                                        ") is empty");
      RawExample ex;
      for (const auto& w : row.words) ex.text += (ex.text.empty() ? "" : " ") + w;
      ex.words = std::move(row.words);
      ex.tags = std::move(row.tags);
      ex.line = row.line;
      any = true;
      return fn(std::move(ex));
    }
    if (isBlank(row.text)) fail(spec.path, row.line, where + inQuotes(spec.textColumn) + " is empty");
    if (!spec.pairColumn.empty() && isBlank(row.pair))
      fail(spec.path, row.line, where + inQuotes(spec.pairColumn) + " is empty");
    const bool multiLabel = spec.kind == "multi_label";
    if (labeled && spec.kind == "auto") {  // the preview's guess: the list as given, the label as it is
      RawExample ex;
      ex.text = std::move(row.text);
      ex.pair = std::move(row.pair);
      ex.label = std::move(row.label);
      ex.line = row.line;
      if (row.labelIsList) ex.labelList = std::move(row.labelList);
      any = true;
      return fn(std::move(ex));
    }
    if (labeled && row.label.empty() && !multiLabel)
      fail(spec.path, row.line, where + inQuotes(spec.labelColumn) +
                                    " is empty (every example needs a label)");
    any = true;
    RawExample ex;
    if (labeled && multiLabel) {
      std::vector<std::string> names = std::move(row.labelList);
      if (!row.labelIsList && !row.label.empty()) {
        size_t pos = 0;
        while (true) {
          const size_t at = row.label.find(spec.labelSeparator, pos);
          std::string name = trim(std::string_view(row.label).substr(pos, at == std::string::npos ? std::string::npos : at - pos));
          if (name.empty())
            fail(spec.path, row.line, where + inQuotes(spec.labelColumn) + " holds an empty class name in " +
                                          inQuotes(row.label) + " (classes are separated by " +
                                          inQuotes(spec.labelSeparator) + ")");
          names.push_back(std::move(name));
          if (at == std::string::npos) break;
          pos = at + spec.labelSeparator.size();
        }
      }
      for (auto& name : names)
        if (std::find(ex.labelList.begin(), ex.labelList.end(), name) == ex.labelList.end())
          ex.labelList.push_back(std::move(name));
    }
    if (labeled && spec.kind == "regression") {
      float v = 0.0f;
      if (!parseTarget(row.label, v))
        fail(spec.path, row.line, "label " + inQuotes(row.label) + " of " + where + inQuotes(spec.labelColumn) +
                                      " is not a number (a regression needs a finite decimal value)");
    }
    ex.text = std::move(row.text);
    ex.pair = std::move(row.pair);
    ex.label = std::move(row.label);
    ex.line = row.line;
    return fn(std::move(ex));
  };
  if (format == "jsonl") jsonlRows(spec, content, columns, onRow);
  else if (format == "conll") conllRows(spec, content, columns, onRow);
  else delimitedRows(spec, content, format == "csv", columns, onRow);
  if (!any)
    fail(spec.path, 0, format == "jsonl"   ? "no examples (every line is blank)"
                       : format == "conll" ? "no sentences (every line is blank or -DOCSTART-)"
                                           : "no examples after the header");
}

std::vector<std::string> classNames(const std::set<std::string>& uniqueLabels) {
  bool allIntegers = !uniqueLabels.empty();
  int64_t maxLabel = -1;
  for (const auto& label : uniqueLabels) {
    const int64_t v = integerLabel(label);
    if (v < 0) allIntegers = false;
    maxLabel = std::max(maxLabel, v);
  }
  if (!allIntegers) return {uniqueLabels.begin(), uniqueLabels.end()};
  std::vector<std::string> names;
  for (int64_t i = 0; i <= maxLabel; ++i) names.push_back(std::to_string(i));
  return names;
}

int64_t classIndex(const std::vector<std::string>& classes, const std::string& label) {
  const auto it = std::find(classes.begin(), classes.end(), label);
  if (it != classes.end()) return static_cast<int64_t>(it - classes.begin());
  // "01" is class 1 when the classes are the integers "0".."max".
  const int64_t v = integerLabel(label);
  if (v >= 0 && static_cast<size_t>(v) < classes.size() && classes[static_cast<size_t>(v)] == std::to_string(v)) return v;
  return -1;
}

LabeledDataset readDataset(const DatasetSpec& spec, const std::vector<std::string>& knownLabels) {
  if (spec.kind == "auto")
    throw Error(ErrorKind::InvalidArgument, spec.path + ": a dataset is read as a classification, regression or multi_label");
  std::vector<RawExample> rows;
  forEachExample(spec, [&](RawExample&& row) {
    rows.push_back(std::move(row));
    return true;
  });
  LabeledDataset out;
  out.source = spec.path;
  out.examples.reserve(rows.size());
  for (auto& row : rows) {
    Example ex;
    ex.text = std::move(row.text);
    ex.pair = std::move(row.pair);
    ex.line = row.line;
    ex.words = std::move(row.words);
    out.examples.push_back(std::move(ex));
  }
  if (spec.kind == "token_classification") out.kind = spec.kind;  // the words, even unlabeled
  if (spec.labelColumn.empty()) return out;
  out.kind = spec.kind;
  if (spec.kind == "token_classification") {
    if (!knownLabels.empty()) {
      out.labels = knownLabels;
    } else {
      std::set<std::string> unique;
      for (const auto& row : rows) unique.insert(row.tags.begin(), row.tags.end());
      out.labels = classNames(unique);
    }
    std::unordered_map<std::string, int64_t> index;
    for (size_t i = 0; i < out.labels.size(); ++i) index.emplace(out.labels[i], static_cast<int64_t>(i));
    for (size_t i = 0; i < rows.size(); ++i) {
      auto& tags = out.examples[i].tags;
      tags.reserve(rows[i].tags.size());
      for (size_t w = 0; w < rows[i].tags.size(); ++w) {
        const auto it = index.find(rows[i].tags[w]);
        if (it == index.end())
          fail(spec.path, rows[i].line, "tag " + inQuotes(rows[i].tags[w]) + " of word " + std::to_string(w + 1) + " (" +
                                            inQuotes(out.examples[i].words[w]) + ") is not one of the training tags (" +
                                            joinNames(out.labels, false) + ")");
        tags.push_back(it->second);
      }
    }
    return out;
  }
  if (spec.kind == "regression") {
    out.labels = {spec.labelColumn};
    for (size_t i = 0; i < rows.size(); ++i) {
      float v = 0.0f;
      parseTarget(rows[i].label, v);  // checked by forEachExample
      out.examples[i].targets = {v};
    }
    return out;
  }
  if (spec.kind == "multi_label") {
    if (!knownLabels.empty()) {
      out.labels = knownLabels;
    } else {
      std::set<std::string> unique;
      for (const auto& row : rows) unique.insert(row.labelList.begin(), row.labelList.end());
      out.labels = classNames(unique);
      if (out.labels.empty())
        fail(spec.path, 0, "no example has a class in column " + inQuotes(spec.labelColumn) +
                               " (a multi-label task needs at least one)");
    }
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < out.labels.size(); ++i) index.emplace(out.labels[i], i);
    for (size_t i = 0; i < rows.size(); ++i) {
      auto& targets = out.examples[i].targets;
      targets.assign(out.labels.size(), 0.0f);
      for (const auto& name : rows[i].labelList) {
        auto it = index.find(name);
        if (it == index.end()) {
          const int64_t c = classIndex(out.labels, name);
          if (c < 0)
            fail(spec.path, rows[i].line, "class " + inQuotes(name) + " is not one of the training classes (" +
                                              joinNames(out.labels, false) + ")");
          targets[static_cast<size_t>(c)] = 1.0f;
        } else {
          targets[it->second] = 1.0f;
        }
      }
    }
    return out;
  }

  if (!knownLabels.empty()) {
    out.labels = knownLabels;
  } else {
    std::set<std::string> unique;
    for (const auto& row : rows) unique.insert(row.label);
    out.labels = classNames(unique);
    for (size_t i = 0; i < rows.size(); ++i) out.examples[i].label = classIndex(out.labels, rows[i].label);
    return out;
  }
  std::unordered_map<std::string, int64_t> index;
  for (size_t i = 0; i < out.labels.size(); ++i)
    index.emplace(out.labels[i], static_cast<int64_t>(i));
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto it = index.find(rows[i].label);
    if (it == index.end())
      fail(spec.path, rows[i].line, "label " + inQuotes(rows[i].label) +
                                        " is not one of the training labels (" +
                                        joinNames(out.labels, false) + ")");
    out.examples[i].label = it->second;
  }
  return out;
}

std::vector<std::string> readCorpus(const std::string& path, const std::string& textColumn) {
  std::vector<std::string> texts;
  if (!textColumn.empty()) {
    DatasetSpec spec;
    spec.path = path;
    spec.textColumn = textColumn;
    spec.labelColumn.clear();
    LabeledDataset data = readDataset(spec);
    texts.reserve(data.examples.size());
    for (auto& ex : data.examples) texts.push_back(std::move(ex.text));
    return texts;
  }
  const std::string bytes = util::readFile(path);
  forEachLine(stripBom(bytes), [&](int64_t line, std::string_view text) {
    if (isBlank(text)) return;
    checkUtf8(path, line, text, "the line");
    texts.emplace_back(text);
  });
  if (texts.empty()) fail(path, 0, "no text (the file is empty or every line is blank)");
  return texts;
}

bool parseTarget(const std::string& text, float& value) {
  const std::string t = trim(text);
  if (t.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || errno == ERANGE || !std::isfinite(v) ||
      std::fabs(v) > static_cast<double>(std::numeric_limits<float>::max()))
    return false;
  // strtod reads "nan", "inf" and hexadecimal; only decimal numbers are labels.
  for (char c : t)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return false;
  value = static_cast<float>(v);
  return true;
}

void writeDatasetTsv(const std::string& path, const std::vector<Example>& examples,
                     const std::vector<std::string>& labels, bool withPair, const std::string& kind,
                     const std::string& separator) {
  auto clean = [](const std::string& s) {
    std::string out = s;
    for (char& c : out)
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return out;
  };
  if (kind == "token_classification")
    throw Error(ErrorKind::InvalidArgument, path + ": tags per word are not written as a TSV (token_classification)");
  const bool labeled = !labels.empty();
  std::string out = withPair ? "sentence\tsentence2" : "sentence";
  out += labeled ? "\tlabel\n" : "\n";
  for (size_t i = 0; i < examples.size(); ++i) {
    const Example& ex = examples[i];
    out += clean(ex.text);
    if (withPair) out += '\t' + clean(ex.pair);
    if (labeled && kind == "regression") {
      if (ex.targets.size() != 1)
        throw Error(ErrorKind::InvalidArgument, path + ": example " + std::to_string(i) + " has " +
                                                    std::to_string(ex.targets.size()) + " targets, a regression needs 1");
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(ex.targets[0]));
      out += '\t';
      out += buf;
    } else if (labeled && kind == "multi_label") {
      if (ex.targets.size() != labels.size())
        throw Error(ErrorKind::InvalidArgument, path + ": example " + std::to_string(i) + " has " +
                                                    std::to_string(ex.targets.size()) + " targets for " +
                                                    std::to_string(labels.size()) + " classes");
      std::string names;
      for (size_t c = 0; c < labels.size(); ++c)
        if (ex.targets[c] > 0.5f) names += (names.empty() ? "" : separator) + clean(labels[c]);
      out += '\t' + names;
    } else if (labeled) {
      if (ex.label < 0 || static_cast<size_t>(ex.label) >= labels.size())
        throw Error(ErrorKind::InvalidArgument,
                    path + ": example " + std::to_string(i) + " has label " +
                        std::to_string(ex.label) + ", outside the " +
                        std::to_string(labels.size()) + " classes (" + joinNames(labels, false) + ")");
      out += '\t' + clean(labels[static_cast<size_t>(ex.label)]);
    }
    out += '\n';
  }
  util::writeFileAtomic(path, out);
}

}  // namespace retort::data
