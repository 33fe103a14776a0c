#include "app/gui/probe_controller.h"

#include <filesystem>

#include "app/gui/latest_job.h"
#include "core/distill/probe.h"

namespace fs = std::filesystem;

namespace retort {
namespace app {

ProbeController::ProbeController(QObject* parent) : QObject(parent), m_job(new LatestJob(this)) {}

bool ProbeController::probe(const QString& text, const ExperimentDocument& document, const distill::RunSummary& lastRun,
                            const QVector<widgets::MappingPair>& pairs) {
  distill::ProbeRequest r;
  r.text = text.toStdString();
  r.maxLength = document.experiment().task.maxLength;
  const fs::path runDir = lastRun.runDir;
  if (!lastRun.runDir.empty() && fs::exists(runDir / "teacher" / "config.json")) {
    r.teacherDir = (runDir / "teacher").string();
  } else {
    r.teacherDir = document.experiment().teacher.checkpoint;
    if (r.teacherDir.empty()) return false;  // a teacher that Retort trains: nothing to show before the run
  }
  if (!lastRun.runDir.empty() && lastRun.studentKind != "bilstm" && fs::exists(runDir / "student" / "config.json")) {
    r.studentDir = (runDir / "student").string();
    for (const auto& p : pairs)
      if (p.student > 0) r.pairs.push_back({p.student, p.teacher, p.attention, p.hidden, p.weight});
  }
  m_job->start([this, r] {
    std::shared_ptr<const distill::AttentionSnapshot> snap;
    QString error;
    try {
      snap = std::make_shared<const distill::AttentionSnapshot>(distill::probeAttention(r));
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    return std::function<void()>([this, snap, error] {
      if (snap) Q_EMIT snapshotReady(snap);
      else Q_EMIT failed(error);
    });
  });
  return true;
}

void ProbeController::cancel() { m_job->cancel(); }

int ProbeController::droppedResults() const { return m_job->droppedResults(); }

}  // namespace app
}  // namespace retort
