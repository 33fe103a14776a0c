// Where a process stands in a data-parallel run, from the variables that torchrun, Slurm's
// srun and `retort-cli run --nproc` set (core/distributed/launch.h), and the messages for
// the ones that are missing or wrong.

#include <QtTest/QtTest>

#include <map>
#include <string>

#include "core/distributed/launch.h"
#include "test_util.h"

using namespace retort::distributed;

namespace {

LaunchSpec read(const std::map<std::string, std::string>& vars) {
  return launchFromEnvironment([&](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
}

QString failure(const std::map<std::string, std::string>& vars) {
  return retort::test::thrownMessage([&] { read(vars); });
}

}  // namespace

class TestLaunch : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void noVariablesIsOneProcess() {
    const auto s = read({});
    QVERIFY(s.launcher == Launcher::Single);
    QCOMPARE(s.worldSize, int64_t(1));
    QVERIFY(!s.distributed());
    QCOMPARE(s.timeout.count(), int64_t(300000));
    QCOMPARE(QString::fromStdString(describe(s)), QStringLiteral("one process"));
  }

  void torchrunJoinsTheAgentStore() {
    const auto s = read({{"RANK", "3"}, {"WORLD_SIZE", "8"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "node7"},
                         {"MASTER_PORT", "29400"}, {"TORCHELASTIC_USE_AGENT_STORE", "True"},
                         {"TORCHELASTIC_RESTART_COUNT", "2"}, {"RETORT_DIST_TIMEOUT", "45"}});
    QVERIFY(s.launcher == Launcher::Torchrun);
    QCOMPARE(s.rank, int64_t(3));
    QCOMPARE(s.worldSize, int64_t(8));
    QCOMPARE(s.localRank, int64_t(1));
    QVERIFY(s.agentStore);
    QCOMPARE(s.restartCount, int64_t(2));
    QCOMPARE(s.timeout.count(), int64_t(45000));
    QCOMPARE(QString::fromStdString(describe(s)),
             QStringLiteral("rank 3 of 8 (torchrun, local rank 1), store node7:29400"));
    // Without the agent store (a plain RANK/WORLD_SIZE launch) rank 0 hosts it.
    QVERIFY(!read({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}).agentStore);
  }

  void retortNproc() {
    const auto s = read({{"RANK", "1"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", "5000"},
                         {"RETORT_AGENT_STORE", "1"}});
    QVERIFY(s.launcher == Launcher::Retort);
    QVERIFY(s.agentStore);
    QCOMPARE(s.localRank, int64_t(1));  // LOCAL_RANK defaults to RANK
  }

  void slurmTasks() {
    const auto s = read({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "16"}, {"SLURM_LOCALID", "1"},
                         {"MASTER_ADDR", "gpu-01"}});
    QVERIFY(s.launcher == Launcher::Slurm);
    QCOMPARE(s.rank, int64_t(5));
    QCOMPARE(s.worldSize, int64_t(16));
    QCOMPARE(s.localRank, int64_t(1));
    QVERIFY(!s.agentStore);  // task 0 hosts the store
    QCOMPARE(s.masterPort, 29500);  // the default when the job script names none
    // torchrun inside an allocation: its variables win over Slurm's.
    const auto t = read({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "16"}, {"RANK", "0"}, {"WORLD_SIZE", "2"},
                         {"MASTER_ADDR", "a"}, {"MASTER_PORT", "2"}});
    QVERIFY(t.launcher == Launcher::Torchrun);
    QCOMPARE(t.worldSize, int64_t(2));
    // One Slurm task is one process, and needs no master.
    QVERIFY(!read({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "1"}}).distributed());
  }

  void missingOrWrongVariablesAreNamed() {
    QVERIFY2(failure({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}}).contains(
                 QStringLiteral("Slurm runs 2 tasks but MASTER_ADDR is not set")) &&
                 failure({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}}).contains(QStringLiteral("scontrol show hostnames")),
             qPrintable(failure({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}})));
    QCOMPARE(failure({{"RANK", "0"}}), QStringLiteral("RANK is set but WORLD_SIZE is not; a launcher sets both"));
    QCOMPARE(failure({{"RANK", "2"}, {"WORLD_SIZE", "2"}}),
             QStringLiteral("RANK is 2 but WORLD_SIZE is 2: ranks run from 0 to 1"));
    QCOMPARE(failure({{"RANK", "x"}, {"WORLD_SIZE", "2"}}),
             QStringLiteral("the environment variable RANK is \"x\"; expected a whole number from 0 to 1048576"));
    QCOMPARE(failure({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}}),
             QStringLiteral("WORLD_SIZE is 2 but MASTER_PORT is not set: the port of the rendezvous store"));
    QCOMPARE(failure({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "1"}}),
             QStringLiteral("WORLD_SIZE is 2 but MASTER_ADDR is not set: the host of the rendezvous store"));
    QVERIFY(failure({{"RETORT_DIST_TIMEOUT", "0"}}).startsWith(QStringLiteral("the environment variable RETORT_DIST_TIMEOUT is \"0\"")));
  }
};

QTEST_GUILESS_MAIN(TestLaunch)
#include "test_launch.moc"
