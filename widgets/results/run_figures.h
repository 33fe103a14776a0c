#pragma once
// The figures of one finished run, as its summary.json holds them (RunSummary in
// core/distill/metrics.h), and how the results widgets write them. Plain data; knows nothing
// of LibTorch.

#include <QDateTime>
#include <QString>

namespace retort {
namespace widgets {

/// One run's teacher-vs-student figures. Accuracies are fractions (0..1), -1 when the run had
/// no dev set; a latency of 0 was not measured; the ratios (retention, speedup, speedupBatch,
/// compression) are student-vs-teacher factors as summary.json writes them, 0 = unknown.
struct RunFigures {
  QString name;
  double teacherAccuracy = -1, studentAccuracy = -1;
  /// The task's headline metric (task.metric: "accuracy", "f1", "mcc", "pearson", ...) and both models'
  /// dev values of it (-1 without a dev set; an MCC may be 0 or negative).
  QString metric = QStringLiteral("accuracy");
  double teacherScore = -1, studentScore = -1;
  /// Both models were scored on a task without an accuracy (a regression): the scores stand
  /// although the accuracies are -1.
  bool scoresWithoutAccuracy = false;
  /// Whether both models were measured on a dev set.
  bool evaluated() const { return scoresWithoutAccuracy || (teacherAccuracy >= 0 && studentAccuracy >= 0); }
  qint64 teacherParameters = 0, studentParameters = 0;
  double teacherSizeMb = 0, studentSizeMb = 0, teacherLatencyMs = 0, studentLatencyMs = 0,
         teacherLatencyBatchMs = 0, studentLatencyBatchMs = 0;
  double retention = 0, speedup = 0, speedupBatch = 0, compression = 0;
  int typicalLength = 0;  ///< tokens per input of the latency figures
  bool cancelled = false;
  /// An interrupted run (killed, or stopped) with a checkpoint: the history offers Resume.
  bool resumable = false;
  qint64 resumeStep = 0, resumeTotalSteps = 0;  ///< where its newest checkpoint is (total 0 = unknown)
  QString runDirectory;
  QDateTime finishedAt;   ///< when the run ended (for the history); invalid = unknown

  /// Student score / teacher score on the task's metric: `retention` when set, else computed
  /// from the scores; -1 without a dev set (or a teacher score that is not positive).
  double retentionOrComputed() const;
  /// Teacher latency / student latency at batch 1 (`speedup`, else computed); -1 = unknown.
  double speedupOrComputed() const;
  /// The same at batch 32; -1 = unknown.
  double speedupBatchOrComputed() const;
  /// Teacher parameters / student parameters (`compression`, else computed); -1 = unknown.
  double compressionOrComputed() const;
};

/// "–": what a cell shows for a figure that is not known.
QString notAvailableText();
/// A fraction as a percentage with one decimal (0.9123 -> "91.2%"); "–" when negative or not
/// finite.
QString formatPercent(double fraction);
/// A factor with two decimals below 10 and one from 10 up (3.2 -> "3.20×", 25 -> "25.0×");
/// "–" when not positive.
QString formatFactor(double factor);
/// Megabytes or milliseconds: two decimals below 10, one from 10 up ("6.21", "437.9"); "–"
/// when not positive.
QString formatAmount(double value);

}  // namespace widgets
}  // namespace retort
