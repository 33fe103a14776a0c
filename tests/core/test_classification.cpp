// Accuracy, F1 and Matthews correlation against hand computations.

#include <QtTest/QtTest>

#include <cmath>

#include "core/eval/classification.h"
#include "core/eval/latency.h"
#include "core/util/error.h"
#include "test_util.h"

using retort::eval::scoreClassification;
using namespace retort;

class TestClassification : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void binary() {
    // gold:      1 1 1 0 0 0 0 1
    // predicted: 1 0 1 0 1 0 0 1   -> tp 3, fn 1, fp 1, tn 3
    const auto s = scoreClassification({1, 0, 1, 0, 1, 0, 0, 1}, {1, 1, 1, 0, 0, 0, 0, 1}, 2);
    QVERIFY(s.binary);
    QCOMPARE(s.examples, int64_t(8));
    QCOMPARE(s.accuracy, 6.0 / 8.0);
    QCOMPARE(s.f1, 2.0 * 3 / (2.0 * 3 + 1 + 1));
    QVERIFY(std::abs(s.mcc - (3.0 * 3 - 1.0 * 1) / std::sqrt(4.0 * 4 * 4 * 4)) < 1e-12);
  }

  void degenerateAndMulticlass() {
    const auto allNegative = scoreClassification({0, 0, 0}, {0, 0, 1}, 2);
    QCOMPARE(allNegative.f1, 0.0);
    QCOMPARE(allNegative.mcc, 0.0);  // undefined correlation reported as 0
    const auto three = scoreClassification({0, 1, 2, 2}, {0, 1, 1, 2}, 3);
    QVERIFY(!three.binary);
    QCOMPARE(three.accuracy, 0.75);
    // Multi-class MCC (Gorodkin's R_K) by hand: gold 0,0,1,1,2,2, predicted 0,1,1,1,2,0. Correct
    // c = 4 of s = 6; true counts t = (2,2,2), predicted counts p = (2,3,1):
    // (c·s − Σ p·t) / sqrt((s² − Σ p²)(s² − Σ t²)) = (24 − 12) / sqrt(22 · 24).
    const auto rk = scoreClassification({0, 1, 1, 1, 2, 0}, {0, 0, 1, 1, 2, 2}, 3);
    QVERIFY2(std::abs(rk.mcc - 12.0 / std::sqrt(22.0 * 24.0)) < 1e-12, qPrintable(QString::number(rk.mcc, 'g', 17)));
    QCOMPARE(retort::eval::metricScore(rk, "mcc"), rk.mcc);
    QCOMPARE(retort::eval::metricScore(rk, "f1"), -1.0);  // F1 of class 1 is a two-class figure
    QCOMPARE(retort::eval::metricScore(rk, "accuracy"), rk.accuracy);
    QVERIFY(retort::test::thrownMessage([&] { retort::eval::metricScore(rk, "auc"); })
                .contains(QStringLiteral("unknown metric \"auc\" (accuracy, f1, mcc, pearson, spearman, micro_f1, "
                                         "macro_f1, exact_match, entity_f1, entity_precision, entity_recall)")));
    QVERIFY(retort::test::thrownMessage([] { scoreClassification({0}, {0, 1}, 2); })
                .contains(QStringLiteral("1 predictions for 2 gold labels")));
  }

  void regressionAndMultiLabelScores() {
    // Pearson of (1,2,3,4) and (2,4,5,9): means 2.5 and 5; Σdx·dy = 1.5·3 + 0.5·1 + 0.5·0 + 1.5·4 = 11,
    // Σdx² = 5, Σdy² = 9 + 1 + 0 + 16 = 26 → 11 / sqrt(130). The ranks are equal: Spearman 1.
    const auto r = retort::eval::scoreRegression({1, 2, 3, 4}, {2, 4, 5, 9});
    QCOMPARE(r.kind, std::string("regression"));
    QVERIFY(std::abs(r.pearson - 11.0 / std::sqrt(130.0)) < 1e-12);
    QVERIFY(std::abs(r.spearman - 1.0) < 1e-12);
    QCOMPARE(r.accuracy, -1.0);  // a regression has no accuracy
    QCOMPARE(retort::eval::metricScore(r, "spearman"), r.spearman);
    QCOMPARE(r.examples, int64_t(4));
    // Two rows, three classes: TP 3, FP 1, FN 0 → micro F1 = 6 / 7; per class F1 (1, 0, 1), the
    // class 1 (no gold, one predicted) 0 → macro 2/3; one row exactly right.
    const auto m = retort::eval::scoreMultiLabelTask({{1, 0, 1}, {1, 1, 0}}, {{1, 0, 1}, {1, 0, 0}});
    QVERIFY(std::abs(m.microF1 - 2.0 * 3 / (2.0 * 3 + 1)) < 1e-12);
    QVERIFY(std::abs(m.macroF1 - 2.0 / 3.0) < 1e-12);
    QCOMPARE(m.exactMatch, 0.5);
    QCOMPARE(m.accuracy, 0.5);
    QCOMPARE(retort::eval::metricScore(m, "micro_f1"), m.microF1);
  }

  void tokenTaskScores() {
    // seqeval by hand: gold has PER [0,2) and LOC [3,4) and ORG [0,1) (sentence 2); the
    // prediction gets PER right, LOC wrong (type), misses ORG and adds a MISC.
    const std::vector<std::vector<std::string>> gold = {{"B-PER", "I-PER", "O", "B-LOC"}, {"B-ORG", "O"}};
    const std::vector<std::vector<std::string>> pred = {{"B-PER", "I-PER", "O", "B-ORG"}, {"O", "B-MISC"}};
    const auto s = eval::scoreTokenTask(pred, gold);
    QCOMPARE(s.kind, std::string("token_classification"));
    QCOMPARE(s.examples, int64_t(2));
    QCOMPARE(s.words, int64_t(6));
    QCOMPARE(s.accuracy, 3.0 / 6.0);  // B-PER, I-PER, O right
    QCOMPARE(s.entityPrecision, 1.0 / 3.0);
    QCOMPARE(s.entityRecall, 1.0 / 3.0);
    QCOMPARE(s.entityF1, 1.0 / 3.0);
    QCOMPARE(eval::metricScore(s, "entity_f1"), 1.0 / 3.0);
    QCOMPARE(eval::metricScore(s, "accuracy"), 0.5);
    QVERIFY_EXCEPTION_THROWN(eval::scoreTokenTask({{"O"}}, {{"O", "O"}}), retort::Error);
  }

  void latencySummary() {
    const auto st = retort::eval::summarize({5.0, 1.0, 3.0, 2.0, 4.0, 10.0});
    QCOMPARE(st.runs, 6);
    QCOMPARE(st.minMs, 1.0);
    QCOMPARE(st.medianMs, 3.5);
    QCOMPARE(st.p90Ms, 10.0);
    QCOMPARE(st.meanMs, 25.0 / 6.0);
  }
};

QTEST_APPLESS_MAIN(TestClassification)
#include "test_classification.moc"
