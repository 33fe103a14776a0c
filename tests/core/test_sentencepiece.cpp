// SentencePieceTokenizer through the dlopen()ed bridge (libretort_spm.so), checked against the
// independent spm_encode command-line tool (fixtures made by
// tests/fixtures/sentencepiece/make_fixtures.sh). This executable links retort_core and
// LibTorch, so it also proves that sentencepiece and LibTorch live in one process this way.

#include "core/text/sentencepiece_tokenizer.h"
#include "core/util/error.h"
#include "test_util.h"

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

using retort::Error;
using retort::ErrorKind;
using retort::test::fixture;
using retort::test::thrownMessage;
using retort::text::SentencePieceTokenizer;
using retort::text::SentencePieceTrainOptions;
namespace spmd = retort::text::detail;

namespace {

std::vector<std::string> readLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::vector<std::string> splitSpaces(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

std::vector<int64_t> parseIds(const std::string& line) {
  std::vector<int64_t> out;
  for (const auto& word : splitSpaces(line)) out.push_back(std::stoll(word));
  return out;
}

template <typename Fn>
ErrorKind thrownKind(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::Unsupported;  // "nothing thrown" never matches what the tests expect
}

QString q(const std::string& s) { return QString::fromStdString(s); }

/// The text that pieces stand for: "▁" back to spaces, leading space dropped.
std::string piecesToText(const std::vector<std::string>& pieces) {
  std::string text;
  for (const auto& p : pieces) text += p;
  const std::string meta = "\xE2\x96\x81";  // U+2581 "▁"
  for (size_t at; (at = text.find(meta)) != std::string::npos;) text.replace(at, meta.size(), " ");
  if (!text.empty() && text.front() == ' ') text.erase(0, 1);
  return text;
}

}  // namespace

class TestSentencePiece : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir m_tmp;
  std::unique_ptr<SentencePieceTokenizer> m_albert;  // the committed ALBERT-like fixture
  std::string path(const std::string& name) const { return m_tmp.filePath(q(name)).toStdString(); }
  SentencePieceTrainOptions smallTraining(const std::string& prefix) const {
    SentencePieceTrainOptions o;
    o.corpusPath = fixture("sentencepiece/corpus.txt");
    o.outputPrefix = path(prefix);
    o.vocabSize = 200;
    o.characterCoverage = 1.0;
    return o;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    m_albert = SentencePieceTokenizer::fromModelFile(fixture("sentencepiece/albert_like.model"));
  }

  void bridgeIsTheBuiltOne() {
    const std::string loaded = spmd::spmBridgePath(spmd::spmBridge());
    QVERIFY(std::filesystem::exists(loaded));
    if (const char* env = std::getenv("RETORT_SPM_LIBRARY"); env && *env)
      QCOMPARE(q(loaded), q(env));
  }

  void matchesSpmEncode_data() {
    QTest::addColumn<QString>("sentence");
    QTest::addColumn<QString>("pieces");
    QTest::addColumn<QString>("ids");
    const auto sentences = readLines(fixture("sentencepiece/sentences.txt"));
    const auto pieces = readLines(fixture("sentencepiece/expected_pieces.txt"));
    const auto ids = readLines(fixture("sentencepiece/expected_ids.txt"));
    QCOMPARE(sentences.size(), size_t(9));
    QCOMPARE(pieces.size(), sentences.size());
    QCOMPARE(ids.size(), sentences.size());
    const char* names[] = {"empty", "plain", "accents", "digits", "punctuation", "unknown",
                           "nfkc", "whitespace", "user-defined"};
    for (size_t i = 0; i < sentences.size(); ++i)
      QTest::newRow(names[i]) << q(sentences[i]) << q(pieces[i]) << q(ids[i]);
  }

  void matchesSpmEncode() {
    QFETCH(QString, sentence);
    QFETCH(QString, pieces);
    QFETCH(QString, ids);
    const std::string text = sentence.toStdString();
    const auto expectedPieces = splitSpaces(pieces.toStdString());
    const auto expectedIds = parseIds(ids.toStdString());
    QCOMPARE(expectedPieces.size(), expectedIds.size());
    QVERIFY(m_albert->tokenize(text) == expectedPieces);
    const auto [p, i] = m_albert->tokenizeWithIds(text);
    QVERIFY(p == expectedPieces);
    QVERIFY(i == expectedIds);
    QVERIFY(m_albert->tokenizeToIds(text) == expectedIds);  // Tokenizer's piece -> id path
  }

  void unknownCharacters() {
    // spm_encode gives "▁a ▁ ☃ ▁b" and "13 5 1 36": the snowman keeps its surface as a piece
    // but takes the unknown id.
    const auto [pieces, ids] = m_albert->tokenizeWithIds("a \xE2\x98\x83 b");  // "a ☃ b"
    QCOMPARE(ids.size(), size_t(4));
    QCOMPARE(q(pieces[2]), QStringLiteral("\u2603"));
    QVERIFY(ids == std::vector<int64_t>({13, 5, 1, 36}));
    QVERIFY(m_albert->isUnknown(ids[2]));
    QVERIFY(!m_albert->isUnknown(ids[0]));
    QCOMPARE(m_albert->tokenToId("\xE2\x98\x83"), int64_t(1));
    QCOMPARE(m_albert->tokenToId("no such piece"), int64_t(1));
  }

  void albertSpecialTokens() {
    QCOMPARE(q(m_albert->kind()), QStringLiteral("sentencepiece"));
    QCOMPARE(m_albert->vocabSize(),
             int64_t(readLines(fixture("sentencepiece/albert_like.vocab")).size()));
    QCOMPARE(m_albert->vocabSize(), int64_t(250));
    const auto sp = m_albert->specialTokens();
    QCOMPARE(sp.pad, int64_t(0));
    QCOMPARE(sp.unk, int64_t(1));
    QCOMPARE(sp.cls, int64_t(2));
    QCOMPARE(sp.sep, int64_t(3));
    QCOMPARE(sp.mask, int64_t(4));
    QCOMPARE(q(m_albert->idToToken(0)), QStringLiteral("<pad>"));
    QCOMPARE(q(m_albert->idToToken(1)), QStringLiteral("<unk>"));
    QCOMPARE(q(m_albert->idToToken(2)), QStringLiteral("[CLS]"));
    QCOMPARE(q(m_albert->idToToken(4)), QStringLiteral("[MASK]"));
    QVERIFY(m_albert->isControl(0));
    QVERIFY(m_albert->isControl(2));
    QVERIFY(!m_albert->isControl(4));  // user-defined, not control
    QVERIFY(!m_albert->isControl(-1));
    QVERIFY(!m_albert->isControl(1000));
    QCOMPARE(thrownKind([&] { m_albert->idToToken(250); }), ErrorKind::InvalidArgument);
    QVERIFY(thrownMessage([&] { m_albert->idToToken(-1); }).contains(QStringLiteral("[0, 250)")));
    QVERIFY(thrownMessage([&] { m_albert->decode({5, 999}); }).contains(QStringLiteral("999")));
  }

  void encodeSingle() {
    const auto ids = m_albert->tokenizeToIds("The teacher reads.");
    const auto enc = m_albert->encode("The teacher reads.");
    QCOMPARE(enc.input_ids.size(), ids.size() + 2);
    QCOMPARE(enc.input_ids.front(), int64_t(2));
    QCOMPARE(enc.input_ids.back(), int64_t(3));
    QVERIFY(std::equal(ids.begin(), ids.end(), enc.input_ids.begin() + 1));
    QCOMPARE(q(enc.tokens.front()), QStringLiteral("[CLS]"));
    QCOMPARE(q(enc.tokens.back()), QStringLiteral("[SEP]"));
    QVERIFY(std::all_of(enc.token_type_ids.begin(), enc.token_type_ids.end(),
                        [](int64_t t) { return t == 0; }));
    QVERIFY(std::all_of(enc.attention_mask.begin(), enc.attention_mask.end(),
                        [](int64_t m) { return m == 1; }));
  }

  void encodePairTruncatedAndPadded() {
    const std::string a = "The distilled network reads the quiet garden near the window.";
    const std::string b = "Why?";
    const auto idsA = m_albert->tokenizeToIds(a);
    const auto idsB = m_albert->tokenizeToIds(b);
    QVERIFY(idsA.size() > idsB.size() + 4);
    // Longest first: only the longer text loses tokens while it stays the longer one.
    retort::text::EncodeOptions options;
    options.maxLength = static_cast<int64_t>(idsB.size() + 4 + 3);
    const auto enc = m_albert->encode(a, &b, options);
    QCOMPARE(enc.input_ids.size(), size_t(options.maxLength));
    std::vector<int64_t> expected = {2};
    expected.insert(expected.end(), idsA.begin(), idsA.begin() + 4);
    expected.push_back(3);
    expected.insert(expected.end(), idsB.begin(), idsB.end());
    expected.push_back(3);
    QVERIFY(enc.input_ids == expected);
    QCOMPARE(std::count(enc.token_type_ids.begin(), enc.token_type_ids.end(), 1),
             std::ptrdiff_t(idsB.size() + 1));

    options.maxLength = 40;
    options.padToMaxLength = true;
    const auto padded = m_albert->encode(b, nullptr, options);
    QCOMPARE(padded.input_ids.size(), size_t(40));
    QCOMPARE(padded.input_ids.back(), int64_t(0));  // <pad>
    QCOMPARE(std::accumulate(padded.attention_mask.begin(), padded.attention_mask.end(), int64_t(0)),
             int64_t(idsB.size() + 2));
  }

  void trainBertReady() {
    QElapsedTimer timer;
    timer.start();
    const auto tok = SentencePieceTokenizer::train(smallTraining("bert"));
    qInfo("sentencepiece training (unigram, vocab 200, 400 lines) took %lld ms", timer.elapsed());
    QVERIFY(std::filesystem::exists(path("bert.model")));
    QVERIFY(std::filesystem::exists(path("bert.vocab")));
    QCOMPARE(tok->vocabSize(), int64_t(200));
    const char* specials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    for (int64_t id = 0; id < 5; ++id) QCOMPARE(q(tok->idToToken(id)), q(specials[id]));
    const auto sp = tok->specialTokens();
    QCOMPARE(sp.pad, int64_t(0));
    QCOMPARE(sp.unk, int64_t(1));
    QCOMPARE(sp.cls, int64_t(2));
    QCOMPARE(sp.sep, int64_t(3));
    QCOMPARE(sp.mask, int64_t(4));
    QVERIFY(tok->isControl(0));
    QVERIFY(tok->isUnknown(1));
    QCOMPARE(tok->tokenToId("[MASK]"), int64_t(4));
    // [MASK] inside text stays one piece (user-defined symbol).
    const auto masked = tok->tokenizeToIds("the [MASK] reads");
    QVERIFY(std::find(masked.begin(), masked.end(), 4) != masked.end());
    // Pieces and ids round-trip to the text (corpus lines are already NFKC-normal).
    const auto lines = readLines(fixture("sentencepiece/corpus.txt"));
    for (size_t i = 0; i < lines.size(); i += 37) {
      QCOMPARE(q(piecesToText(tok->tokenize(lines[i]))), q(lines[i]));
      QCOMPARE(q(tok->decode(tok->tokenizeToIds(lines[i]))), q(lines[i]));
    }
    const auto enc = tok->encode(lines[0]);
    QCOMPARE(enc.input_ids.front(), int64_t(2));
    QCOMPARE(enc.input_ids.back(), int64_t(3));
  }

  void trainIsDeterministic() {
    auto again = smallTraining("bert_again");
    SentencePieceTokenizer::train(again);
    if (!std::filesystem::exists(path("bert.vocab"))) SentencePieceTokenizer::train(smallTraining("bert"));
    QVERIFY(readFile(path("bert.vocab")) == readFile(path("bert_again.vocab")));
  }

  void trainLowerCaseBpe() {
    auto o = smallTraining("lower_bpe");
    o.modelType = "bpe";
    o.lowerCase = true;
    const auto tok = SentencePieceTokenizer::train(o);
    QCOMPARE(q(tok->idToToken(4)), QStringLiteral("[MASK]"));
    QVERIFY(tok->tokenize("THE TEACHER Reads") == tok->tokenize("the teacher reads"));
    QCOMPARE(q(tok->decode(tok->tokenizeToIds("The Teacher"))), QStringLiteral("the teacher"));
  }

  void saveAndReload() {
    const std::string dir = path("saved");
    std::filesystem::create_directory(dir);
    m_albert->save(dir);
    QCOMPARE(std::distance(std::filesystem::directory_iterator(dir), {}), std::ptrdiff_t(2));
    QVERIFY(readFile(dir + "/spiece.model") == readFile(fixture("sentencepiece/albert_like.model")));
    const auto config = nlohmann::json::parse(readFile(dir + "/tokenizer_config.json"));
    QCOMPARE(q(config.at("tokenizer_class").get<std::string>()), QStringLiteral("AlbertTokenizer"));
    QCOMPARE(q(config.at("retort_tokenizer").get<std::string>()), QStringLiteral("sentencepiece"));
    QCOMPARE(q(config.at("pad_token").get<std::string>()), QStringLiteral("<pad>"));
    QCOMPARE(q(config.at("cls_token").get<std::string>()), QStringLiteral("[CLS]"));
    QCOMPARE(q(config.at("mask_token").get<std::string>()), QStringLiteral("[MASK]"));
    QCOMPARE(config.at("do_lower_case").get<bool>(), false);

    const auto reloaded = SentencePieceTokenizer::fromModelFile(dir + "/spiece.model");
    const auto fromBytes = SentencePieceTokenizer::fromSerializedModel(m_albert->serializedModel());
    QCOMPARE(reloaded->vocabSize(), m_albert->vocabSize());
    for (const auto& line : readLines(fixture("sentencepiece/sentences.txt"))) {
      QVERIFY(reloaded->tokenizeToIds(line) == m_albert->tokenizeToIds(line));
      QVERIFY(fromBytes->tokenizeToIds(line) == m_albert->tokenizeToIds(line));
    }
    m_albert->save(dir);  // overwriting is fine and leaves no temp file
    QCOMPARE(std::distance(std::filesystem::directory_iterator(dir), {}), std::ptrdiff_t(2));
    QCOMPARE(thrownKind([&] { m_albert->save(path("no_such_dir")); }), ErrorKind::Io);
  }

  void errorsOnBadModels() {
    const std::string missing = path("missing.model");
    QCOMPARE(thrownKind([&] { SentencePieceTokenizer::fromModelFile(missing); }), ErrorKind::Io);
    QVERIFY(thrownMessage([&] { SentencePieceTokenizer::fromModelFile(missing); })
                .contains(q(missing)));
    const std::string garbage = path("garbage.model");
    writeFile(garbage, "this is plain text, not a protobuf message\n");
    QCOMPARE(thrownKind([&] { SentencePieceTokenizer::fromModelFile(garbage); }), ErrorKind::Format);
    const QString msg = thrownMessage([&] { SentencePieceTokenizer::fromModelFile(garbage); });
    QVERIFY2(msg.contains(q(garbage)) && msg.contains(QStringLiteral("not a sentencepiece model")),
             qPrintable(msg));
    const std::string empty = path("empty.model");
    writeFile(empty, "");
    QVERIFY(thrownMessage([&] { SentencePieceTokenizer::fromModelFile(empty); }).contains(q(empty)));
    QCOMPARE(thrownKind([&] { SentencePieceTokenizer::fromSerializedModel("\x0a\x03xyz", "blob"); }),
             ErrorKind::Format);
  }

  void errorsOnBadTraining() {
    auto o = smallTraining("never");
    o.corpusPath = path("no_corpus.txt");
    QCOMPARE(thrownKind([&] { SentencePieceTokenizer::train(o); }), ErrorKind::Io);
    QVERIFY(thrownMessage([&] { SentencePieceTokenizer::train(o); }).contains(q(o.corpusPath)));

    o.corpusPath = path("blank_corpus.txt");
    writeFile(o.corpusPath, "\n   \n\t\n");
    QCOMPARE(thrownKind([&] { SentencePieceTokenizer::train(o); }), ErrorKind::InvalidArgument);
    QString msg = thrownMessage([&] { SentencePieceTokenizer::train(o); });
    QVERIFY2(msg.contains(q(o.corpusPath)) && msg.contains(QStringLiteral("no text")), qPrintable(msg));

    o = smallTraining("never");
    o.modelType = "wordpiece";
    QVERIFY(thrownMessage([&] { SentencePieceTokenizer::train(o); }).contains(QStringLiteral("wordpiece")));
    o = smallTraining("never");
    o.vocabSize = 50000;
    msg = thrownMessage([&] { SentencePieceTokenizer::train(o); });
    QVERIFY2(msg.contains(QStringLiteral("Vocabulary size too high")) && msg.contains(q(o.corpusPath)),
             qPrintable(msg));
    o.vocabSize = 3;
    QCOMPARE(thrownKind([&] { SentencePieceTokenizer::train(o); }), ErrorKind::InvalidArgument);
    o = smallTraining("no_dir/never");
    QVERIFY(thrownMessage([&] { SentencePieceTokenizer::train(o); }).contains(QStringLiteral("no_dir")));
  }

  void bridgeSearchList() {
    // RETORT_SPM_LIBRARY set: the only candidate, no silent fall-back.
    auto list = spmd::spmBridgeCandidates("/wrong/place/libretort_spm.so", "/opt/retort/bin");
    QCOMPARE(list.size(), size_t(1));
    QCOMPARE(q(list[0].path), QStringLiteral("/wrong/place/libretort_spm.so"));
    QString msg = thrownMessage([&] { spmd::openSpmBridge(list, spmd::spmBridgeAbiVersion()); });
    QVERIFY2(msg.contains(QStringLiteral("/wrong/place/libretort_spm.so")) &&
                 msg.contains(QStringLiteral("RETORT_SPM_LIBRARY is set")),
             qPrintable(msg));

    // Unset: installed layout, build tree next to the executable, compiled-in build path, /usr.
    list = spmd::spmBridgeCandidates(nullptr, "/opt/retort/bin");
    QVERIFY(list.size() >= 4);
    QCOMPARE(q(list[0].path), QStringLiteral("/opt/retort/lib/retort/libretort_spm.so"));
    auto index = [&](const std::string& p) {
      for (size_t i = 0; i < list.size(); ++i)
        if (list[i].path == p) return static_cast<int>(i);
      return -1;
    };
    const int buildTree = index("/opt/retort/lib/libretort_spm.so");
    QVERIFY(buildTree > 0);
    auto startsWith = [](const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; };
    QVERIFY(startsWith(list.back().path, "/usr/local/"));
    QVERIFY(startsWith(list[list.size() - 2].path, "/usr/"));
    QVERIFY(buildTree < int(list.size()) - 2);
    for (const auto& c : list) QVERIFY(startsWith(c.path, "/") && !c.origin.empty());
    QCOMPARE(spmd::spmBridgeCandidates("", "/x/bin").size(), list.size());  // "" means unset
  }

  void bridgeNotFoundNamesEveryPath() {
    const std::string notElf = path("libfake.so");
    writeFile(notElf, "not an ELF file");
    const std::vector<spmd::SpmBridgeCandidate> list = {
        {"/nonexistent/libretort_spm.so", "first"}, {notElf, "second"}};
    QCOMPARE(thrownKind([&] { spmd::openSpmBridge(list, spmd::spmBridgeAbiVersion()); }),
             ErrorKind::Io);
    const QString msg = thrownMessage([&] { spmd::openSpmBridge(list, spmd::spmBridgeAbiVersion()); });
    QVERIFY2(msg.contains(QStringLiteral("/nonexistent/libretort_spm.so")) && msg.contains(q(notElf)) &&
                 msg.contains(QStringLiteral("Set RETORT_SPM_LIBRARY")),
             qPrintable(msg));
  }

  void bridgeAbiMismatchIsRefused() {
    const std::string real = spmd::spmBridgePath(spmd::spmBridge());
    const int abi = spmd::spmBridgeAbiVersion();
    const QString msg = thrownMessage([&] { spmd::openSpmBridge({{real, "test"}}, abi + 1); });
    QVERIFY2(msg.contains(q(real)) &&
                 msg.contains(QStringLiteral("interface version %1").arg(abi)) &&
                 msg.contains(QStringLiteral("expects %1").arg(abi + 1)),
             qPrintable(msg));
    // The right version loads, and the same path gives the same bridge.
    QCOMPARE(&spmd::openSpmBridge({{real, "test"}}, abi), &spmd::spmBridge());
  }

  void torchAndSentencepieceShareTheProcess() {
    // Train and encode, then feed the ids to LibTorch: both must work in this process.
    auto o = smallTraining("with_torch");
    o.vocabSize = 120;
    const auto tok = SentencePieceTokenizer::train(o);
    const auto enc = tok->encode("The teacher reads a long story.");
    const auto ids = torch::tensor(enc.input_ids, torch::kLong);
    QCOMPARE(ids.size(0), int64_t(enc.input_ids.size()));
    QCOMPARE(ids.sum().item<int64_t>(),
             std::accumulate(enc.input_ids.begin(), enc.input_ids.end(), int64_t(0)));
    const auto embedded = torch::nn::functional::one_hot(ids, tok->vocabSize()).sum(0);
    QCOMPARE(embedded[2].item<int64_t>(), int64_t(1));  // one [CLS]
    const std::string maps = readFile("/proc/self/maps");
    QVERIFY(maps.find("libtorch_cpu") != std::string::npos);
    QVERIFY(maps.find("libsentencepiece") != std::string::npos);
    QVERIFY(maps.find("libretort_spm") != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(TestSentencePiece)
#include "test_sentencepiece.moc"
