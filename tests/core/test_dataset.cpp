// Tests of the dataset readers (core/data/dataset.h): GLUE-style TSV, RFC 4180 CSV, JSON
// Lines and plain-text corpora from tests/fixtures/data, label mapping, and one exact
// message per malformed input (file:line and the column or field it names).

#include "core/data/dataset.h"
#include "core/util/error.h"
#include "test_util.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

using namespace retort;
using namespace retort::data;
using retort::test::fixture;
using retort::test::thrownMessage;

namespace {

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// The kind and message of the retort::Error that fn throws; fails the test otherwise.
template <typename Fn>
std::pair<ErrorKind, QString> thrownError(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return {e.kind(), QString::fromUtf8(e.what())};
  } catch (const std::exception& e) {
    return {ErrorKind::Runtime, QStringLiteral("<not a retort::Error> ") + QString::fromUtf8(e.what())};
  }
  return {ErrorKind::Runtime, QStringLiteral("<no exception>")};
}

QStringList texts(const LabeledDataset& d) {
  QStringList out;
  for (const auto& ex : d.examples) out << QString::fromStdString(ex.text);
  return out;
}

QList<qint64> labelIds(const LabeledDataset& d) {
  QList<qint64> out;
  for (const auto& ex : d.examples) out << ex.label;
  return out;
}

QList<qint64> lines(const LabeledDataset& d) {
  QList<qint64> out;
  for (const auto& ex : d.examples) out << ex.line;
  return out;
}

QStringList qt(const std::vector<std::string>& v) {
  QStringList out;
  for (const auto& s : v) out << QString::fromStdString(s);
  return out;
}

DatasetSpec specFor(const std::string& path, const std::string& text = "sentence",
                    const std::string& label = "label") {
  DatasetSpec spec;
  spec.path = path;
  spec.textColumn = text;
  spec.labelColumn = label;
  return spec;
}

}  // namespace

class TestDataset : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir m_dir;
  std::string tmp(const std::string& name) const { return m_dir.filePath(QString::fromStdString(name)).toStdString(); }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(m_dir.isValid()); }

  void sst2IntegerLabels() {
    const auto d = readDataset(specFor(fixture("data/sst2.tsv")));
    QCOMPARE(d.source, fixture("data/sst2.tsv"));
    QCOMPARE(d.examples.size(), size_t(5));
    QCOMPARE(qt(d.labels), QStringList({"0", "1"}));
    QCOMPARE(labelIds(d), QList<qint64>({1, 0, 1, 1, 0}));
    QCOMPARE(lines(d), QList<qint64>({2, 3, 4, 5, 6}));
    // No quote processing: GLUE's literal quotes and trailing spaces are kept as they are.
    QCOMPARE(texts(d)[0], QStringLiteral("it 's a \"charming\" and often affecting journey . "));
    QCOMPARE(texts(d)[4], QString::fromUtf8("\"the plot is nothing but boilerplate clichés from start to finish\""));
    QCOMPARE(d.examples[0].pair, std::string());
    QCOMPARE(d.labelCounts(), std::vector<int64_t>({2, 3}));
  }

  void stringLabelsSorted() {
    const auto d = readDataset(specFor(fixture("data/sentiment.tsv")));
    QCOMPARE(qt(d.labels), QStringList({"negative", "neutral", "positive"}));
    QCOMPARE(labelIds(d), QList<qint64>({2, 0, 1, 2}));
    QCOMPARE(d.labelCounts(), std::vector<int64_t>({1, 1, 2}));
  }

  void integerLabelsKeepTheirIds() {
    // Classes are "0".."max" even when some class never occurs; "01" is class 1.
    writeFile(tmp("gap.tsv"), "sentence\tlabel\na\t2\nb\t0\nc\t01\nd\t2\n");
    const auto d = readDataset(specFor(tmp("gap.tsv")));
    QCOMPARE(qt(d.labels), QStringList({"0", "1", "2"}));
    QCOMPARE(labelIds(d), QList<qint64>({2, 0, 1, 2}));
    QCOMPARE(d.labelCounts(), std::vector<int64_t>({1, 1, 2}));
    // A negative number is not a class id: the labels are then sorted strings.
    writeFile(tmp("signed.tsv"), "sentence\tlabel\na\t-1\nb\t1\n");
    const auto s = readDataset(specFor(tmp("signed.tsv")));
    QCOMPARE(qt(s.labels), QStringList({"-1", "1"}));
    QCOMPARE(labelIds(s), QList<qint64>({0, 1}));
  }

  void csvQuotedFields() {
    const auto d = readDataset(specFor(fixture("data/quoted.csv"), "text"));
    QCOMPARE(texts(d), QStringList({"plain text", "a quoted, comma", "she said \"hi\" twice",
                                    "first line\nsecond line", "last row"}));
    QCOMPARE(lines(d), QList<qint64>({2, 3, 4, 5, 7}));
    QCOMPARE(qt(d.labels), QStringList({"ham", "spam"}));
    QCOMPARE(labelIds(d), QList<qint64>({1, 0, 0, 1, 0}));
  }

  void csvCrlfInsideQuotes() {
    writeFile(tmp("crlf.csv"), "text,label\r\n\"two\r\nlines\",a\r\n\"\",b\r\n");
    const auto e = thrownError([&] { readDataset(specFor(tmp("crlf.csv"), "text")); });
    // The quoted empty field is a record (not a blank line), and its text is empty.
    QCOMPARE(e.second, QString::fromStdString(tmp("crlf.csv") + ":4: column \"text\" is empty"));
    writeFile(tmp("crlf.csv"), "text,label\r\n\"two\r\nlines\",a\r\nx,b");
    const auto d = readDataset(specFor(tmp("crlf.csv"), "text"));
    QCOMPARE(texts(d), QStringList({"two\nlines", "x"}));
    QCOMPARE(lines(d), QList<qint64>({2, 4}));
  }

  void jsonlIntegerAndStringLabels() {
    const auto r = readDataset(specFor(fixture("data/reviews.jsonl"), "text", "stars"));
    QCOMPARE(texts(r), QStringList({"great value for the price", "broke after a week", "does what it says"}));
    QCOMPARE(lines(r), QList<qint64>({1, 3, 4}));  // the blank line 2 is skipped
    QCOMPARE(qt(r.labels), QStringList({"0", "1", "2", "3", "4", "5"}));
    QCOMPARE(labelIds(r), QList<qint64>({5, 1, 4}));

    const auto t = readDataset(specFor(fixture("data/topics.jsonl"), "sentence", "topic"));
    QCOMPARE(qt(t.labels), QStringList({"business", "sports"}));
    QCOMPARE(labelIds(t), QList<qint64>({1, 0, 1}));

    // An integer label and its decimal string are the same class.
    writeFile(tmp("mixed.json"), "{\"sentence\": \"a\", \"label\": 1}\n{\"sentence\": \"b\", \"label\": \"0\"}\n");
    const auto m = readDataset(specFor(tmp("mixed.json")));
    QCOMPARE(qt(m.labels), QStringList({"0", "1"}));
    QCOMPARE(labelIds(m), QList<qint64>({1, 0}));
  }

  void sentencePairs() {
    DatasetSpec spec = specFor(fixture("data/mrpc.tsv"), "#1 String", "Quality");
    spec.pairColumn = "#2 String";
    const auto d = readDataset(spec);
    QCOMPARE(d.examples.size(), size_t(3));
    QCOMPARE(labelIds(d), QList<qint64>({1, 0, 1}));
    QCOMPARE(d.examples[1].text, std::string("Yucaipa owned Dominick 's before selling the chain to Safeway in 1998 for $ 2.5 billion ."));
    QCOMPARE(d.examples[1].pair, std::string("Yucaipa bought Dominick 's in 1995 for $ 693 million and sold it to Safeway for $ 1.8 billion in 1998 ."));
    QVERIFY(d.examples[0].text.find("\" the witness \"") != std::string::npos);
  }

  void bomAndCrlf() {
    writeFile(tmp("bom.tsv"), "\xEF\xBB\xBFsentence\tlabel\r\nhello there\tpos \r\nbye\tneg\r\n\r\n\r\n");
    const auto d = readDataset(specFor(tmp("bom.tsv")));
    QCOMPARE(texts(d), QStringList({"hello there", "bye"}));
    QCOMPARE(qt(d.labels), QStringList({"neg", "pos"}));  // label trimmed
    QCOMPARE(labelIds(d), QList<qint64>({1, 0}));
    writeFile(tmp("bom.csv"), "\xEF\xBB\xBFsentence,label\r\nhello,1\r\n");
    QCOMPARE(texts(readDataset(specFor(tmp("bom.csv")))), QStringList({"hello"}));
    writeFile(tmp("bom.jsonl"), "\xEF\xBB\xBF{\"sentence\": \"hi\", \"label\": 0}\r\n");
    QCOMPARE(texts(readDataset(specFor(tmp("bom.jsonl")))), QStringList({"hi"}));
  }

  void knownLabels() {
    // The experiment's explicit order wins over the sorted order.
    const auto d = readDataset(specFor(fixture("data/sentiment.tsv")), {"positive", "negative", "neutral"});
    QCOMPARE(qt(d.labels), QStringList({"positive", "negative", "neutral"}));
    QCOMPARE(labelIds(d), QList<qint64>({0, 1, 2, 0}));
    // Integer labels are mapped as strings too.
    const auto s = readDataset(specFor(fixture("data/sst2.tsv")), {"1", "0"});
    QCOMPARE(labelIds(s), QList<qint64>({0, 1, 0, 0, 1}));
    const auto e = thrownError([&] { readDataset(specFor(fixture("data/sentiment.tsv")), {"negative", "positive"}); });
    QCOMPARE(e.first, ErrorKind::Format);
    QCOMPARE(e.second, QString::fromStdString(fixture("data/sentiment.tsv") +
                                              ":4: label \"neutral\" is not one of the training labels (negative, positive)"));
  }

  void unlabeled() {
    DatasetSpec spec = specFor(fixture("data/sst2.tsv"), "sentence", "");
    const auto d = readDataset(spec);
    QCOMPARE(d.examples.size(), size_t(5));
    QVERIFY(d.labels.empty());
    QCOMPARE(labelIds(d), QList<qint64>({-1, -1, -1, -1, -1}));
    QVERIFY(d.labelCounts().empty());
  }

  void malformed_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");  // the message after "path"
    auto row = [](const char* tag, const char* name, const QByteArray& content, const char* expected) {
      QTest::newRow(tag) << QString::fromUtf8(name) << content << QString::fromUtf8(expected);
    };
    row("tsv too many fields", "a.tsv", "sentence\tlabel\nok\t1\ntoo\tmany\t1\n",
        ":3: expected 2 fields (sentence, label), found 3 (fields are separated by tabs)");
    row("tsv too few fields", "a.tsv", "sentence\tlabel\nok\t1\n\nno label here\n",
        ":4: expected 2 fields (sentence, label), found 1 (fields are separated by tabs)");
    row("missing text column", "a.tsv", "text\tlabel\nok\t1\n",
        ":1: the header has no text column \"sentence\" (its columns are \"text\", \"label\")");
    row("missing label column", "a.csv", "sentence,stars\nok,1\n",
        ":1: the header has no label column \"label\" (its columns are \"sentence\", \"stars\")");
    row("empty text", "a.tsv", "sentence\tlabel\nok\t1\n  \t0\n", ":3: column \"sentence\" is empty");
    row("missing label", "a.tsv", "sentence\tlabel\nok\t1\nfine\t \n",
        ":3: column \"label\" is empty (every example needs a label)");
    row("invalid utf8 tsv", "a.tsv", "sentence\tlabel\nok\t1\nbad \xff byte\t0\n",
        ":3: column \"sentence\" is not valid UTF-8 (byte 0xff at byte offset 4)");
    row("overlong utf8", "a.tsv", "sentence\tlabel\nok\t\xc0\xaf\n",
        ":2: column \"label\" is not valid UTF-8 (byte 0xc0 at byte offset 0)");
    row("header only", "a.tsv", "sentence\tlabel\n\n\n", ": no examples after the header");
    row("empty file", "a.csv", "", ": the file is empty (expected a header row)");
    row("csv error after embedded newline", "a.csv",
        "sentence,label\n\"line one\nline two\",1\n\"x, y\",0\nthree,fields,1\n",
        ":5: expected 2 fields (sentence, label), found 3");
    row("csv unclosed quote", "a.csv", "sentence,label\nok,1\n\"never closed,1\nmore,0\n",
        ":3: the quoted field 1 that opens on this line is never closed");
    row("csv text after quote", "a.csv", "sentence,label\n\"a\"b,1\n",
        ":2: unexpected character after the closing quote of field 1 (a quote inside a quoted field must be doubled)");
    row("jsonl missing text", "a.jsonl", "{\"text\": \"a\", \"label\": 1}\n",
        ":1: field \"sentence\" is missing (it has \"label\", \"text\")");
    row("jsonl missing label", "a.jsonl", "{\"sentence\": \"a\", \"label\": 1}\n\n{\"sentence\": \"b\"}\n",
        ":3: field \"label\" is missing (it has \"sentence\")");
    row("jsonl null label", "a.jsonl", "{\"sentence\": \"a\", \"label\": null}\n",
        ":1: field \"label\" is missing (it has \"label\", \"sentence\")");
    row("jsonl float label", "a.jsonl", "{\"sentence\": \"a\", \"label\": 0.5}\n",
        ":1: field \"label\" must be a string or an integer, not number 0.5");
    row("jsonl number text", "a.jsonl", "{\"sentence\": 3, \"label\": 1}\n",
        ":1: field \"sentence\" must be a string, not number 3");
    row("jsonl empty text", "a.jsonl", "{\"sentence\": \" \", \"label\": 1}\n", ":1: field \"sentence\" is empty");
    row("jsonl not an object", "a.jsonl", "{\"sentence\": \"a\", \"label\": 1}\n[1, 2]\n",
        ":2: expected a JSON object, found array (JSON Lines: one object per line)");
    row("jsonl invalid utf8", "a.jsonl", "{\"sentence\": \"a\", \"label\": 1}\n{\"sentence\": \"caf\xc3\", \"label\": 1}\n",
        ":2: the line is not valid UTF-8 (byte 0xc3 at byte offset 17)");
  }

  void malformed() {
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const std::string path = tmp(name.toStdString());
    writeFile(path, content.toStdString());
    const auto e = thrownError([&] { readDataset(specFor(path)); });
    QCOMPARE(e.second, QString::fromStdString(path) + expected);
    QCOMPARE(e.first, ErrorKind::Format);
  }

  void malformedJson() {
    const std::string path = tmp("broken.jsonl");
    writeFile(path, "{\"sentence\": \"a\", \"label\": 1}\n{\"sentence\": \"b\", \"label\": }\n");
    const auto e = thrownError([&] { readDataset(specFor(path)); });
    QCOMPARE(e.first, ErrorKind::Format);
    QVERIFY2(e.second.startsWith(QString::fromStdString(path) + ":2: malformed JSON (column 28: syntax error"),
             qPrintable(e.second));
    QVERIFY2(e.second.endsWith("); expected one JSON object per line"), qPrintable(e.second));
  }

  void fileAndFormatErrors() {
    const std::string missing = tmp("nope.tsv");
    auto e = thrownError([&] { readDataset(specFor(missing)); });
    QCOMPARE(e.first, ErrorKind::Io);
    QCOMPARE(e.second, QString::fromStdString(missing + ": cannot open: No such file or directory"));
    e = thrownError([&] { readDataset(specFor(tmp("data.xml"))); });
    QCOMPARE(e.first, ErrorKind::InvalidArgument);
    QVERIFY2(e.second.contains("cannot tell the dataset format"), qPrintable(e.second));
    DatasetSpec spec = specFor(fixture("data/sst2.tsv"));
    spec.format = "parquet";
    e = thrownError([&] { readDataset(spec); });
    QCOMPARE(e.first, ErrorKind::InvalidArgument);
    QVERIFY2(e.second.contains("unknown dataset format \"parquet\""), qPrintable(e.second));
    // An explicit format overrides the extension.
    writeFile(tmp("data.txt"), "sentence,label\nok,1\n");
    spec = specFor(tmp("data.txt"));
    spec.format = "csv";
    QCOMPARE(texts(readDataset(spec)), QStringList({"ok"}));
  }

  void corpus() {
    QCOMPARE(qt(readCorpus(fixture("data/corpus.txt"))),
             QStringList({"The quick brown fox jumped over the lazy dog.", "Hello world!", "This is a test sentence."}));
    QCOMPARE(readCorpus(fixture("data/sst2.tsv"), "sentence").size(), size_t(5));
    QCOMPARE(readCorpus(fixture("data/sst2.tsv"), "sentence")[1], std::string("unflinchingly bleak and desperate "));
    QCOMPARE(qt(readCorpus(fixture("data/topics.jsonl"), "sentence")),
             QStringList({"the match went to extra time", "rates were cut again", "the striker scored twice"}));
    writeFile(tmp("crlf.txt"), "\xEF\xBB\xBFone\r\n\r\ntwo\r\n");
    QCOMPARE(qt(readCorpus(tmp("crlf.txt"))), QStringList({"one", "two"}));

    writeFile(tmp("bad.txt"), "fine\n\nbad \xfe\n");
    auto e = thrownError([&] { readCorpus(tmp("bad.txt")); });
    QCOMPARE(e.first, ErrorKind::Format);
    QCOMPARE(e.second, QString::fromStdString(tmp("bad.txt") + ":3: the line is not valid UTF-8 (byte 0xfe at byte offset 4)"));
    writeFile(tmp("blank.txt"), "\n  \n\r\n");
    e = thrownError([&] { readCorpus(tmp("blank.txt")); });
    QCOMPARE(e.second, QString::fromStdString(tmp("blank.txt") + ": no text (the file is empty or every line is blank)"));
    e = thrownError([&] { readCorpus(fixture("data/sst2.tsv"), "text"); });
    QCOMPARE(e.second, QString::fromStdString(fixture("data/sst2.tsv") +
                                              ":1: the header has no text column \"text\" (its columns are \"sentence\", \"label\")"));
    e = thrownError([&] { readCorpus(tmp("missing.txt")); });
    QCOMPARE(e.first, ErrorKind::Io);
  }

  void writeTsvRoundTrip() {
    std::vector<Example> examples(3);
    examples[0].text = "tab\there";
    examples[0].pair = "new\nline";
    examples[0].label = 1;
    examples[1].text = "quotes \"stay\"";
    examples[1].pair = "crlf\r\nend";
    examples[1].label = 0;
    examples[2].text = "café";
    examples[2].pair = "second";
    examples[2].label = 1;
    const std::vector<std::string> labels = {"neg", "pos"};
    const std::string path = tmp("augmented.tsv");
    writeDatasetTsv(path, examples, labels, true);
    DatasetSpec spec = specFor(path);
    spec.pairColumn = "sentence2";
    const auto d = readDataset(spec, labels);
    QCOMPARE(texts(d), QStringList({"tab here", "quotes \"stay\"", QString::fromUtf8("café")}));
    QCOMPARE(d.examples[0].pair, std::string("new line"));
    QCOMPARE(d.examples[1].pair, std::string("crlf  end"));
    QCOMPARE(labelIds(d), QList<qint64>({1, 0, 1}));
    QCOMPARE(qt(d.labels), QStringList({"neg", "pos"}));

    // Without pairs and without labels.
    writeDatasetTsv(path, examples, {}, false);
    std::ifstream in(path, std::ios::binary);
    const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QCOMPARE(written, std::string("sentence\ntab here\nquotes \"stay\"\ncafé\n"));

    examples[2].label = 2;
    const auto e = thrownError([&] { writeDatasetTsv(path, examples, labels, false); });
    QCOMPARE(e.first, ErrorKind::InvalidArgument);
    QCOMPARE(e.second, QString::fromStdString(path + ": example 2 has label 2, outside the 2 classes (neg, pos)"));
    // The failed write left the earlier file in place.
    QCOMPARE(readCorpus(path, "sentence").size(), size_t(3));
  }

  void regressionLabels() {
    const std::string path = tmp("stsb.tsv");
    writeFile(path, "sentence1\tsentence2\tscore\na\tb\t5.000\nc\td\t0.25\ne\tf\t-1e-1\ng\th\t3\n");
    DatasetSpec spec = specFor(path);
    spec.textColumn = "sentence1";
    spec.pairColumn = "sentence2";
    spec.labelColumn = "score";
    spec.kind = "regression";
    const auto d = readDataset(spec, {"ignored"});
    QCOMPARE(d.kind, std::string("regression"));
    QCOMPARE(qt(d.labels), QStringList({"score"}));  // one output, named after the column
    QCOMPARE(labelIds(d), QList<qint64>({-1, -1, -1, -1}));
    QList<float> values;
    for (const auto& ex : d.examples) values << ex.targets.at(0);
    QCOMPARE(values, QList<float>({5.0f, 0.25f, -0.1f, 3.0f}));
    QCOMPARE(d.labelCounts(), std::vector<int64_t>({4}));

    // JSON Lines: numbers, integers and strings holding numbers.
    const std::string jsonl = tmp("reg.jsonl");
    writeFile(jsonl, "{\"sentence\": \"x\", \"label\": 2.5}\n{\"sentence\": \"y\", \"label\": 7}\n"
                     "{\"sentence\": \"z\", \"label\": \"-3.75\"}\n");
    DatasetSpec js = specFor(jsonl);
    js.kind = "regression";
    const auto j = readDataset(js);
    QCOMPARE(j.examples[0].targets, std::vector<float>({2.5f}));
    QCOMPARE(j.examples[1].targets, std::vector<float>({7.0f}));
    QCOMPARE(j.examples[2].targets, std::vector<float>({-3.75f}));

    // A label that is not a number names the file, line, value and column.
    writeFile(path, "sentence1\tsentence2\tscore\na\tb\t4.5\nc\td\tnan\n");
    const auto e = thrownError([&] { readDataset(spec); });
    QCOMPARE(e.first, ErrorKind::Format);
    QCOMPARE(e.second, QString::fromStdString(path + ":3: label \"nan\" of column \"score\" is not a number (a "
                                                     "regression needs a finite decimal value)"));
    float v = 0;
    QVERIFY(!parseTarget("0x10", v));
    QVERIFY(!parseTarget("1e999", v));
    QVERIFY(!parseTarget("", v));
    QVERIFY(parseTarget(" 1.5e2 ", v) && v == 150.0f);
  }

  void multiLabelLabels() {
    const std::string path = tmp("multi.tsv");
    writeFile(path, "sentence\tlabel\nw\twar,economy\nx\t\ny\teconomy\nz\t economy , war ,war\n");
    DatasetSpec spec = specFor(path);
    spec.kind = "multi_label";
    const auto d = readDataset(spec);
    QCOMPARE(qt(d.labels), QStringList({"economy", "war"}));  // sorted
    QCOMPARE(d.examples[0].targets, std::vector<float>({1, 1}));
    QCOMPARE(d.examples[1].targets, std::vector<float>({0, 0}));  // an empty cell: no class
    QCOMPARE(d.examples[2].targets, std::vector<float>({1, 0}));
    QCOMPARE(d.examples[3].targets, std::vector<float>({1, 1}));  // spaces trimmed, duplicates once
    QCOMPARE(d.labelCounts(), std::vector<int64_t>({3, 2}));

    // JSON arrays and another separator; the training classes decide the columns.
    const std::string jsonl = tmp("multi.jsonl");
    writeFile(jsonl, "{\"sentence\": \"a\", \"label\": [\"war\"]}\n{\"sentence\": \"b\", \"label\": []}\n"
                     "{\"sentence\": \"c\", \"label\": \"economy|war\"}\n");
    DatasetSpec js = specFor(jsonl);
    js.kind = "multi_label";
    js.labelSeparator = "|";
    const auto j = readDataset(js, d.labels);
    QCOMPARE(j.examples[0].targets, std::vector<float>({0, 1}));
    QCOMPARE(j.examples[1].targets, std::vector<float>({0, 0}));
    QCOMPARE(j.examples[2].targets, std::vector<float>({1, 1}));

    writeFile(jsonl, "{\"sentence\": \"a\", \"label\": [\"peace\"]}\n");
    auto e = thrownError([&] { readDataset(js, d.labels); });
    QCOMPARE(e.second, QString::fromStdString(jsonl + ":1: class \"peace\" is not one of the training classes (economy, war)"));
    writeFile(jsonl, "{\"sentence\": \"a\", \"label\": [1.5]}\n");
    e = thrownError([&] { readDataset(js); });
    QCOMPARE(e.second, QString::fromStdString(jsonl + ":1: field \"label\" must hold strings or integers (the classes), not number 1.5"));
    writeFile(path, "sentence\tlabel\nw\twar,,economy\n");
    e = thrownError([&] { readDataset(spec); });
    QCOMPARE(e.second, QString::fromStdString(path + ":2: column \"label\" holds an empty class name in \"war,,economy\" "
                                                     "(classes are separated by \",\")"));

    // Written and read back.
    const std::string out = tmp("multi-out.tsv");
    writeDatasetTsv(out, d.examples, d.labels, false, "multi_label", ",");
    spec = specFor(out);
    spec.kind = "multi_label";
    const auto again = readDataset(spec, d.labels);
    for (size_t i = 0; i < 4; ++i) QCOMPARE(again.examples[i].targets, d.examples[i].targets);
  }

  void tokenClassificationConll() {
    const std::string path = tmp("tags.conll");
    // CoNLL-2003 style: a document mark, extra columns (the tag is the last), blank lines
    // (several in a row) between sentences, "\r\n" ends.
    writeFile(path, "-DOCSTART- -X- O O\n\nOn IN O\nDecember NNP B-DATE\n7 CD I-DATE\r\n\n\n"
                    "Congress NNP B-GOV\nmet VBD O\n");
    DatasetSpec spec = specFor(path);
    spec.kind = "token_classification";
    const auto d = readDataset(spec);
    QCOMPARE(d.kind, std::string("token_classification"));
    QCOMPARE(qt(d.labels), QStringList({"B-DATE", "B-GOV", "I-DATE", "O"}));  // sorted
    QCOMPARE(d.examples.size(), size_t(2));
    QCOMPARE(d.examples[0].words, std::vector<std::string>({"On", "December", "7"}));
    QCOMPARE(d.examples[0].tags, std::vector<int64_t>({3, 0, 2}));
    QCOMPARE(d.examples[0].text, std::string("On December 7"));
    QCOMPARE(d.examples[0].line, int64_t(3));  // its first word's line
    QCOMPARE(d.examples[1].tags, std::vector<int64_t>({1, 3}));
    QCOMPARE(d.examples[1].line, int64_t(8));
    QCOMPARE(d.labelCounts(), std::vector<int64_t>({1, 1, 1, 2}));

    // A dev file maps onto the training tags; an unseen tag names the word.
    const std::string dev = tmp("dev.iob");
    writeFile(dev, "in O\n1941 B-YEAR\n");
    DatasetSpec ds = specFor(dev);
    ds.kind = "token_classification";
    auto e = thrownError([&] { readDataset(ds, d.labels); });
    QCOMPARE(e.second, QString::fromStdString(dev + ":1: tag \"B-YEAR\" of word 2 (\"1941\") is not one of the training "
                                                    "tags (B-DATE, B-GOV, I-DATE, O)"));
    writeFile(dev, "in O\n1941\n");
    e = thrownError([&] { readDataset(ds); });
    QCOMPARE(e.first, ErrorKind::Format);
    QCOMPARE(e.second, QString::fromStdString(dev + ":2: expected a word and its tag separated by white space, found only "
                                                    "\"1941\" (CoNLL: one word per line, the tag last)"));
    writeFile(dev, "-DOCSTART- O\n\n\n");
    e = thrownError([&] { readDataset(ds); });
    QCOMPARE(e.second, QString::fromStdString(dev + ": no sentences (every line is blank or -DOCSTART-)"));
    // Unlabeled: the words only.
    ds.labelColumn.clear();
    writeFile(dev, "in O\n1941 B-YEAR\n");
    const auto u = readDataset(ds);
    QCOMPARE(u.examples[0].words, std::vector<std::string>({"in", "1941"}));
    QVERIFY(u.examples[0].tags.empty());
    QVERIFY(u.labels.empty());

    // Other task kinds refuse a CoNLL file, and a token classification a TSV.
    DatasetSpec wrong = specFor(path);
    e = thrownError([&] { readDataset(wrong); });
    QCOMPARE(e.first, ErrorKind::InvalidArgument);
    QVERIFY2(e.second.contains(QStringLiteral("tags.conll: a .conll file holds a tag per word (CoNLL columns): read it as a token_classification")), qPrintable(e.second));
    wrong.format = "conll";
    e = thrownError([&] { readDataset(wrong); });
    QCOMPARE(e.second, QString::fromStdString(path + ": a CoNLL file holds tags per word: it is read by a "
                                                     "token_classification task, not a classification"));
    DatasetSpec tsv = specFor(fixture("data/sst2.tsv"));
    tsv.kind = "token_classification";
    e = thrownError([&] { readDataset(tsv); });
    QVERIFY2(e.second.endsWith(QStringLiteral("not tsv")), qPrintable(e.second));
    QVERIFY_EXCEPTION_THROWN(writeDatasetTsv(tmp("no.tsv"), d.examples, d.labels, false, "token_classification"), Error);
  }

  void tokenClassificationJsonl() {
    const std::string path = tmp("tags.jsonl");
    // Hugging Face's layout: "tokens" and "ner_tags" found although the spec names the defaults.
    writeFile(path, "{\"id\": 0, \"tokens\": [\"EU\", \"rejects\", \"German\"], \"ner_tags\": [\"B-ORG\", \"O\", \"B-MISC\"]}\n"
                    "{\"id\": 1, \"tokens\": [\"Peter\"], \"ner_tags\": [\" B-PER \"]}\n");
    DatasetSpec spec = specFor(path);
    spec.kind = "token_classification";
    const auto d = readDataset(spec);
    QCOMPARE(qt(d.labels), QStringList({"B-MISC", "B-ORG", "B-PER", "O"}));
    QCOMPARE(d.examples[0].tags, std::vector<int64_t>({1, 3, 0}));
    QCOMPARE(d.examples[1].tags, std::vector<int64_t>({2}));  // trimmed
    QCOMPARE(d.examples[1].text, std::string("Peter"));

    writeFile(path, "{\"tokens\": [\"EU\", \"rejects\"], \"tags\": [\"B-ORG\"]}\n");
    auto e = thrownError([&] { readDataset(spec); });
    QCOMPARE(e.second, QString::fromStdString(path + ":1: field \"tags\" has 1 tags for 2 words in \"tokens\" (one tag per word)"));
    writeFile(path, "{\"tokens\": [\"EU\", 7], \"tags\": [\"B-ORG\", \"O\"]}\n");
    e = thrownError([&] { readDataset(spec); });
    QCOMPARE(e.second, QString::fromStdString(path + ":1: field \"tokens\"[1] must be a string (words), not number 7"));
    writeFile(path, "{\"tokens\": \"EU rejects\", \"tags\": [\"B-ORG\", \"O\"]}\n");
    e = thrownError([&] { readDataset(spec); });
    QCOMPARE(e.second, QString::fromStdString(path + ":1: field \"tokens\" must be an array of words, not string \"EU rejects\""));
    writeFile(path, "{\"tokens\": [], \"tags\": []}\n");
    e = thrownError([&] { readDataset(spec); });
    QCOMPARE(e.second, QString::fromStdString(path + ":1: the array of words is empty (a sentence needs at least one word)"));
    writeFile(path, "{\"tokens\": [\"EU\"], \"tags\": [\"\"]}\n");
    e = thrownError([&] { readDataset(spec); });
    QCOMPARE(e.second, QString::fromStdString(path + ":1: the tag of word 1 (\"EU\") is empty"));
    writeFile(path, "{\"words\": [\"EU\"]}\n");
    e = thrownError([&] { readDataset(spec); });
    QCOMPARE(e.second, QString::fromStdString(path + ":1: field \"label\" is missing (it has \"words\")"));
  }

  void regressionWrittenAndReadBack() {
    std::vector<Example> examples(2);
    examples[0].text = "one";
    examples[0].targets = {0.123456789f};
    examples[1].text = "two";
    examples[1].targets = {-42.5f};
    const std::string path = tmp("reg-out.tsv");
    writeDatasetTsv(path, examples, {"label"}, false, "regression");
    DatasetSpec spec = specFor(path);
    spec.kind = "regression";
    const auto d = readDataset(spec);
    QCOMPARE(d.examples[0].targets, examples[0].targets);  // 9 digits: float exact
    QCOMPARE(d.examples[1].targets, examples[1].targets);
    examples[1].targets.clear();
    const auto e = thrownError([&] { writeDatasetTsv(path, examples, {"label"}, false, "regression"); });
    QCOMPARE(e.second, QString::fromStdString(path + ": example 1 has 0 targets, a regression needs 1"));
  }

  void labelCountsIgnoresUnlabeled() {
    LabeledDataset d;
    d.labels = {"a", "b", "c"};
    d.examples.resize(5);
    d.examples[0].label = 2;
    d.examples[1].label = 2;
    d.examples[2].label = 0;
    d.examples[3].label = -1;
    d.examples[4].label = 7;  // out of range: not counted
    QCOMPARE(d.labelCounts(), std::vector<int64_t>({1, 0, 2}));
  }
};

QTEST_APPLESS_MAIN(TestDataset)
#include "test_dataset.moc"
