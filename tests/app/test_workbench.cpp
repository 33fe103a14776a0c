// Drives the real workbench window (offscreen): load the demo preset, edit the mapping with the
// editor's API, run a tiny distillation and watch the chart, the heatmaps and the results fill,
// stop a run, save and reopen an experiment, and see a malformed dataset reported, not crash.

#include <QtTest/QtTest>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>

#include <fstream>

#include "app/gui/experiment_panels.h"
#include "app/gui/main_window.h"
#include "app/gui/run_controller.h"
#include "core/distill/experiment.h"
#include "test_util.h"
#include "widgets/attention/attention_heatmap.h"
#include "widgets/attention/attention_view.h"
#include "widgets/charts/loss_chart.h"
#include "widgets/mapping/layer_mapping_editor.h"
#include "widgets/results/results_view.h"

using retort::app::MainWindow;
using nlohmann::json;

namespace {

const std::string kResources = std::string(RETORT_FIXTURES_DIR) + "/../../resources";

void slice(const std::string& from, const std::string& to, int rows) {
  std::ifstream in(from);
  std::ofstream out(to);
  std::string line;
  for (int i = 0; i <= rows && std::getline(in, line); ++i) out << line << '\n';
}

/// The demo preset on slices of its data, `steps` steps per stage, a snapshot every step.
QString tinyDemo(const QTemporaryDir& dir, int steps) {
  const std::string d = dir.path().toStdString();
  slice(kResources + "/demo/train.tsv", d + "/train.tsv", 48);
  slice(kResources + "/demo/dev.tsv", d + "/dev.tsv", 24);
  json doc = retort::distill::Experiment::readDocument(kResources + "/presets/demo.json");
  doc["task"]["train"] = d + "/train.tsv";
  doc["task"]["dev"] = d + "/dev.tsv";
  doc["task"].erase("test");
  doc["teacher"]["checkpoint"] = kResources + "/demo/teacher";
  for (auto& s : doc["stages"]) {
    s["optim"]["max_steps"] = steps;
    s["optim"]["epochs"] = 1;
    s["optim"]["batch_size"] = 8;
    s["optim"]["log_every"] = 1;
    s["optim"]["eval_every"] = 0;
  }
  doc["observer"]["attention_every"] = 1;
  doc["observer"]["probe"] = "The Congress shall have power to lay and collect taxes.";
  const QString path = dir.filePath(QStringLiteral("tiny.json"));
  std::ofstream(path.toStdString()) << doc.dump(2);
  return path;
}

}  // namespace

class TestWorkbench : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
  }

  void demoPresetFillsThePanels() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openPreset(QStringLiteral("demo")));
    auto* preview = w.findChild<QTableWidget*>(QStringLiteral("taskPreview"));
    QVERIFY(preview);
    QCOMPARE(preview->rowCount(), 8);
    QCOMPARE(preview->columnCount(), 2);
    const QString labels = w.taskPanel()->labelSummary();
    QVERIFY2(labels.contains(QStringLiteral("early: 1500")) && labels.contains(QStringLiteral("modern: 1500")), qPrintable(labels));
    QVERIFY2(labels.startsWith(QStringLiteral("4500")), qPrintable(labels));
    // The student estimate compares with the teacher of the preset (4 layers, hidden 256).
    QVERIFY2(w.studentPanel()->estimate().contains(QStringLiteral("fewer parameters")), qPrintable(w.studentPanel()->estimate()));
    // Uniform mapping for 4 -> 2 with the embedding pair: (0,0), (1,2), (2,4).
    const auto pairs = w.mappingEditor()->pairs();
    QCOMPARE(pairs.size(), 3);
    QCOMPARE(pairs[1].student, 1);
    QCOMPARE(pairs[1].teacher, 2);
    QCOMPARE(pairs[2].teacher, 4);
    QVERIFY(!w.isModified());
    // Before any run, the attention view shows the teacher alone on the first example.
    QTRY_VERIFY_WITH_TIMEOUT(w.attentionView()->teacherHeatmap()->tokenCount() > 5, 30000);
    QCOMPARE(w.attentionView()->snapshot().pairs.size(), 4);  // every teacher layer
    QCOMPARE(w.attentionView()->studentHeatmap()->tokenCount(), 0);
    // Editing the mapping makes it explicit in the document.
    QVERIFY(w.mappingEditor()->connectLayers(1, 3));
    QVERIFY(w.isModified());
    const json doc = w.document();
    QCOMPARE(QString::fromStdString(doc["mapping"]["kind"].get<std::string>()), QStringLiteral("explicit"));
    bool found = false;
    for (const auto& p : doc["mapping"]["pairs"]) found = found || (p["student"] == 1 && p["teacher"] == 3);
    QVERIFY(found);
  }

  void saveAndOpenRoundTrip() {
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(w.openPreset(QStringLiteral("demo")));
    w.mappingEditor()->connectLayers(2, 3);
    auto* stages = w.stagesPanel()->table();
    stages->item(0, 2)->setText(QStringLiteral("7"));  // epochs of the first stage
    const QString path = dir.filePath(QStringLiteral("saved.json"));
    QVERIFY2(w.saveExperiment(path), qPrintable(w.lastError()));
    QVERIFY(!w.isModified());
    MainWindow other;
    QVERIFY2(other.openExperiment(path), qPrintable(other.lastError()));
    const json a = w.document(), b = other.document();
    QCOMPARE(QString::fromStdString(b["stages"][0]["optim"]["epochs"].dump()), QStringLiteral("7"));
    QCOMPARE(QString::fromStdString(b["mapping"].dump()), QString::fromStdString(a["mapping"].dump()));
    // Saved elsewhere, paths are absolute and the demo files are still found.
    const auto e = retort::distill::Experiment::load(path.toStdString());
    QVERIFY(std::ifstream(e.task.train).good());
    QCOMPARE(other.mappingEditor()->pairs(), w.mappingEditor()->pairs());
  }

  void tinyRunFillsChartHeatmapsAndResults() {
    QTemporaryDir dir;
    MainWindow w;
    w.show();
    QVERIFY(w.openExperiment(tinyDemo(dir, 3)));
    QSignalSpy done(&w, &MainWindow::runFinished);
    QVERIFY2(w.startRun(dir.filePath(QStringLiteral("run"))), qPrintable(w.lastError()));
    QVERIFY(w.isRunning());
    QVERIFY(done.wait(120000));
    QCOMPARE(done.first().first().toBool(), true);
    w.lossChart()->flush();
    QCOMPARE(w.lossChart()->pointCount(QStringLiteral("total")), 6);  // 2 stages x 3 steps, logged every step
    QVERIFY(w.lossChart()->terms().contains(QStringLiteral("attention")));
    QVERIFY(w.lossChart()->terms().contains(QStringLiteral("soft_targets")));
    QCOMPARE(w.lossChart()->stageNames().size(), 2);
    auto* view = w.attentionView();
    const int tokens = view->snapshot().tokens.size();
    QVERIFY(tokens > 5);
    QCOMPARE(view->teacherHeatmap()->tokenCount(), tokens);
    QCOMPARE(view->studentHeatmap()->tokenCount(), tokens);
    // A probability row of the teacher sums to 1 (the matrix is token x token, softmax rows).
    view->setShowScores(false);
    view->setCurrentHead(0);
    double row = 0;
    for (int c = 0; c < tokens; ++c) row += view->teacherHeatmap()->value(0, c);
    QVERIFY2(std::abs(row - 1.0) < 1e-3, qPrintable(QString::number(row)));
    auto* results = qobject_cast<retort::widgets::ResultsView*>(w.resultsView());
    QVERIFY(results);
    QVERIFY(results->figures().studentParameters > 0);
    QCOMPARE(results->figures().studentParameters, w.lastSummary().student.parameters);
    QVERIFY(!results->cellText(1, 1).isEmpty());
    // After the run a new probe sentence goes through the teacher and the trained student.
    view->setProbe(QStringLiteral("Peace and war."));
    Q_EMIT view->probeChanged(QStringLiteral("Peace and war."));
    QTRY_VERIFY_WITH_TIMEOUT(view->snapshot().tokens.size() != tokens, 30000);
    QVERIFY(view->snapshot().tokens.size() < tokens);
    QCOMPARE(view->studentHeatmap()->tokenCount(), view->snapshot().tokens.size());
    QCOMPARE(view->teacherHeatmap()->tokenCount(), view->snapshot().tokens.size());
    qInfo("longest GUI stall during the tiny run: %.1f ms", w.longestStallMs());
    QVERIFY(w.longestStallMs() < 1000);
  }

  void stopKeepsTheStudent() {
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(w.openExperiment(tinyDemo(dir, 400)));
    QSignalSpy steps(w.runController(), &retort::app::RunController::stepReported);
    QSignalSpy done(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(dir.filePath(QStringLiteral("run"))));
    QVERIFY(steps.wait(60000));
    w.pauseRun();
    QVERIFY(w.runController()->isPaused());
    w.stopRun();
    QVERIFY(done.wait(60000));
    QVERIFY(w.lastSummary().cancelled);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("run/student/model.safetensors"))));
    QVERIFY(!w.isRunning());
  }

  void malformedDatasetIsReported() {
    QTemporaryDir dir;
    MainWindow w;
    w.show();
    QVERIFY(w.openExperiment(tinyDemo(dir, 2)));
    const QString bad = dir.filePath(QStringLiteral("bad.tsv"));
    std::ofstream(bad.toStdString()) << "sentence\tlabel\nfine text\tearly\nno label here\n";
    w.taskPanel()->setTrainFile(bad);
    QVERIFY2(w.taskPanel()->problem().contains(QStringLiteral("bad.tsv:3")), qPrintable(w.taskPanel()->problem()));
    QSignalSpy done(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(dir.filePath(QStringLiteral("run"))));
    QVERIFY(done.wait(60000));
    QCOMPARE(done.first().first().toBool(), false);
    auto* bar = w.findChild<QLabel*>(QStringLiteral("messageBar"));
    QVERIFY(bar->isVisible());
    QVERIFY2(bar->text().contains(QStringLiteral("bad.tsv:3")), qPrintable(bar->text()));
    // The user's settings are not lost.
    QCOMPARE(QString::fromStdString(w.document()["task"]["train"].get<std::string>()), bad);
  }
};

QTEST_MAIN(TestWorkbench)
#include "test_workbench.moc"
