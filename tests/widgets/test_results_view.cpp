// ResultsView and RunHistoryView, shown offscreen: the table's cells as written (in an English
// locale and in German), the student / teacher ratios and the bar heights computed here from
// the raw figures, a run without a dev set ("–", no retention, no accuracy bar), the export
// button's state and signal, and the history's rows, selection, "Show curves" and Compare.

#include <QtTest/QtTest>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTreeWidget>

#include <cmath>

#include "widgets/charts/custom_plot.h"
#include "widgets/results/results_view.h"
#include "widgets/results/run_history.h"

using retort::widgets::ResultsView;
using retort::widgets::RunFigures;
using retort::widgets::RunHistoryView;

namespace {

const QString kDash = QString(QChar(0x2013));  // "–"

// A BERT-base teacher and a 4-layer student, as a summary.json would give them.
RunFigures sampleRun() {
  RunFigures f;
  f.name = QStringLiteral("sst2-tiny");
  f.teacherAccuracy = 0.9123;
  f.studentAccuracy = 0.8871;
  f.teacherParameters = 109483778;
  f.studentParameters = 4386178;
  f.teacherSizeMb = 437.935112;
  f.studentSizeMb = 17.544712;
  f.teacherLatencyMs = 48.37;
  f.studentLatencyMs = 6.21;
  f.teacherLatencyBatchMs = 903.5;
  f.studentLatencyBatchMs = 71.24;
  f.retention = f.studentAccuracy / f.teacherAccuracy;
  f.speedup = f.teacherLatencyMs / f.studentLatencyMs;
  f.speedupBatch = f.teacherLatencyBatchMs / f.studentLatencyBatchMs;
  f.compression = double(f.teacherParameters) / double(f.studentParameters);
  f.typicalLength = 64;
  f.runDirectory = QStringLiteral("/tmp/runs/sst2-tiny");
  return f;
}

// student / teacher as the ratio column writes it, computed here in the English locale.
QString percentOf(double student, double teacher) {
  return QString::number(100.0 * student / teacher, 'f', 1) + QLatin1Char('%');
}

}  // namespace

class TestResultsView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }
  void cleanup() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void emptyView() {
    ResultsView view;
    QVERIFY(!view.hasFigures());
    QCOMPARE(view.table()->objectName(), QStringLiteral("resultsTable"));
    QCOMPARE(view.table()->rowCount(), 5);
    QCOMPARE(view.table()->columnCount(), 3);
    QCOMPARE(view.table()->verticalHeaderItem(0)->text(), QStringLiteral("Accuracy"));
    QCOMPARE(view.table()->verticalHeaderItem(4)->text(), QStringLiteral("Latency batch 32 (ms)"));
    QCOMPARE(view.table()->horizontalHeaderItem(2)->text(), QStringLiteral("Student / teacher"));
    QVERIFY(view.cellText(0, 0).isEmpty());
    QVERIFY(view.findChild<QCustomPlot*>(QStringLiteral("resultsChart")));
    for (double v : view.barValues()) QVERIFY(std::isnan(v));
    auto* exportButton = view.findChild<QPushButton*>(QStringLiteral("exportStudent"));
    QVERIFY(exportButton);
    QVERIFY(!exportButton->isEnabled());
  }

  void tableCells() {
    ResultsView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const RunFigures f = sampleRun();
    view.setFigures(f);
    QVERIFY(view.hasFigures());
    QCOMPARE(view.figures().name, f.name);
    // As written: percentages with one decimal, counts in millions, amounts with one decimal
    // from 10 up and two below.
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::TeacherColumn), QStringLiteral("91.2%"));
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::StudentColumn), QStringLiteral("88.7%"));
    QCOMPARE(view.cellText(ResultsView::ParametersRow, ResultsView::TeacherColumn), QStringLiteral("109.5 M"));
    QCOMPARE(view.cellText(ResultsView::ParametersRow, ResultsView::StudentColumn), QStringLiteral("4.4 M"));
    QCOMPARE(view.cellText(ResultsView::SizeRow, ResultsView::TeacherColumn), QStringLiteral("437.9"));
    QCOMPARE(view.cellText(ResultsView::SizeRow, ResultsView::StudentColumn), QStringLiteral("17.5"));
    QCOMPARE(view.cellText(ResultsView::LatencyRow, ResultsView::TeacherColumn), QStringLiteral("48.4"));
    QCOMPARE(view.cellText(ResultsView::LatencyRow, ResultsView::StudentColumn), QStringLiteral("6.21"));
    QCOMPARE(view.cellText(ResultsView::LatencyBatchRow, ResultsView::TeacherColumn), QStringLiteral("903.5"));
    QCOMPARE(view.cellText(ResultsView::LatencyBatchRow, ResultsView::StudentColumn), QStringLiteral("71.2"));
    // Ratios, student / teacher.
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::RatioColumn), QStringLiteral("97.2%"));
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::RatioColumn),
             percentOf(f.studentAccuracy, f.teacherAccuracy));
    QCOMPARE(view.cellText(ResultsView::ParametersRow, ResultsView::RatioColumn), QStringLiteral("4.0%"));
    QCOMPARE(view.cellText(ResultsView::SizeRow, ResultsView::RatioColumn), percentOf(f.studentSizeMb, f.teacherSizeMb));
    QCOMPARE(view.cellText(ResultsView::LatencyRow, ResultsView::RatioColumn), QStringLiteral("12.8%"));
    QCOMPARE(view.cellText(ResultsView::LatencyBatchRow, ResultsView::RatioColumn),
             percentOf(f.studentLatencyBatchMs, f.teacherLatencyBatchMs));
    QCOMPARE(view.table()->item(ResultsView::ParametersRow, ResultsView::StudentColumn)->toolTip(),
             QStringLiteral("4,386,178"));
    // The lines: 88.71 / 91.23 = 97.24 %, 48.37 / 6.21 = 7.79, 903.5 / 71.24 = 12.68,
    // 109483778 / 4386178 = 24.96.
    QCOMPARE(view.retentionText(), QStringLiteral("Retention: 97.2% of the teacher's accuracy"));
    QCOMPARE(view.speedupText(), QStringLiteral("Speed-up: 7.79× at batch 1, 12.7× at batch 32 (inputs of 64 tokens)"));
    QCOMPARE(view.compressionText(),
             QStringLiteral("Compression: 25.0× (teacher parameters / student parameters)"));
    QCOMPARE(view.findChild<QLabel*>(QStringLiteral("retentionLabel"))->text(), view.retentionText());
    QVERIFY(!view.findChild<QLabel*>(QStringLiteral("resultsNote"))->isVisible());
    QVERIFY(view.findChild<QLabel*>(QStringLiteral("resultsTitle"))->text().contains(f.name));
  }

  void ratiosWithoutTheSummaryFields() {
    // A summary that left the ratios at 0: the lines compute them from the figures.
    RunFigures f = sampleRun();
    f.retention = f.speedup = f.speedupBatch = f.compression = 0;
    f.typicalLength = 0;
    f.studentLatencyBatchMs = 0;  // not measured
    ResultsView view;
    view.setFigures(f);
    QCOMPARE(view.retentionText(), QStringLiteral("Retention: 97.2% of the teacher's accuracy"));
    QCOMPARE(view.speedupText(), QStringLiteral("Speed-up: 7.79× at batch 1, – at batch 32"));
    QCOMPARE(view.compressionText(),
             QStringLiteral("Compression: 25.0× (teacher parameters / student parameters)"));
    QCOMPARE(view.cellText(ResultsView::LatencyBatchRow, ResultsView::StudentColumn), kDash);
    QCOMPARE(view.cellText(ResultsView::LatencyBatchRow, ResultsView::RatioColumn), kDash);
  }

  void barValues() {
    ResultsView view;
    const RunFigures f = sampleRun();
    view.setFigures(f);
    const QVector<double> bars = view.barValues();
    QCOMPARE(bars.size(), 3);
    const double expected[3] = {f.studentAccuracy / f.teacherAccuracy * 100.0,
                                double(f.studentParameters) / double(f.teacherParameters) * 100.0,
                                f.studentLatencyMs / f.teacherLatencyMs * 100.0};
    for (int i = 0; i < 3; ++i) {
      QVERIFY2(std::abs(bars[i] - expected[i]) < 1e-9, qPrintable(QString::number(i)));
      QCOMPARE(view.teacherBarValues()[i], 100.0);
    }
    QVERIFY(std::abs(bars[ResultsView::LatencyBar] - 12.838536) < 1e-5);  // 6.21 / 48.37
    QVERIFY(view.chart()->yAxis->range().upper >= 100.0);
    // A student slower than its teacher gets a bar above 100 and an axis that shows it.
    RunFigures slow = f;
    slow.studentLatencyMs = 2.5 * f.teacherLatencyMs;
    view.setFigures(slow);
    QVERIFY(std::abs(view.barValues()[ResultsView::LatencyBar] - 250.0) < 1e-9);
    QVERIFY(view.chart()->yAxis->range().upper >= 250.0);
    view.clear();
    QVERIFY(!view.hasFigures());
    for (double v : view.barValues()) QVERIFY(std::isnan(v));
    QVERIFY(view.cellText(0, 0).isEmpty());
  }

  void taskMetricHeadsTheTable() {
    // CoLA's MCC: the first row shows it (four decimals), the accuracy goes to the tooltips,
    // and the retention and the first bar are the ratio of the MCCs (0.5123 / 0.6032).
    ResultsView view;
    RunFigures f = sampleRun();
    f.metric = QStringLiteral("mcc");
    f.teacherScore = 0.6032;
    f.studentScore = 0.5123;
    f.retention = 0;  // computed from the scores
    view.setFigures(f);
    QCOMPARE(view.table()->verticalHeaderItem(ResultsView::AccuracyRow)->text(), QStringLiteral("MCC"));
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::TeacherColumn), QStringLiteral("0.6032"));
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::StudentColumn), QStringLiteral("0.5123"));
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::RatioColumn), QStringLiteral("84.9%"));
    QCOMPARE(view.table()->item(ResultsView::AccuracyRow, ResultsView::StudentColumn)->toolTip(),
             QStringLiteral("Accuracy: 88.7%"));
    QCOMPARE(view.retentionText(), QStringLiteral("Retention: 84.9% of the teacher's MCC"));
    QVERIFY(std::abs(view.barValues()[ResultsView::AccuracyBar] - 0.5123 / 0.6032 * 100.0) < 1e-9);
    // A teacher whose MCC is not positive gives no retention.
    f.teacherScore = 0;
    view.setFigures(f);
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::RatioColumn), QStringLiteral("–"));
    QVERIFY(view.retentionText().startsWith(QStringLiteral("Retention: –")));
    // Back to accuracy: the row's name and percentages return.
    view.setFigures(sampleRun());
    QCOMPARE(view.table()->verticalHeaderItem(ResultsView::AccuracyRow)->text(), QStringLiteral("Accuracy"));
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::StudentColumn), QStringLiteral("88.7%"));
  }

  void runWithoutDevSet() {
    RunFigures f = sampleRun();
    f.teacherAccuracy = f.studentAccuracy = -1;
    f.retention = 0;
    ResultsView view;
    view.setFigures(f);
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::TeacherColumn), kDash);
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::StudentColumn), kDash);
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::RatioColumn), kDash);
    QVERIFY(view.retentionText().startsWith(QStringLiteral("Retention: ") + kDash));
    QVERIFY(!view.retentionText().contains(QLatin1Char('%')));
    QVERIFY(std::isnan(view.barValues()[ResultsView::AccuracyBar]));
    QVERIFY(std::isnan(view.teacherBarValues()[ResultsView::AccuracyBar]));
    QVERIFY(!std::isnan(view.barValues()[ResultsView::ParametersBar]));
    // The other figures are still there.
    QCOMPARE(view.cellText(ResultsView::LatencyRow, ResultsView::StudentColumn), QStringLiteral("6.21"));
  }

  void cancelledRunShowsANote() {
    RunFigures f = sampleRun();
    f.cancelled = true;
    ResultsView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFigures(f);
    auto* note = view.findChild<QLabel*>(QStringLiteral("resultsNote"));
    QVERIFY(note->isVisible());
    QVERIFY(note->text().contains(QStringLiteral("stopped early")));
  }

  void germanLocale() {
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    ResultsView view;
    view.setFigures(sampleRun());
    QCOMPARE(view.cellText(ResultsView::AccuracyRow, ResultsView::TeacherColumn), QStringLiteral("91,2%"));
    QCOMPARE(view.cellText(ResultsView::SizeRow, ResultsView::TeacherColumn), QStringLiteral("437,9"));
    QCOMPARE(view.cellText(ResultsView::ParametersRow, ResultsView::TeacherColumn), QStringLiteral("109,5 M"));
  }

  void exportButton() {
    ResultsView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* button = view.findChild<QPushButton*>(QStringLiteral("exportStudent"));
    QVERIFY(button);
    QSignalSpy spy(&view, &ResultsView::exportRequested);
    RunFigures f = sampleRun();
    f.runDirectory.clear();
    view.setFigures(f);
    QVERIFY(!button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 0);
    f.runDirectory = QStringLiteral("/tmp/runs/a");
    view.setFigures(f);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(view.figures().runDirectory, QStringLiteral("/tmp/runs/a"));
    view.clear();
    QVERIFY(!button->isEnabled());
  }

  void historyRows() {
    RunHistoryView history;
    QTreeWidget* tree = history.tree();
    QCOMPARE(tree->objectName(), QStringLiteral("runHistory"));
    QCOMPARE(tree->topLevelItemCount(), 0);
    RunFigures a = sampleRun();
    a.finishedAt = QDateTime(QDate(2024, 5, 17), QTime(14, 30));
    RunFigures b = sampleRun();
    b.name = QStringLiteral("no-dev");
    b.teacherAccuracy = b.studentAccuracy = -1;
    b.retention = 0;
    b.cancelled = true;
    RunFigures c = sampleRun();
    c.name = QStringLiteral("wide");
    c.studentAccuracy = 0.9012;
    c.retention = 0;  // computed from the accuracies
    c.studentParameters = 14350000;
    c.compression = double(c.teacherParameters) / double(c.studentParameters);
    c.speedup = 3.5;
    history.setRuns({a, b, c}, {QStringLiteral("student 4×312, 2 stages"), QStringLiteral("student 2×128, 1 stage")});
    QCOMPARE(history.runCount(), 3);
    QCOMPARE(tree->topLevelItemCount(), 3);
    QCOMPARE(history.cellText(0, RunHistoryView::NameColumn), QStringLiteral("sst2-tiny"));
    QCOMPARE(history.cellText(0, RunHistoryView::DateColumn),
             QLocale().toString(a.finishedAt, QLocale::ShortFormat));
    QVERIFY(history.cellText(0, RunHistoryView::DateColumn).contains(QStringLiteral("17")));  // the day
    QCOMPARE(history.cellText(1, RunHistoryView::DateColumn), kDash);
    QCOMPARE(history.cellText(0, RunHistoryView::SettingsColumn), QStringLiteral("student 4×312, 2 stages"));
    QCOMPARE(history.cellText(1, RunHistoryView::SettingsColumn), QStringLiteral("student 2×128, 1 stage"));
    QCOMPARE(history.cellText(2, RunHistoryView::SettingsColumn), QString());  // settings was shorter
    QCOMPARE(history.cellText(0, RunHistoryView::AccuracyColumn), QStringLiteral("88.7%"));
    QCOMPARE(history.cellText(0, RunHistoryView::RetentionColumn), QStringLiteral("97.2%"));
    QCOMPARE(history.cellText(0, RunHistoryView::SpeedupColumn), QStringLiteral("7.79×"));
    QCOMPARE(history.cellText(0, RunHistoryView::CompressionColumn), QStringLiteral("25.0×"));
    QVERIFY(history.cellText(1, RunHistoryView::NameColumn).startsWith(QStringLiteral("no-dev")));
    QVERIFY(history.cellText(1, RunHistoryView::NameColumn).contains(QStringLiteral("stopped")));
    QCOMPARE(history.cellText(1, RunHistoryView::AccuracyColumn), kDash);
    QCOMPARE(history.cellText(1, RunHistoryView::RetentionColumn), kDash);
    QCOMPARE(history.cellText(2, RunHistoryView::AccuracyColumn), QStringLiteral("90.1%"));
    QCOMPARE(history.cellText(2, RunHistoryView::RetentionColumn), percentOf(c.studentAccuracy, c.teacherAccuracy));
    QCOMPARE(history.cellText(2, RunHistoryView::SpeedupColumn), QStringLiteral("3.50×"));
    QCOMPARE(history.cellText(2, RunHistoryView::CompressionColumn), QStringLiteral("7.63×"));  // 109483778 / 14350000
    QCOMPARE(history.run(2).name, QStringLiteral("wide"));
    QCOMPARE(history.settings(0), QStringLiteral("student 4×312, 2 stages"));

    QCOMPARE(history.addRun(sampleRun(), QStringLiteral("student 6×384")), 3);
    QCOMPARE(tree->topLevelItemCount(), 4);
    QCOMPARE(history.cellText(3, RunHistoryView::SettingsColumn), QStringLiteral("student 6×384"));
    history.clear();
    QCOMPARE(tree->topLevelItemCount(), 0);
    QCOMPARE(history.runCount(), 0);
  }

  void historySelectionAndCurves() {
    RunHistoryView history;
    history.show();
    QVERIFY(QTest::qWaitForWindowExposed(&history));
    RunFigures a = sampleRun(), b = sampleRun(), c = sampleRun();
    b.name = QStringLiteral("b");
    c.name = QStringLiteral("c");
    QSignalSpy selected(&history, &RunHistoryView::runSelected);
    QSignalSpy curves(&history, &RunHistoryView::showCurvesRequested);
    history.setRuns({a, b, c}, {});
    QCOMPARE(selected.count(), 0);  // filling emits nothing
    QCOMPARE(history.currentIndex(), -1);
    auto* show = history.findChild<QPushButton*>(QStringLiteral("showCurves"));
    QVERIFY(show);
    QVERIFY(!show->isEnabled());

    // A click on the second row.
    QTreeWidget* tree = history.tree();
    const QRect rect = tree->visualItemRect(tree->topLevelItem(1));
    QVERIFY(rect.isValid());
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, Qt::NoModifier,
                      QPoint(tree->columnViewportPosition(RunHistoryView::NameColumn) + 4, rect.center().y()));
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.last().at(0).toInt(), 1);
    QCOMPARE(history.currentIndex(), 1);
    QVERIFY(show->isEnabled());
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(curves.count(), 1);
    QCOMPARE(curves.last().at(0).toInt(), 1);

    history.setCurrentIndex(2);
    QCOMPARE(selected.count(), 2);
    QCOMPARE(selected.last().at(0).toInt(), 2);
    history.setCurrentIndex(2);  // no change, no signal
    QCOMPARE(selected.count(), 2);
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(curves.last().at(0).toInt(), 2);
    history.setCurrentIndex(-1);
    QCOMPARE(selected.count(), 3);
    QCOMPARE(selected.last().at(0).toInt(), -1);
    QVERIFY(!show->isEnabled());

    // Adding a run keeps the selection and says nothing.
    history.setCurrentIndex(0);
    const int before = selected.count();
    history.addRun(sampleRun(), QString());
    QCOMPARE(history.currentIndex(), 0);
    QCOMPARE(selected.count(), before);
  }

  void historyCompare() {
    RunHistoryView history;
    history.show();
    QVERIFY(QTest::qWaitForWindowExposed(&history));
    history.setRuns({sampleRun(), sampleRun(), sampleRun()}, {});
    QSignalSpy toggled(&history, &RunHistoryView::compareToggled);
    QTreeWidget* tree = history.tree();
    QTreeWidgetItem* item = tree->topLevelItem(2);
    QVERIFY(item->flags() & Qt::ItemIsUserCheckable);
    QCOMPARE(item->checkState(RunHistoryView::CompareColumn), Qt::Unchecked);
    // What a click on the check box does.
    item->setCheckState(RunHistoryView::CompareColumn, Qt::Checked);
    QCOMPARE(toggled.count(), 1);
    QCOMPARE(toggled.last().at(0).toInt(), 2);
    QCOMPARE(toggled.last().at(1).toBool(), true);
    QVERIFY(history.isCompared(2));
    history.setCompared(0, true);
    QCOMPARE(toggled.count(), 2);
    QCOMPARE(toggled.last().at(0).toInt(), 0);
    QCOMPARE(history.comparedRuns(), (QList<int>{0, 2}));
    history.setCompared(0, true);  // no change, no signal
    QCOMPARE(toggled.count(), 2);
    history.setCompared(2, false);
    QCOMPARE(toggled.count(), 3);
    QCOMPARE(toggled.last().at(0).toInt(), 2);
    QCOMPARE(toggled.last().at(1).toBool(), false);
    QCOMPARE(history.comparedRuns(), (QList<int>{0}));
    // Ticks survive an added run, and a language change refills the texts only.
    history.addRun(sampleRun(), QString());
    QCOMPARE(history.comparedRuns(), (QList<int>{0}));
    QEvent change(QEvent::LanguageChange);
    QApplication::sendEvent(&history, &change);
    QCOMPARE(history.comparedRuns(), (QList<int>{0}));
    QCOMPARE(toggled.count(), 3);
    QCOMPARE(history.cellText(3, RunHistoryView::CompressionColumn), QStringLiteral("25.0×"));
  }
};

QTEST_MAIN(TestResultsView)
#include "test_results_view.moc"
