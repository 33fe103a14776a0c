// Exact resume: a run killed (SIGKILL at a random step, in the middle of writing a
// checkpoint, during augmentation; SIGTERM) and continued with `retort-cli resume` ends with
// the same metrics.jsonl lines (timing fields aside; no step logged twice), the same
// summary.json metrics and bit-identical weights as the same run uninterrupted. And the
// refusals: a directory that holds a run, an edited experiment, corrupt checkpoints, a
// second Retort, a complete run, a run killed before its first checkpoint; a NaN loss and a
// full disk keep the last good checkpoint.
//
// Kill points are drawn from a seed printed at the start (RETORT_RESUME_SEED replays one).

#include <QtTest/QtTest>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/cli_process.h"
#include "test_util.h"

using retort::test::CliResult;
using retort::test::Fault;
using retort::test::runCli;

namespace {

QByteArray bytesOf(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeText(const QString& path, const QByteArray& text) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

/// metrics.jsonl without its timing fields, one object per line.
QList<QJsonObject> metricLines(const QString& runDir) {
  QList<QJsonObject> out;
  for (const QByteArray& line : bytesOf(runDir + QStringLiteral("/metrics.jsonl")).split('\n')) {
    if (line.isEmpty()) continue;
    QJsonObject o = QJsonDocument::fromJson(line).object();
    o.remove(QStringLiteral("examples_per_second"));
    o.remove(QStringLiteral("elapsed_seconds"));
    out << o;
  }
  return out;
}

/// "" when the two runs ended the same: metrics lines, summary metrics, weights.
QString compareRuns(const QString& expected, const QString& actual) {
  const auto a = metricLines(expected), b = metricLines(actual);
  if (a.isEmpty()) return QStringLiteral("no metrics in ") + expected;
  QSet<qint64> steps;
  for (const auto& o : b)
    if (o.value(QStringLiteral("type")).toString() == QStringLiteral("step")) {
      const qint64 s = o.value(QStringLiteral("global_step")).toInteger();
      if (steps.contains(s)) return QStringLiteral("step %1 logged twice in %2").arg(s).arg(actual);
      steps.insert(s);
    }
  for (qsizetype i = 0; i < std::min(a.size(), b.size()); ++i)
    if (a[i] != b[i])
      return QStringLiteral("metrics line %1 differs:\n  %2\n  %3")
          .arg(i + 1)
          .arg(QString::fromUtf8(QJsonDocument(a[i]).toJson(QJsonDocument::Compact)),
               QString::fromUtf8(QJsonDocument(b[i]).toJson(QJsonDocument::Compact)));
  if (a.size() != b.size()) return QStringLiteral("%1 metrics lines, expected %2").arg(b.size()).arg(a.size());

  const auto sa = QJsonDocument::fromJson(bytesOf(expected + QStringLiteral("/summary.json"))).object();
  const auto sb = QJsonDocument::fromJson(bytesOf(actual + QStringLiteral("/summary.json"))).object();
  if (sb.value(QStringLiteral("cancelled")).toBool()) return QStringLiteral("the resumed run says cancelled");
  for (const char* model : {"teacher", "student"})
    for (const char* key : {"accuracy", "parameters"}) {
      const auto x = sa.value(QLatin1String(model)).toObject().value(QLatin1String(key));
      const auto y = sb.value(QLatin1String(model)).toObject().value(QLatin1String(key));
      if (x != y || x.isUndefined())
        return QStringLiteral("summary %1.%2: %3, expected %4").arg(model, key).arg(y.toDouble()).arg(x.toDouble());
    }
  for (const char* key : {"retention", "compression", "name"})
    if (sa.value(QLatin1String(key)) != sb.value(QLatin1String(key))) return QStringLiteral("summary %1 differs").arg(key);

  for (const char* file : {"/student/model.safetensors", "/teacher/model.safetensors"}) {
    const QByteArray x = bytesOf(expected + QLatin1String(file)), y = bytesOf(actual + QLatin1String(file));
    if (x.isEmpty()) return QStringLiteral("no ") + expected + QLatin1String(file);
    if (x != y) return QLatin1String(file) + QStringLiteral(" differs");
  }
  if (QFileInfo::exists(actual + QStringLiteral("/checkpoints")))
    return QStringLiteral("a completed run keeps its checkpoints");
  return {};
}

QStringList subdirs(const QString& dir) {
  return QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
}

}  // namespace

class TestResume : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  QString m_exp;
  QString m_ref;       // the uninterrupted run
  QString m_longRef;   // the same with a longer last stage (for kills from outside)
  quint32 m_seed = 0;
  int m_totalSteps = 0;  // of the reference run
  int m_dirs = 0;

  QString newDir() { return m_tmp.path() + QStringLiteral("/run-%1").arg(++m_dirs); }

  QStringList runArgs(const QString& out, bool longer = false) const {
    QStringList a = {QStringLiteral("run"), m_exp, QStringLiteral("--teacher"),
                     QString::fromStdString(retort::test::fixture("bert/tiny")), QStringLiteral("--out"), out};
    if (longer) a << QStringLiteral("--set") << QStringLiteral("stages.1.optim.epochs=12");
    return a;
  }

  /// A run killed by the fault, then resumed; "" when it ended as the reference.
  QString killThenResume(const QString& dir, const Fault& fault) {
    const CliResult killed = runCli(runArgs(dir), fault);
    if (!killed.crashed) return QStringLiteral("not killed (exit %1): %2").arg(killed.code).arg(killed.err);
    const CliResult resumed = runCli({QStringLiteral("resume"), dir});
    if (resumed.code != 0) return QStringLiteral("resume failed (%1): %2").arg(resumed.code).arg(resumed.err);
    if (!resumed.err.contains(QStringLiteral("resuming from ")))
      return QStringLiteral("resume did not say where it resumed from: ") + resumed.err;
    return compareRuns(m_ref, dir);
  }

  /// Bytes of the reference's metrics.jsonl up to and including the line of global step
  /// `step` (-1 when it has none).
  qint64 bytesThroughStep(int step) const {
    qint64 bytes = 0;
    for (const QByteArray& line : bytesOf(m_ref + QStringLiteral("/metrics.jsonl")).split('\n')) {
      if (line.isEmpty()) continue;
      bytes += line.size() + 1;
      const auto o = QJsonDocument::fromJson(line).object();
      if (o.value(QStringLiteral("type")).toString() == QStringLiteral("step") &&
          o.value(QStringLiteral("global_step")).toInt() == step)
        return bytes;
    }
    return -1;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(QFile::exists(QStringLiteral(RETORT_FAULT_SHIM)));
    const QString dir = m_tmp.path();
    QByteArray train = "sentence\tlabel\n", dev = "sentence\tlabel\n";
    for (int i = 0; i < 16; ++i)
      train += QStringLiteral("tok%1 tok%2 tok%3\t%4\n").arg(5 + i).arg(7 + i % 5).arg(11 + i % 3).arg(i % 2 ? "neg" : "pos").toUtf8();
    for (int i = 0; i < 8; ++i)
      dev += QStringLiteral("tok%1 tok%2\t%3\n").arg(6 + i).arg(9 + i % 4).arg(i % 2 ? "neg" : "pos").toUtf8();
    QVERIFY(writeText(dir + QStringLiteral("/train.tsv"), train));
    QVERIFY(writeText(dir + QStringLiteral("/dev.tsv"), dev));
    QByteArray corpus;
    for (int i = 0; i < 40; ++i) corpus += QStringLiteral("tok%1 tok%2 tok%3 tok%4\n").arg(5 + i % 37).arg(8 + i % 11).arg(20 + i % 7).arg(9 + i % 5).toUtf8();
    QVERIFY(writeText(dir + QStringLiteral("/corpus.txt"), corpus));
    // A trained teacher (fine-tuned from the fixture), dropout everywhere, three stages (the
    // second on augmented data, with evaluations and a best student; the third a general
    // distillation streamed from a corpus), a checkpoint every 4 steps: 4 teacher steps,
    // then 8, about 7 and 6 student steps.
    // (The teacher comes from --teacher: the fixture's path.)
    using nlohmann::json;
    auto optim = [](int epochs, int maxSteps, int evalEvery) {
      return json{{"epochs", epochs}, {"max_steps", maxSteps}, {"batch_size", 4}, {"log_every", 1},
                  {"eval_every", evalEvery}, {"learning_rate", 0.001}};
    };
    const json exp = {
        {"format", 1}, {"name", "resume"}, {"threads", 1}, {"seed", 7},
        {"task", {{"train", "train.tsv"}, {"dev", "dev.tsv"}, {"max_length", 8}}},
        {"teacher", {{"finetune", "always"}, {"finetuning", optim(1, 0, 0)}}},
        {"student", {{"architecture", {{"layers", 2}, {"hidden", 8}, {"heads", 2}, {"ffn", 16}, {"max_positions", 16},
                                       {"dropout", 0.2}, {"attention_dropout", 0.1}}}}},
        {"stages", json::array({
                       {{"kind", "intermediate"}, {"optim", optim(2, 0, 0)}},
                       {{"kind", "prediction"}, {"augment", {{"method", "tang"}, {"passes", 1}, {"write", true}}},
                        {"optim", optim(1, 0, 3)}},
                       {{"kind", "general"}, {"corpus", "corpus.txt"}, {"optim", optim(1, 6, 0)}},
                   })},
        {"observer", {{"attention_every", 0}, {"checkpoint_every", 4}, {"checkpoint_minutes", 0}, {"checkpoint_keep", 2}}}};
    m_exp = dir + QStringLiteral("/exp.json");
    QVERIFY(writeText(m_exp, QByteArray::fromStdString(exp.dump(2))));

    m_ref = dir + QStringLiteral("/reference");
    const auto r = runCli(runArgs(m_ref));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // 4 teacher steps, 8 of the first stage, ceil(augmented / 4) of the second, 6 of the third.
    for (const auto& o : metricLines(m_ref))
      if (o.value(QStringLiteral("type")).toString() == QStringLiteral("step"))
        m_totalSteps = o.value(QStringLiteral("global_step")).toInt();
    QVERIFY2(m_totalSteps >= 23, qPrintable(QString::number(m_totalSteps)));
    QCOMPARE(bytesThroughStep(m_totalSteps + 1), qint64(-1));
    QVERIFY2(!QFileInfo::exists(m_ref + QStringLiteral("/checkpoints")), "a completed run removes its checkpoints");

    bool ok = false;
    m_seed = qEnvironmentVariableIntValue("RETORT_RESUME_SEED", &ok);
    if (!ok) m_seed = QRandomGenerator::global()->generate();
    qInfo("kill points from seed %u (RETORT_RESUME_SEED=%u replays them)", m_seed, m_seed);
  }

  void killedAtRandomStepsEndsAsTheUninterruptedRun() {
    // SIGKILL while metrics.jsonl is written, after a random number of its bytes: the
    // process dies at that step, anywhere after the first checkpoint (step 4) is complete.
    QRandomGenerator rng(m_seed);
    const qint64 from = bytesThroughStep(5), to = bytesThroughStep(m_totalSteps);
    QVERIFY(from > 0 && to > from);
    // Three random points, and one in the last stage, after the augmented one (a resume there
    // must plan the run's steps with the augmented set's real size, which it does not remake).
    for (int k = 0; k < 4; ++k) {
      const qint64 after = k < 3 ? from + static_cast<qint64>(rng.bounded(static_cast<quint32>(to - from)))
                                 : bytesThroughStep(m_totalSteps - 2);
      const QString dir = newDir();
      const QString why = killThenResume(dir, {dir + QStringLiteral("/metrics.jsonl"), after, true});
      QVERIFY2(why.isEmpty(), qPrintable(QStringLiteral("killed after %1 bytes: %2").arg(after).arg(why)));
    }
  }

  void killedWhileWritingACheckpoint() {
    // The process dies 1000 bytes into the weights of the checkpoint at step 12: the
    // half-written .tmp directory is there, step-8 is whole; the resume uses step-8.
    const QString dir = newDir();
    const CliResult killed = runCli(runArgs(dir), {QStringLiteral("/.tmp-step-12/"), 1000, true});
    QVERIFY2(killed.crashed, qPrintable(killed.err));
    const QStringList left = subdirs(dir + QStringLiteral("/checkpoints"));
    QVERIFY2(left.contains(QStringLiteral(".tmp-step-12")) && left.contains(QStringLiteral("step-8")),
             qPrintable(left.join(QLatin1Char(' '))));
    const CliResult resumed = runCli({QStringLiteral("resume"), dir});
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    QVERIFY2(resumed.err.contains(QStringLiteral("checkpoints/step-8 (step 8)")), qPrintable(resumed.err));
    const QString why = compareRuns(m_ref, dir);
    QVERIFY2(why.isEmpty(), qPrintable(why));
  }

  void killedDuringAugmentation() {
    // The second stage augments its data when it starts (after step 12): killed while
    // writing the augmented set, the run resumes from step 12 and augments again.
    const QString dir = newDir();
    const QString why = killThenResume(dir, {QStringLiteral("/augmented/"), 0, true});
    QVERIFY2(why.isEmpty(), qPrintable(why));
  }

  void killedAndTerminatedFromOutside() {
    // A real SIGKILL and a SIGTERM sent by this test once the checkpoint of step 16 exists,
    // on a longer run (a second stage of 12 epochs: over 80 steps) so that it still trains then.
    m_longRef = m_tmp.path() + QStringLiteral("/reference-long");
    const auto r = runCli(runArgs(m_longRef, true));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    for (const bool term : {false, true}) {
      const QString dir = newDir();
      QProcess p;
      p.setProcessEnvironment(retort::test::cliEnvironment());
      p.start(QStringLiteral(RETORT_CLI_PATH), runArgs(dir, true));
      QVERIFY(p.waitForStarted());
      QElapsedTimer t;
      t.start();
      while (!QFileInfo::exists(dir + QStringLiteral("/checkpoints/step-16")) && p.state() == QProcess::Running &&
             t.elapsed() < 120000)
        QThread::msleep(2);
      QVERIFY2(p.state() == QProcess::Running, "the run ended before it could be stopped");
      if (term) p.terminate();
      else p.kill();
      QVERIFY(p.waitForFinished(60000));
      if (term) {
        // SIGTERM: a checkpoint where it stopped, a summary that says cancelled, exit 130.
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(QString::fromUtf8(p.readAllStandardOutput()).contains(QStringLiteral("retort-cli resume")));
        QVERIFY(QJsonDocument::fromJson(bytesOf(dir + QStringLiteral("/summary.json"))).object()
                    .value(QStringLiteral("cancelled")).toBool());
      } else {
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
      }
      const CliResult resumed = runCli({QStringLiteral("resume"), dir});
      QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
      const QString why = compareRuns(m_longRef, dir);
      QVERIFY2(why.isEmpty(), qPrintable(QStringLiteral("%1: %2").arg(term ? "SIGTERM" : "SIGKILL", why)));
    }
  }

  void runResumeContinuesAndRunRefusesARunDirectory() {
    const CliResult again = runCli(runArgs(m_ref));
    QCOMPARE(again.code, 2);
    QVERIFY2(again.err.contains(m_ref + QStringLiteral(": this directory holds a run already")), qPrintable(again.err));

    const QString dir = newDir();
    QVERIFY(runCli(runArgs(dir), {dir + QStringLiteral("/metrics.jsonl"), bytesThroughStep(10), true}).crashed);
    // --resume with another experiment names the field.
    const CliResult other = runCli(runArgs(dir) << QStringLiteral("--resume") << QStringLiteral("--set")
                                                 << QStringLiteral("seed=8"));
    QCOMPARE(other.code, 2);
    QVERIFY2(other.err.contains(QStringLiteral("seed: 8 in ") + m_exp + QStringLiteral(", 7 in ") + dir +
                                QStringLiteral("/experiment.json")),
             qPrintable(other.err));
    const CliResult resumed = runCli(runArgs(dir) << QStringLiteral("--resume"));
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    const QString why = compareRuns(m_ref, dir);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    // A complete run has nothing to resume.
    const CliResult done = runCli({QStringLiteral("resume"), dir});
    QCOMPARE(done.code, 2);
    QVERIFY2(done.err.contains(dir + QStringLiteral(": the run is complete")), qPrintable(done.err));
  }

  void refusesWhatCannotContinue() {
    const QString dir = newDir();
    QVERIFY(runCli(runArgs(dir), {dir + QStringLiteral("/metrics.jsonl"), bytesThroughStep(14), true}).crashed);
    QCOMPARE(subdirs(dir + QStringLiteral("/checkpoints")), (QStringList{QStringLiteral("step-12"), QStringLiteral("step-8")}));

    // report says the run did not finish and how to continue it.
    CliResult report = runCli({QStringLiteral("report"), dir});
    QCOMPARE(report.code, 1);
    QVERIFY2(report.err.contains(dir + QStringLiteral(": the run did not finish (interrupted at step 12); continue it with `retort-cli resume ")),
             qPrintable(report.err));

    // The experiment edited since the run started.
    const QString expPath = dir + QStringLiteral("/experiment.json");
    const QByteArray original = bytesOf(expPath);
    QByteArray edited = original;
    edited.replace("\"seed\": 7", "\"seed\": 9");
    QVERIFY(edited != original);
    QVERIFY(writeText(expPath, edited));
    CliResult r = runCli({QStringLiteral("resume"), dir});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(expPath + QStringLiteral(": seed: 9 here, 7 in the checkpoint")), qPrintable(r.err));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    QVERIFY(writeText(expPath, original));

    // Another Retort holds the run directory.
    {
      const int fd = ::open(qPrintable(dir + QStringLiteral("/.lock")), O_RDWR | O_CREAT, 0644);
      QVERIFY(fd >= 0);
      QCOMPARE(::flock(fd, LOCK_EX | LOCK_NB), 0);
      QVERIFY(::pwrite(fd, "pid 4242 on testhost\n", 21, 0) == 21);
      r = runCli({QStringLiteral("resume"), dir});
      ::close(fd);
      QCOMPARE(r.code, 1);
      QVERIFY2(r.err.contains(dir + QStringLiteral("/.lock: the run directory is in use by another Retort (pid 4242 on testhost)")),
               qPrintable(r.err));
    }

    // The newest checkpoint corrupt: a note, and the older one is used.
    const QString newest = dir + QStringLiteral("/checkpoints/step-12/weights.safetensors");
    const QByteArray weights = bytesOf(newest);
    QVERIFY(writeText(newest, weights.left(weights.size() / 2)));
    // Every checkpoint corrupt: refused, naming the newest one's file.
    const QString older = dir + QStringLiteral("/checkpoints/step-8/state.json");
    const QByteArray olderState = bytesOf(older);
    QVERIFY(writeText(older, olderState.left(olderState.size() - 40)));
    r = runCli({QStringLiteral("resume"), dir});
    QCOMPARE(r.code, 1);
    const QStringList errors = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts).filter(QStringLiteral("retort-cli resume: "));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors[0].contains(newest), qPrintable(r.err));
    QVERIFY(writeText(older, olderState));
    r = runCli({QStringLiteral("resume"), dir});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("skipping an unreadable checkpoint: ") + newest), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("checkpoints/step-8 (step 8)")), qPrintable(r.err));
    const QString why = compareRuns(m_ref, dir);
    QVERIFY2(why.isEmpty(), qPrintable(why));

    // Killed before the first checkpoint: nothing to resume from, said in one line.
    const QString early = newDir();
    QVERIFY(runCli(runArgs(early), {early + QStringLiteral("/metrics.jsonl"), bytesThroughStep(2), true}).crashed);
    r = runCli({QStringLiteral("resume"), early});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(early + QStringLiteral("/checkpoints: no checkpoint to resume from")), qPrintable(r.err));
  }

  void fullDiskDuringACheckpointKeepsThePreviousOne() {
    const QString dir = newDir();
    CliResult r = runCli(runArgs(dir), {QStringLiteral("/.tmp-step-8/"), 500, false});
    QCOMPARE(r.code, 1);
    const QStringList errors = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts).filter(QStringLiteral("retort-cli run: "));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors[0].contains(dir + QStringLiteral("/checkpoints/.tmp-step-8/weights.safetensors")) &&
                 errors[0].contains(QStringLiteral("No space left on device")),
             qPrintable(r.err));
    QCOMPARE(subdirs(dir + QStringLiteral("/checkpoints")), QStringList{QStringLiteral("step-4")});
    r = runCli({QStringLiteral("resume"), dir});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString why = compareRuns(m_ref, dir);
    QVERIFY2(why.isEmpty(), qPrintable(why));
  }

  void nanLossKeepsTheLastGoodCheckpoint() {
    // A learning rate of 1e30 in the second stage: its first step throws the weights to
    // ~1e30 and the next loss is not finite.
    const QString dir = newDir();
    const CliResult r = runCli(runArgs(dir) << QStringLiteral("--set") << QStringLiteral("stages.1.optim.learning_rate=1e30"));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("prediction, step ")) && r.err.contains(QStringLiteral("the loss is not finite (soft_targets = ")),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("; the last good checkpoint is kept in ") + dir), qPrintable(r.err));
    const QString kept = r.err.section(QStringLiteral("kept in "), 1).trimmed();
    QVERIFY2(QFileInfo::exists(kept + QStringLiteral("/state.json")), qPrintable(kept));
    QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/summary.json")));
  }
};

QTEST_GUILESS_MAIN(TestResume)
#include "test_resume.moc"
