// fastDropout: the keep rate, the scaling, the gradient, determinism, eval mode.

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

#include "core/model/dropout.h"

using retort::model::fastDropout;

class TestDropout : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void keepRateAndScale_data() {
    QTest::addColumn<double>("p");
    QTest::newRow("0.1") << 0.1;
    QTest::newRow("0.5") << 0.5;
    QTest::newRow("0.9") << 0.9;
  }

  void keepRateAndScale() {
    QFETCH(double, p);
    torch::manual_seed(1);
    const int64_t n = 1000001;  // odd: the last 31-bit word is half used
    auto x = torch::ones({n});
    auto y = fastDropout(x, p, true);
    const double kept = y.ne(0).sum().item<double>() / double(n);
    const double se = std::sqrt(p * (1 - p) / double(n));
    QVERIFY2(std::abs(kept - (1 - p)) < 4 * se, qPrintable(QString::number(kept)));
    // Kept values are scaled by the exact inverse keep rate of the quantised p.
    const double threshold = std::llround(p * 32768.0);
    const double scale = 32768.0 / (32768.0 - threshold);
    QVERIFY(std::abs(y.max().item<double>() - scale) < 1e-6);
    QVERIFY(std::abs(y.mean().item<double>() - 1.0) < 4 * se * scale);
  }

  void gradientIsTheMask() {
    torch::manual_seed(2);
    auto x = torch::randn({64, 33}, torch::requires_grad());
    auto y = fastDropout(x, 0.3, true);
    y.sum().backward();
    auto expected = torch::where(y.ne(0), torch::full_like(x, 32768.0 / (32768.0 - std::llround(0.3 * 32768))),
                                 torch::zeros_like(x));
    QVERIFY(torch::allclose(x.grad(), expected));
  }

  void deterministicAndEval() {
    auto x = torch::randn({1000});
    torch::manual_seed(5);
    auto a = fastDropout(x, 0.2, true);
    torch::manual_seed(5);
    auto b = fastDropout(x, 0.2, true);
    QVERIFY(torch::equal(a, b));
    QVERIFY(!torch::equal(a, fastDropout(x, 0.2, true)));
    QVERIFY(fastDropout(x, 0.2, false).is_same(x));
    QVERIFY(fastDropout(x, 0.0, true).is_same(x));
    QCOMPARE(fastDropout(x, 1.0, true).abs().sum().item<double>(), 0.0);
  }
};

QTEST_APPLESS_MAIN(TestDropout)
#include "test_dropout.moc"
