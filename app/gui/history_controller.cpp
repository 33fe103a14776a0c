#include "app/gui/history_controller.h"

#include <QDir>
#include <QFileInfo>
#include <QMap>
#include <QPointF>
#include <QStandardPaths>
#include <QVector>

#include <fstream>
#include <memory>

#include "app/gui/conversions.h"
#include "app/gui/latest_job.h"
#include "core/distill/experiment.h"
#include "core/distill/resume_info.h"
#include "core/distill/run_directory.h"
#include "widgets/charts/loss_chart.h"
#include "widgets/results/results_view.h"
#include "widgets/results/run_history.h"

using nlohmann::json;

namespace retort {
namespace app {

HistoryController::HistoryController(widgets::RunHistoryView* history, widgets::ResultsView* results,
                                     widgets::LossChart* chart, QObject* parent)
    : QObject(parent), m_history(history), m_results(results), m_chart(chart), m_listJob(new LatestJob(this)),
      m_curveJob(new LatestJob(this)) {
  connect(m_history, &widgets::RunHistoryView::runSelected, this, [this](int index) {
    if (index >= 0 && index < m_runs.size()) m_results->setFigures(m_history->run(index));
  });
  connect(m_history, &widgets::RunHistoryView::showCurvesRequested, this, &HistoryController::overlayRun);
  connect(m_history, &widgets::RunHistoryView::resumeRequested, this, [this](int index) {
    if (index >= 0 && index < m_runs.size()) Q_EMIT resumeRequested(m_runs[index]);
  });
  connect(m_history, &widgets::RunHistoryView::compareToggled, this, [this](int index, bool on) {
    if (on) overlayRun(index);
    else if (index >= 0 && index < m_runs.size()) m_chart->removeOverlayRun(QFileInfo(m_runs[index]).fileName());
  });
}

QString HistoryController::runsRoot() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/runs");
}

void HistoryController::refresh(const QString& name) {
  const QString root = runsRoot();
  m_listJob->start([this, root, name] {
    struct Listing {
      QVector<widgets::RunFigures> runs;
      QStringList settings, dirs;
    };
    auto out = std::make_shared<Listing>();
    const QDir dir(root);
    for (const QString& d : dir.entryList({name + QStringLiteral("-*")}, QDir::Dirs, QDir::Name)) {
      const QString path = dir.filePath(d);
      const auto resume = distill::resumeInfo(path.toStdString());
      widgets::RunFigures f;
      try {
        if (QFileInfo::exists(path + QStringLiteral("/summary.json"))) {
          f = toWidgets(distill::readSummary((path + QStringLiteral("/summary.json")).toStdString()));
          f.finishedAt = QFileInfo(path + QStringLiteral("/summary.json")).lastModified();
        } else if (resume.resumable) {
          // Killed: no summary yet; named after its experiment, dated by its checkpoint.
          f.name = d;
          f.runDirectory = path;
          f.finishedAt = QFileInfo(QString::fromStdString(resume.checkpoint) + QStringLiteral("/state.json")).lastModified();
        } else {
          continue;  // not a run, or one still being written
        }
      } catch (const std::exception&) {
        continue;  // a malformed summary.json: not listed
      }
      f.resumable = resume.resumable;
      f.resumeStep = resume.globalStep;
      f.resumeTotalSteps = resume.totalSteps;
      QString line;
      try {
        const auto e = distill::Experiment::load((path + QStringLiteral("/experiment.json")).toStdString());
        if (f.name == d) f.name = QString::fromStdString(e.name);
        line = e.student.kind == "bilstm" ? tr("BiLSTM student")
                                          : tr("student %1×%2, %n stage(s)", nullptr, static_cast<int>(e.stages.size()))
                                                .arg(e.student.architecture.layers)
                                                .arg(e.student.architecture.hidden);
      } catch (const std::exception&) {
        // An experiment.json that this version does not read: the run is listed without it.
      }
      out->runs.push_back(f);
      out->settings << line;
      out->dirs << path;
    }
    return std::function<void()>([this, out] {
      m_runs = out->dirs;
      const bool interrupted = !out->runs.isEmpty() && out->runs.back().resumable;
      m_interruptedLatest = interrupted ? out->dirs.back() : QString();
      m_interruptedStep = interrupted ? out->runs.back().resumeStep : 0;
      m_interruptedTotal = interrupted ? out->runs.back().resumeTotalSteps : 0;
      m_history->setRuns(out->runs, out->settings);
      Q_EMIT refreshed();
    });
  });
}

void HistoryController::overlayRun(int index) {
  if (index < 0 || index >= m_runs.size()) return;
  const QString dir = m_runs[index];
  const QString total = tr("total");
  m_curveJob->start([this, dir, total] {
    auto curves = std::make_shared<QMap<QString, QVector<QPointF>>>();
    std::ifstream in((dir + QStringLiteral("/metrics.jsonl")).toStdString());
    std::string line;
    while (std::getline(in, line)) {
      const json j = json::parse(line, nullptr, false);
      if (!j.is_object() || j.value("type", std::string()) != "step") continue;
      const double x = j.value("global_step", 0.0);
      (*curves)[total].push_back(QPointF(x, j.value("loss", 0.0)));
      if (j.contains("losses") && j["losses"].is_object())
        for (auto it = j["losses"].begin(); it != j["losses"].end(); ++it)
          if (it->is_number()) (*curves)[QString::fromStdString(it.key())].push_back(QPointF(x, it->get<double>()));
    }
    return std::function<void()>([this, dir, curves] {
      const QString label = QFileInfo(dir).fileName();
      m_chart->removeOverlayRun(label);
      m_chart->addOverlayRun(label, *curves);
      Q_EMIT overlayShown(label);
    });
  });
}

}  // namespace app
}  // namespace retort
