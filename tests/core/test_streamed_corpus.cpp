// Tests of the streamed corpus (core/data/streamed_corpus.h): indexing into chunks, each
// epoch a permutation of exactly readCorpus's texts, the order a pure function of (seed,
// epoch) whatever order the batches are read in, file order without shuffling, and the
// messages for invalid UTF-8, an empty file and a file changed after indexing.

#include "core/data/dataset.h"
#include "core/data/streamed_corpus.h"
#include "core/util/error.h"
#include "test_util.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

using namespace retort;
using namespace retort::data;
using retort::test::thrownMessage;

namespace {

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// 500 numbered lines with blank lines, CRLF endings and no final newline.
std::string sampleCorpus() {
  std::string s = "\xEF\xBB\xBF";
  for (int i = 0; i < 500; ++i) {
    s += "text number " + std::to_string(i) + (i % 7 == 0 ? "\r\n" : "\n");
    if (i % 11 == 0) s += "   \n";
  }
  s += "the last line";
  return s;
}

}  // namespace

class TestStreamedCorpus : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string path(const char* name) const { return (m_dir.path() + QLatin1Char('/') + QLatin1String(name)).toStdString(); }

 private Q_SLOTS:
  void initTestCase() { writeFile(path("corpus.txt"), sampleCorpus()); }

  void indexesIntoChunks() {
    const auto c = StreamedCorpus::index(path("corpus.txt"), 256);
    QCOMPARE(c.size(), uint64_t(501));
    QCOMPARE(c.fileBytes(), uint64_t(sampleCorpus().size()));
    // Chunks tile the file at line starts, each at least 256 bytes but the last.
    uint64_t at = 0, texts = 0;
    for (size_t i = 0; i < c.chunks().size(); ++i) {
      const auto& k = c.chunks()[i];
      QCOMPARE(k.offset, at);
      if (i + 1 < c.chunks().size()) QVERIFY(k.bytes >= 256 && k.bytes < 256 + 40);
      at += k.bytes;
      texts += k.texts;
    }
    QCOMPARE(at, c.fileBytes());
    QCOMPARE(texts, c.size());
    QVERIFY(c.chunks().size() >= 30);
  }

  void fileOrderWithoutShuffle() {
    const auto expected = readCorpus(path("corpus.txt"));
    const auto c = StreamedCorpus::index(path("corpus.txt"), 256);
    QCOMPARE(c.texts(1, 0, false, 0, c.size()), expected);
    QCOMPARE(QString::fromStdString(c.texts(1, 0, false, 0, 1)[0]), QStringLiteral("text number 0"));
    QCOMPARE(QString::fromStdString(c.texts(1, 0, false, 500, 900)[0]), QStringLiteral("the last line"));
  }

  void eachEpochIsAPermutation() {
    auto expected = readCorpus(path("corpus.txt"));
    std::sort(expected.begin(), expected.end());
    const auto c = StreamedCorpus::index(path("corpus.txt"), 256);
    std::vector<std::vector<std::string>> epochs;
    for (int64_t epoch = 0; epoch < 3; ++epoch) {
      // Batches of 32 read in order.
      std::vector<std::string> all;
      for (uint64_t b = 0; b < c.size(); b += 32) {
        const auto part = c.texts(7, epoch, true, b, b + 32);
        QCOMPARE(part.size(), size_t(std::min<uint64_t>(32, c.size() - b)));
        all.insert(all.end(), part.begin(), part.end());
      }
      auto sorted = all;
      std::sort(sorted.begin(), sorted.end());
      QCOMPARE(sorted, expected);
      QVERIFY(all != readCorpus(path("corpus.txt")));  // shuffled
      epochs.push_back(all);
    }
    QVERIFY(epochs[0] != epochs[1] && epochs[1] != epochs[2]);
    // The same seed and epoch from a fresh index, batches read backwards: the same order
    // (what a resumed run relies on).
    const auto again = StreamedCorpus::index(path("corpus.txt"), 256);
    for (uint64_t b = (c.size() / 32) * 32;; b -= 32) {
      const auto part = again.texts(7, 1, true, b, b + 32);
      QVERIFY(std::equal(part.begin(), part.end(), epochs[1].begin() + static_cast<long>(b)));
      if (b == 0) break;
    }
    // Another seed, another order.
    QVERIFY(again.texts(8, 1, true, 0, c.size()) != epochs[1]);
  }

  void linesAreShuffledAcrossChunks() {
    // Not only the chunk order: the first 32 texts of an epoch come from within a chunk in a
    // shuffled order, so they are not consecutive file lines.
    const auto c = StreamedCorpus::index(path("corpus.txt"), 4096);
    const auto head = c.texts(3, 0, true, 0, 32);
    int consecutive = 0;
    for (size_t i = 1; i < head.size(); ++i) {
      const auto number = [](const std::string& s) { return s.rfind("text number ", 0) == 0 ? std::stoi(s.substr(12)) : -9; };
      consecutive += number(head[i]) == number(head[i - 1]) + 1;
    }
    QVERIFY2(consecutive < 8, qPrintable(QString::number(consecutive)));
  }

  void errors() {
    writeFile(path("bad.txt"), "fine\n\nalso fine\nbad \xff byte\n");
    const auto c = StreamedCorpus::index(path("bad.txt"), 4096);
    QCOMPARE(c.size(), uint64_t(3));
    QCOMPARE(thrownMessage([&] { c.texts(1, 0, false, 0, 3); }),
             QString::fromStdString(path("bad.txt")) + QStringLiteral(":4: the line is not valid UTF-8 (byte 0xff at byte offset 4)"));

    writeFile(path("blank.txt"), "\xEF\xBB\xBF  \n\t\r\n");
    QCOMPARE(thrownMessage([&] { StreamedCorpus::index(path("blank.txt")); }),
             QString::fromStdString(path("blank.txt")) + QStringLiteral(": no text (the file is empty or every line is blank)"));
    QVERIFY(thrownMessage([&] { StreamedCorpus::index(path("absent.txt")); })
                .startsWith(QString::fromStdString(path("absent.txt")) + QStringLiteral(": cannot open")));

    writeFile(path("changing.txt"), "one\ntwo\nthree\n");
    const auto changing = StreamedCorpus::index(path("changing.txt"));
    writeFile(path("changing.txt"), "one\n\n\n\n\nxyzab\n");  // the same 14 bytes, 2 texts
    QCOMPARE(thrownMessage([&] { changing.texts(1, 0, false, 0, 3); }),
             QString::fromStdString(path("changing.txt")) + QStringLiteral(": the file changed after it was indexed (lines 1 to 6)"));
    writeFile(path("changing.txt"), "one\n");
    QCOMPARE(thrownMessage([&] { changing.texts(1, 0, false, 0, 3); }),
             QString::fromStdString(path("changing.txt")) + QStringLiteral(": the file changed after it was indexed (it is shorter)"));
  }
};

QTEST_GUILESS_MAIN(TestStreamedCorpus)
#include "test_streamed_corpus.moc"
