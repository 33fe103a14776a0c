#pragma once
// Running retort-cli from the CLI tests: exit code and output, optionally under the
// fault-injection shim (tests/fault/enospc_shim.c).

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace retort::test {

struct CliResult {
  int code = -1;
  bool crashed = false;  ///< ended by a signal (SIGKILL from the shim or the test)
  QString out, err;
};

/// What the shim does: writes to files whose path contains `path` fail with ENOSPC (or, with
/// kill, the process SIGKILLs itself) once `after` bytes have gone to such files.
struct Fault {
  QString path;
  qint64 after = 0;
  bool kill = false;
};

inline QProcessEnvironment cliEnvironment(const Fault& fault = {}) {
  auto env = QProcessEnvironment::systemEnvironment();
  if (!fault.path.isEmpty()) {
    env.insert(QStringLiteral("LD_PRELOAD"), QStringLiteral(RETORT_FAULT_SHIM));
    env.insert(QStringLiteral("RETORT_FAULT_PATH"), fault.path);
    env.insert(QStringLiteral("RETORT_FAULT_AFTER"), QString::number(fault.after));
    if (fault.kill) env.insert(QStringLiteral("RETORT_FAULT_KILL"), QStringLiteral("1"));
  }
  return env;
}

/// Runs retort-cli to its end (at most timeoutMs).
inline CliResult runCli(const QStringList& args, const Fault& fault = {}, int timeoutMs = 300000) {
  QProcess p;
  p.setProcessEnvironment(cliEnvironment(fault));
  p.start(QStringLiteral(RETORT_CLI_PATH), args);
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
    return {};
  }
  return {p.exitCode(), p.exitStatus() == QProcess::CrashExit, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace retort::test
