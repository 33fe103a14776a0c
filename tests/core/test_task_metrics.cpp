// Correlations, multi-class MCC, multi-label F1 and seqeval-style entity scores: hand
// computations, edge cases and the reference fixture made by
// tests/fixtures/metrics/make_metrics_fixture.py (an independent, exact Python implementation).

#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/eval/task_metrics.h"
#include "core/util/error.h"
#include "test_util.h"

using namespace retort::eval;
using nlohmann::json;
using retort::test::thrownMessage;

namespace {

/// |a - b| <= 1e-12 * max(|a|, |b|); exact zeros must match exactly.
bool closeRelative(double a, double b) {
  return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
}

QString describe(const std::string& what, double actual, double expected) {
  return QString::fromStdString(what) + QStringLiteral(": got %1, expected %2")
                                            .arg(actual, 0, 'g', 17)
                                            .arg(expected, 0, 'g', 17);
}

#define QVERIFY_CLOSE(what, actual, expected) \
  QVERIFY2(closeRelative((actual), (expected)), qPrintable(describe((what), (actual), (expected))))

json loadReference() {
  std::ifstream in(retort::test::fixture("metrics/metrics_reference.json"));
  if (!in) throw std::runtime_error("metrics_reference.json not found");
  return json::parse(in);
}

std::vector<std::vector<std::string>> split(const std::vector<std::string>& sentences) {
  std::vector<std::vector<std::string>> out;
  for (const auto& s : sentences) {
    std::vector<std::string> tags;
    std::string tag;
    for (char c : s) {
      if (c == ' ') {
        tags.push_back(tag);
        tag.clear();
      } else {
        tag += c;
      }
    }
    if (!tag.empty()) tags.push_back(tag);
    out.push_back(tags);
  }
  return out;
}

std::vector<Entity> entities(const std::string& sentence) { return entitiesOf(split({sentence}).front()); }

}  // namespace

namespace QTest {
template <>
char* toString(const std::vector<Entity>& v) {
  std::string s = "[";
  for (const auto& e : v)
    s += "(" + e.type + " " + std::to_string(e.begin) + ".." + std::to_string(e.end) + ")";
  return qstrdup((s + "]").c_str());
}
}  // namespace QTest

class TestTaskMetrics : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void pearsonByHand() {
    // x = 1 2 3 (mean 2), y = 2 4 7 (mean 13/3): dx = -1 0 1, dy = -7/3 -1/3 8/3
    // sxy = 7/3 + 8/3 = 5, sxx = 2, syy = (49 + 1 + 64)/9 = 38/3  ->  r = 5 / sqrt(76/3)
    QVERIFY_CLOSE("pearson", pearson({1, 2, 3}, {2, 4, 7}), 5.0 / std::sqrt(76.0 / 3.0));
    QCOMPARE(pearson({1, 2, 3}, {6, 4, 2}), -1.0);
    QCOMPARE(pearson({0.5, 1.5}, {10, 20}), 1.0);
  }

  void pearsonEdges() {
    QCOMPARE(pearson({}, {}), 0.0);
    QCOMPARE(pearson({3}, {4}), 0.0);                       // fewer than 2 values
    QCOMPARE(pearson({1, 2, 3}, {5, 5, 5}), 0.0);           // zero variance of y
    QCOMPARE(pearson({0.1, 0.1, 0.1}, {1, 2, 3}), 0.0);     // constant, though the mean rounds
    QVERIFY(std::isnan(pearson({1, std::nan(""), 3}, {1, 2, 3})));
    QVERIFY(std::isnan(pearson({1, 2, 3}, {1, std::numeric_limits<double>::infinity(), 3})));
    // Far from zero: the two-pass method keeps the correlation exact.
    QCOMPARE(pearson({1e9 + 1, 1e9 + 2, 1e9 + 3}, {5, 6, 7}), 1.0);
    const QString msg = thrownMessage([] { pearson({1, 2, 3}, {1, 2}); });
    QVERIFY2(msg.contains(QStringLiteral("pearson: 3 x values for 2 y values")), qPrintable(msg));
    try {
      pearson({1}, {});
      QFAIL("no exception");
    } catch (const retort::Error& e) {
      QCOMPARE(e.kind(), retort::ErrorKind::InvalidArgument);
    }
  }

  void spearmanByHand() {
    // x = 1 2 2 3 -> ranks 1 2.5 2.5 4; y = 10 30 20 40 -> ranks 1 3 2 4.
    // dx = -1.5 0 0 1.5, dy = -1.5 0.5 -0.5 1.5: sxy = 4.5, sxx = 4.5, syy = 5 -> r = 4.5 / sqrt(22.5)
    QVERIFY_CLOSE("spearman ties", spearman({1, 2, 2, 3}, {10, 30, 20, 40}), 4.5 / std::sqrt(22.5));
    // A monotone, non-linear relation has rank correlation 1.
    QCOMPARE(spearman({1, 2, 3, 4}, {1, 8, 27, 1000}), 1.0);
    QCOMPARE(spearman({1, 2, 3, 4}, {9, 3, 2, -5}), -1.0);
    // Infinities rank as the extremes.
    const double inf = std::numeric_limits<double>::infinity();
    QCOMPARE(spearman({-inf, 0, inf}, {1, 2, 3}), 1.0);
  }

  void spearmanEdges() {
    QCOMPARE(spearman({}, {}), 0.0);
    QCOMPARE(spearman({1}, {2}), 0.0);
    QCOMPARE(spearman({2, 2, 2}, {1, 2, 3}), 0.0);  // all tied: zero rank variance
    QVERIFY(thrownMessage([] { spearman({1, 2}, {1, 2, 3}); })
                .contains(QStringLiteral("spearman: 2 x values for 3 y values")));
    const QString msg = thrownMessage([] { spearman({1, 2, 3}, {1, std::nan(""), 3}); });
    QVERIFY2(msg.contains(QStringLiteral("NaN at position 1")), qPrintable(msg));
  }

  void matthewsByHand() {
    // gold      0 0 0 1 1 1 2 2 2 2
    // predicted 0 0 1 1 1 2 2 2 2 0
    // confusion (rows gold): [2 1 0; 0 2 1; 1 0 3]; t = (3,3,4), p = (3,3,4), c = 7, s = 10
    // cov(t,p) = 7*10 - (9+9+16) = 36, cov(p,p) = cov(t,t) = 100 - 34 = 66 -> 36/66
    const double mcc = matthews({0, 0, 1, 1, 1, 2, 2, 2, 2, 0}, {0, 0, 0, 1, 1, 1, 2, 2, 2, 2}, 3);
    QVERIFY_CLOSE("mcc", mcc, 36.0 / 66.0);
    // Two classes: the binary MCC (tp 3, tn 3, fp 1, fn 1 -> 8 / 16).
    QVERIFY_CLOSE("binary mcc", matthews({1, 0, 1, 0, 1, 0, 0, 1}, {1, 1, 1, 0, 0, 0, 0, 1}, 2), 0.5);
    QCOMPARE(matthews({2, 0, 1}, {2, 0, 1}, 3), 1.0);
  }

  void matthewsEdges() {
    QCOMPARE(matthews({}, {}, 3), 0.0);
    QCOMPARE(matthews({1, 1, 1}, {0, 1, 2}, 3), 0.0);  // one predicted class: denominator 0
    QCOMPARE(matthews({0, 1, 2}, {2, 2, 2}, 3), 0.0);  // one gold class
    QCOMPARE(matthews({0, 0}, {0, 0}, 1), 0.0);
    QVERIFY(thrownMessage([] { matthews({0, 1}, {0}, 2); })
                .contains(QStringLiteral("matthews: 2 predictions for 1 gold labels")));
    QVERIFY(thrownMessage([] { matthews({0, 3}, {0, 1}, 3); })
                .contains(QStringLiteral("prediction 3 at position 1 is outside [0, 3)")));
    QVERIFY(thrownMessage([] { matthews({0}, {-1}, 3); })
                .contains(QStringLiteral("gold label -1 at position 0")));
    QVERIFY(thrownMessage([] { matthews({}, {}, 0); }).contains(QStringLiteral("at least 1, got 0")));
  }

  void multiLabelByHand() {
    // label:        0 1 2
    // gold      r0: 1 0 1   r1: 0 1 0   r2: 1 1 0   r3: 0 0 0
    // predicted r0: 1 0 1   r1: 1 1 0   r2: 1 0 0   r3: 0 0 0
    // label 0: tp 2 fp 1 fn 0 -> 4/5; label 1: tp 1 fp 0 fn 1 -> 2/3; label 2: tp 1 -> 1
    // micro: tp 4 fp 1 fn 1 -> 8/10; exact rows r0, r3 -> 2/4
    const auto s = scoreMultiLabel({{1, 0, 1}, {1, 1, 0}, {1, 0, 0}, {0, 0, 0}},
                                   {{1, 0, 1}, {0, 1, 0}, {1, 1, 0}, {0, 0, 0}});
    QCOMPARE(s.examples, int64_t(4));
    QVERIFY_CLOSE("macro", s.macroF1, (0.8 + 2.0 / 3.0 + 1.0) / 3.0);
    QVERIFY_CLOSE("micro", s.microF1, 0.8);
    QCOMPARE(s.exactMatch, 0.5);
    // A label never positive on either side counts as F1 0 in the macro mean.
    const auto empty = scoreMultiLabel({{1, 0}, {0, 0}}, {{1, 0}, {0, 0}});
    QCOMPARE(empty.microF1, 1.0);
    QCOMPARE(empty.macroF1, 0.5);
    QCOMPARE(empty.exactMatch, 1.0);
  }

  void multiLabelEdges() {
    const auto none = scoreMultiLabel({}, {});
    QCOMPARE(none.examples, int64_t(0));
    QCOMPARE(none.microF1, 0.0);
    QCOMPARE(none.macroF1, 0.0);
    QCOMPARE(none.exactMatch, 0.0);
    const auto allNegative = scoreMultiLabel({{0, 0}, {0, 0}}, {{0, 0}, {0, 0}});
    QCOMPARE(allNegative.microF1, 0.0);  // TP + FP + FN = 0
    QCOMPARE(allNegative.macroF1, 0.0);
    QCOMPARE(allNegative.exactMatch, 1.0);
    QVERIFY(thrownMessage([] { scoreMultiLabel({{1}}, {{1}, {0}}); })
                .contains(QStringLiteral("1 predicted rows for 2 gold rows")));
    const QString ragged = thrownMessage([] { scoreMultiLabel({{1, 0}, {1, 0, 0}}, {{1, 0}, {0, 1}}); });
    QVERIFY2(ragged.contains(QStringLiteral("predicted row 1 has 3 labels, expected 2")), qPrintable(ragged));
    QVERIFY(thrownMessage([] { scoreMultiLabel({{1, 0}, {1, 0}}, {{1, 0}, {0}}); })
                .contains(QStringLiteral("gold row 1 has 1 labels, expected 2")));
    QVERIFY(thrownMessage([] { scoreMultiLabel({{1, 2}}, {{1, 0}}); })
                .contains(QStringLiteral("predicted row 0, label 1 is 2, not 0 or 1")));
  }

  void entityExtraction() {
    using V = std::vector<Entity>;
    QCOMPARE(entities("B-PER I-PER O B-LOC"), (V{{"PER", 0, 2}, {"LOC", 3, 4}}));
    QCOMPARE(entities("I-PER I-PER O"), (V{{"PER", 0, 2}}));         // I- at sentence start opens one
    QCOMPARE(entities("O I-PER I-PER"), (V{{"PER", 1, 3}}));         // I- after O opens one
    QCOMPARE(entities("B-PER I-LOC"), (V{{"PER", 0, 1}, {"LOC", 1, 2}}));  // type change splits
    QCOMPARE(entities("B-PER B-PER"), (V{{"PER", 0, 1}, {"PER", 1, 2}}));  // adjacent B- are two
    QCOMPARE(entities("B-ORG I-ORG I-PER I-PER B-PER"),
             (V{{"ORG", 0, 2}, {"PER", 2, 4}, {"PER", 4, 5}}));
    // E- closes, S- is a single-tag entity; E- after O and I- after E- open new ones.
    QCOMPARE(entities("B-LOC E-LOC S-PER E-PER I-PER"),
             (V{{"LOC", 0, 2}, {"PER", 2, 3}, {"PER", 3, 4}, {"PER", 4, 5}}));
    QCOMPARE(entities("O E-ORG O"), (V{{"ORG", 1, 2}}));
    QCOMPARE(entities("O O"), V{});
    QCOMPARE(entitiesOf({}), V{});
    QVERIFY(thrownMessage([] { entitiesOf({"B-PER", ""}); })
                .contains(QStringLiteral("empty tag at position 1")));
  }

  void entityScoresByHand() {
    // seqeval's docstring example: gold MISC 3..5, PER 0..1; predicted MISC 2..5, PER 0..1.
    const auto s = scoreEntities(split({"O O B-MISC I-MISC I-MISC I-MISC O", "B-PER I-PER O"}),
                                 split({"O O O B-MISC I-MISC I-MISC O", "B-PER I-PER O"}));
    QCOMPARE(s.predictedEntities, int64_t(2));
    QCOMPARE(s.goldEntities, int64_t(2));
    QCOMPARE(s.correctEntities, int64_t(1));
    QCOMPARE(s.precision, 0.5);
    QCOMPARE(s.recall, 0.5);
    QCOMPARE(s.f1, 0.5);
    // An entity at the end of one sentence does not continue into the next.
    const auto split2 = scoreEntities(split({"O B-PER", "I-PER O"}), split({"O B-PER", "I-PER O"}));
    QCOMPARE(split2.goldEntities, int64_t(2));
    QCOMPARE(split2.f1, 1.0);
    // Predicted 3, gold 2, correct 1: P = 1/3, R = 1/2, F = 2/5.
    const auto t = scoreEntities(split({"B-PER O B-LOC B-ORG"}), split({"B-PER O I-ORG O"}));
    QCOMPARE(t.correctEntities, int64_t(1));
    QVERIFY_CLOSE("precision", t.precision, 1.0 / 3.0);
    QVERIFY_CLOSE("recall", t.recall, 0.5);
    QVERIFY_CLOSE("f1", t.f1, 0.4);
  }

  void entityScoreEdges() {
    const auto none = scoreEntities({}, {});
    QCOMPARE(none.precision, 0.0);
    QCOMPARE(none.recall, 0.0);
    QCOMPARE(none.f1, 0.0);
    const auto noPredicted = scoreEntities(split({"O O"}), split({"B-PER O"}));
    QCOMPARE(noPredicted.goldEntities, int64_t(1));
    QCOMPARE(noPredicted.precision, 0.0);
    QCOMPARE(noPredicted.recall, 0.0);
    QCOMPARE(noPredicted.f1, 0.0);
    QVERIFY(thrownMessage([] { scoreEntities(split({"O", "O"}), split({"O"})); })
                .contains(QStringLiteral("2 predicted sentences for 1 gold sentences")));
    const QString msg = thrownMessage([] { scoreEntities(split({"O", "O B-PER"}), split({"O", "O"})); });
    QVERIFY2(msg.contains(QStringLiteral("sentence 1 has 2 predicted tags for 1 gold tags")),
             qPrintable(msg));
    QVERIFY(thrownMessage([] { scoreEntities({{"O"}, {"O", ""}}, {{"O"}, {"O", "O"}}); })
                .contains(QStringLiteral("predicted sentence 1, position 1")));
  }

  void referenceCorrelations() {
    const json ref = loadReference();
    QVERIFY(ref.at("correlation").size() >= 5);
    for (const auto& c : ref.at("correlation")) {
      const auto name = c.at("name").get<std::string>();
      const auto x = c.at("x").get<std::vector<double>>();
      const auto y = c.at("y").get<std::vector<double>>();
      QVERIFY_CLOSE(name + " pearson", pearson(x, y), c.at("pearson").get<double>());
      QVERIFY_CLOSE(name + " spearman", spearman(x, y), c.at("spearman").get<double>());
    }
  }

  void referenceMatthews() {
    const json ref = loadReference();
    QVERIFY(ref.at("matthews").size() >= 3);
    for (const auto& c : ref.at("matthews")) {
      const auto predicted = c.at("predicted").get<std::vector<int64_t>>();
      const auto gold = c.at("gold").get<std::vector<int64_t>>();
      const double mcc = matthews(predicted, gold, c.at("num_classes").get<int64_t>());
      QVERIFY_CLOSE(c.at("name").get<std::string>(), mcc, c.at("mcc").get<double>());
    }
  }

  void referenceMultiLabel() {
    const json ref = loadReference();
    QVERIFY(ref.at("multilabel").size() >= 1);
    for (const auto& c : ref.at("multilabel")) {
      const auto name = c.at("name").get<std::string>();
      const auto gold = c.at("gold").get<std::vector<std::vector<uint8_t>>>();
      const auto s = scoreMultiLabel(c.at("predicted").get<std::vector<std::vector<uint8_t>>>(), gold);
      QCOMPARE(s.examples, static_cast<int64_t>(gold.size()));
      QVERIFY_CLOSE(name + " micro", s.microF1, c.at("micro_f1").get<double>());
      QVERIFY_CLOSE(name + " macro", s.macroF1, c.at("macro_f1").get<double>());
      QVERIFY_CLOSE(name + " exact", s.exactMatch, c.at("exact_match").get<double>());
    }
  }

  void referenceEntities() {
    const json ref = loadReference();
    QVERIFY(ref.at("entities").size() >= 1);
    for (const auto& c : ref.at("entities")) {
      const auto name = c.at("name").get<std::string>();
      const auto predicted = c.at("predicted").get<std::vector<std::vector<std::string>>>();
      const auto gold = c.at("gold").get<std::vector<std::vector<std::string>>>();
      // Extraction, sentence by sentence (the fixture has seqeval's inclusive ends).
      for (const auto& [side, sentences] : {std::pair{"predicted", &predicted}, std::pair{"gold", &gold}}) {
        const auto& expected = c.at(std::string(side) + "_entities_per_sentence");
        QCOMPARE(expected.size(), sentences->size());
        for (size_t i = 0; i < sentences->size(); ++i) {
          std::vector<Entity> want;
          for (const auto& e : expected[i])
            want.push_back({e[0].get<std::string>(), e[1].get<int64_t>(), e[2].get<int64_t>() + 1});
          QCOMPARE(entitiesOf((*sentences)[i]), want);
        }
      }
      const auto s = scoreEntities(predicted, gold);
      QCOMPARE(s.predictedEntities, c.at("predicted_entities").get<int64_t>());
      QCOMPARE(s.goldEntities, c.at("gold_entities").get<int64_t>());
      QCOMPARE(s.correctEntities, c.at("correct_entities").get<int64_t>());
      QVERIFY_CLOSE(name + " precision", s.precision, c.at("precision").get<double>());
      QVERIFY_CLOSE(name + " recall", s.recall, c.at("recall").get<double>());
      QVERIFY_CLOSE(name + " f1", s.f1, c.at("f1").get<double>());
    }
  }
};

QTEST_GUILESS_MAIN(TestTaskMetrics)
#include "test_task_metrics.moc"
