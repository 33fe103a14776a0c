// The attention widgets, shown offscreen: head averages, grouped teacher heads and the
// difference map against hand computation, the hover tooltip and the painted colours of a
// cell, the paint time of 128 tokens, the AttentionView's selectors and probe field, and the
// AttentionGrid's clicks.

#include <QtTest/QtTest>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QToolTip>

#include <cmath>

#include "widgets/attention/attention_data.h"
#include "widgets/attention/attention_grid.h"
#include "widgets/attention/attention_heatmap.h"
#include "widgets/attention/attention_view.h"
#include "widgets/attention/color_map.h"

using namespace retort::widgets;

namespace {

QStringList tokens(int n) {
  QStringList t{QStringLiteral("[CLS]")};
  for (int i = 1; i < n - 1; ++i) t << QStringLiteral("w%1").arg(i);
  if (n > 1) t << QStringLiteral("[SEP]");
  return t;
}

/// Pseudo-random values: rows that sum to 1 when `probs` (per head), signed scores otherwise.
QVector<float> values(int heads, int n, quint32 seed, bool probs) {
  QRandomGenerator rng(seed);
  QVector<float> v(heads * n * n);
  for (int h = 0; h < heads; ++h)
    for (int r = 0; r < n; ++r) {
      float sum = 0.0f;
      for (int c = 0; c < n; ++c) {
        const float x = static_cast<float>(probs ? rng.generateDouble() : rng.generateDouble() * 8.0 - 4.0);
        v[(h * n + r) * n + c] = x;
        sum += x;
      }
      if (probs)
        for (int c = 0; c < n; ++c) v[(h * n + r) * n + c] /= sum;
    }
  return v;
}

AttentionMatrix matrix(int heads, int n, quint32 seed, bool probs = true) {
  AttentionMatrix m;
  m.tokens = tokens(n);
  m.heads = heads;
  m.values = values(heads, n, seed, probs);
  return m;
}

float at(const AttentionMatrix& m, int head, int row, int column) {
  const int n = m.size();
  return m.values[(head * n + row) * n + column];
}

AttentionSnapshotData snapshot() {
  AttentionSnapshotData s;
  s.stage = QStringLiteral("intermediate");
  s.globalStep = 120;
  s.tokens = {QStringLiteral("[CLS]"), QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral("[SEP]")};
  for (int i = 0; i < 2; ++i) {
    AttentionPairData p;
    p.studentLayer = i + 1;
    p.teacherLayer = 2 * (i + 1);
    p.studentHeads = 2;
    p.teacherHeads = 4;
    p.studentProbs = values(2, 4, 10 + i, true);
    p.teacherProbs = values(4, 4, 20 + i, true);
    p.studentScores = values(2, 4, 30 + i, false);
    p.teacherScores = values(4, 4, 40 + i, false);
    s.pairs.append(p);
  }
  return s;
}

}  // namespace

class TestAttention : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void headSelectionAndAverage() {
    const AttentionMatrix m = matrix(3, 5, 1);
    AttentionHeatmap map;
    map.setMatrix(m);
    QCOMPARE(map.head(), -1);
    QCOMPARE(map.tokenCount(), 5);
    for (int r = 0; r < 5; ++r)
      for (int c = 0; c < 5; ++c) {
        const double mean = (double(at(m, 0, r, c)) + at(m, 1, r, c) + at(m, 2, r, c)) / 3.0;
        QVERIFY(std::abs(map.value(r, c) - mean) < 1e-6);
      }
    map.setHead(1);
    for (int r = 0; r < 5; ++r)
      for (int c = 0; c < 5; ++c) QCOMPARE(map.value(r, c), at(m, 1, r, c));
    // Probabilities: a sequential scale from 0 to the largest value of the head.
    float largest = 0.0f;
    for (int i = 0; i < 25; ++i) largest = std::max(largest, m.values[25 + i]);
    QCOMPARE(map.scaleMinimum(), 0.0f);
    QCOMPARE(map.scaleMaximum(), largest);
    QVERIFY(std::isnan(map.value(5, 0)));
  }

  void groupedTeacherHeads() {
    const AttentionMatrix t = matrix(6, 3, 2);
    const AttentionMatrix g = groupHeads(t, 2);  // groups of 3: heads 0-2 and 3-5
    QCOMPARE(g.heads, 2);
    QCOMPARE(g.values.size(), 2 * 9);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) {
        const double second = (double(at(t, 3, r, c)) + at(t, 4, r, c) + at(t, 5, r, c)) / 3.0;
        QVERIFY(std::abs(at(g, 1, r, c) - second) < 1e-6);
      }
    const AttentionMatrix odd = groupHeads(t, 4);  // 4 does not divide 6: one averaged head
    QCOMPARE(odd.heads, 1);
    QCOMPARE(odd.values, headValues(t, -1));
    QCOMPARE(groupHeads(t, 6).values, t.values);
  }

  void differenceMap() {
    const AttentionMatrix s = matrix(2, 4, 3, false);
    const AttentionMatrix t = matrix(4, 4, 4, false);
    AttentionHeatmap map;
    map.setDifference(s, t);
    QVERIFY(map.isDifference());
    map.setHead(1);
    float absMax = 0.0f;
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c) {
        const double expected = at(s, 1, r, c) - (double(at(t, 2, r, c)) + at(t, 3, r, c)) / 2.0;
        QVERIFY2(std::abs(map.value(r, c) - expected) < 1e-5,
                 qPrintable(QStringLiteral("%1 vs %2").arg(map.value(r, c)).arg(expected)));
        absMax = std::max(absMax, std::abs(map.value(r, c)));
      }
    QCOMPARE(map.scaleMaximum(), absMax);  // diverging, symmetric around 0
    QCOMPARE(map.scaleMinimum(), -absMax);
    map.setHead(-1);
    const double meanS = (double(at(s, 0, 3, 1)) + at(s, 1, 3, 1)) / 2.0;
    const double meanT = (double(at(t, 0, 3, 1)) + at(t, 1, 3, 1) + at(t, 2, 3, 1) + at(t, 3, 3, 1)) / 4.0;
    QVERIFY(std::abs(map.value(3, 1) - (meanS - meanT)) < 1e-5);
    QVERIFY(map.cellToolTip(3, 1).contains(QStringLiteral("Student − teacher: ")));

    AttentionHeatmap mismatch;
    mismatch.setDifference(s, matrix(4, 5, 5));
    QCOMPARE(mismatch.tokenCount(), 0);
  }

  void tooltipAndPaintedColourOfACell() {
    const AttentionMatrix m = matrix(2, 6, 6);
    AttentionHeatmap map;
    map.resize(420, 400);
    map.setMatrix(m);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    const int row = 2, column = 4;
    const QPoint pos = map.cellRect(row, column).center().toPoint();
    QCOMPARE(map.cellAt(pos), QPoint(row, column));
    const double mean = (double(at(m, 0, row, column)) + at(m, 1, row, column)) / 2.0;
    const QString expected = QStringLiteral("Query: w2 (#2)\nKey: w4 (#4)\nProbability: ") +
                             QLocale().toString(mean, 'f', 4);
    QCOMPARE(map.cellToolTip(row, column), expected);

    QHelpEvent help(QEvent::ToolTip, pos, map.mapToGlobal(pos));
    QApplication::sendEvent(&map, &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), expected);
    QToolTip::hideText();

    QSignalSpy hovered(&map, &AttentionHeatmap::cellHovered);
    QMouseEvent move(QEvent::MouseMove, pos, map.mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&map, &move);
    QCOMPARE(hovered.count(), 1);
    QCOMPARE(hovered[0][0].toInt(), row);
    QCOMPARE(hovered[0][1].toInt(), column);
    QVERIFY(std::abs(hovered[0][2].toFloat() - mean) < 1e-6);

    // The painted cell has the colour of its value on the 0..max scale.
    QTest::mouseMove(&map, QPoint(1, 1));
    QMouseEvent away(QEvent::MouseMove, QPoint(1, 1), map.mapToGlobal(QPoint(1, 1)), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(&map, &away);
    const QImage image = map.grab().toImage();
    const QRgb painted = image.pixel(pos * image.devicePixelRatio());
    QCOMPARE(QColor(painted).name(), QColor(sequentialColor(map.value(row, column) / map.scaleMaximum())).name());
    // Scores use the diverging map: a negative score is blue-ish, a positive one red-ish.
    map.setMatrix(matrix(1, 6, 7, false));
    map.setMode(AttentionHeatmap::Mode::Scores);
    QCOMPARE(map.scaleMinimum(), -map.scaleMaximum());
    const QImage scores = map.grab().toImage();
    for (int r = 0; r < 6; ++r)
      for (int c = 0; c < 6; ++c) {
        const QColor px(scores.pixel(map.cellRect(r, c).center().toPoint() * scores.devicePixelRatio()));
        const float v = map.value(r, c);
        if (v < -0.5f) QVERIFY(px.blue() > px.red());
        if (v > 0.5f) QVERIFY(px.red() > px.blue());
      }
  }

  void paintsLongInputsQuickly() {
    const AttentionMatrix m = matrix(12, 128, 8);
    AttentionHeatmap map;
    map.resize(760, 720);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    QElapsedTimer timer;
    timer.start();
    map.setMatrix(m);
    map.repaint();
    const double first = timer.nsecsElapsed() / 1e6;
    // Switching heads recomputes the values and rebuilds the picture.
    double slowest = 0.0, renderSum = 0.0;
    for (int h = -1; h < 12; ++h) {
      timer.start();
      map.setHead(h);
      map.repaint();
      slowest = std::max(slowest, timer.nsecsElapsed() / 1e6);
      renderSum += map.lastRenderMs();
    }
    // A repaint without a change (hover, expose) only blits the cached picture.
    timer.start();
    for (int i = 0; i < 20; ++i) map.repaint();
    const double blit = timer.nsecsElapsed() / 1e6 / 20;
    qInfo("128x128, 12 heads: first paint %.1f ms, head switch + repaint at most %.1f ms "
          "(picture rebuild %.1f ms on average), cached repaint %.2f ms",
          first, slowest, renderSum / 13, blit);
    QCOMPARE(map.tokenCount(), 128);
    QVERIFY2(slowest < 150.0, qPrintable(QString::number(slowest)));
    QVERIFY2(blit < 30.0, qPrintable(QString::number(blit)));
  }

  void viewShowsTheSelectedPairAndHead() {
    const AttentionSnapshotData s = snapshot();
    AttentionView view;
    view.resize(1000, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSnapshot(s);
    auto* pairs = view.findChild<QComboBox*>(QStringLiteral("pairCombo"));
    auto* heads = view.findChild<QComboBox*>(QStringLiteral("headCombo"));
    QVERIFY(pairs && heads);
    QCOMPARE(pairs->count(), 2);
    QCOMPARE(pairs->itemText(1), QStringLiteral("Student 2 ↔ teacher 4"));
    QCOMPARE(heads->count(), 3);  // the average and the student's 2 heads
    pairs->setCurrentIndex(1);
    heads->setCurrentIndex(1);    // head 1 = index 0
    QCOMPARE(view.currentPair(), 1);
    QCOMPARE(view.currentHead(), 0);
    const AttentionMatrix student = s.studentMatrix(1, false);
    const AttentionMatrix teacher = s.teacherMatrix(1, false);
    AttentionHeatmap* sm = view.studentHeatmap();
    AttentionHeatmap* tm = view.teacherHeatmap();
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c) {
        QCOMPARE(sm->value(r, c), at(student, 0, r, c));
        const double group = (double(at(teacher, 0, r, c)) + at(teacher, 1, r, c)) / 2.0;
        QVERIFY(std::abs(tm->value(r, c) - group) < 1e-6);
      }
    QCOMPARE(tm->title(), QStringLiteral("Teacher, layer 4, heads 1–2 averaged"));
    QCOMPARE(sm->title(), QStringLiteral("Student, layer 2"));

    auto* scores = view.findChild<QRadioButton*>(QStringLiteral("scoresRadio"));
    QVERIFY(scores);
    scores->click();
    QVERIFY(view.showsScores());
    QCOMPARE(sm->mode(), AttentionHeatmap::Mode::Scores);
    QCOMPARE(sm->value(3, 2), at(s.studentMatrix(1, true), 0, 3, 2));

    auto* diff = view.findChild<QCheckBox*>(QStringLiteral("differenceCheck"));
    QVERIFY(diff);
    QVERIFY(!view.differenceHeatmap()->isVisible());
    diff->click();
    QVERIFY(view.differenceHeatmap()->isVisible());
    const AttentionMatrix ts = s.teacherMatrix(1, true);
    const double expected =
        at(s.studentMatrix(1, true), 0, 0, 3) - (double(at(ts, 0, 0, 3)) + at(ts, 1, 0, 3)) / 2.0;
    QVERIFY(std::abs(view.differenceHeatmap()->value(0, 3) - expected) < 1e-5);

    // A new snapshot keeps the pair (by student layer) and the head.
    AttentionSnapshotData next = snapshot();
    next.globalStep = 170;
    std::swap(next.pairs[0], next.pairs[1]);
    view.setSnapshot(next);
    QCOMPARE(view.currentPair(), 0);
    QCOMPARE(next.pairs[view.currentPair()].studentLayer, 2);
    QCOMPARE(view.currentHead(), 0);
    auto* status = view.findChild<QLabel*>(QStringLiteral("attentionStatus"));
    QVERIFY(status && status->text().contains(QStringLiteral("170")));
  }

  void probeSentenceIsSentOnEnter() {
    AttentionView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &AttentionView::probeChanged);
    view.setProbe(QStringLiteral("a first sentence"));
    QCOMPARE(spy.count(), 0);
    auto* edit = view.findChild<QLineEdit*>(QStringLiteral("probeEdit"));
    QVERIFY(edit);
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("the movie was great "));
    QCOMPARE(spy.count(), 0);  // nothing until Enter
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toString(), QStringLiteral("the movie was great"));
    QTest::keyClick(edit, Qt::Key_Return);  // unchanged: not sent again
    QCOMPARE(spy.count(), 1);
    edit->clear();
    QTest::keyClick(edit, Qt::Key_Return);  // empty: not sent
    QCOMPARE(spy.count(), 1);
  }

  void gridSelectsLayerAndHead() {
    const AttentionSnapshotData s = snapshot();
    AttentionGrid grid;
    grid.resize(500, 300);
    grid.setSnapshot(s);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    QCOMPARE(grid.rowCount(), 2);
    QCOMPARE(grid.columnCount(), 2);
    QCOMPARE(grid.layerOfRow(1), 2);
    grid.setModel(AttentionGrid::Model::Teacher);
    QCOMPARE(grid.columnCount(), 4);
    QCOMPARE(grid.layerOfRow(1), 4);
    QSignalSpy spy(&grid, &AttentionGrid::selected);
    const QRect r = grid.thumbnailRect(1, 3);
    QVERIFY(!r.isEmpty());
    QTest::mouseClick(&grid, Qt::LeftButton, {}, r.center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toInt(), 4);
    QCOMPARE(spy[0][1].toInt(), 3);
    QCOMPARE(grid.selection(), QPoint(1, 3));
    // Between two thumbnails: nothing.
    const QRect left = grid.thumbnailRect(0, 0), right = grid.thumbnailRect(0, 1);
    QTest::mouseClick(&grid, Qt::LeftButton, {}, QPoint((left.right() + right.left()) / 2, left.center().y()));
    QCOMPARE(spy.count(), 1);
    // The thumbnail is the head's own matrix, scaled to its largest value.
    const AttentionMatrix t = s.teacherMatrix(1, false);
    const QVector<float> head = headValues(t, 3);
    const float largest = *std::max_element(head.cbegin(), head.cend());
    const QImage image = grid.grab().toImage();
    const QPoint cell(r.left() + r.width() / 8, r.top() + r.height() / 8);  // cell (0, 0) of 4×4
    QCOMPARE(QColor(image.pixel(cell * image.devicePixelRatio())).name(),
             QColor(sequentialColor(head[0] / largest)).name());
  }
};

QTEST_MAIN(TestAttention)
#include "test_attention.moc"
