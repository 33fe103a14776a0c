// LossWeightsPanel, shown offscreen: every slider and its spin box stay in step both ways,
// typed values and out-of-range values, setWeights/weights round trips, the soft-target kind,
// the weightsChanged signal, and an explanation (tooltip and What's This) on every row.

#include <QtTest/QtTest>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QRandomGenerator>
#include <QSlider>

#include <cmath>

#include "widgets/losses/loss_weights_panel.h"

using retort::widgets::LossWeights;
using retort::widgets::LossWeightsPanel;

class TestLossWeightsPanel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void slidersAndSpinBoxesStayInStep() {
    LossWeightsPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy spy(&panel, &LossWeightsPanel::weightsChanged);
    QRandomGenerator rng(5);
    for (const QString& key : LossWeightsPanel::keys()) {
      QSlider* slider = panel.slider(key);
      QDoubleSpinBox* spin = panel.spinBox(key);
      QVERIFY2(slider && spin, qPrintable(key));
      QCOMPARE(spin->decimals(), 2);
      QCOMPARE(spin->maximum() * 100, double(slider->maximum()));
      QCOMPARE(spin->minimum() * 100, double(slider->minimum()));
      // Slider -> spin box.
      int ticks = slider->minimum() + static_cast<int>(rng.bounded(slider->maximum() - slider->minimum()));
      if (ticks == slider->value()) ++ticks;  // a real change
      const int before = spy.count();
      slider->setValue(ticks);
      QCOMPARE(spin->value(), ticks / 100.0);
      QCOMPARE(spy.count(), before + 1);
      // Spin box -> slider.
      const double v = std::round((spin->minimum() + rng.generateDouble() * (spin->maximum() - spin->minimum())) * 100) / 100;
      spin->setValue(v);
      QCOMPARE(slider->value(), static_cast<int>(std::lround(v * 100)));
    }
    // The weights follow the controls.
    panel.slider(QStringLiteral("attention"))->setValue(70);
    QCOMPARE(panel.weights().attention, 0.7);
    panel.spinBox(QStringLiteral("temperature"))->setValue(2.5);
    QCOMPARE(panel.slider(QStringLiteral("temperature"))->value(), 250);
    QCOMPARE(panel.weights().temperature, 2.5);
  }

  void typedAndOutOfRangeValues() {
    LossWeightsPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QDoubleSpinBox* spin = panel.spinBox(QStringLiteral("hidden"));
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, QLocale().toString(4.37, 'f', 2));
    QTest::keyClick(spin, Qt::Key_Return);
    QCOMPARE(spin->value(), 4.37);
    QCOMPARE(panel.slider(QStringLiteral("hidden"))->value(), 437);
    QCOMPARE(panel.weights().hidden, 4.37);
    spin->setValue(12.0);  // clamped to 10
    QCOMPARE(panel.slider(QStringLiteral("hidden"))->value(), 1000);
    QCOMPARE(panel.weights().hidden, 10.0);
    spin->setValue(0.123);  // rounded to 0.01
    QCOMPARE(panel.weights().hidden, 0.12);
    QCOMPARE(panel.slider(QStringLiteral("hidden"))->value(), 12);
    panel.spinBox(QStringLiteral("temperature"))->setValue(0.0);  // temperature stays positive
    QVERIFY(panel.weights().temperature > 0.0);
  }

  void setWeightsRoundTrip() {
    LossWeightsPanel panel;
    QSignalSpy spy(&panel, &LossWeightsPanel::weightsChanged);
    QRandomGenerator rng(9);
    auto grid = [&rng](double max) { return rng.bounded(static_cast<int>(max * 100) + 1) / 100.0; };
    LossWeights w;
    w.softTargets = grid(10);
    w.hardLabels = grid(10);
    w.logitMse = grid(10);
    w.cosine = grid(10);
    w.mlm = grid(10);
    w.attention = grid(10);
    w.hidden = grid(10);
    w.embedding = grid(10);
    w.temperature = 0.1 + grid(19);
    w.temperature = std::round(w.temperature * 100) / 100;
    w.softKind = QStringLiteral("ce");
    panel.setWeights(w);
    QCOMPARE(spy.count(), 1);  // once, not once per row
    const LossWeights back = panel.weights();
    QCOMPARE(back.softTargets, w.softTargets);
    QCOMPARE(back.hardLabels, w.hardLabels);
    QCOMPARE(back.logitMse, w.logitMse);
    QCOMPARE(back.cosine, w.cosine);
    QCOMPARE(back.mlm, w.mlm);
    QCOMPARE(back.attention, w.attention);
    QCOMPARE(back.hidden, w.hidden);
    QCOMPARE(back.embedding, w.embedding);
    QCOMPARE(back.temperature, w.temperature);
    QCOMPARE(back.softKind, QStringLiteral("ce"));
    QVERIFY(back == w);
    QCOMPARE(panel.slider(QStringLiteral("mlm"))->value(), static_cast<int>(std::lround(w.mlm * 100)));
    QCOMPARE(panel.softKindCombo()->currentData().toString(), QStringLiteral("ce"));
    panel.setWeights(w);  // nothing changed: no signal
    QCOMPARE(spy.count(), 1);
    panel.softKindCombo()->setCurrentIndex(panel.softKindCombo()->findData(QStringLiteral("kl")));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(panel.weights().softKind, QStringLiteral("kl"));
    LossWeights defaults;
    panel.setWeights(defaults);
    QVERIFY(panel.weights() == defaults);
  }

  void everyRowExplainsItsTerm() {
    LossWeightsPanel panel;
    for (const QString& key : LossWeightsPanel::keys()) {
      const QString text = panel.explanation(key);
      QVERIFY2(text.size() > 40, qPrintable(key));
      QCOMPARE(panel.slider(key)->toolTip(), text);
      QCOMPARE(panel.slider(key)->whatsThis(), text);
      QCOMPARE(panel.spinBox(key)->toolTip(), text);
      QCOMPARE(panel.spinBox(key)->whatsThis(), text);
    }
    QCOMPARE(panel.explanation(QStringLiteral("attention")),
             QStringLiteral("Attention: mean squared error between the student's and the teacher's pre-softmax "
                            "attention scores of each mapped layer pair (TinyBERT)."));
    QVERIFY(panel.explanation(QStringLiteral("temperature")).contains(QStringLiteral("DistilBERT uses 2")));
    QVERIFY(!panel.softKindCombo()->whatsThis().isEmpty());
    QVERIFY(panel.explanation(QStringLiteral("nonsense")).isEmpty());
    QVERIFY(!panel.slider(QStringLiteral("nonsense")));
  }
};

QTEST_MAIN(TestLossWeightsPanel)
#include "test_loss_weights_panel.moc"
