// `retort-cli run PRESET --glue TASK --data DIR` on a GLUE folder laid out as the download
// lays it out: CoLA (no header row) from a rule the teacher can learn, with every 8th dev
// label flipped so that MCC and accuracy differ. The task's official metric (MCC) picks the
// best student, heads the summary and the report, and gives the retention; STS-B runs as a
// regression with Pearson.

#include <QtTest/QtTest>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

#include "cli/cli_process.h"

using retort::test::CliResult;
using retort::test::runCli;

namespace {

QByteArray bytesOf(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// CoLA's layout (source, label, original label, sentence; no header) from the demo's
/// texts: label 1 when the sentence begins "Certainly not:".
void writeCola(const QString& dir) {
  QDir().mkpath(dir + QStringLiteral("/CoLA"));
  const QList<QByteArray> lines = bytesOf(QStringLiteral(RETORT_FIXTURES_DIR "/../../resources/demo/train.tsv")).split('\n');
  auto write = [&](const QString& name, int from, int count, bool noisy) {
    QFile f(dir + QStringLiteral("/CoLA/") + name);
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (int i = 0; i < count; ++i) {
      const QList<QByteArray> words = lines[1 + from + i].split('\t').first().split(' ');
      QByteArray text = words.mid(0, 12).join(' ');
      const bool yes = (i * 7 + from) % 5 < 2;
      if (yes) text = "Certainly not: " + text;
      const bool label = noisy && i % 8 == 3 ? !yes : yes;
      f.write("gj04\t" + QByteArray(label ? "1" : "0") + "\t" + QByteArray(label ? "" : "*") + "\t" + text + "\n");
    }
  };
  write(QStringLiteral("train.tsv"), 0, 400, false);
  write(QStringLiteral("dev.tsv"), 2000, 120, true);
}

}  // namespace

class TestGlueCli : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void colaRunsWithItsOfficialMetric() {
    QTemporaryDir tmp;
    writeCola(tmp.path());
    const QString run = tmp.path() + QStringLiteral("/run");
    const CliResult r = runCli({QStringLiteral("run"), QStringLiteral("quickstart"), QStringLiteral("--glue"), QStringLiteral("cola"),
                                QStringLiteral("--data"), tmp.path(), QStringLiteral("--out"), run,
                                QStringLiteral("--set"), QStringLiteral("teacher.finetuning.epochs=4"),
                                QStringLiteral("--set"), QStringLiteral("teacher.finetuning.learning_rate=0.001"),
                                QStringLiteral("--set"), QStringLiteral("stages.0.optim.epochs=6"),
                                QStringLiteral("--set"), QStringLiteral("stages.0.optim.eval_every=10"),
                                QStringLiteral("--threads"), QStringLiteral("2")});
    QVERIFY2(r.code == 0, qPrintable(r.err.right(3000)));
    QVERIFY2(r.err.contains(QStringLiteral("(task metric mcc)")), qPrintable(r.err.right(2000)));
    QVERIFY2(r.out.contains(QStringLiteral("mcc   accuracy")), qPrintable(r.out));

    const QJsonObject summary = QJsonDocument::fromJson(bytesOf(run + QStringLiteral("/summary.json"))).object();
    QCOMPARE(summary.value(QStringLiteral("metric")).toString(), QStringLiteral("mcc"));
    QCOMPARE(summary.value(QStringLiteral("name")).toString(), QStringLiteral("quickstart-cola"));
    const QJsonObject teacher = summary.value(QStringLiteral("teacher")).toObject();
    const QJsonObject student = summary.value(QStringLiteral("student")).toObject();
    const double ts = teacher.value(QStringLiteral("score")).toDouble(), ss = student.value(QStringLiteral("score")).toDouble();
    QVERIFY2(ts > 0.5 && ss > 0.3, qPrintable(QStringLiteral("teacher %1 student %2").arg(ts).arg(ss)));
    QVERIFY(std::fabs(ss - student.value(QStringLiteral("accuracy")).toDouble()) > 1e-3);  // a different figure
    QVERIFY(std::fabs(summary.value(QStringLiteral("retention")).toDouble() - ss / ts) < 1e-9);

    // The best student (by MCC) is the one saved and summarised: the summary's MCC is the
    // best eval line's, and no eval line of the student has a higher one.
    double best = -2, bestMarked = -2;
    for (const QByteArray& line : bytesOf(run + QStringLiteral("/metrics.jsonl")).split('\n')) {
      const QJsonObject o = QJsonDocument::fromJson(line).object();
      if (o.value(QStringLiteral("type")).toString() != QLatin1String("eval") ||
          o.value(QStringLiteral("model")).toString() != QLatin1String("student"))
        continue;
      QCOMPARE(o.value(QStringLiteral("metric")).toString(), QStringLiteral("mcc"));
      QCOMPARE(o.value(QStringLiteral("score")).toDouble(), o.value(QStringLiteral("mcc")).toDouble());
      best = std::max(best, o.value(QStringLiteral("mcc")).toDouble());
      if (o.value(QStringLiteral("best")).toBool()) bestMarked = o.value(QStringLiteral("mcc")).toDouble();
    }
    QCOMPARE(bestMarked, best);
    QVERIFY2(std::fabs(ss - best) < 1e-9, qPrintable(QStringLiteral("%1 vs %2").arg(ss).arg(best)));

    const CliResult report = runCli({QStringLiteral("report"), run});
    QVERIFY2(report.code == 0, qPrintable(report.err));
    QVERIFY(report.out.contains(QStringLiteral("metric")));
    QVERIFY2(report.out.contains(QStringLiteral("quickstart-cola     mcc   %1   %2")
                                     .arg(ts, 0, 'f', 4).arg(ss, 0, 'f', 4)),
             qPrintable(report.out));
  }

  void stsbRunsAsARegression() {
    // STS-B's columns (index genre filename year old_index source1 source2 sentence1 sentence2
    // score); the score is the number of times sentence2 repeats "indeed" (0 to 5).
    QTemporaryDir tmp;
    QDir().mkpath(tmp.path() + QStringLiteral("/STS-B"));
    const QList<QByteArray> lines = bytesOf(QStringLiteral(RETORT_FIXTURES_DIR "/../../resources/demo/train.tsv")).split('\n');
    auto write = [&](const QString& name, int from, int count) {
      QFile f(tmp.path() + QStringLiteral("/STS-B/") + name);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n");
      for (int i = 0; i < count; ++i) {
        const QByteArray a = lines[1 + from + i].split('\t').first().split(' ').mid(0, 8).join(' ');
        QByteArray b = lines[2 + from + i].split('\t').first().split(' ').mid(0, 6).join(' ');
        const int k = (from + i) % 6;
        for (int j = 0; j < k; ++j) b += " indeed";
        f.write(QByteArray::number(i) + "\tmain-news\tMSRvid\t2012test\t" + QByteArray::number(i) + "\tnone\tnone\t" + a +
                "\t" + b + "\t" + QByteArray::number(k, 'f', 3) + "\n");
      }
    };
    write(QStringLiteral("train.tsv"), 0, 360);
    write(QStringLiteral("dev.tsv"), 2000, 90);
    const QString run = tmp.path() + QStringLiteral("/run");
    const CliResult r = runCli({QStringLiteral("run"), QStringLiteral("quickstart"), QStringLiteral("--glue"), QStringLiteral("stsb"),
                                QStringLiteral("--data"), tmp.path(), QStringLiteral("--out"), run,
                                QStringLiteral("--set"), QStringLiteral("teacher.finetuning.epochs=4"),
                                QStringLiteral("--set"), QStringLiteral("teacher.finetuning.learning_rate=0.001"),
                                QStringLiteral("--set"), QStringLiteral("stages.0.optim.epochs=4"),
                                QStringLiteral("--threads"), QStringLiteral("2")});
    QVERIFY2(r.code == 0, qPrintable(r.err.right(3000)));
    QVERIFY2(r.err.contains(QStringLiteral("GLUE STS-B is a regression: stages[0]'s soft targets become logit_mse 1")),
             qPrintable(r.err.left(2000)));
    const QJsonObject summary = QJsonDocument::fromJson(bytesOf(run + QStringLiteral("/summary.json"))).object();
    QCOMPARE(summary.value(QStringLiteral("metric")).toString(), QStringLiteral("pearson"));
    QCOMPARE(summary.value(QStringLiteral("name")).toString(), QStringLiteral("quickstart-stsb"));
    const double ts = summary.value(QStringLiteral("teacher")).toObject().value(QStringLiteral("score")).toDouble();
    const double ss = summary.value(QStringLiteral("student")).toObject().value(QStringLiteral("score")).toDouble();
    // Unrelated pairs would give about 0; the marker count is learnt.
    QVERIFY2(ts > 0.6 && ss > 0.5, qPrintable(QStringLiteral("teacher %1 student %2").arg(ts).arg(ss)));
  }

  void refusals() {
    QTemporaryDir tmp;
    const CliResult alone = runCli({QStringLiteral("run"), QStringLiteral("quickstart"), QStringLiteral("--glue"), QStringLiteral("rte")});
    QVERIFY(alone.code != 0);
    QVERIFY2(alone.err.contains(QStringLiteral("--glue TASK and --data DIR go together")), qPrintable(alone.err));
    const CliResult missing = runCli({QStringLiteral("run"), QStringLiteral("quickstart"), QStringLiteral("--glue"),
                                      QStringLiteral("rte"), QStringLiteral("--data"), tmp.path()});
    QVERIFY(missing.code != 0);
    QVERIFY2(missing.err.contains(QStringLiteral("GLUE RTE: neither")), qPrintable(missing.err));
    const CliResult unknown = runCli({QStringLiteral("run"), QStringLiteral("quickstart"), QStringLiteral("--glue"),
                                      QStringLiteral("squad"), QStringLiteral("--data"), tmp.path()});
    QVERIFY2(unknown.err.contains(QStringLiteral("unknown GLUE task \"squad\"")), qPrintable(unknown.err));
  }
};

QTEST_GUILESS_MAIN(TestGlueCli)
#include "test_glue.moc"
