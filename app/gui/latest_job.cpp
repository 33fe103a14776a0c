#include "app/gui/latest_job.h"

#include <QMetaObject>
#include <QRunnable>

namespace retort {
namespace app {

LatestJob::LatestJob(QObject* parent) : QObject(parent) {
  m_pool.setMaxThreadCount(1);
  m_pool.setExpiryTimeout(30000);
}

LatestJob::~LatestJob() {
  ++m_generation;
  m_pool.clear();
  m_pool.waitForDone();
  // Results already posted are discarded with this object's pending events.
}

void LatestJob::start(Work work) {
  const int generation = ++m_generation;
  m_pool.clear();  // stale jobs that have not begun
  m_pool.start(QRunnable::create([this, generation, work = std::move(work)] {
    std::function<void()> deliver = work();
    QMetaObject::invokeMethod(
        this,
        [this, generation, deliver = std::move(deliver)] {
          if (generation != m_generation) {
            ++m_dropped;
            return;
          }
          if (deliver) deliver();
          Q_EMIT delivered();
        },
        Qt::QueuedConnection);
  }));
}

void LatestJob::cancel() { ++m_generation; }

void LatestJob::waitForIdle() { m_pool.waitForDone(); }

}  // namespace app
}  // namespace retort
