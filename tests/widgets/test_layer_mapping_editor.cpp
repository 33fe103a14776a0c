// LayerMappingEditor, shown offscreen: the presets against core's formulas, connecting by
// dragging between the layers' anchors, moving and removing links with the mouse, the
// per-pair table, and the validation messages.

#include <QtTest/QtTest>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>

#include <cmath>

#include "widgets/mapping/layer_mapping_editor.h"

using retort::widgets::LayerMappingEditor;
using retort::widgets::MappingPair;

namespace {

QString describe(const QVector<MappingPair>& pairs) {
  QStringList parts;
  for (const MappingPair& p : pairs)
    parts << QStringLiteral("(%1,%2%3%4 w%5)")
                 .arg(p.student)
                 .arg(p.teacher)
                 .arg(p.attention ? QStringLiteral(" att") : QString())
                 .arg(p.hidden ? QStringLiteral(" hid") : QString())
                 .arg(p.weight);
  return parts.join(QLatin1Char(' '));
}

MappingPair pair(int student, int teacher, bool attention = true, bool hidden = true, double weight = 1.0) {
  MappingPair p;
  p.student = student;
  p.teacher = teacher;
  p.attention = attention;
  p.hidden = hidden;
  p.weight = weight;
  return p;
}

/// Student layer -> teacher layer of the transformer pairs (layer 0 left out).
QVector<int> teachersOf(const QVector<MappingPair>& pairs) {
  QVector<int> t;
  for (const MappingPair& p : pairs)
    if (p.student > 0) t << p.teacher;
  return t;
}

void drag(QWidget* canvas, QPoint from, QPoint to) {
  QTest::mousePress(canvas, Qt::LeftButton, {}, from);
  QTest::mouseMove(canvas, (from + to) / 2);
  QTest::mouseMove(canvas, to);
  QTest::mouseRelease(canvas, Qt::LeftButton, {}, to);
}

}  // namespace

class TestLayerMappingEditor : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void uniformMappingOfTwelveToFour() {
    LayerMappingEditor editor;
    editor.setLayerCounts(12, 4);
    QSignalSpy spy(&editor, &LayerMappingEditor::mappingChanged);
    QVERIFY(editor.applyUniform());
    QCOMPARE(spy.count(), 1);
    const QVector<MappingPair> expected{pair(0, 0, false, true), pair(1, 3), pair(2, 6), pair(3, 9), pair(4, 12)};
    QVERIFY2(editor.pairs() == expected, qPrintable(describe(editor.pairs())));
    QVERIFY2(editor.isValid(), qPrintable(editor.validationMessage()));
    QVERIFY(editor.validationMessage().isEmpty());
  }

  void presetsFollowCoreFormulas() {
    LayerMappingEditor editor;
    editor.setLayerCounts(6, 4);  // M does not divide N: round(m·6/4) halves up = 2, 3, 5, 6
    QVERIFY(editor.applyUniform());
    QCOMPARE(teachersOf(editor.pairs()), QVector<int>({2, 3, 5, 6}));
    editor.setLayerCounts(12, 4);
    QVERIFY(editor.applyLastLayers());
    QCOMPARE(teachersOf(editor.pairs()), QVector<int>({9, 10, 11, 12}));
    QCOMPARE(editor.pairs().first(), pair(0, 0, false, true));
    editor.setLayerCounts(12, 6);
    QVERIFY(editor.applyDistilBert());
    QCOMPARE(teachersOf(editor.pairs()), QVector<int>({2, 4, 6, 8, 10, 12}));
    for (int n : {5, 7, 24})
      for (int m = 1; m <= n; ++m) {
        editor.setLayerCounts(n, m);
        QVERIFY(editor.applyUniform());
        const QVector<int> t = teachersOf(editor.pairs());
        QCOMPARE(t.size(), m);
        for (int s = 1; s <= m; ++s) {
          const int expected = static_cast<int>(std::floor(double(s) * n / m + 0.5));  // halves up
          QCOMPARE(t[s - 1], expected);
        }
        QCOMPARE(t.last(), n);  // always ends on the teacher's last layer
      }

    // DistilBERT-style needs 2M <= N: refused, mapping kept, button disabled.
    editor.setLayerCounts(12, 8);
    QVERIFY(editor.applyUniform());
    const auto before = editor.pairs();
    QVERIFY(!editor.applyDistilBert());
    QVERIFY(editor.pairs() == before);
    auto* distil = editor.findChild<QPushButton*>(QStringLiteral("distilBertButton"));
    QVERIFY(distil && !distil->isEnabled());
    editor.setLayerCounts(4, 6);  // a student deeper than the teacher: no uniform mapping
    QVERIFY(!editor.applyUniform());
  }

  void dragFromStudentToTeacherConnects() {
    LayerMappingEditor editor;
    editor.resize(800, 520);
    editor.setLayerCounts(12, 4);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QSignalSpy spy(&editor, &LayerMappingEditor::mappingChanged);
    drag(editor.canvas(), editor.studentAnchor(2), editor.teacherAnchor(7));
    QCOMPARE(spy.count(), 1);
    QVERIFY2(editor.pairs() == QVector<MappingPair>{pair(2, 7)}, qPrintable(describe(editor.pairs())));
    // The other way round, and onto layer 0: hidden states only.
    drag(editor.canvas(), editor.teacherAnchor(0), editor.studentAnchor(0));
    QVERIFY2(editor.pairs() == (QVector<MappingPair>{pair(0, 0, false, true), pair(2, 7)}),
             qPrintable(describe(editor.pairs())));
    // Connecting a mapped student layer again moves its link.
    drag(editor.canvas(), editor.studentAnchor(2), editor.teacherAnchor(8));
    QVERIFY2(editor.pairs() == (QVector<MappingPair>{pair(0, 0, false, true), pair(2, 8)}),
             qPrintable(describe(editor.pairs())));
    // Dropping on nothing, or on the same model's column, changes nothing.
    const int changes = spy.count();
    drag(editor.canvas(), editor.studentAnchor(3), QPoint(editor.canvas()->width() / 2, 4));
    drag(editor.canvas(), editor.studentAnchor(3), editor.studentAnchor(1));
    QCOMPARE(spy.count(), changes);
    QCOMPARE(editor.pairs().size(), 2);
  }

  void linksAreMovedAndRemovedWithTheMouse() {
    LayerMappingEditor editor;
    editor.resize(800, 520);
    editor.setLayerCounts(12, 4);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(editor.applyUniform());
    QWidget* canvas = editor.canvas();
    // The middle of a link's curve is the middle of its two anchors.
    auto middle = [&](int student, int teacher) { return (editor.studentAnchor(student) + editor.teacherAnchor(teacher)) / 2; };

    // Grab link 2 -> 6 a little towards its teacher end and drop that end on teacher layer 8.
    const QPointF along = QPointF(editor.teacherAnchor(6) - editor.studentAnchor(2));
    const QPoint nearTeacher = middle(2, 6) + (along / std::hypot(along.x(), along.y()) * 3.0).toPoint();
    drag(canvas, nearTeacher, editor.teacherAnchor(8));
    QCOMPARE(teachersOf(editor.pairs()), QVector<int>({3, 8, 9, 12}));

    // Drag link 1 -> 3 away into empty space: removed.
    drag(canvas, middle(1, 3), QPoint(canvas->width() / 2, 3));
    QVERIFY2(editor.pairs() == (QVector<MappingPair>{pair(0, 0, false, true), pair(2, 8), pair(3, 9), pair(4, 12)}),
             qPrintable(describe(editor.pairs())));

    // Right-click removes link 3 -> 9, a double-click removes 4 -> 12.
    QTest::mouseClick(canvas, Qt::RightButton, {}, middle(3, 9));
    QCOMPARE(teachersOf(editor.pairs()), QVector<int>({8, 12}));
    QTest::mouseDClick(canvas, Qt::LeftButton, {}, middle(4, 12));
    QCOMPARE(teachersOf(editor.pairs()), QVector<int>({8}));
    QVERIFY(editor.disconnectStudent(0));
    QVERIFY(!editor.disconnectStudent(0));
    QCOMPARE(editor.pairs().size(), 1);
  }

  void tableEditsFeaturesAndWeights() {
    LayerMappingEditor editor;
    editor.setLayerCounts(12, 4);
    editor.show();
    QVERIFY(editor.applyUniform());
    auto* table = editor.findChild<QTableWidget*>(QStringLiteral("mappingTable"));
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 5);
    QCOMPARE(table->item(2, 1)->text(), QStringLiteral("6"));
    QVERIFY(!(table->item(0, 2)->flags() & Qt::ItemIsEnabled));  // no attention on layer 0
    QSignalSpy spy(&editor, &LayerMappingEditor::mappingChanged);
    table->item(1, 3)->setCheckState(Qt::Unchecked);  // pair 1 -> 3: hidden off
    QCOMPARE(spy.count(), 1);
    QCOMPARE(editor.pairs()[1], pair(1, 3, true, false));
    QVERIFY(editor.isValid());
    table->item(1, 2)->setCheckState(Qt::Unchecked);  // and attention off: matches nothing
    QVERIFY(!editor.isValid());
    QCOMPARE(editor.validationMessage(),
             QStringLiteral("student layer 1 → teacher layer 3 matches nothing: attention and hidden states are both off"));
    auto* weight = qobject_cast<QDoubleSpinBox*>(table->cellWidget(3, 4));
    QVERIFY(weight);
    weight->setValue(2.5);
    QCOMPARE(editor.pairs()[3].weight, 2.5);
    QCOMPARE(editor.pairs()[3].student, 3);
  }

  void validationNamesTheProblem() {
    LayerMappingEditor editor;
    editor.setLayerCounts(12, 4);
    editor.show();
    editor.setPairs({pair(3, 5), pair(1, 13), pair(3, 7), pair(0, 0, true, true), pair(2, 0), pair(4, 4, true, true, -1.0)});
    QVERIFY(!editor.isValid());
    const QStringList messages = editor.validationMessages();
    const QStringList expected{
        QStringLiteral("teacher layer 13 does not exist (the teacher has layers 0–12)"),
        QStringLiteral("student layer 3 is mapped twice"),
        QStringLiteral("the embedding pair (0) cannot match attention: the embedding output has none"),
        QStringLiteral("student layer 2 → teacher layer 0 cannot match attention: layer 0 (the embedding output) has none"),
        QStringLiteral("the weight of student layer 4 → teacher layer 4 must be a number ≥ 0"),
    };
    for (const QString& e : expected) QVERIFY2(messages.contains(e), qPrintable(messages.join(QLatin1Char('\n'))));
    QCOMPARE(messages.size(), expected.size());
    auto* label = editor.findChild<QLabel*>(QStringLiteral("validationLabel"));
    QVERIFY(label);
    for (const QString& e : expected) QVERIFY(label->text().contains(e));
    // Sorted by student layer, and the pairs come back as given.
    QCOMPARE(editor.pairs().size(), 6);
    QCOMPARE(editor.pairs()[0].student, 0);
    QCOMPARE(editor.pairs()[5].student, 4);

    editor.setPairs({});
    QCOMPARE(editor.validationMessage(), QStringLiteral("no layer pair is mapped, so nothing would be matched"));
    QVERIFY(editor.applyUniform());
    QVERIFY(editor.isValid());
    QCOMPARE(label->text(), QStringLiteral("Layer pairs mapped: 5. The mapping is valid."));
    // Fewer teacher layers afterwards: the pairs stay and are reported.
    editor.setLayerCounts(6, 4);
    QVERIFY(!editor.isValid());
    QVERIFY(editor.validationMessages().contains(
        QStringLiteral("teacher layer 9 does not exist (the teacher has layers 0–6)")));
    QVERIFY(!editor.connectLayers(5, 1));  // the student has no layer 5
    QVERIFY(!editor.connectLayers(1, 7));
  }
};

QTEST_MAIN(TestLayerMappingEditor)
#include "test_layer_mapping_editor.moc"
