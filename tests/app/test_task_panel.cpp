// The task panel's preview: read by core on a worker (the call returns before the file is
// read), filled with the first rows and the label counts, newer files win over older ones,
// and core's message (file, line) for a malformed file.

#include <QLocale>
#include <QtTest/QtTest>
#include <QComboBox>
#include <QTableWidget>
#include <QTemporaryDir>

#include <fstream>

#include "app/gui/task_panel.h"

using retort::app::TaskPanel;

namespace {

QString writeTsv(const QTemporaryDir& dir, const QString& name, int rows, const char* prefix) {
  const QString path = dir.filePath(name);
  std::ofstream out(path.toStdString());
  out << "sentence\tlabel\n";
  for (int i = 0; i < rows; ++i) out << prefix << ' ' << i << '\t' << (i % 4 == 0 ? "rare" : "common") << '\n';
  return path;
}

}  // namespace

class TestTaskPanel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void previewFillsWithoutBlocking() {
    QTemporaryDir dir;
    const QString big = writeTsv(dir, QStringLiteral("big.tsv"), 200000, "row");
    TaskPanel panel;
    panel.show();
    QSignalSpy ready(&panel, &TaskPanel::previewReady);
    panel.setTrainFile(big);
    // Returned at once: the worker reads the file while the event loop goes on.
    QVERIFY(panel.isReading());
    QCOMPARE(panel.preview()->rowCount(), 0);
    QCOMPARE(panel.labelSummary(), QStringLiteral("Reading the training data…"));
    QVERIFY(ready.wait(60000));
    QVERIFY(!panel.isReading());
    QCOMPARE(panel.preview()->rowCount(), TaskPanel::kPreviewRows);
    QCOMPARE(panel.preview()->item(0, 0)->text(), QStringLiteral("row 0"));
    QCOMPARE(panel.preview()->item(0, 1)->text(), QStringLiteral("rare"));
    QCOMPARE(panel.preview()->item(7, 0)->text(), QStringLiteral("row 7"));
    QVERIFY2(panel.labelSummary().startsWith(QStringLiteral("200000 example")) && panel.labelSummary().endsWith(QStringLiteral("; labels: common: 150000, rare: 50000")), qPrintable(panel.labelSummary()));
    QCOMPARE(panel.firstText(), QStringLiteral("row 0"));
    auto* text = panel.findChild<QComboBox*>(QStringLiteral("textColumn"));
    QCOMPARE(text->count(), 2);  // the header's columns
  }

  void headerlessFileAndMetric() {
    // A GLUE CoLA task (no header row; its columns named in task.columns, metric MCC): the
    // preview reads its first line as a row, and both survive the round trip through the panel.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("train.tsv"));
    std::ofstream(path.toStdString()) << "gj04\t1\t\tOur friends won't buy this analysis.\n"
                                         "gj04\t0\t*\tThey drank the pub.\n";
    retort::distill::TaskSpec task;
    task.train = path.toStdString();
    task.columns = {"source", "label", "original_label", "sentence"};
    task.textColumn = "sentence";
    task.labelColumn = "label";
    task.metric = "mcc";
    TaskPanel panel;
    QSignalSpy ready(&panel, &TaskPanel::previewReady);
    panel.load(task);
    QVERIFY(ready.wait(30000));
    QVERIFY2(panel.problem().isEmpty(), qPrintable(panel.problem()));
    QCOMPARE(panel.preview()->rowCount(), 2);
    QCOMPARE(panel.firstText(), QStringLiteral("Our friends won't buy this analysis."));
    QVERIFY2(panel.labelSummary().startsWith(QStringLiteral("2 example")), qPrintable(panel.labelSummary()));
    auto* metric = panel.findChild<QComboBox*>(QStringLiteral("taskMetric"));
    QCOMPARE(metric->currentData().toString(), QStringLiteral("mcc"));
    retort::distill::TaskSpec back;
    panel.store(back);
    QCOMPARE(back.metric, std::string("mcc"));
    QCOMPARE(back.columns, task.columns);
    metric->setCurrentIndex(metric->findData(QStringLiteral("f1")));
    panel.store(back);
    QCOMPARE(back.metric, std::string("f1"));
    // Another training file is read with its header row.
    panel.setTrainFile(writeTsv(dir, QStringLiteral("other.tsv"), 3, "x"));
    QVERIFY(ready.wait(30000));
    panel.store(back);
    QVERIFY(back.columns.empty());
    QCOMPARE(panel.firstText(), QStringLiteral("x 0"));
  }

  void kindGuessedFromANewFile() {
    // Decimal labels: a regression (its metrics offered, the values previewed); labels joined by
    // commas: multi-label; the user's choice then stands, and a document's kind is kept.
    QTemporaryDir dir;
    const QString reg = dir.filePath(QStringLiteral("reg.tsv"));
    std::ofstream(reg.toStdString()) << "sentence\tscore\nfirst one\t4.25\nsecond\t0.5\nthird\t3\n";
    const QString multi = dir.filePath(QStringLiteral("multi.tsv"));
    std::ofstream(multi.toStdString()) << "sentence\tlabel\nwar and taxes\twar,economy\ncourts\tlaw\nnothing\t\n";
    TaskPanel panel;
    QSignalSpy ready(&panel, &TaskPanel::previewReady);
    auto* kind = panel.findChild<QComboBox*>(QStringLiteral("taskKind"));
    auto* metric = panel.findChild<QComboBox*>(QStringLiteral("taskMetric"));
      QVERIFY(kind && metric);
    retort::distill::TaskSpec task;
    task.train = reg.toStdString();
    task.labelColumn = "score";
    panel.load(task);  // a document's kind (classification) is not guessed over
    QVERIFY(ready.wait(30000));
    QCOMPARE(kind->currentData().toString(), QStringLiteral("classification"));
    panel.setTrainFile(reg);
    QVERIFY(ready.wait(30000));
    QVERIFY2(panel.problem().isEmpty(), qPrintable(panel.problem()));
    QCOMPARE(kind->currentData().toString(), QStringLiteral("regression"));
    QCOMPARE(metric->count(), 2);
    QCOMPARE(metric->itemData(0).toString(), QStringLiteral("pearson"));
    QCOMPARE(panel.preview()->item(0, 1)->text(), QLocale().toString(4.25, 'g', 6));
    QVERIFY2(panel.labelSummary().contains(QStringLiteral("a number in “score”")), qPrintable(panel.labelSummary()));
    retort::distill::TaskSpec back;
    panel.store(back);
    QCOMPARE(back.kind, std::string("regression"));
    QCOMPARE(back.metric, std::string("pearson"));

    task.train = multi.toStdString();
    task.labelColumn = "label";
    panel.load(task);
    QVERIFY(ready.wait(30000));
    panel.setTrainFile(multi);
    QVERIFY(ready.wait(30000));
    QVERIFY2(panel.problem().isEmpty(), qPrintable(panel.problem()));
    QCOMPARE(kind->currentData().toString(), QStringLiteral("multi_label"));
    QCOMPARE(metric->currentData().toString(), QStringLiteral("micro_f1"));
    QCOMPARE(panel.preview()->item(0, 1)->text(), QStringLiteral("economy, war"));
    QCOMPARE(panel.preview()->item(2, 1)->text(), QString());
    QVERIFY2(panel.labelSummary().contains(QStringLiteral("economy: 1")) && panel.labelSummary().contains(QStringLiteral("war: 1")),
             qPrintable(panel.labelSummary()));

    // Picking classification by hand reads the joined names as classes of their own.
    kind->setCurrentIndex(kind->findData(QStringLiteral("classification")));
    Q_EMIT kind->activated(kind->currentIndex());
    QVERIFY(ready.wait(30000));
    QCOMPARE(kind->currentData().toString(), QStringLiteral("classification"));
    QCOMPARE(metric->itemData(0).toString(), QStringLiteral("accuracy"));
    QVERIFY2(panel.problem().contains(QStringLiteral("is empty (every example needs a label)")), qPrintable(panel.problem()));
  }

  void tokenKindGuessedFromACoNLLFile() {
    // A CoNLL file (a word and its tag per line, blank lines between sentences): token
    // classification, entity F1 first, the preview shows each sentence's words and tags.
    QTemporaryDir dir;
    const QString conll = dir.filePath(QStringLiteral("ner.conll"));
    std::ofstream(conll.toStdString()) << "-DOCSTART- -X- O O\n\nMel B-PER\nTarrow I-PER\nvisited O\nZorvia B-LOC\n\n"
                                          "nothing O\nhere O\n\nZorvia B-LOC\n";
    TaskPanel panel;
    QSignalSpy ready(&panel, &TaskPanel::previewReady);
    auto* kind = panel.findChild<QComboBox*>(QStringLiteral("taskKind"));
    auto* metric = panel.findChild<QComboBox*>(QStringLiteral("taskMetric"));
    QVERIFY(kind && metric);
    panel.setTrainFile(conll);
    QVERIFY(ready.wait(30000));
    QVERIFY2(panel.problem().isEmpty(), qPrintable(panel.problem()));
    QCOMPARE(kind->currentData().toString(), QStringLiteral("token_classification"));
    QCOMPARE(metric->count(), 4);
    QCOMPARE(metric->itemData(0).toString(), QStringLiteral("entity_f1"));
    QCOMPARE(metric->itemText(0), QStringLiteral("Entity F1 (seqeval)"));
    QCOMPARE(panel.preview()->rowCount(), 3);
    QCOMPARE(panel.preview()->horizontalHeaderItem(0)->text(), QStringLiteral("Words"));
    QCOMPARE(panel.preview()->horizontalHeaderItem(1)->text(), QStringLiteral("Tags"));
    QCOMPARE(panel.preview()->item(0, 0)->text(), QStringLiteral("Mel Tarrow visited Zorvia"));
    QCOMPARE(panel.preview()->item(0, 1)->text(), QStringLiteral("B-PER I-PER O B-LOC"));
    QCOMPARE(panel.preview()->item(2, 1)->text(), QStringLiteral("B-LOC"));
    QVERIFY2(panel.labelSummary().contains(QStringLiteral("B-LOC: 2")) && panel.labelSummary().contains(QStringLiteral("O: 3")),
             qPrintable(panel.labelSummary()));
    retort::distill::TaskSpec back;
    panel.store(back);
    QCOMPARE(back.kind, std::string("token_classification"));
    QCOMPARE(back.metric, std::string("entity_f1"));

    // The same file read as a single-label classification is refused with the reason.
    kind->setCurrentIndex(kind->findData(QStringLiteral("classification")));
    Q_EMIT kind->activated(kind->currentIndex());
    QVERIFY(ready.wait(30000));
    QVERIFY2(panel.problem().contains(QStringLiteral("token_classification")), qPrintable(panel.problem()));
  }

  void aNewerFileWins() {
    QTemporaryDir dir;
    const QString a = writeTsv(dir, QStringLiteral("a.tsv"), 50000, "first");
    const QString b = writeTsv(dir, QStringLiteral("b.tsv"), 10, "second");
    TaskPanel panel;
    panel.setTrainFile(a);
    panel.setTrainFile(b);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isReading(), 30000);
    QCOMPARE(panel.preview()->item(0, 0)->text(), QStringLiteral("second 0"));
    QVERIFY2(panel.labelSummary().startsWith(QStringLiteral("10 example")) && panel.labelSummary().endsWith(QStringLiteral("; labels: common: 7, rare: 3")), qPrintable(panel.labelSummary()));
    // The older file's result, if it arrives at all, does not replace the newer one.
    QTest::qWait(200);
    QCOMPARE(panel.preview()->item(0, 0)->text(), QStringLiteral("second 0"));
  }

  void malformedFileShowsCoresMessage() {
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("bad.tsv"));
    std::ofstream(bad.toStdString()) << "sentence\tlabel\nfine\tx\nno label here\n";
    TaskPanel panel;
    panel.setTrainFile(bad);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isReading(), 30000);
    QCOMPARE(panel.problem(), QStringLiteral("%1:3: expected 2 fields (sentence, label), found 1 (fields are separated by tabs)").arg(bad));
    QCOMPARE(panel.labelSummary(), QStringLiteral("Cannot read the training data: %1").arg(panel.problem()));
    QCOMPARE(panel.preview()->rowCount(), 0);
  }
};

QTEST_MAIN(TestTaskPanel)
#include "test_task_panel.moc"
