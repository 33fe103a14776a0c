// WordPieceTokenizer against an independent Python implementation of Hugging Face's slow
// BertTokenizer (tests/fixtures/wordpiece/make_fixtures.py -> cases.json), plus hand-computed
// truncation and padding, file errors, save/load round trips and a throughput figure.

#include "core/text/wordpiece.h"
#include "core/util/error.h"
#include "test_util.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

using retort::test::fixture;
using retort::test::thrownMessage;
using retort::text::EncodeOptions;
using retort::text::WordPieceOptions;
using retort::text::WordPieceTokenizer;

namespace {

const std::string kVocab = "wordpiece/vocab.txt";

QStringList toQt(const std::vector<std::string>& v) {
  QStringList out;
  for (const auto& s : v) out << QString::fromStdString(s);
  return out;
}

QList<qint64> toQt(const std::vector<int64_t>& v) { return QList<qint64>(v.begin(), v.end()); }

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeAll(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

const nlohmann::json& cases() {
  static const nlohmann::json all = [] {
    std::ifstream in(fixture("wordpiece/cases.json"), std::ios::binary);
    return nlohmann::json::parse(in);
  }();
  return all;
}

/// One tokenizer per option combination, made on first use.
const WordPieceTokenizer& tokenizerFor(bool lower, std::optional<bool> strip, bool chinese) {
  static std::map<std::tuple<bool, int, bool>, std::unique_ptr<WordPieceTokenizer>> cache;
  const auto key = std::make_tuple(lower, strip ? int(*strip) : -1, chinese);
  auto& slot = cache[key];
  if (!slot) {
    WordPieceOptions options;
    options.lowerCase = lower;
    options.stripAccents = strip;
    options.tokenizeChineseChars = chinese;
    slot = WordPieceTokenizer::fromVocabFile(fixture(kVocab), options);
  }
  return *slot;
}

const WordPieceTokenizer& defaultTokenizer() { return tokenizerFor(true, std::nullopt, true); }

EncodeOptions noLimit() {
  EncodeOptions o;
  o.maxLength = 0;
  return o;
}

}  // namespace

class TestWordPiece : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void referenceCases_data();
  void referenceCases();
  void invalidUtf8IsDropped();
  void neverSplitOption();
  void pairTruncationLongestFirst();
  void truncationErrors();
  void vocabularyAccess();
  void vocabFileErrors();
  void vocabFileLineEnds();
  void saveRoundTrip();
  void readConfig();
  void benchmarkBulk();
};

void TestWordPiece::referenceCases_data() {
  QTest::addColumn<int>("index");
  const auto& all = cases();
  QVERIFY(all.size() > 100);
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& c = all[i];
    std::string label = c["text"].dump(-1, ' ', true).substr(0, 40);
    label += c["lower"].get<bool>() ? " lower" : " cased";
    label += " strip=" + c["strip_accents"].dump();
    if (c.contains("chinese")) label += " chinese=false";
    QTest::addRow("%d %s", int(i), label.c_str()) << int(i);
  }
}

void TestWordPiece::referenceCases() {
  QFETCH(int, index);
  const auto& c = cases()[static_cast<size_t>(index)];
  std::optional<bool> strip;
  if (!c["strip_accents"].is_null()) strip = c["strip_accents"].get<bool>();
  const auto& tok = tokenizerFor(c["lower"].get<bool>(), strip, c.value("chinese", true));
  const auto text = c["text"].get<std::string>();

  QCOMPARE(toQt(tok.tokenize(text)), toQt(c["tokens"].get<std::vector<std::string>>()));
  const auto enc = tok.encode(text, nullptr, noLimit());
  QCOMPARE(toQt(enc.input_ids), toQt(c["ids"].get<std::vector<int64_t>>()));
  QCOMPARE(enc.attention_mask, std::vector<int64_t>(enc.input_ids.size(), 1));

  if (c.contains("pair")) {
    const auto pair = c["pair"].get<std::string>();
    QCOMPARE(toQt(tok.tokenize(pair)), toQt(c["pair_tokens"].get<std::vector<std::string>>()));
    const auto both = tok.encode(text, &pair, noLimit());
    QCOMPARE(toQt(both.input_ids), toQt(c["pair_ids"].get<std::vector<int64_t>>()));
    QCOMPARE(toQt(both.token_type_ids), toQt(c["pair_type_ids"].get<std::vector<int64_t>>()));
  }
}

void TestWordPiece::invalidUtf8IsDropped() {
  const auto& tok = defaultTokenizer();
  // A stray byte, an overlong "/", a surrogate, a code point above U+10FFFF and a truncated
  // sequence at the end: each bad byte becomes U+FFFD, which cleaning drops.
  const std::string bad = "ab\xFF" "cd x\xC0\xAFy \xED\xA0\x80z \xF4\x90\x80\x80w end\xE4\xB8";
  const QStringList expected = {"a", "##b", "##c", "##d", "x", "##y", "z", "w", "end"};
  QCOMPARE(toQt(tok.tokenize(bad)), expected);
  QCOMPARE(toQt(tok.tokenize("abcd xy z w end")), expected);
  // Valid multi-byte sequences next to bad bytes survive.
  QCOMPARE(toQt(tok.tokenize("\xFF" "caf\xC3\xA9\x80")), QStringList{"cafe"});
}

void TestWordPiece::neverSplitOption() {
  WordPieceOptions options;
  options.neverSplit = {"<e1>", "</e1>"};
  const auto tok = WordPieceTokenizer::fromVocabFile(fixture(kVocab), options);
  // Matched anywhere, kept verbatim (not lower-cased or split); unknown to the vocabulary,
  // so its id is [UNK]'s.
  QCOMPARE(toQt(tok->tokenize("hi<e1>Hello</e1>!")),
           (QStringList{"hi", "<e1>", "hello", "</e1>", "!"}));
  QCOMPARE(tok->tokenToId("<e1>"), tok->specialTokens().unk);
  // Without the option the same text is split at its punctuation.
  QCOMPARE(toQt(defaultTokenizer().tokenize("<e1>")), (QStringList{"<", "e", "##1", ">"}));
}

void TestWordPiece::pairTruncationLongestFirst() {
  const auto& tok = defaultTokenizer();
  const std::string a = "the quick brown fox jumped over";  // 7 pieces
  const std::string b = "hello, world";                     // 3 pieces
  QCOMPARE(tok.tokenize(a).size(), size_t(7));
  QCOMPARE(tok.tokenize(b).size(), size_t(3));

  // 7 + 3 + 3 specials into 8: remove 5. Longest first, one at a time: a 7->6->5->4->3,
  // then a tie at 3/3 and the pair loses one: 3 + 2.
  EncodeOptions o;
  o.maxLength = 8;
  auto enc = tok.encode(a, &b, o);
  QCOMPARE(toQt(enc.tokens), (QStringList{"[CLS]", "the", "quick", "brown", "[SEP]", "hello",
                                          ",", "[SEP]"}));
  QCOMPARE(toQt(enc.token_type_ids), (QList<qint64>{0, 0, 0, 0, 0, 1, 1, 1}));
  QCOMPARE(toQt(enc.attention_mask), (QList<qint64>{1, 1, 1, 1, 1, 1, 1, 1}));
  QCOMPARE(enc.input_ids.front(), tok.specialTokens().cls);
  QCOMPARE(enc.input_ids.back(), tok.specialTokens().sep);

  // Equal lengths (4 + 4) into 8: remove 3, the pair loses first: 3 + 2.
  const std::string c = "the quick brown fox", d = "hello world hi there";
  enc = tok.encode(c, &d, o);
  QCOMPARE(toQt(enc.tokens), (QStringList{"[CLS]", "the", "quick", "brown", "[SEP]", "hello",
                                          "world", "[SEP]"}));

  // Room to spare: padding with [PAD] (id 0), type 0, mask 0.
  o.maxLength = 16;
  o.padToMaxLength = true;
  enc = tok.encode(a, &b, o);
  QCOMPARE(enc.input_ids.size(), size_t(16));
  QCOMPARE(toQt(enc.token_type_ids),
           (QList<qint64>{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0}));
  QCOMPARE(toQt(enc.attention_mask),
           (QList<qint64>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}));
  QCOMPARE(toQt(std::vector<int64_t>(enc.input_ids.end() - 3, enc.input_ids.end())),
           (QList<qint64>{0, 0, 0}));
  QCOMPARE(enc.tokens[12], std::string("[SEP]"));
  QCOMPARE(enc.tokens[13], std::string("[PAD]"));

  // One text: cut from the end.
  EncodeOptions single;
  single.maxLength = 5;
  enc = tok.encode(a, nullptr, single);
  QCOMPARE(toQt(enc.tokens), (QStringList{"[CLS]", "the", "quick", "brown", "[SEP]"}));
}

void TestWordPiece::truncationErrors() {
  const auto& tok = defaultTokenizer();
  const std::string a = "the quick brown fox jumped over", b = "hello, world";
  EncodeOptions o;
  o.maxLength = 2;
  QString msg = thrownMessage([&] { tok.encode(a, &b, o); });
  QVERIFY2(msg.contains(QStringLiteral("maxLength 2 leaves no room for the special tokens (3)")),
           qPrintable(msg));
  o.maxLength = 8;
  o.truncation = false;
  msg = thrownMessage([&] { tok.encode(a, &b, o); });
  QVERIFY2(msg.contains(QStringLiteral("13 tokens, more than maxLength 8")), qPrintable(msg));
}

void TestWordPiece::vocabularyAccess() {
  const auto& tok = defaultTokenizer();
  const auto sp = tok.specialTokens();
  QCOMPARE(sp.pad, int64_t(0));
  QCOMPARE(sp.unk, int64_t(1));
  QCOMPARE(sp.cls, int64_t(2));
  QCOMPARE(sp.sep, int64_t(3));
  QCOMPARE(sp.mask, int64_t(4));
  QCOMPARE(tok.kind(), std::string("wordpiece"));
  QCOMPARE(tok.vocabSize(), int64_t(370));
  QCOMPARE(tok.tokenToId("no-such-token"), int64_t(1));
  QCOMPARE(tok.idToToken(tok.tokenToId("##able")), std::string("##able"));
  QString msg = thrownMessage([&] { tok.idToToken(370); });
  QVERIFY2(msg.contains(QStringLiteral("token id 370 is outside the vocabulary (0 to 369)")),
           qPrintable(msg));
  msg = thrownMessage([&] { tok.idToToken(-1); });
  QVERIFY2(msg.contains(QStringLiteral("-1")), qPrintable(msg));

  msg = thrownMessage([] { WordPieceTokenizer::fromTokens({"a", "b", "a"}); });
  QVERIFY2(msg.contains(QStringLiteral("\"a\" at id 2 repeats id 0")), qPrintable(msg));
  msg = thrownMessage([] { WordPieceTokenizer::fromTokens({}); });
  QVERIFY2(msg.contains(QStringLiteral("has no tokens")), qPrintable(msg));
  msg = thrownMessage([] { WordPieceTokenizer::fromTokens({"a", "b\nc"}); });
  QVERIFY2(msg.contains(QStringLiteral("id 1 contains a line break")), qPrintable(msg));
  // Without an unk token, an unknown piece is an error rather than id -1.
  const auto bare = WordPieceTokenizer::fromTokens({"a", "##b"});
  QCOMPARE(toQt(bare->tokenize("ab c")), (QStringList{"a", "##b", "[UNK]"}));
  msg = thrownMessage([&] { bare->tokenToId("[UNK]"); });
  QVERIFY2(msg.contains(QStringLiteral("not in the vocabulary")), qPrintable(msg));
}

void TestWordPiece::vocabFileErrors() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string base = dir.path().toStdString();

  const std::string missing = base + "/missing/vocab.txt";
  QString msg = thrownMessage([&] { WordPieceTokenizer::fromVocabFile(missing); });
  QVERIFY2(msg.contains(QString::fromStdString(missing)) && msg.contains(QStringLiteral("cannot open")),
           qPrintable(msg));

  const std::string dup = base + "/dup.txt";
  writeAll(dup, "[PAD]\n[UNK]\nfoo\nbar\nfoo\n");
  msg = thrownMessage([&] { WordPieceTokenizer::fromVocabFile(dup); });
  QVERIFY2(msg.contains(QString::fromStdString(dup)) && msg.contains(QStringLiteral("line 5")) &&
               msg.contains(QStringLiteral("\"foo\" repeats line 3")),
           qPrintable(msg));

  const std::string empty = base + "/empty.txt";
  writeAll(empty, "");
  msg = thrownMessage([&] { WordPieceTokenizer::fromVocabFile(empty); });
  QVERIFY2(msg.contains(QString::fromStdString(empty)) && msg.contains(QStringLiteral("is empty")),
           qPrintable(msg));

  WordPieceOptions bad;
  bad.maxInputCharsPerWord = 0;
  msg = thrownMessage([&] { WordPieceTokenizer::fromVocabFile(fixture(kVocab), bad); });
  QVERIFY2(msg.contains(QStringLiteral("maxInputCharsPerWord")), qPrintable(msg));
}

void TestWordPiece::vocabFileLineEnds() {
  QTemporaryDir dir;
  const std::string path = dir.path().toStdString() + "/vocab.txt";
  // "\r\n", a lone "\r" and "\n" all end a line (as Python's text mode reads the file);
  // other whitespace is part of the token; a final line without "\n" counts.
  writeAll(path, "[UNK]\r\nx \rab\n\t\nlast");
  const auto tok = WordPieceTokenizer::fromVocabFile(path);
  QCOMPARE(tok->vocabSize(), int64_t(5));
  QCOMPARE(tok->idToToken(1), std::string("x "));
  QCOMPARE(tok->idToToken(2), std::string("ab"));
  QCOMPARE(tok->idToToken(3), std::string("\t"));
  QCOMPARE(tok->idToToken(4), std::string("last"));
  QCOMPARE(tok->specialTokens().unk, int64_t(0));
  QCOMPARE(tok->specialTokens().cls, int64_t(-1));
}

void TestWordPiece::saveRoundTrip() {
  QTemporaryDir dir;
  const std::string out = dir.path().toStdString();
  WordPieceOptions options;
  options.lowerCase = false;
  options.stripAccents = true;
  options.tokenizeChineseChars = false;
  const auto tok = WordPieceTokenizer::fromVocabFile(fixture(kVocab), options);
  tok->save(out);

  QCOMPARE(readAll(out + "/vocab.txt"), readAll(fixture(kVocab)));
  const auto config = nlohmann::json::parse(readAll(out + "/tokenizer_config.json"));
  QCOMPARE(config["tokenizer_class"].get<std::string>(), std::string("BertTokenizer"));
  QCOMPARE(config["do_lower_case"].get<bool>(), false);
  QCOMPARE(config["strip_accents"].get<bool>(), true);
  QCOMPARE(config["tokenize_chinese_chars"].get<bool>(), false);
  // Nothing but the two files (no temporary files left behind).
  QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), qsizetype(2));

  const auto options2 = retort::text::readWordPieceConfig(out + "/tokenizer_config.json");
  QCOMPARE(options2.lowerCase, false);
  QCOMPARE(options2.stripAccents, std::optional<bool>(true));
  QCOMPARE(options2.tokenizeChineseChars, false);
  const auto back = WordPieceTokenizer::fromVocabFile(out + "/vocab.txt", options2);
  QCOMPARE(back->vocabSize(), tok->vocabSize());
  for (int64_t id = 0; id < tok->vocabSize(); ++id) QCOMPARE(back->idToToken(id), tok->idToToken(id));
  for (const auto& c : cases()) {
    const auto text = c["text"].get<std::string>();
    QCOMPARE(back->tokenize(text), tok->tokenize(text));
  }

  // Default options write strip_accents as null, which reads back as "follow lowerCase".
  QTemporaryDir dir2;
  defaultTokenizer().save(dir2.path().toStdString());
  const auto config2 = nlohmann::json::parse(readAll(dir2.path().toStdString() + "/tokenizer_config.json"));
  QVERIFY(config2["strip_accents"].is_null());
  QCOMPARE(config2["do_lower_case"].get<bool>(), true);
  QVERIFY(!retort::text::readWordPieceConfig(dir2.path().toStdString() + "/tokenizer_config.json")
               .stripAccents.has_value());

  const std::string nowhere = out + "/no/such/dir";
  const QString msg = thrownMessage([&] { tok->save(nowhere); });
  QVERIFY2(msg.contains(QString::fromStdString(nowhere)), qPrintable(msg));
}

void TestWordPiece::readConfig() {
  QTemporaryDir dir;
  const std::string base = dir.path().toStdString();
  auto defaults = retort::text::readWordPieceConfig(base + "/absent.json");
  QCOMPARE(defaults.lowerCase, true);
  QVERIFY(!defaults.stripAccents.has_value());
  QCOMPARE(defaults.tokenizeChineseChars, true);
  QCOMPARE(defaults.unkToken, std::string("[UNK]"));

  // A tokenizer_config.json as Hugging Face writes it for a cased model.
  const std::string hf = base + "/hf.json";
  writeAll(hf, R"({"do_lower_case": false, "strip_accents": null, "tokenize_chinese_chars": false,
    "never_split": null, "model_max_length": 512, "tokenizer_class": "BertTokenizer",
    "unk_token": {"content": "<unk>", "lstrip": false, "normalized": false}})");
  auto o = retort::text::readWordPieceConfig(hf);
  QCOMPARE(o.lowerCase, false);
  QVERIFY(!o.stripAccents.has_value());
  QCOMPARE(o.effectiveStripAccents(), false);
  QCOMPARE(o.tokenizeChineseChars, false);
  QCOMPARE(o.unkToken, std::string("<unk>"));

  const std::string broken = base + "/broken.json";
  writeAll(broken, "{\"do_lower_case\": tru");
  QString msg = thrownMessage([&] { retort::text::readWordPieceConfig(broken); });
  QVERIFY2(msg.contains(QString::fromStdString(broken)) && msg.contains(QStringLiteral("not valid JSON")),
           qPrintable(msg));

  const std::string wrong = base + "/wrong.json";
  writeAll(wrong, R"({"do_lower_case": "yes"})");
  msg = thrownMessage([&] { retort::text::readWordPieceConfig(wrong); });
  QVERIFY2(msg.contains(QString::fromStdString(wrong)) && msg.contains(QStringLiteral("\"do_lower_case\"")),
           qPrintable(msg));
}

void TestWordPiece::benchmarkBulk() {
  // Throughput on ~1 MB of English-like text (one tokenize() call) with a realistic vocabulary size: the fixture
  // vocabulary, the paragraph's words and 30,000 filler entries. Prints a figure; asserts
  // only the result (N copies give N times the pieces of one).
  const std::string paragraph =
      "The committee reviewed the annual report on Tuesday, noting that revenue grew by 4.5% "
      "while costs (mostly energy and transport) rose faster than expected. \"We remain "
      "cautious,\" said the chair, adding that the café chain's expansion into Zürich and "
      "São Paulo would be reconsidered. Analysts were unimpressed; several downgraded the "
      "stock, citing weak demand, supply-chain disruptions and a strengthening dollar. ";
  std::vector<std::string> tokens;
  {
    std::ifstream in(fixture(kVocab));
    for (std::string line; std::getline(in, line);) tokens.push_back(line);
  }
  for (const auto& w : defaultTokenizer().tokenize(paragraph)) tokens.push_back(w);  // pieces
  for (const char* w : {"committee", "reviewed", "annual", "report", "tuesday", "noting",
                        "that", "revenue", "grew", "by", "while", "costs", "mostly", "energy",
                        "transport", "rose", "faster", "than", "expected", "we", "remain",
                        "cautious", "said", "chair", "adding", "chain", "expansion", "into",
                        "zurich", "sao", "paulo", "would", "be", "recon", "##sider", "analysts",
                        "were", "un", "##impressed", "several", "down", "##graded", "stock",
                        "citing", "weak", "demand", "supply", "chain", "disruptions", "a",
                        "strengthening", "dollar", "##ed", "##s"})
    tokens.push_back(w);
  for (int i = 0; i < 30000; ++i) tokens.push_back("filler" + std::to_string(i));
  std::sort(tokens.begin() + 5, tokens.end());
  tokens.erase(std::unique(tokens.begin() + 5, tokens.end()), tokens.end());
  const auto tok = WordPieceTokenizer::fromTokens(tokens);

  const size_t perParagraph = tok->tokenize(paragraph).size();
  std::string text;
  size_t copies = 0;
  while (text.size() < 1'000'000) {
    text += paragraph;
    ++copies;
  }
  // Best of 5 runs: the machine is shared, and the fastest run is the least disturbed.
  double seconds = 1e9;
  std::vector<std::string> pieces;
  for (int run = 0; run < 5; ++run) {
    const auto start = std::chrono::steady_clock::now();
    pieces = tok->tokenize(text);
    seconds = std::min(
        seconds, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  QCOMPARE(pieces.size(), perParagraph * copies);
  qInfo("WordPiece: %zu bytes -> %zu tokens in %.3f s: %.2f M tokens/s, %.1f MB/s", text.size(),
        pieces.size(), seconds, double(pieces.size()) / seconds / 1e6,
        double(text.size()) / seconds / 1e6);
}

QTEST_APPLESS_MAIN(TestWordPiece)
#include "test_wordpiece.moc"
