// Data parallelism over c10d/Gloo on loopback: a 2-rank run (retort-cli run --nproc 2, two
// processes with Slurm's variables, and torchrun --no_python when Debian's python3-torch is
// installed) trains the same steps as
// one process with the same global batch and seed: losses per step within 1e-5 relative and
// final weights within 1e-4 absolute (float32 sums of a batch split in two are added in
// another order: measured 1.1e-7 and 1.9e-6 on 12 steps). Dropout is off: each rank draws
// its own masks. Killing one rank ends the other within the timeout with a message naming it,
// and `resume --nproc 2` then ends the run with the uninterrupted run's steps and weights.

#include <QtTest/QtTest>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

#include "cli/cli_process.h"

using retort::test::CliResult;
using retort::test::runCli;

namespace {

const QStringList kTiny = {
    QStringLiteral("--set"), QStringLiteral("stages.0.optim.max_steps=6"),
    QStringLiteral("--set"), QStringLiteral("stages.1.optim.max_steps=6"),
    QStringLiteral("--set"), QStringLiteral("stages.0.optim.log_every=1"),
    QStringLiteral("--set"), QStringLiteral("stages.1.optim.log_every=1"),
    QStringLiteral("--set"), QStringLiteral("stages.1.optim.eval_every=3"),
    QStringLiteral("--set"), QStringLiteral("student.architecture.dropout=0"),
    QStringLiteral("--set"), QStringLiteral("student.architecture.attention_dropout=0"),
    QStringLiteral("--threads"), QStringLiteral("1")};

QByteArray bytesOf(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// The step lines' loss terms of a run, in order.
QList<QJsonObject> stepLosses(const QString& runDir) {
  QList<QJsonObject> out;
  for (const QByteArray& line : bytesOf(runDir + QStringLiteral("/metrics.jsonl")).split('\n')) {
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    if (o.contains(QStringLiteral("losses"))) out << o.value(QStringLiteral("losses")).toObject();
  }
  return out;
}

/// Every float32 tensor of a safetensors file, by name.
QMap<QString, QVector<float>> tensors(const QString& path) {
  QMap<QString, QVector<float>> out;
  const QByteArray b = bytesOf(path);
  if (b.size() < 8) return out;
  quint64 n = 0;
  std::memcpy(&n, b.constData(), 8);
  const QJsonObject header = QJsonDocument::fromJson(b.mid(8, static_cast<int>(n))).object();
  const char* data = b.constData() + 8 + n;
  for (auto it = header.begin(); it != header.end(); ++it) {
    const QJsonObject t = it.value().toObject();
    if (t.value(QStringLiteral("dtype")).toString() != QLatin1String("F32")) continue;
    const auto offsets = t.value(QStringLiteral("data_offsets")).toArray();
    const qint64 begin = offsets[0].toInteger(), end = offsets[1].toInteger();
    QVector<float> v(static_cast<int>((end - begin) / 4));
    std::memcpy(v.data(), data + begin, static_cast<size_t>(end - begin));
    out.insert(it.key(), v);
  }
  return out;
}

/// The launcher's child with RANK=1 in its environment (0 when there is none yet).
qint64 rankOneOf(qint64 launcher) {
  for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
    const QByteArray stat = bytesOf(QStringLiteral("/proc/%1/stat").arg(pid));
    const QList<QByteArray> f = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (f.size() < 2 || f[1].toLongLong() != launcher) continue;
    if (bytesOf(QStringLiteral("/proc/%1/environ").arg(pid)).split('\0').contains("RANK=1")) return pid.toLongLong();
  }
  return 0;
}

QString studentFile(const QString& runDir) {
  const auto files = QDir(runDir + QStringLiteral("/student")).entryList({QStringLiteral("*.safetensors")});
  return files.isEmpty() ? QString() : runDir + QStringLiteral("/student/") + files.first();
}

/// "" when both runs logged the same losses and ended with the same weights, within tolerance.
QString compare(const QString& one, const QString& two, int steps = 12) {
  const auto a = stepLosses(one), b = stepLosses(two);
  if (a.size() != steps || b.size() != a.size())
    return QStringLiteral("step lines: %1 vs %2 (%3 expected)").arg(a.size()).arg(b.size()).arg(steps);
  for (int i = 0; i < a.size(); ++i)
    for (const QString& k : a[i].keys()) {
      const double x = a[i].value(k).toDouble(), y = b[i].value(k).toDouble(-1e9);
      if (std::fabs(x - y) > 1e-5 * std::fabs(x))
        return QStringLiteral("step %1, %2: %3 vs %4").arg(i + 1).arg(k).arg(x, 0, 'g', 9).arg(y, 0, 'g', 9);
    }
  const auto wa = tensors(studentFile(one)), wb = tensors(studentFile(two));
  if (wa.isEmpty() || wa.keys() != wb.keys()) return QStringLiteral("student tensors differ in names");
  for (auto it = wa.cbegin(); it != wa.cend(); ++it) {
    const QVector<float>& x = it.value();
    const QVector<float>& y = wb.find(it.key()).value();  // const access: no copy per element
    if (x.size() != y.size()) return QStringLiteral("%1: %2 vs %3 values").arg(it.key()).arg(x.size()).arg(y.size());
    for (int i = 0; i < x.size(); ++i)
      if (std::fabs(x[i] - y[i]) > 1e-4) return QStringLiteral("%1[%2]: %3 vs %4").arg(it.key()).arg(i).arg(x[i]).arg(y[i]);
  }
  return {};
}

}  // namespace

class TestDistributed : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    m_single = m_tmp.path() + QStringLiteral("/one");
    const CliResult r = runCli(QStringList{QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--out"), m_single} + kTiny);
    QVERIFY2(r.code == 0, qPrintable(r.err));
  }

  void twoLocalRanksTrainTheSingleProcessSteps() {
    const QString dir = m_tmp.path() + QStringLiteral("/two");
    const CliResult r = runCli(QStringList{QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--nproc"),
                                           QStringLiteral("2"), QStringLiteral("--out"), dir} + kTiny);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("data parallel: 2 local ranks")));
    QVERIFY(r.err.contains(QStringLiteral("rank 0 of 2 (retort --nproc")));
    const QString diff = compare(m_single, dir);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QVERIFY(QFile::exists(dir + QStringLiteral("/summary.json")));
  }

  void torchrunRanksTrainTheSingleProcessSteps() {
    const QString torchrun = QStandardPaths::findExecutable(QStringLiteral("torchrun"));
    if (torchrun.isEmpty()) QSKIP("torchrun (python3-torch) is not installed");
    const QString dir = m_tmp.path() + QStringLiteral("/torchrun");
    QProcess p;
    p.setProcessEnvironment(retort::test::cliEnvironment());
    p.start(torchrun, QStringList{QStringLiteral("--no_python"), QStringLiteral("--nnodes"), QStringLiteral("1"),
                                  QStringLiteral("--nproc_per_node"), QStringLiteral("2"), QStringLiteral("--redirects"),
                                  QStringLiteral("1"), QStringLiteral("--tee"), QStringLiteral("1"),
                                  QStringLiteral("--rdzv_backend"), QStringLiteral("c10d"),
                                  QStringLiteral("--rdzv_endpoint"), QStringLiteral("127.0.0.1:0"),
                                  QStringLiteral(RETORT_CLI_PATH), QStringLiteral("run"), QStringLiteral("demo"),
                                  QStringLiteral("--out"), dir} + kTiny);
    QVERIFY(p.waitForFinished(300000));
    const QString err = QString::fromUtf8(p.readAllStandardError()) + QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(p.exitCode() == 0, qPrintable(err.right(3000)));
    QVERIFY2(err.contains(QStringLiteral("(torchrun, local rank 0)")), qPrintable(err.right(3000)));
    const QString diff = compare(m_single, dir);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
  }

  void twoRanksResumeAKilledTwoRankRun() {
    // Longer than kTiny (6 + 40 steps, a checkpoint every 4) so that the kill falls mid-run.
    QStringList longer = kTiny;
    longer[longer.indexOf(QStringLiteral("stages.1.optim.max_steps=6"))] = QStringLiteral("stages.1.optim.max_steps=40");
    longer << QStringLiteral("--set") << QStringLiteral("observer.checkpoint_every=4");
    const QString reference = m_tmp.path() + QStringLiteral("/long-one");
    const CliResult one = runCli(QStringList{QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--out"), reference} + longer);
    QVERIFY2(one.code == 0, qPrintable(one.err));

    const QString dir = m_tmp.path() + QStringLiteral("/long-two");
    QProcess p;
    p.setProcessEnvironment(retort::test::cliEnvironment());
    p.start(QStringLiteral(RETORT_CLI_PATH), QStringList{QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--nproc"),
                                                         QStringLiteral("2"), QStringLiteral("--out"), dir} + longer);
    QVERIFY(p.waitForStarted());
    // Kill rank 1 once rank 0 has logged 14 steps (a checkpoint at 12 at least).
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 120000 && stepLosses(dir).size() < 14 && p.state() == QProcess::Running) p.waitForFinished(20);
    QVERIFY2(p.state() == QProcess::Running, "the run ended before the kill");
    const qint64 rank1 = rankOneOf(p.processId());
    QVERIFY2(rank1 > 0, "rank 1 not found");
    QCOMPARE(::kill(static_cast<pid_t>(rank1), SIGKILL), 0);
    QVERIFY(p.waitForFinished(60000));
    QVERIFY(p.exitCode() != 0);
    QVERIFY2(stepLosses(dir).size() < 46, qPrintable(QString::number(stepLosses(dir).size())));
    QVERIFY(!QFile::exists(dir + QStringLiteral("/summary.json")));

    const CliResult resumed = runCli(QStringList{QStringLiteral("resume"), dir, QStringLiteral("--nproc"), QStringLiteral("2")});
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    QVERIFY(resumed.err.contains(QStringLiteral("rank 0 of 2")));
    const QString diff = compare(reference, dir, 46);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QVERIFY(QFile::exists(dir + QStringLiteral("/summary.json")));
  }

  void slurmTasksTrainTheSingleProcessSteps() {
    // What srun gives each task (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID) and the job script's
    // MASTER_ADDR/MASTER_PORT; task 0 hosts the store. Two processes on this machine.
    int port = 0;
    {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof a;
      QVERIFY(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
      QVERIFY(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
      port = ntohs(a.sin_port);
      ::close(fd);
    }
    const QString dir = m_tmp.path() + QStringLiteral("/slurm");
    QProcess tasks[2];
    for (int r = 0; r < 2; ++r) {
      auto env = retort::test::cliEnvironment();
      for (const char* k : {"RANK", "WORLD_SIZE", "LOCAL_RANK", "RETORT_AGENT_STORE", "TORCHELASTIC_USE_AGENT_STORE"})
        env.remove(QString::fromLatin1(k));
      env.insert(QStringLiteral("SLURM_PROCID"), QString::number(r));
      env.insert(QStringLiteral("SLURM_NTASKS"), QStringLiteral("2"));
      env.insert(QStringLiteral("SLURM_LOCALID"), QString::number(r));
      env.insert(QStringLiteral("MASTER_ADDR"), QStringLiteral("127.0.0.1"));
      env.insert(QStringLiteral("MASTER_PORT"), QString::number(port));
      tasks[r].setProcessEnvironment(env);
      tasks[r].start(QStringLiteral(RETORT_CLI_PATH), QStringList{QStringLiteral("run"), QStringLiteral("demo"),
                                                                  QStringLiteral("--out"), dir} + kTiny);
      QVERIFY(tasks[r].waitForStarted());
    }
    for (auto& t : tasks) QVERIFY(t.waitForFinished(300000));
    const QString err0 = QString::fromUtf8(tasks[0].readAllStandardError());
    QVERIFY2(tasks[0].exitCode() == 0, qPrintable(err0.right(3000)));
    QVERIFY2(tasks[1].exitCode() == 0, qPrintable(QString::fromUtf8(tasks[1].readAllStandardError()).right(3000)));
    QVERIFY2(err0.contains(QStringLiteral("rank 0 of 2 (Slurm, local rank 0), store 127.0.0.1:%1").arg(port)),
             qPrintable(err0.right(3000)));
    const QString diff = compare(m_single, dir);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
  }

  void killingOneRankEndsTheOtherWithItsName() {
    const QString dir = m_tmp.path() + QStringLiteral("/killed");
    QProcess p;
    p.setProcessEnvironment(retort::test::cliEnvironment());
    p.start(QStringLiteral(RETORT_CLI_PATH),
            QStringList{QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--nproc"), QStringLiteral("2"),
                        QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--dist-timeout"),
                        QStringLiteral("20"), QStringLiteral("--out"), dir});
    QVERIFY(p.waitForStarted());
    // Rank 1: the launcher's child with RANK=1 in its environment, once training has begun.
    qint64 rank1 = 0;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 120000 && !rank1) {
      p.waitForReadyRead(200);
      if (!QFile::exists(dir + QStringLiteral("/metrics.jsonl"))) continue;
      rank1 = rankOneOf(p.processId());
    }
    QVERIFY2(rank1 > 0, "rank 1 not found");
    QTest::qWait(1500);
    clock.restart();
    QCOMPARE(::kill(static_cast<pid_t>(rank1), SIGKILL), 0);
    QVERIFY(p.waitForFinished(60000));
    const double seconds = clock.elapsed() / 1000.0;
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(seconds < 30.0, qPrintable(QString::number(seconds)));
    QVERIFY(p.exitCode() != 0);
    QVERIFY2(err.contains(QStringLiteral("launcher: rank 1 (pid %1) was killed by signal 9").arg(rank1)), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("rank 1 (")) && err.contains(QStringLiteral("stopped responding")),
             qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("the run can be resumed")), qPrintable(err));
  }

 private:
  QTemporaryDir m_tmp;
  QString m_single;
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "test_distributed.moc"
