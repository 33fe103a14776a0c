// core/data/preview: the first rows and the label counts from one pass, equal to what
// readDataset reads, and readDataset's messages (file, line) for malformed files.

#include <QtTest/QtTest>
#include <QTemporaryDir>

#include <fstream>

#include "core/data/dataset.h"
#include "core/data/preview.h"
#include "test_util.h"

using namespace retort;

namespace {

std::string write(const QTemporaryDir& dir, const char* name, const std::string& content) {
  const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace

class TestPreview : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void tsvFirstRowsAndCounts() {
    QTemporaryDir dir;
    std::string content = "sentence\tlabel\n";
    for (int i = 0; i < 30; ++i) content += "text " + std::to_string(i) + "\t" + (i % 3 == 0 ? "b" : "a") + "\n";
    data::DatasetSpec spec;
    spec.path = write(dir, "t.tsv", content);
    const auto p = data::previewDataset(spec, 8);
    QCOMPARE(p.examples, int64_t{30});
    QCOMPARE(p.rows.size(), size_t{8});
    QCOMPARE(p.columns, (std::vector<std::string>{"sentence", "label"}));
    QCOMPARE(p.labels, (std::vector<std::string>{"a", "b"}));
    QCOMPARE(p.labelCounts, (std::vector<int64_t>{20, 10}));
    QCOMPARE(p.rows[0].text, std::string("text 0"));
    QCOMPARE(p.rows[0].label, int64_t{1});
    QCOMPARE(p.rows[1].label, int64_t{0});
    QCOMPARE(p.rows[7].line, int64_t{9});
    // The same as the full reader.
    const auto d = data::readDataset(spec);
    QCOMPARE(d.labels, p.labels);
    QCOMPARE(d.labelCounts(), p.labelCounts);
    for (size_t i = 0; i < p.rows.size(); ++i) {
      QCOMPARE(p.rows[i].text, d.examples[i].text);
      QCOMPARE(p.rows[i].label, d.examples[i].label);
    }
  }

  void integerLabelsAreNumericClasses() {
    QTemporaryDir dir;
    data::DatasetSpec spec;
    spec.path = write(dir, "i.csv", "sentence,label\n\"one, two\",2\nthree,0\nfour,2\nfive,02\n");
    const auto p = data::previewDataset(spec, 2);
    QCOMPARE(p.labels, (std::vector<std::string>{"0", "1", "2"}));
    QCOMPARE(p.labelCounts, (std::vector<int64_t>{1, 0, 3}));
    QCOMPARE(p.rows.size(), size_t{2});
    QCOMPARE(p.rows[0].text, std::string("one, two"));
    QCOMPARE(p.rows[0].label, int64_t{2});
    QCOMPARE(data::readDataset(spec).labelCounts(), p.labelCounts);
  }

  void jsonLinesColumns() {
    QTemporaryDir dir;
    data::DatasetSpec spec;
    spec.path = write(dir, "j.jsonl", "{\"text\": \"hi\", \"y\": \"pos\"}\n\n{\"text\": \"ho\", \"y\": \"neg\"}\n");
    spec.textColumn = "text";
    spec.labelColumn = "y";
    const auto p = data::previewDataset(spec, 8);
    QCOMPARE(p.columns, (std::vector<std::string>{"text", "y"}));
    QCOMPARE(p.examples, int64_t{2});
    QCOMPARE(p.rows[1].line, int64_t{3});
    QCOMPARE(p.labels, (std::vector<std::string>{"neg", "pos"}));
    QCOMPARE(data::datasetColumns(spec.path), (std::vector<std::string>{"text", "y"}));
  }

  void errorsNameFileAndLine() {
    QTemporaryDir dir;
    data::DatasetSpec spec;
    spec.path = write(dir, "bad.tsv", "sentence\tlabel\nfine\tx\nno label here\n");
    const QString msg = test::thrownMessage([&] { data::previewDataset(spec, 8); });
    QCOMPARE(msg, test::thrownMessage([&] { data::readDataset(spec); }));
    QVERIFY2(msg.startsWith(QString::fromStdString(spec.path + ":3: expected 2 fields")), qPrintable(msg));
    spec.textColumn = "text";
    const QString column = test::thrownMessage([&] { data::previewDataset(spec, 8); });
    QVERIFY2(column.contains(QStringLiteral("bad.tsv:1: the header has no text column \"text\"")), qPrintable(column));
    // The columns are still readable for the user to pick from.
    QCOMPARE(data::datasetColumns(spec.path), (std::vector<std::string>{"sentence", "label"}));
    const QString missing = test::thrownMessage([&] { data::datasetColumns(dir.filePath(QStringLiteral("none.tsv")).toStdString()); });
    QVERIFY2(missing.contains(QStringLiteral("none.tsv")), qPrintable(missing));
  }
};

QTEST_MAIN(TestPreview)
#include "test_preview.moc"
