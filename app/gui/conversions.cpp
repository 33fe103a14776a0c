#include "app/gui/conversions.h"


namespace retort {
namespace app {

widgets::AttentionSnapshotData toWidgets(const distill::AttentionSnapshot& s) {
  widgets::AttentionSnapshotData d;
  d.stage = QString::fromStdString(s.stage);
  d.globalStep = s.globalStep;
  for (const auto& t : s.tokens) d.tokens << QString::fromStdString(t);
  for (const auto& p : s.pairs) {
    widgets::AttentionPairData w;
    w.studentLayer = static_cast<int>(p.studentLayer);
    w.teacherLayer = static_cast<int>(p.teacherLayer);
    w.studentHeads = static_cast<int>(p.studentHeads);
    w.teacherHeads = static_cast<int>(p.teacherHeads);
    w.studentProbs = QVector<float>(p.studentProbs.begin(), p.studentProbs.end());
    w.teacherProbs = QVector<float>(p.teacherProbs.begin(), p.teacherProbs.end());
    w.studentScores = QVector<float>(p.studentScores.begin(), p.studentScores.end());
    w.teacherScores = QVector<float>(p.teacherScores.begin(), p.teacherScores.end());
    d.pairs.push_back(std::move(w));
  }
  return d;
}

widgets::RunFigures toWidgets(const distill::RunSummary& s) {
  widgets::RunFigures f;
  f.teacherAccuracy = s.teacher.accuracy;
  f.studentAccuracy = s.student.accuracy;
  f.metric = QString::fromStdString(s.metric);
  f.teacherScore = s.teacher.score;
  f.studentScore = s.student.score;
  f.scoresWithoutAccuracy = s.teacher.evaluated && s.student.evaluated && (s.teacher.accuracy < 0 || s.student.accuracy < 0);
  f.teacherParameters = s.teacher.parameters;
  f.studentParameters = s.student.parameters;
  f.teacherSizeMb = s.teacher.sizeMb;
  f.studentSizeMb = s.student.sizeMb;
  f.teacherLatencyMs = s.teacher.latencyMs;
  f.studentLatencyMs = s.student.latencyMs;
  f.teacherLatencyBatchMs = s.teacher.latencyBatchMs;
  f.studentLatencyBatchMs = s.student.latencyBatchMs;
  f.retention = s.retention;
  f.speedup = s.speedup;
  f.speedupBatch = s.speedupBatch;
  f.compression = s.compression;
  f.typicalLength = static_cast<int>(s.typicalLength);
  f.cancelled = s.cancelled;
  f.name = QString::fromStdString(s.name);
  f.runDirectory = QString::fromStdString(s.runDir);
  return f;
}

QString formatDuration(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                   : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}


}  // namespace app
}  // namespace retort
