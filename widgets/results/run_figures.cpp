#include "widgets/results/run_figures.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace retort {
namespace widgets {
namespace {

double ratio(double given, double numerator, double denominator) {
  if (given > 0 && std::isfinite(given)) return given;
  if (numerator > 0 && denominator > 0 && std::isfinite(numerator) && std::isfinite(denominator))
    return numerator / denominator;
  return -1.0;
}

}  // namespace

double RunFigures::retentionOrComputed() const {
  if (!evaluated()) return -1.0;  // no dev set
  if (retention > 0 && std::isfinite(retention)) return retention;
  const bool accuracy = metric == QLatin1String("accuracy");
  const double t = accuracy ? teacherAccuracy : teacherScore, s = accuracy ? studentAccuracy : studentScore;
  if (!(t > 0) || !std::isfinite(s)) return -1.0;
  return s / t;
}

double RunFigures::speedupOrComputed() const { return ratio(speedup, teacherLatencyMs, studentLatencyMs); }

double RunFigures::speedupBatchOrComputed() const {
  return ratio(speedupBatch, teacherLatencyBatchMs, studentLatencyBatchMs);
}

double RunFigures::compressionOrComputed() const {
  return ratio(compression, static_cast<double>(teacherParameters), static_cast<double>(studentParameters));
}

QString notAvailableText() { return QStringLiteral("–"); }

QString formatPercent(double fraction) {
  if (!(fraction >= 0) || !std::isfinite(fraction)) return notAvailableText();
  //: A percentage: %1 is the number (German "91,2 %")
  return QCoreApplication::translate("retort::widgets::RunFigures", "%1%")
      .arg(QLocale().toString(fraction * 100.0, 'f', 1));
}

QString formatFactor(double factor) {
  if (!(factor > 0) || !std::isfinite(factor)) return notAvailableText();
  return QLocale().toString(factor, 'f', factor < 10.0 ? 2 : 1) + QStringLiteral("×");
}

QString formatAmount(double value) {
  if (!(value > 0) || !std::isfinite(value)) return notAvailableText();
  return QLocale().toString(value, 'f', value < 10.0 ? 2 : 1);
}

}  // namespace widgets
}  // namespace retort
