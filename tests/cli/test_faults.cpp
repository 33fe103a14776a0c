// Fault injection: a disk that fills up (write(2) failing with ENOSPC, through the LD_PRELOAD
// shim tests/fault/enospc_shim.c) while retort-cli writes a checkpoint, metrics.jsonl,
// summary.json or the student. Each gives one error line naming the path, exit code 1, and
// leaves what was there before intact, with no temporary file behind.

#include <QtTest/QtTest>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include "cli/cli_process.h"
#include "test_util.h"

namespace {

using Result = retort::test::CliResult;

/// Runs retort-cli; with a non-empty faultPath, writes to files whose path contains it fail
/// with ENOSPC after `after` bytes.
Result cli(const QStringList& args, const QString& faultPath = QString(), qint64 after = 0) {
  return retort::test::runCli(args, {faultPath, after, false});
}

QByteArray bytesOf(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Files under dir whose name holds ".tmp" (a temporary file left behind).
QStringList leftovers(const QString& dir) {
  QStringList out;
  QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString f = it.next();
    if (QFileInfo(f).fileName().contains(QStringLiteral(".tmp"))) out << f;
  }
  return out;
}

QString fixtureDir(const char* rel) { return QString::fromStdString(retort::test::fixture(rel)); }

}  // namespace

class TestFaults : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;

  /// A tiny labeled task and an experiment for the tiny fixture teacher.
  QString writeExperiment() {
    const QString dir = m_tmp.path();
    QFile f(dir + QStringLiteral("/train.tsv"));
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write("sentence\tlabel\n");
    for (int i = 0; i < 16; ++i)
      f.write(QStringLiteral("tok%1 tok%2\t%3\n").arg(5 + i).arg(7 + i % 5)
                  .arg(i % 3 == 0 ? QStringLiteral("negative") : i % 3 == 1 ? QStringLiteral("neutral") : QStringLiteral("positive"))
                  .toUtf8());
    f.close();
    QFile e(dir + QStringLiteral("/exp.json"));
    if (!e.open(QIODevice::WriteOnly)) return {};
    e.write(R"({"format": 1, "name": "faults", "threads": 1,
      "task": {"train": "train.tsv", "dev": "train.tsv", "max_length": 8},
      "teacher": {"finetune": "never"},
      "student": {"architecture": {"layers": 1, "hidden": 8, "heads": 2, "ffn": 16, "max_positions": 16}},
      "stages": [{"kind": "distill", "optim": {"epochs": 1, "batch_size": 8, "log_every": 1}}]})");
    return dir + QStringLiteral("/exp.json");
  }

  Result runInto(const QString& out, const QString& faultPath, qint64 after = 0) {
    return cli({QStringLiteral("run"), m_tmp.path() + QStringLiteral("/exp.json"), QStringLiteral("--teacher"),
                fixtureDir("bert/tiny"), QStringLiteral("--out"), out},
               faultPath, after);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(QFile::exists(QStringLiteral(RETORT_FAULT_SHIM)));
    QVERIFY(!writeExperiment().isEmpty());
  }

  void checkpointExportKeepsThePreviousFile() {
    const QString out = m_tmp.path() + QStringLiteral("/ck");
    const QStringList create = {QStringLiteral("create"), QStringLiteral("--config"), fixtureDir("bert/tiny/config.json"),
                                QStringLiteral("--vocab"), fixtureDir("bert/tiny/vocab.txt"), QStringLiteral("--out"), out};
    auto first = cli(create + QStringList{QStringLiteral("--seed"), QStringLiteral("1")});
    QVERIFY2(first.code == 0, qPrintable(first.err));
    const QByteArray before = bytesOf(out + QStringLiteral("/model.safetensors"));
    QVERIFY(before.size() > 4096);

    // The disk fills 4 kB into the new weights.
    auto full = cli(create + QStringList{QStringLiteral("--seed"), QStringLiteral("2")}, QStringLiteral("model.safetensors"), 4096);
    QCOMPARE(full.code, 1);
    QCOMPARE(full.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(full.err.contains(out + QStringLiteral("/model.safetensors")), qPrintable(full.err));
    QVERIFY2(full.err.contains(QStringLiteral("No space left on device")), qPrintable(full.err));
    QCOMPARE(bytesOf(out + QStringLiteral("/model.safetensors")), before);
    QCOMPARE(leftovers(out), QStringList());

    // Without the fault the same command replaces the weights.
    auto again = cli(create + QStringList{QStringLiteral("--seed"), QStringLiteral("2")});
    QVERIFY2(again.code == 0, qPrintable(again.err));
    QVERIFY(bytesOf(out + QStringLiteral("/model.safetensors")) != before);
  }

  void fullDiskDuringARun_data() {
    QTest::addColumn<QString>("faultPath");
    QTest::addColumn<qint64>("after");
    QTest::addColumn<QString>("message");  // after the run directory
    QTest::newRow("metrics.jsonl") << QStringLiteral("metrics.jsonl") << qint64(300)
                                   << QStringLiteral("/metrics.jsonl: write failed: No space left on device");
    QTest::newRow("student") << QStringLiteral("student/model.safetensors") << qint64(0)
                             << QStringLiteral("/student/model.safetensors");
    QTest::newRow("summary.json") << QStringLiteral("summary.json") << qint64(0)
                                  << QStringLiteral("/summary.json: write failed: No space left on device");
  }
  void fullDiskDuringARun() {
    QFETCH(QString, faultPath);
    QFETCH(qint64, after);
    QFETCH(QString, message);
    const QString out = m_tmp.path() + QStringLiteral("/run-") + QString(faultPath).replace(QLatin1Char('/'), QLatin1Char('-')).replace(QLatin1Char('.'), QLatin1Char('-'));
    auto r = runInto(out, faultPath, after);
    QCOMPARE(r.code, 1);
    const QStringList errorLines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts).filter(QStringLiteral("retort-cli run: "));
    QCOMPARE(errorLines.size(), 1);
    QVERIFY2(errorLines[0].contains(out + message), qPrintable(r.err));
    QVERIFY2(!QFile::exists(out + QStringLiteral("/summary.json")), "no summary after a failed run");
    QCOMPARE(leftovers(out), QStringList());
    // What was logged before the disk filled is whole lines of JSON.
    const QByteArray log = bytesOf(out + QStringLiteral("/metrics.jsonl"));
    QVERIFY(!log.isEmpty());
    QVERIFY(log.endsWith('\n'));
    for (const QByteArray& line : log.split('\n'))
      if (!line.isEmpty()) QVERIFY2(!QJsonDocument::fromJson(line).isNull(), line.constData());
  }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "test_faults.moc"
