// Drives the real workbench window (offscreen): load the demo preset, edit the mapping with the
// editor's API, run a tiny distillation and watch the chart, the heatmaps and the results fill,
// stop a run, save and reopen an experiment, and see a malformed dataset reported, not crash.

#include <QtTest/QtTest>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>

#include <fstream>

#include <QTabBar>
#include <QToolButton>

#include "app/gui/experiment_document.h"
#include "app/gui/history_controller.h"
#include "app/gui/main_window.h"
#include "app/gui/run_controller.h"
#include "app/gui/stages_panel.h"
#include "app/gui/student_panel.h"
#include "app/gui/task_panel.h"
#include "core/distill/experiment.h"
#include "core/distill/metrics_reader.h"
#include "test_util.h"
#include "widgets/attention/attention_grid.h"
#include "widgets/attention/attention_heatmap.h"
#include "widgets/attention/attention_view.h"
#include "widgets/charts/loss_chart.h"
#include "widgets/mapping/layer_mapping_editor.h"
#include "widgets/results/results_view.h"
#include "widgets/results/run_history.h"

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

/// A derived demo preset (demo-year, demo-topics, demo-tags) made tiny: the demo teacher,
/// 3 steps per phase, no evaluation before the end.
void shrinkDerivedPreset(json& doc) {
    doc["teacher"]["checkpoint"] = kResources + "/demo/teacher";
    doc["teacher"]["finetuning"]["max_steps"] = 3;
    doc["teacher"]["finetuning"]["eval_every"] = 0;
    for (auto& s : doc["stages"]) {
      s["optim"]["max_steps"] = 3;
      s["optim"]["batch_size"] = 8;
      s["optim"]["log_every"] = 1;
      s["optim"]["eval_every"] = 0;
    }
}

/// The first `sentences` sentences (blank-line separated) of a CoNLL file.
void sliceSentences(const std::string& from, const std::string& to, int sentences) {
  std::ifstream in(from);
  std::ofstream out(to);
  std::string line;
  for (int n = 0; n < sentences && std::getline(in, line);) {
    out << line << '\n';
    if (line.empty()) ++n;
  }
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

/// tinyDemo without dropout, on one thread per process: a run on 2 processes trains the
/// same steps as one on 1.
QString tinyDemoWithoutDropout(const QTemporaryDir& dir, int steps) {
  const QString path = tinyDemo(dir, steps);
  json doc = retort::distill::Experiment::readDocument(path.toStdString());
  doc["student"]["architecture"]["dropout"] = 0;
  doc["student"]["architecture"]["attention_dropout"] = 0;
  doc["threads"] = 1;
  doc["observer"]["attention_every"] = 2;
  std::ofstream(path.toStdString()) << doc.dump(2);
  return path;
}

/// The step lines of a run directory's metrics.jsonl: total and terms, in order.
std::vector<retort::distill::StepMetrics> loggedSteps(const QString& runDir) {
  return retort::distill::readMetricsLog((runDir + QStringLiteral("/metrics.jsonl")).toStdString()).steps;
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
    QTRY_VERIFY_WITH_TIMEOUT(!w.taskPanel()->isReading(), 30000);  // read on a worker
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
    const auto doc = w.document();
    QCOMPARE(doc.mappingKind(), retort::app::MappingKind::Explicit);
    QCOMPARE(QString::fromStdString(doc.experiment().mapping.kind), QStringLiteral("explicit"));
    bool found = false;
    for (const auto& p : doc.experiment().mapping.pairs) found = found || (p.student == 1 && p.teacher == 3);
    QVERIFY(found);
  }

  void beforeARunTheStudentPaneSaysWhenItComes() {
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(w.openPreset(QStringLiteral("demo")));
    auto* view = w.attentionView();
    QTRY_VERIFY_WITH_TIMEOUT(view->teacherHeatmap()->tokenCount() > 5, 30000);
    // No error text anywhere: the student's pane says when its attention comes.
    const QString student = view->studentHeatmap()->message();
    QCOMPARE(student, QStringLiteral("The student's attention appears here once training starts."));
    QVERIFY(view->teacherHeatmap()->message().isEmpty());
    auto* status = view->findChild<QLabel*>(QStringLiteral("attentionStatus"));
    QVERIFY(status);
    QVERIFY2(!status->text().contains(QStringLiteral("0 heads")) && !status->text().contains(QStringLiteral("does not fit")),
             qPrintable(status->text()));
    QVERIFY2(status->text().contains(QStringLiteral("Before training")) && status->text().contains(QStringLiteral("4 heads")),
             qPrintable(status->text()));
    // Four teacher heads to choose from, not only the average.
    auto* heads = view->findChild<QComboBox*>(QStringLiteral("headCombo"));
    QVERIFY(heads);
    QCOMPARE(heads->count(), 5);
    // The grid under the heat maps is the teacher's: 4 layers of 4 heads, labelled as such.
    auto* grid = w.attentionGrid();
    QCOMPARE(grid->shownModel(), retort::widgets::AttentionGrid::Model::Teacher);
    QCOMPARE(grid->rowCount(), 4);
    QCOMPARE(grid->columnCount(), 4);
    for (int r = 0; r < 4; ++r) {
      QCOMPARE(grid->layerOfRow(r), r + 1);
      QCOMPARE(grid->rowLabel(r), QStringLiteral("Teacher %1").arg(r + 1));
    }
    // Token labels without WordPiece's "##" (the demo teacher's tokenizer).
    for (const QString& label : view->teacherHeatmap()->labelTexts()) QVERIFY2(!label.startsWith(QStringLiteral("##")), qPrintable(label));
  }

  void setupTabTitlesFitTheDefaultWindow() {
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTabBar* bar = w.setupTabs()->tabBar();
    QVERIFY(bar->isVisible());
    const QFontMetrics fm(bar->font());
    for (int i = 0; i < bar->count(); ++i) {
      const QRect r = bar->tabRect(i);
      QVERIFY2(bar->rect().contains(r), qPrintable(bar->tabText(i)));
      QVERIFY2(r.width() > fm.horizontalAdvance(bar->tabText(i)), qPrintable(bar->tabText(i)));
    }
    // All five titles, whole, and no scroll arrows.
    QCOMPARE(bar->count(), 5);
    QCOMPARE(bar->elideMode(), Qt::ElideNone);
    for (auto* button : bar->findChildren<QToolButton*>()) QVERIFY(!button->isVisible());
    QVERIFY(bar->tabRect(bar->count() - 1).right() <= w.setupTabs()->width());
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
    const auto a = w.document().experiment(), b = other.document().experiment();
    QCOMPARE(b.stages[0].optim.epochs, int64_t{7});
    QVERIFY(b.mapping == a.mapping);
    QCOMPARE(QString::fromStdString(b.mapping.kind), QStringLiteral("explicit"));
    // The file is core's: Experiment::load reads back exactly what the window holds.
    auto e = retort::distill::Experiment::load(path.toStdString());
    QVERIFY(std::ifstream(e.task.train).good());
    auto expected = a;
    expected.baseDir = e.baseDir;  // the file's directory
    QVERIFY(e == expected);
    QCOMPARE(QString::fromStdString(e.toJson().dump()), QString::fromStdString(expected.toJson().dump()));
    QCOMPARE(other.mappingEditor()->pairs(), w.mappingEditor()->pairs());
  }

  void presetDocumentRoundTrip_data() {
    QTest::addColumn<QString>("preset");
    for (const char* name : {"bilstm", "demo", "distilbert", "kd-logits", "quickstart", "tinybert"})
      QTest::newRow(name) << QString::fromLatin1(name);
  }

  void presetDocumentRoundTrip() {
    // open preset -> document -> save -> core's Experiment::load equals the preset as core reads it.
    QFETCH(QString, preset);
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY2(w.openPreset(preset), qPrintable(w.lastError()));
    QTRY_VERIFY_WITH_TIMEOUT(!w.taskPanel()->isReading(), 30000);
    const QString path = dir.filePath(QStringLiteral("preset.json"));
    QVERIFY2(w.saveExperiment(path), qPrintable(w.lastError()));
    const auto saved = retort::distill::Experiment::load(path.toStdString());
    auto original = retort::app::ExperimentDocument::preset(preset).experiment();
    original.baseDir = saved.baseDir;
    QCOMPARE(QString::fromStdString(saved.toJson().dump(1)), QString::fromStdString(original.toJson().dump(1)));
    QVERIFY(saved == original);
  }

  void documentRejectionShowsCoresMessage() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.json"));
    std::ofstream(path.toStdString()) << R"({"format": 1, "task": {"max_length": 3.5}})";
    const QString core = retort::test::thrownMessage([&] { retort::distill::Experiment::load(path.toStdString()); });
    QVERIFY2(core.contains(QStringLiteral("task.max_length")), qPrintable(core));
    MainWindow w;
    QVERIFY(!w.openExperiment(path));
    QCOMPARE(w.lastError(), QStringLiteral("Could not open the experiment: %1").arg(core));
    auto* bar = w.findChild<QLabel*>(QStringLiteral("messageBar"));
    QCOMPARE(bar->text(), w.lastError());
    // A stage name given twice: core refuses it, and so does the window on save and on start.
    const QString twice = dir.filePath(QStringLiteral("twice.json"));
    std::ofstream(twice.toStdString()) << R"({"format": 1, "stages": [{"name": "a"}, {"name": "a"}]})";
    const QString names = retort::test::thrownMessage([&] { retort::distill::Experiment::load(twice.toStdString()); });
    QVERIFY(!w.openExperiment(twice));
    QCOMPARE(w.lastError(), QStringLiteral("Could not open the experiment: %1").arg(names));
  }

  void ctrlRStartsARunInAFreshWindow() {
    QTemporaryDir dir;
    const QString path = tinyDemo(dir, 200);
    QSettings().setValue(QStringLiteral("lastExperiment"), path);  // what a fresh window opens
    MainWindow w;
    QCOMPARE(w.experimentPath(), QFileInfo(path).absoluteFilePath());
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QSignalSpy done(&w, &MainWindow::runFinished);
    QTest::keyClick(&w, Qt::Key_R, Qt::ControlModifier);
    QVERIFY(w.isRunning());
    w.stopRun();
    QVERIFY(done.wait(60000));
    QSettings().remove(QStringLiteral("lastExperiment"));
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

  void derivedDemoRunShowsItsMetric_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("sub");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<QString>("term");  // the prediction stage's teacher term
    QTest::newRow("regression") << "demo-year" << "year" << "regression" << "pearson" << "logit_mse";
    QTest::newRow("multi_label") << "demo-topics" << "topics" << "multi_label" << "micro_f1" << "soft_targets";
  }

  void derivedDemoRunShowsItsMetric() {
    // The demo-year (a regression) and demo-topics (multi-label) presets on slices of their
    // data, from the window: the teacher is fine-tuned with the kind's head, and the results
    // are in the kind's metric.
    QFETCH(QString, preset);
    QFETCH(QString, sub);
    QFETCH(QString, kind);
    QFETCH(QString, metric);
    QFETCH(QString, term);
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    slice(kResources + "/demo/" + sub.toStdString() + "/train.tsv", d + "/train.tsv", 48);
    slice(kResources + "/demo/" + sub.toStdString() + "/dev.tsv", d + "/dev.tsv", 24);
    json doc = retort::distill::Experiment::readDocument(kResources + "/presets/" + preset.toStdString() + ".json");
    doc["task"]["train"] = d + "/train.tsv";
    doc["task"]["dev"] = d + "/dev.tsv";
    doc["task"].erase("test");
    shrinkDerivedPreset(doc);
    const QString path = dir.filePath(QStringLiteral("derived.json"));
    std::ofstream(path.toStdString()) << doc.dump(2);
    MainWindow w;
    w.show();
    QVERIFY(w.openExperiment(path));
    auto* kindBox = w.findChild<QComboBox*>(QStringLiteral("taskKind"));
    QVERIFY(kindBox);
    QCOMPARE(kindBox->currentData().toString(), kind);
    QSignalSpy done(&w, &MainWindow::runFinished);
    QVERIFY2(w.startRun(dir.filePath(QStringLiteral("run"))), qPrintable(w.lastError()));
    QVERIFY(done.wait(180000));
    QVERIFY2(done.first().first().toBool(), qPrintable(w.lastError()));
    QCOMPARE(QString::fromStdString(w.lastSummary().metric), metric);
    QVERIFY(w.lastSummary().student.evaluated);
    auto* results = qobject_cast<retort::widgets::ResultsView*>(w.resultsView());
    QVERIFY(results);
    QCOMPARE(results->figures().metric, metric);
    QVERIFY(results->figures().evaluated());
    QCOMPARE(results->cellText(0, 1), QLocale().toString(w.lastSummary().student.score, 'f', 4));
    QCOMPARE(results->cellText(0, 0), QLocale().toString(w.lastSummary().teacher.score, 'f', 4));
    w.lossChart()->flush();
    QVERIFY2(w.lossChart()->terms().contains(term), qPrintable(w.lossChart()->terms().join(QLatin1Char(' '))));
    QVERIFY(w.lossChart()->terms().contains(QStringLiteral("hard_labels")));
  }

  void tokenRunShowsEntityF1() {
    // The demo-tags preset (token classification) on a few sentences, from the window: the
    // kind comes from the document, the results table is in entity-F1 terms, the losses are
    // the per-word soft targets and gold tags, and the student is saved with a per-token head.
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    sliceSentences(kResources + "/demo/tags/train.conll", d + "/train.conll", 100);  // every tag of the dev slice
    sliceSentences(kResources + "/demo/tags/dev.conll", d + "/dev.conll", 24);
    json doc = retort::distill::Experiment::readDocument(kResources + "/presets/demo-tags.json");
    doc["task"]["train"] = d + "/train.conll";
    doc["task"]["dev"] = d + "/dev.conll";
    doc["task"].erase("test");
    shrinkDerivedPreset(doc);
    const QString path = dir.filePath(QStringLiteral("tags.json"));
    std::ofstream(path.toStdString()) << doc.dump(2);
    MainWindow w;
    w.show();
    QVERIFY(w.openExperiment(path));
    auto* kind = w.findChild<QComboBox*>(QStringLiteral("taskKind"));
    QVERIFY(kind);
    QCOMPARE(kind->currentData().toString(), QStringLiteral("token_classification"));
    QSignalSpy done(&w, &MainWindow::runFinished);
    QVERIFY2(w.startRun(dir.filePath(QStringLiteral("run"))), qPrintable(w.lastError()));
    QVERIFY(done.wait(240000));
    QVERIFY2(done.first().first().toBool(), qPrintable(w.lastError()));
    QCOMPARE(w.lastSummary().metric, std::string("entity_f1"));
    QVERIFY(w.lastSummary().student.evaluated);
    auto* results = qobject_cast<retort::widgets::ResultsView*>(w.resultsView());
    QVERIFY(results);
    QCOMPARE(results->figures().metric, QStringLiteral("entity_f1"));
    QCOMPARE(results->cellText(0, 1), QLocale().toString(w.lastSummary().student.score, 'f', 4));
    QCOMPARE(results->cellText(0, 0), QLocale().toString(w.lastSummary().teacher.score, 'f', 4));
    w.lossChart()->flush();
    for (const char* term : {"soft_targets", "hard_labels", "attention", "hidden"})
      QVERIFY2(w.lossChart()->terms().contains(QString::fromLatin1(term)), term);
    std::ifstream config(dir.filePath(QStringLiteral("run/student/config.json")).toStdString());
    QVERIFY(config.good());
    const json saved = json::parse(config);
    QCOMPARE(saved["architectures"][0].get<std::string>(), std::string("BertForTokenClassification"));
  }

  void runsOnTwoProcessesBesideStart() {
    // The Processes box beside Start: rank 0 trains in the window, rank 1 is retort-cli; the
    // run logs the steps (and ends with the weights) of the same run on one process.
    QTemporaryDir dir;
    const QString exp = tinyDemoWithoutDropout(dir, 4);
    MainWindow w;
    w.show();
    auto* processes = w.findChild<QSpinBox*>(QStringLiteral("processesSpin"));
    QVERIFY(processes);
    QVERIFY(processes->maximum() >= 2);
    QCOMPARE(processes->value(), 1);
    w.runController()->setRankProgram(QStringLiteral(RETORT_CLI_PATH));
    QVERIFY(w.openExperiment(exp));
    QSignalSpy done(&w, &MainWindow::runFinished);
    QVERIFY2(w.startRun(dir.filePath(QStringLiteral("one"))), qPrintable(w.lastError()));
    QVERIFY(done.wait(120000));
    QCOMPARE(done.takeFirst().first().toBool(), true);

    processes->setValue(2);
    QCOMPARE(w.runController()->processes(), 2);
    QVERIFY2(w.startRun(dir.filePath(QStringLiteral("two"))), qPrintable(w.lastError()));
    QVERIFY(!processes->isEnabled());
    QVERIFY(!w.runController()->canPause());  // the other rank would time out waiting
    w.pauseRun();
    QVERIFY(!w.runController()->isPaused());
    QVERIFY(done.wait(180000));
    QVERIFY2(done.first().first().toBool(), qPrintable(w.lastError()));
    QVERIFY(processes->isEnabled());
    QVERIFY(w.lossChart()->terms().contains(QStringLiteral("attention")));
    w.lossChart()->flush();
    QCOMPARE(w.lossChart()->pointCount(QStringLiteral("total")), 8);

    const auto a = loggedSteps(dir.filePath(QStringLiteral("one")));
    const auto b = loggedSteps(dir.filePath(QStringLiteral("two")));
    QCOMPARE(a.size(), size_t(8));
    QCOMPARE(b.size(), a.size());  // rank 0 alone writes the log
    for (size_t i = 0; i < a.size(); ++i) {
      QVERIFY2(std::abs(a[i].total - b[i].total) <= 1e-5 * std::abs(a[i].total),
               qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(a[i].total, 0, 'g', 9).arg(b[i].total, 0, 'g', 9)));
      QCOMPARE(b[i].losses.size(), a[i].losses.size());
      for (const auto& [term, value] : a[i].losses)
        QVERIFY2(std::abs(value - b[i].losses.at(term)) <= 1e-5 * std::abs(value), term.c_str());
    }
    QVERIFY(w.lastSummary().student.parameters > 0);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("two/student/model.safetensors"))));
    QCOMPARE(QSettings().value(QStringLiteral("run/processes")).toInt(), 2);
    processes->setValue(1);
  }

  void aRankThatCannotStartIsReported() {
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(w.openExperiment(tinyDemoWithoutDropout(dir, 2)));
    w.findChild<QSpinBox*>(QStringLiteral("processesSpin"))->setValue(2);
    w.runController()->setRankProgram(QStringLiteral("/bin/false"));
    QSignalSpy done(&w, &MainWindow::runFinished);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(w.startRun(dir.filePath(QStringLiteral("run"))));
    QVERIFY(done.wait(60000));
    QCOMPARE(done.first().first().toBool(), false);
    QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));  // not the 300 s timeout
    QVERIFY2(w.lastError().contains(QStringLiteral("rank 1 (pid")) &&
                 w.lastError().contains(QStringLiteral("exited with status 1 before it joined the run")),
             qPrintable(w.lastError()));
    w.findChild<QSpinBox*>(QStringLiteral("processesSpin"))->setValue(1);
  }

  void stopKeepsTheStudent() {
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(w.openExperiment(tinyDemo(dir, 400)));
    QSignalSpy steps(w.runController(), &retort::app::RunController::stepsReported);
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

  void stoppedRunIsResumedFromTheHistory() {
    // A run stopped from the window writes a checkpoint; the history lists it as interrupted,
    // the Run menu offers to resume it, and Resume continues it to the end, curves and all.
    QTemporaryDir dir;
    const QString path = tinyDemo(dir, 40);  // 2 stages of 40 steps
    json doc = json::parse(std::ifstream(path.toStdString()));
    doc["name"] = "resume-gui";
    for (auto& st : doc["stages"]) st["optim"]["epochs"] = 10;  // 6 batches an epoch: max_steps 40 binds
    doc["observer"]["checkpoint_every"] = 5;
    doc["observer"]["attention_every"] = 10;
    std::ofstream(path.toStdString()) << doc.dump(2);
    for (const QString& old : QDir(retort::app::HistoryController::runsRoot()).entryList({QStringLiteral("resume-gui-*")}, QDir::Dirs))
      QDir(retort::app::HistoryController::runsRoot() + QLatin1Char('/') + old).removeRecursively();
    MainWindow w;
    QVERIFY(w.openExperiment(path));
    auto* history = w.findChild<retort::widgets::RunHistoryView*>(QStringLiteral("runHistoryView"));
    QVERIFY(history);
    QVERIFY(!w.resumeInterruptedAction()->isEnabled());
    QSignalSpy steps(w.runController(), &retort::app::RunController::stepsReported);
    QSignalSpy done(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun());
    QVERIFY(steps.wait(60000));
    w.stopRun();
    QVERIFY(done.wait(60000));
    QVERIFY(w.lastSummary().cancelled);
    QTRY_COMPARE_WITH_TIMEOUT(history->runCount(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(w.resumeInterruptedAction()->isEnabled(), 30000);
    QVERIFY(history->run(0).resumable);
    const qint64 stoppedAt = history->run(0).resumeStep;
    QVERIFY(stoppedAt > 0 && stoppedAt < 80);
    QCOMPARE(history->cellText(0, retort::widgets::RunHistoryView::NameColumn),
             QStringLiteral("resume-gui (interrupted at step %1 of 80)").arg(stoppedAt));
    QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("interrupted at step %1 of 80").arg(stoppedAt)));
    {
      // Reopened in another window, the experiment offers to resume its interrupted run too.
      MainWindow other;
      QVERIFY(other.openExperiment(path));
      QTRY_VERIFY_WITH_TIMEOUT(other.resumeInterruptedAction()->isEnabled(), 30000);
      QVERIFY(other.statusBar()->currentMessage().contains(QStringLiteral("was interrupted at step %1").arg(stoppedAt)));
    }
    // Resume from the history's button.
    history->setCurrentIndex(0);
    QVERIFY(history->resumeButton()->isEnabled());
    done.clear();
    QTest::mouseClick(history->resumeButton(), Qt::LeftButton);
    QVERIFY(w.isRunning());
    QVERIFY(!history->resumeButton()->isEnabled());
    QVERIFY(!w.resumeInterruptedAction()->isEnabled());
    QVERIFY(done.wait(120000));
    QCOMPARE(done.first().first().toBool(), true);
    QVERIFY(!w.lastSummary().cancelled);
    w.lossChart()->flush();
    QCOMPARE(w.lossChart()->pointCount(QStringLiteral("total")), 80);  // the steps before the stop, then the rest
    QTRY_VERIFY_WITH_TIMEOUT(history->runCount() == 1 && !history->run(0).resumable, 30000);
    QVERIFY(!w.resumeInterruptedAction()->isEnabled());
    QVERIFY(!QFileInfo::exists(history->run(0).runDirectory + QStringLiteral("/checkpoints")));
  }

  void malformedDatasetIsReported() {
    QTemporaryDir dir;
    MainWindow w;
    w.show();
    QVERIFY(w.openExperiment(tinyDemo(dir, 2)));
    const QString bad = dir.filePath(QStringLiteral("bad.tsv"));
    std::ofstream(bad.toStdString()) << "sentence\tlabel\nfine text\tearly\nno label here\n";
    w.taskPanel()->setTrainFile(bad);
    QTRY_VERIFY2_WITH_TIMEOUT(w.taskPanel()->problem().contains(QStringLiteral("bad.tsv:3")), qPrintable(w.taskPanel()->problem()), 30000);
    QVERIFY2(w.taskPanel()->labelSummary().contains(QStringLiteral("bad.tsv:3: expected 2 fields")), qPrintable(w.taskPanel()->labelSummary()));
    QSignalSpy done(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(dir.filePath(QStringLiteral("run"))));
    QVERIFY(done.wait(60000));
    QCOMPARE(done.first().first().toBool(), false);
    auto* bar = w.findChild<QLabel*>(QStringLiteral("messageBar"));
    QVERIFY(bar->isVisible());
    QVERIFY2(bar->text().contains(QStringLiteral("bad.tsv:3")), qPrintable(bar->text()));
    // The user's settings are not lost.
    QCOMPARE(QString::fromStdString(w.document().experiment().task.train), bad);
  }
};

QTEST_MAIN(TestWorkbench)
#include "test_workbench.moc"
