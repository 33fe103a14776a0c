#include "widgets/charts/loss_chart.h"
// LossChart's exports: PNG and PDF of the plot, CSV of every raw point.

#include <QFile>
#include <QFileDialog>
#include <QLocale>
#include <QMessageBox>
#include <QPixmap>
#include <QSaveFile>

#include <cmath>

#include "widgets/charts/custom_plot.h"

namespace retort {
namespace widgets {
namespace {

QString csvField(const QString& text) {
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
      !text.contains(QLatin1Char('\n')))
    return text;
  QString quoted = text;
  quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

// Integral values (steps) as integers; others in the shortest form that reads back exactly.
QString csvNumber(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15)
    return QString::number(static_cast<qint64>(v));
  return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

}  // namespace

void LossChart::askExport(const QString& kind) {
  QString filter;
  if (kind == QLatin1String("png")) filter = tr("PNG images (*.png)");
  else if (kind == QLatin1String("pdf")) filter = tr("PDF documents (*.pdf)");
  else filter = tr("CSV files (*.csv)");
  QString path = QFileDialog::getSaveFileName(this, tr("Export the loss curves"), QString(), filter);
  if (path.isEmpty()) return;
  if (!path.endsWith(QLatin1Char('.') + kind, Qt::CaseInsensitive)) path += QLatin1Char('.') + kind;
  bool ok = false;
  if (kind == QLatin1String("png")) ok = exportPng(path);
  else if (kind == QLatin1String("pdf")) ok = exportPdf(path);
  else ok = exportCsv(path);
  if (!ok) QMessageBox::warning(this, tr("Export failed"), m_lastError);
}

bool LossChart::fail(const QString& message) {
  m_lastError = message;
  return false;
}

bool LossChart::exportPng(const QString& path) {
  flush();
  const QPixmap pixmap = m_plot->toPixmap(m_plot->width(), m_plot->height(), 1.0);
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return fail(tr("Could not write %1: %2").arg(path, file.errorString()));
  if (!pixmap.save(&file, "PNG")) {
    file.cancelWriting();
    return fail(tr("Could not write %1: the image could not be encoded").arg(path));
  }
  if (!file.commit()) return fail(tr("Could not write %1: %2").arg(path, file.errorString()));
  m_lastError.clear();
  return true;
}

bool LossChart::exportPdf(const QString& path) {
  flush();
  // savePdf needs a file name: write next to the target, then replace it.
  const QString part = path + QStringLiteral(".part");
  if (!m_plot->savePdf(part, m_plot->width(), m_plot->height())) {
    QFile::remove(part);
    return fail(tr("Could not write %1").arg(path));
  }
  if (QFile::exists(path) && !QFile::remove(path)) {
    QFile::remove(part);
    return fail(tr("Could not replace %1").arg(path));
  }
  if (!QFile::rename(part, path)) {
    QFile::remove(part);
    return fail(tr("Could not write %1").arg(path));
  }
  m_lastError.clear();
  return true;
}

bool LossChart::exportCsv(const QString& path) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
    return fail(tr("Could not write %1: %2").arg(path, file.errorString()));
  QString out = QStringLiteral("step,term,value\n");
  auto row = [&out](double step, const QString& term, double value) {
    out += csvNumber(step) + QLatin1Char(',') + csvField(term) + QLatin1Char(',') + csvNumber(value) +
           QLatin1Char('\n');
  };
  for (const QString& term : qAsConst(m_order)) {
    const Series& s = m_series[term];
    for (int i = 0; i < s.steps.size(); ++i) row(s.steps[i], term, s.values[i]);
  }
  for (int i = 0; i < m_evalSteps.size(); ++i) row(m_evalSteps[i], QStringLiteral("accuracy"), m_evalValues[i]);
  for (const Overlay& o : qAsConst(m_overlays))
    for (auto it = o.curves.cbegin(); it != o.curves.cend(); ++it)
      for (const QPointF& p : *it) row(p.x(), o.label + QLatin1Char('/') + it.key(), p.y());
  file.write(out.toUtf8());
  if (!file.commit()) return fail(tr("Could not write %1: %2").arg(path, file.errorString()));
  m_lastError.clear();
  return true;
}

}  // namespace widgets
}  // namespace retort
