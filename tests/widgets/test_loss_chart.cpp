// LossChart, shown offscreen: points and terms, the smoothing against a hand-computed EMA,
// the log axis, legend clicks that hide a term, stage lines and evaluations, overlays, the
// exports (CSV line by line, PNG decoded, PDF header), throttled replots, and 100,000 points.

#include <QtTest/QtTest>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>
#include <QSlider>
#include <QTemporaryDir>

#include "widgets/charts/custom_plot.h"

#include <cmath>

#include "widgets/charts/loss_chart.h"

using retort::widgets::LossChart;

namespace {

QVector<double> randomValues(int n, quint32 seed) {
  QRandomGenerator rng(seed);
  QVector<double> v;
  for (int i = 0; i < n; ++i) v.append(0.1 + 2.0 * rng.generateDouble());
  return v;
}

QCPGraph* graphNamed(QCustomPlot* plot, const QString& name) {
  for (int i = 0; i < plot->graphCount(); ++i)
    if (plot->graph(i)->name() == name) return plot->graph(i);
  return nullptr;
}

QString num(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

}  // namespace

class TestLossChart : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void countsPointsPerTerm() {
    LossChart chart;
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    for (int s = 1; s <= 7; ++s) chart.addPoint(QStringLiteral("total"), s, 1.0 / s);
    for (int s = 1; s <= 4; ++s) chart.addPoint(QStringLiteral("attention"), s, 0.5 / s);
    chart.addPoint(QStringLiteral("hidden"), 1, 0.2);
    QCOMPARE(chart.terms(), QStringList({QStringLiteral("total"), QStringLiteral("attention"),
                                         QStringLiteral("hidden")}));
    QCOMPARE(chart.pointCount(QStringLiteral("total")), 7);
    QCOMPARE(chart.pointCount(QStringLiteral("attention")), 4);
    QCOMPARE(chart.pointCount(QStringLiteral("hidden")), 1);
    QCOMPARE(chart.pointCount(QStringLiteral("cosine")), 0);
    // The points reach the plot through the timer, without flush().
    QCPGraph* total = graphNamed(chart.plot(), QStringLiteral("total"));
    QVERIFY(total);
    QTRY_COMPARE(total->data()->size(), 7);
    QCOMPARE(chart.displayedPoints(QStringLiteral("total")).last(), QPointF(7.0, 1.0 / 7.0));
  }

  void smoothingIsAnExponentialMovingAverage() {
    LossChart chart;
    chart.show();
    const QVector<double> values = randomValues(200, 7);
    for (int i = 0; i < values.size(); ++i) chart.addPoint(QStringLiteral("total"), 10.0 * i, values[i]);
    QCOMPARE(chart.smoothing(), 0.0);
    QVector<QPointF> shown = chart.displayedPoints(QStringLiteral("total"));
    QCOMPARE(shown.size(), values.size());
    for (int i = 0; i < values.size(); ++i) QCOMPARE(shown[i].y(), values[i]);

    // Moving the slider sets the factor; the curve is recomputed from the raw points.
    auto* slider = chart.findChild<QSlider*>(QStringLiteral("smoothingSlider"));
    QVERIFY(slider);
    slider->setValue(60);
    QCOMPARE(chart.smoothing(), 0.6);
    // Half of the points arrive after the change: both paths must give the same EMA.
    const QVector<double> more = randomValues(50, 8);
    for (int i = 0; i < more.size(); ++i) chart.addPoint(QStringLiteral("total"), 2000.0 + i, more[i]);
    shown = chart.displayedPoints(QStringLiteral("total"));
    const QVector<double> all = values + more;
    QCOMPARE(shown.size(), all.size());
    double ema = all[0];
    for (int i = 0; i < all.size(); ++i) {
      if (i > 0) ema = 0.6 * ema + 0.4 * all[i];
      QVERIFY2(std::abs(shown[i].y() - ema) < 1e-12,
               qPrintable(QStringLiteral("point %1: %2 vs %3").arg(i).arg(shown[i].y()).arg(ema)));
    }
    QVERIFY(std::abs(shown.last().y() - all.last()) > 1e-6);  // smoothing changed something

    chart.setSmoothing(1.5);
    QCOMPARE(chart.smoothing(), 0.99);
    QCOMPARE(slider->value(), 99);
    chart.setSmoothing(-1.0);
    QCOMPARE(chart.smoothing(), 0.0);
    shown = chart.displayedPoints(QStringLiteral("total"));
    QCOMPARE(shown.last().y(), all.last());
  }

  void logScaleToggle() {
    LossChart chart;
    chart.show();
    for (int s = 1; s <= 100; ++s) chart.addPoint(QStringLiteral("total"), s, 10.0 / s);
    chart.flush();
    QVERIFY(!chart.isLogScale());
    QCOMPARE(chart.plot()->yAxis->scaleType(), QCPAxis::stLinear);
    auto* check = chart.findChild<QCheckBox*>(QStringLiteral("logScaleCheck"));
    QVERIFY(check);
    check->setChecked(true);
    QVERIFY(chart.isLogScale());
    QCOMPARE(chart.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(!chart.plot()->yAxis->ticker().dynamicCast<QCPAxisTickerLog>().isNull());
    const QCPRange r = chart.plot()->yAxis->range();
    QVERIFY2(r.lower > 0.0 && r.lower <= 0.1 && r.upper >= 10.0,
             qPrintable(QStringLiteral("%1..%2").arg(r.lower).arg(r.upper)));
    QVERIFY(chart.isFollowingData());
    chart.setLogScale(false);
    QVERIFY(!check->isChecked());
    QCOMPARE(chart.plot()->yAxis->scaleType(), QCPAxis::stLinear);
  }

  void legendClickHidesAndShowsATerm() {
    LossChart chart;
    chart.resize(700, 450);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    for (int s = 1; s <= 20; ++s) {
      chart.addPoint(QStringLiteral("total"), s, 2.0 / s);
      chart.addPoint(QStringLiteral("attention"), s, 1.0 / s);
    }
    chart.flush();
    QCPGraph* attention = graphNamed(chart.plot(), QStringLiteral("attention"));
    QVERIFY(attention);
    QCPPlottableLegendItem* item = chart.plot()->legend->itemWithPlottable(attention);
    QVERIFY(item);
    const QPoint at = item->rect().center();
    QVERIFY(!item->rect().isEmpty());
    QSignalSpy spy(&chart, &LossChart::termVisibilityChanged);
    QTest::mouseClick(chart.plot(), Qt::LeftButton, {}, at);
    QVERIFY(!chart.isTermVisible(QStringLiteral("attention")));
    QVERIFY(!attention->visible());
    QVERIFY(chart.isTermVisible(QStringLiteral("total")));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toString(), QStringLiteral("attention"));
    QCOMPARE(spy[0][1].toBool(), false);
    chart.flush();
    QTest::mouseClick(chart.plot(), Qt::LeftButton, {}, item->rect().center());
    QVERIFY(chart.isTermVisible(QStringLiteral("attention")));
    QCOMPARE(spy.count(), 2);
  }

  void stagesEvaluationsAndOverlays() {
    LossChart chart;
    chart.show();
    for (int s = 1; s <= 50; ++s) chart.addPoint(QStringLiteral("total"), s, 1.0 + 1.0 / s);
    chart.markStage(1, QStringLiteral("intermediate"));
    chart.markStage(30, QStringLiteral("prediction"));
    chart.addEvaluation(25, 0.71);
    chart.addEvaluation(50, 0.84);
    chart.flush();
    QCOMPARE(chart.stageNames(), QStringList({QStringLiteral("intermediate"), QStringLiteral("prediction")}));
    QCOMPARE(chart.plot()->itemCount(), 4);  // a line and a label per stage
    auto* line = qobject_cast<QCPItemStraightLine*>(chart.plot()->item(2));
    QVERIFY(line);
    QCOMPARE(line->point1->coords().x(), 30.0);
    QCOMPARE(chart.evaluationCount(), 2);
    QCPGraph* eval = nullptr;
    for (int i = 0; i < chart.plot()->graphCount(); ++i)
      if (chart.plot()->graph(i)->valueAxis() == chart.plot()->yAxis2) eval = chart.plot()->graph(i);
    QVERIFY(eval);
    QCOMPARE(eval->data()->size(), 2);
    QCOMPARE(eval->data()->at(1)->value, 0.84);

    const int before = chart.plot()->graphCount();
    QMap<QString, QVector<QPointF>> earlier;
    earlier[QStringLiteral("total")] = {{1, 3.0}, {2, 2.5}, {3, 2.2}};
    earlier[QStringLiteral("hidden")] = {{1, 0.5}, {2, 0.4}};
    chart.addOverlayRun(QStringLiteral("run-1"), earlier);
    QCOMPARE(chart.plot()->graphCount(), before + 2);
    chart.addOverlayRun(QStringLiteral("run-1"), earlier);  // replaced, not doubled
    QCOMPARE(chart.plot()->graphCount(), before + 2);
    QCOMPARE(chart.overlayRuns(), QStringList{QStringLiteral("run-1")});
    QCPGraph* overlay = graphNamed(chart.plot(), QStringLiteral("total (run-1)"));
    QVERIFY(overlay);
    QCOMPARE(overlay->pen().style(), Qt::DashLine);
    QVERIFY(overlay->pen().color().alpha() < 255);
    QCOMPARE(overlay->data()->size(), 3);
    QCOMPARE(chart.terms(), QStringList{QStringLiteral("total")});  // overlays are not live terms
    chart.removeOverlayRun(QStringLiteral("run-1"));
    QCOMPARE(chart.plot()->graphCount(), before);
  }

  void zoomStopsFollowingAndResetViewFits() {
    LossChart chart;
    chart.show();
    for (int s = 1; s <= 100; ++s) chart.addPoint(QStringLiteral("total"), s, s * 0.5);
    chart.flush();
    QVERIFY(chart.isFollowingData());
    QVERIFY(chart.plot()->xAxis->range().contains(100.0));
    chart.plot()->xAxis->setRange(10, 20);  // what a wheel zoom does
    QVERIFY(!chart.isFollowingData());
    for (int s = 101; s <= 200; ++s) chart.addPoint(QStringLiteral("total"), s, s * 0.5);
    chart.flush();
    QCOMPARE(chart.plot()->xAxis->range().lower, 10.0);
    QCOMPARE(chart.plot()->xAxis->range().upper, 20.0);
    chart.resetView();
    QVERIFY(chart.isFollowingData());
    QVERIFY(chart.plot()->xAxis->range().contains(1.0));
    QVERIFY(chart.plot()->xAxis->range().contains(200.0));
    QVERIFY(chart.plot()->yAxis->range().contains(100.0));
  }

  void exportsCsvLineByLine() {
    QTemporaryDir dir;
    LossChart chart;
    const QVector<double> total = randomValues(5, 11);
    const QVector<double> attention = randomValues(3, 12);
    for (int i = 0; i < total.size(); ++i) chart.addPoint(QStringLiteral("total"), 100 * (i + 1), total[i]);
    for (int i = 0; i < attention.size(); ++i)
      chart.addPoint(QStringLiteral("attention"), 100 * (i + 1), attention[i]);
    chart.addEvaluation(300, 0.875);
    QMap<QString, QVector<QPointF>> earlier;
    earlier[QStringLiteral("total")] = {{50, 4.25}};
    chart.addOverlayRun(QStringLiteral("old, run"), earlier);
    chart.setSmoothing(0.9);  // the CSV keeps the raw values
    const QString path = dir.filePath(QStringLiteral("curves.csv"));
    QVERIFY2(chart.exportCsv(path), qPrintable(chart.lastError()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QStringList expected{QStringLiteral("step,term,value")};
    for (int i = 0; i < total.size(); ++i)
      expected << QStringLiteral("%1,total,%2").arg(100 * (i + 1)).arg(num(total[i]));
    for (int i = 0; i < attention.size(); ++i)
      expected << QStringLiteral("%1,attention,%2").arg(100 * (i + 1)).arg(num(attention[i]));
    expected << QStringLiteral("300,accuracy,0.875");
    expected << QStringLiteral("50,\"old, run/total\",4.25");
    QCOMPARE(lines.size(), expected.size());
    for (int i = 0; i < lines.size(); ++i) QCOMPARE(lines[i], expected[i]);
    // The numbers read back exactly.
    QCOMPARE(lines[1].section(QLatin1Char(','), 2).toDouble(), total[0]);

    QVERIFY(!chart.exportCsv(dir.filePath(QStringLiteral("missing/dir/curves.csv"))));
    QVERIFY(chart.lastError().contains(QStringLiteral("missing/dir/curves.csv")));
  }

  void exportsPngAndPdf() {
    QTemporaryDir dir;
    LossChart chart;
    chart.resize(640, 420);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    for (int s = 1; s <= 100; ++s) chart.addPoint(QStringLiteral("total"), s, 3.0 / s);
    const QString png = dir.filePath(QStringLiteral("curves.png"));
    QVERIFY2(chart.exportPng(png), qPrintable(chart.lastError()));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), chart.plot()->size());
    // The total's dark curve is in the picture.
    int dark = 0;
    for (int y = 0; y < image.height(); ++y)
      for (int x = 0; x < image.width(); ++x)
        if (qGray(image.pixel(x, y)) < 80) ++dark;
    QVERIFY2(dark > 100, qPrintable(QString::number(dark)));

    const QString pdf = dir.filePath(QStringLiteral("curves.pdf"));
    QVERIFY2(chart.exportPdf(pdf), qPrintable(chart.lastError()));
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(5), QByteArray("%PDF-"));
    QVERIFY(!QFile::exists(pdf + QStringLiteral(".part")));
  }

  void replotsAreCoalesced() {
    LossChart chart;
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QTest::qWait(100);
    const int before = chart.replotCount();
    QElapsedTimer timer;
    timer.start();
    int added = 0, bursts = 0;
    while (timer.elapsed() < 400) {
      for (int i = 0; i < 10; ++i, ++added) chart.addPoint(QStringLiteral("total"), added, 1.0 + (added % 7));
      QTest::qWait(1);
      ++bursts;
    }
    QTest::qWait(150);  // the last queued replot
    const qint64 elapsed = timer.elapsed();
    const int replots = chart.replotCount() - before;
    qInfo("%d points in %d bursts over %lld ms drew %d replots", added, bursts, elapsed, replots);
    QVERIFY(bursts > 40);
    QVERIFY(replots < bursts / 4);
    QVERIFY(replots >= 3);  // the timer keeps drawing during a long burst
    QVERIFY2(replots <= elapsed / 50 + 2, qPrintable(QStringLiteral("%1 replots").arg(replots)));
    QCOMPARE(chart.displayedPoints(QStringLiteral("total")).size(), added);
  }

  void hundredThousandPointsStayFluid() {
    LossChart chart;
    chart.resize(900, 500);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setSmoothing(0.6);
    const QStringList terms{QStringLiteral("total"), QStringLiteral("attention"), QStringLiteral("hidden"),
                            QStringLiteral("embedding")};
    const int batches = 100, perTermPerBatch = 250;  // 100 × 4 × 250 = 100,000 points
    QElapsedTimer timer;
    qint64 slowest = 0;
    qint64 total = 0;
    int step = 0;
    for (int b = 0; b < batches; ++b) {
      timer.start();
      for (int i = 0; i < perTermPerBatch; ++i, ++step)
        for (int t = 0; t < terms.size(); ++t)
          chart.addPoint(terms[t], step, (t + 1) * (1.0 + ((step * 7919 + t * 104729) % 101) / 100.0) /
                                             (1.0 + step * 1e-3));  // noisy, like a raw loss
      chart.flush();  // move into the plot and replot synchronously: the worst case per batch
      const qint64 ms = timer.elapsed();
      slowest = std::max(slowest, ms);
      total += ms;
    }
    int points = 0;
    for (const QString& t : terms) points += chart.pointCount(t);
    QCOMPARE(points, 100000);
    timer.start();
    chart.setSmoothing(0.9);  // recomputes every curve
    chart.flush();
    const qint64 resmooth = timer.elapsed();
    qInfo("100,000 points in %d batches: %lld ms in all, slowest batch + replot %lld ms, "
          "re-smoothing all + replot %lld ms",
          batches, total, slowest, resmooth);
    QVERIFY2(total < 5000, qPrintable(QString::number(total)));
    QVERIFY2(slowest < 300, qPrintable(QString::number(slowest)));
    QVERIFY2(resmooth < 300, qPrintable(QString::number(resmooth)));
  }
};

QTEST_MAIN(TestLossChart)
#include "test_loss_chart.moc"
