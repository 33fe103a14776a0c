// RunController's throttling at the source: steps reported on a training thread reach the
// GUI thread in a few batches (at most ~10 a second), none is lost, the order holds, and an
// evaluation or a stage start delivers the steps before it.

#include <QtTest/QtTest>
#include <QElapsedTimer>
#include <QSignalSpy>

#include <thread>

#include "app/gui/run_controller.h"
#include "widgets/charts/loss_chart.h"

using retort::app::RunController;
using retort::distill::StepMetrics;

namespace {

StepMetrics step(int64_t i) {
  StepMetrics m;
  m.stage = "distill";
  m.step = i;
  m.globalStep = i;
  m.totalSteps = 1000;
  m.total = 1.0 / static_cast<double>(i);
  m.losses["soft_targets"] = 0.5 / static_cast<double>(i);
  return m;
}

}  // namespace

class TestRunController : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void thousandFastStepsArriveInAFewBatches() {
    RunController run;
    retort::widgets::LossChart chart;
    int received = 0;
    int64_t last = 0;
    bool ordered = true;
    connect(&run, &RunController::stepsReported, this, [&](const std::vector<StepMetrics>& steps) {
      for (const auto& m : steps) {
        ordered = ordered && m.globalStep == last + 1;
        last = m.globalStep;
        chart.addPoint(QStringLiteral("total"), static_cast<double>(m.globalStep), m.total);
        for (const auto& [term, value] : m.losses) chart.addPoint(QString::fromStdString(term), static_cast<double>(m.globalStep), value);
      }
      received += static_cast<int>(steps.size());
    });
    QElapsedTimer clock;
    clock.start();
    std::thread trainer([&run] {
      for (int64_t i = 1; i <= 1000; ++i) run.observer().onStep(step(i));
    });
    trainer.join();
    QTRY_COMPARE_WITH_TIMEOUT(received, 1000, 5000);
    QVERIFY(ordered);
    // At most one batch per 100 ms, plus the first.
    const int allowed = 1 + static_cast<int>(clock.elapsed() / RunController::kStepIntervalMs) + 1;
    QVERIFY2(run.stepBatches() <= allowed, qPrintable(QStringLiteral("%1 batches in %2 ms").arg(run.stepBatches()).arg(clock.elapsed())));
    QVERIFY2(run.stepBatches() <= 3, qPrintable(QString::number(run.stepBatches())));
    chart.flush();
    QCOMPARE(chart.pointCount(QStringLiteral("total")), 1000);
    QCOMPARE(chart.pointCount(QStringLiteral("soft_targets")), 1000);
  }

  void slowStepsAreBatchedAtTenHertz() {
    RunController run;
    int received = 0;
    connect(&run, &RunController::stepsReported, this, [&](const std::vector<StepMetrics>& steps) { received += static_cast<int>(steps.size()); });
    std::atomic<bool> done{false};
    std::thread trainer([&] {
      for (int64_t i = 1; i <= 60; ++i) {
        run.observer().onStep(step(i));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      done = true;
    });
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 10000);
    trainer.join();
    QTRY_COMPARE_WITH_TIMEOUT(received, 60, 5000);
    const int allowed = 2 + static_cast<int>(clock.elapsed() / RunController::kStepIntervalMs);
    QVERIFY2(run.stepBatches() <= allowed && run.stepBatches() < 60,
             qPrintable(QStringLiteral("%1 batches in %2 ms").arg(run.stepBatches()).arg(clock.elapsed())));
  }

  void evaluationAndStageStartDeliverTheStepsFirst() {
    RunController run;
    QStringList events;
    connect(&run, &RunController::stepsReported, this,
            [&](const std::vector<StepMetrics>& steps) { events << QStringLiteral("steps %1").arg(steps.size()); });
    connect(&run, &RunController::evaluated, this, [&](const retort::distill::EvalMetrics&) { events << QStringLiteral("eval"); });
    connect(&run, &RunController::stageStarted, this, [&](const QString& name, int, int, qint64) { events << name; });
    std::thread trainer([&run] {
      for (int64_t i = 1; i <= 5; ++i) run.observer().onStep(step(i));
      run.observer().onEval(retort::distill::EvalMetrics{});
      run.observer().onStep(step(6));
      run.observer().onStageStart("prediction", 1, 2, 10);
    });
    trainer.join();
    QTRY_VERIFY2_WITH_TIMEOUT(events.size() == 4, qPrintable(events.join(QStringLiteral(" | "))), 5000);
    QCOMPARE(events, (QStringList{QStringLiteral("steps 5"), QStringLiteral("eval"), QStringLiteral("steps 1"), QStringLiteral("prediction")}));
  }
};

QTEST_MAIN(TestRunController)
#include "test_run_controller.moc"
