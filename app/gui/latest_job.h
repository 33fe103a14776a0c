#pragma once
// Runs work off the GUI thread where only the newest request counts: a task-data preview, an
// attention probe. Each start() makes the results of earlier ones stale; a stale result is
// dropped on arrival, a stale job that has not begun is not run. The jobs run on the object's
// own QThreadPool (one thread), so the destructor can drop what waits and wait for the one
// that runs: nothing runs, and nothing is delivered, after the owner is gone.

#include <QObject>
#include <QThreadPool>

#include <functional>

namespace retort {
namespace app {

class LatestJob : public QObject {
  Q_OBJECT
 public:
  /// Runs on the worker; returns what to do with the result on the GUI thread (or nothing).
  /// It must not throw (catch and return a function that reports the error).
  using Work = std::function<std::function<void()>()>;

  explicit LatestJob(QObject* parent = nullptr);
  /// Drops waiting jobs and waits for the running one; its result is not delivered.
  ~LatestJob() override;

  /// Starts `work`; earlier jobs' results become stale.
  void start(Work work);
  /// Makes every earlier result stale without starting anything.
  void cancel();
  /// Blocks until the pool is idle (for tests and shutdown); results still arrive through the
  /// event loop.
  void waitForIdle();
  /// How many results were dropped as stale (for tests).
  int droppedResults() const { return m_dropped; }

 Q_SIGNALS:
  /// A current result was delivered (after its function ran).
  void delivered();

 private:
  QThreadPool m_pool;
  int m_generation = 0;
  int m_dropped = 0;
};

}  // namespace app
}  // namespace retort
