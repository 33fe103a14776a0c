// Layer mappings of the distillation engine: TinyBERT's uniform g(m), the last-layers
// mapping, DistilBERT's initialisation layers, validation messages and the embedding pair.

#include <QtTest/QtTest>

#include <cmath>
#include <limits>
#include <vector>

#include "core/distill/layer_mapping.h"
#include "core/util/error.h"
#include "test_util.h"

using namespace retort;
using namespace retort::distill;

namespace {

std::vector<int64_t> teachersOf(const std::vector<LayerPair>& pairs) {
  std::vector<int64_t> out;
  for (const auto& p : pairs) out.push_back(p.teacher);
  return out;
}

std::vector<int64_t> studentsOf(const std::vector<LayerPair>& pairs) {
  std::vector<int64_t> out;
  for (const auto& p : pairs) out.push_back(p.student);
  return out;
}

std::vector<int64_t> range(int64_t from, int64_t to) {
  std::vector<int64_t> out;
  for (int64_t i = from; i <= to; ++i) out.push_back(i);
  return out;
}

using Layers = std::vector<int64_t>;

}  // namespace

Q_DECLARE_METATYPE(Layers)

class TestLayerMapping : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void uniform_data() {
    QTest::addColumn<qint64>("teacher");
    QTest::addColumn<qint64>("student");
    QTest::addColumn<Layers>("expected");
    QTest::newRow("12->4") << qint64(12) << qint64(4) << Layers{3, 6, 9, 12};
    QTest::newRow("12->6") << qint64(12) << qint64(6) << Layers{2, 4, 6, 8, 10, 12};
    QTest::newRow("4->2") << qint64(4) << qint64(2) << Layers{2, 4};
    QTest::newRow("6->4 rounded half up") << qint64(6) << qint64(4) << Layers{2, 3, 5, 6};
    QTest::newRow("4->4 identity") << qint64(4) << qint64(4) << Layers{1, 2, 3, 4};
    QTest::newRow("12->1") << qint64(12) << qint64(1) << Layers{12};
    QTest::newRow("24->6") << qint64(24) << qint64(6) << Layers{4, 8, 12, 16, 20, 24};
    QTest::newRow("12->5") << qint64(12) << qint64(5) << Layers{2, 5, 7, 10, 12};
  }

  void uniform() {
    QFETCH(qint64, teacher);
    QFETCH(qint64, student);
    QFETCH(Layers, expected);
    const auto pairs = uniformMapping(teacher, student, true, true);
    QCOMPARE(teachersOf(pairs), expected);
    QCOMPARE(studentsOf(pairs), range(1, student));
    for (const auto& p : pairs) {
      QVERIFY(p.attention);
      QVERIFY(p.hidden);
      QCOMPARE(p.weight, 1.0);
    }
    validateMapping(pairs, teacher, student);  // a generated mapping is always valid
  }

  void uniformCarriesFlags() {
    const auto pairs = uniformMapping(12, 4, false, true);
    QCOMPARE(pairs.size(), size_t(4));
    for (const auto& p : pairs) {
      QVERIFY(!p.attention);
      QVERIFY(p.hidden);
    }
    const auto att = lastLayersMapping(12, 4, true, false);
    for (const auto& p : att) {
      QVERIFY(p.attention);
      QVERIFY(!p.hidden);
    }
  }

  void uniformRejectsBadCounts() {
    auto msg = test::thrownMessage([] { uniformMapping(4, 6, true, true); });
    QVERIFY2(msg.contains(QStringLiteral("student has more layers (6) than the teacher (4)")),
             qPrintable(msg));
    msg = test::thrownMessage([] { uniformMapping(12, 0, true, true); });
    QVERIFY2(msg.contains(QStringLiteral("must be positive (teacher 12, student 0)")), qPrintable(msg));
    msg = test::thrownMessage([] { lastLayersMapping(-1, 2, true, true); });
    QVERIFY2(msg.contains(QStringLiteral("must be positive")), qPrintable(msg));
    try {
      uniformMapping(2, 3, true, true);
      QFAIL("no exception");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::InvalidArgument);
    }
  }

  void lastLayers() {
    QCOMPARE(teachersOf(lastLayersMapping(12, 4, true, true)), (Layers{9, 10, 11, 12}));
    QCOMPARE(studentsOf(lastLayersMapping(12, 4, true, true)), (Layers{1, 2, 3, 4}));
    QCOMPARE(teachersOf(lastLayersMapping(6, 6, true, true)), range(1, 6));
    QCOMPARE(teachersOf(lastLayersMapping(12, 1, true, true)), (Layers{12}));
  }

  void everyOther_data() {
    QTest::addColumn<qint64>("teacher");
    QTest::addColumn<qint64>("student");
    QTest::addColumn<Layers>("expected");
    QTest::newRow("12->6 DistilBERT") << qint64(12) << qint64(6) << Layers{0, 2, 4, 7, 9, 11};
    QTest::newRow("12->4") << qint64(12) << qint64(4) << Layers{0, 4, 7, 11};
    QTest::newRow("12->3") << qint64(12) << qint64(3) << Layers{0, 6, 11};
    QTest::newRow("6->3") << qint64(6) << qint64(3) << Layers{0, 3, 5};
    QTest::newRow("4->2") << qint64(4) << qint64(2) << Layers{0, 3};
    QTest::newRow("5->5") << qint64(5) << qint64(5) << Layers{0, 1, 2, 3, 4};
    QTest::newRow("12->1") << qint64(12) << qint64(1) << Layers{11};
    QTest::newRow("1->1") << qint64(1) << qint64(1) << Layers{0};
  }

  void everyOther() {
    QFETCH(qint64, teacher);
    QFETCH(qint64, student);
    QFETCH(Layers, expected);
    QCOMPARE(everyOtherLayer(teacher, student), expected);
  }

  void everyOtherRejectsBadCounts() {
    auto msg = test::thrownMessage([] { everyOtherLayer(6, 12); });
    QVERIFY2(msg.contains(QStringLiteral("more layers (12) than the teacher (6)")), qPrintable(msg));
    msg = test::thrownMessage([] { everyOtherLayer(0, 0); });
    QVERIFY2(msg.contains(QStringLiteral("must be positive")), qPrintable(msg));
  }

  void validateMessages_data() {
    QTest::addColumn<QString>("expected");
    // Rows are built in validateMessages() from the tag; the column holds the expected text.
    QTest::newRow("empty") << "layer mapping: no layer pair is given";
    QTest::newRow("student out of range")
        << "layer mapping, pair 1 (student 5 -> teacher 12): student layer 5 is out of range 0..4";
    QTest::newRow("teacher out of range")
        << "layer mapping, pair 0 (student 1 -> teacher 13): teacher layer 13 is out of range 0..12";
    QTest::newRow("negative student")
        << "pair 0 (student -1 -> teacher 3): student layer -1 is out of range 0..4";
    QTest::newRow("listed twice")
        << "layer mapping, pair 2 (student 2 -> teacher 9): student layer 2 is listed twice (pairs 1 and 2)";
    QTest::newRow("attention on layer 0")
        << "layer mapping, pair 0 (student 0 -> teacher 0): attention cannot be matched on layer 0";
    QTest::newRow("attention on teacher layer 0")
        << "pair 0 (student 1 -> teacher 0): attention cannot be matched on layer 0";
    QTest::newRow("negative weight")
        << "layer mapping, pair 1 (student 2 -> teacher 6): the weight must be a finite number >= 0, not -0.5";
    QTest::newRow("nan weight") << "pair 0 (student 1 -> teacher 3): the weight must be a finite number >= 0, not nan";
    QTest::newRow("matches nothing")
        << "layer mapping, pair 0 (student 1 -> teacher 3): matches nothing (attention and hidden states are both off)";
  }

  void validateMessages() {
    QFETCH(QString, expected);
    const QString tag = QString::fromUtf8(QTest::currentDataTag());
    std::vector<LayerPair> pairs;
    if (tag == QLatin1String("student out of range")) {
      pairs = {{1, 3}, {5, 12}};
    } else if (tag == QLatin1String("teacher out of range")) {
      pairs = {{1, 13}};
    } else if (tag == QLatin1String("negative student")) {
      pairs = {{-1, 3}};
    } else if (tag == QLatin1String("listed twice")) {
      pairs = {{1, 3}, {2, 6}, {2, 9}};
    } else if (tag == QLatin1String("attention on layer 0")) {
      pairs = {{0, 0, true, true}};
    } else if (tag == QLatin1String("attention on teacher layer 0")) {
      pairs = {{1, 0, true, true}};
    } else if (tag == QLatin1String("negative weight")) {
      pairs = {{1, 3}, {2, 6, true, true, -0.5}};
    } else if (tag == QLatin1String("nan weight")) {
      pairs = {{1, 3, true, true, std::numeric_limits<double>::quiet_NaN()}};
    } else if (tag == QLatin1String("matches nothing")) {
      pairs = {{1, 3, false, false}};
    }
    try {
      validateMapping(pairs, 12, 4);
      QFAIL("no exception");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::InvalidArgument);
      const QString msg = QString::fromUtf8(e.what());
      QVERIFY2(msg.contains(expected), qPrintable(msg));
    }
  }

  void validateAcceptsGoodMappings() {
    validateMapping(withEmbeddingPair(uniformMapping(12, 4, true, true)), 12, 4);
    validateMapping({{0, 0, false, true}, {4, 12, true, false, 0.0}}, 12, 4);
    validateMapping({{3, 1}, {1, 12, true, true, 2.5}}, 12, 4);  // any order, any teacher layer
    auto msg = test::thrownMessage([] { validateMapping({{1, 1}}, 0, 4); });
    QVERIFY2(msg.contains(QStringLiteral("must be positive")), qPrintable(msg));
    msg = test::thrownMessage(
        [] { validateMapping({{1, 1, true, true, std::numeric_limits<double>::infinity()}}, 4, 4); });
    QVERIFY2(msg.contains(QStringLiteral("not inf")), qPrintable(msg));
  }

  void embeddingPair() {
    auto pairs = withEmbeddingPair(uniformMapping(12, 4, true, true));
    QCOMPARE(pairs.size(), size_t(5));
    QCOMPARE(pairs[0].student, int64_t(0));
    QCOMPARE(pairs[0].teacher, int64_t(0));
    QVERIFY(!pairs[0].attention);
    QVERIFY(pairs[0].hidden);
    QCOMPARE(pairs[0].weight, 1.0);
    QCOMPARE(teachersOf(pairs), (Layers{0, 3, 6, 9, 12}));
    // Already present (here with a different weight): unchanged, not added twice.
    std::vector<LayerPair> custom = {{1, 3}, {0, 0, false, true, 0.25}};
    auto same = withEmbeddingPair(custom);
    QCOMPARE(same.size(), size_t(2));
    QCOMPARE(same[1].weight, 0.25);
    QCOMPARE(withEmbeddingPair(withEmbeddingPair({})).size(), size_t(1));
  }
};

QTEST_APPLESS_MAIN(TestLayerMapping)
#include "test_layer_mapping.moc"
