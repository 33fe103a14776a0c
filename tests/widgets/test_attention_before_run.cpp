// What the attention widgets show before a run and how they label tokens: a teacher-only
// snapshot (core's probe before training: studentLayer 0, studentHeads 0) gives the teacher's
// heat map, a plain note on the student's pane and the teacher's layer × head grid; token
// labels drop sentencepiece's "▁" and WordPiece's "##" and mark word continuations.

#include <QtTest/QtTest>
#include <QComboBox>
#include <QLabel>

#include "widgets/attention/attention_grid.h"
#include "widgets/attention/attention_heatmap.h"
#include "widgets/attention/attention_view.h"
#include "widgets/attention/token_labels.h"

using namespace retort::widgets;

namespace {

const QString kStart = QString(QChar(0x2581));
const QString kDot = QString(QChar(0x00B7));

/// Teacher alone: `layers` layers of `heads` heads on `tokens`, uniform probabilities.
AttentionSnapshotData teacherOnly(const QStringList& tokens, int layers, int heads) {
  AttentionSnapshotData s;
  s.stage = QStringLiteral("probe");
  s.tokens = tokens;
  const int n = static_cast<int>(tokens.size());
  for (int l = 1; l <= layers; ++l) {
    AttentionPairData p;
    p.studentLayer = 0;
    p.teacherLayer = l;
    p.studentHeads = 0;
    p.teacherHeads = heads;
    p.teacherProbs = QVector<float>(heads * n * n, 1.0f / static_cast<float>(n));
    p.teacherScores = QVector<float>(heads * n * n, 0.5f);
    s.pairs.append(p);
  }
  return s;
}

}  // namespace

class TestAttentionBeforeRun : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void sentencepieceLabels() {
    const QStringList raw{QStringLiteral("<s>"), kStart + QStringLiteral("the"), kStart + QStringLiteral("reorgan"),
                          QStringLiteral("ization"), QStringLiteral(","), kStart, QStringLiteral("1"), QStringLiteral("</s>")};
    const auto labels = tokenLabels(raw);
    QCOMPARE(labels.size(), 8);
    QCOMPARE(displayTokens(raw), (QStringList{QStringLiteral("<s>"), QStringLiteral("the"), QStringLiteral("reorgan"),
                                              kDot + QStringLiteral("ization"), QStringLiteral(","), QString(QChar(0x2423)),
                                              kDot + QStringLiteral("1"), QStringLiteral("</s>")}));
    QVERIFY(labels[0].special);
    QVERIFY(!labels[1].continuation);
    QVERIFY(labels[3].continuation);
    QVERIFY(!labels[4].continuation);  // punctuation reads as it is
    for (const auto& l : labels) QVERIFY2(!l.text.contains(kStart), qPrintable(l.text));
  }

  void wordpieceLabels() {
    const QStringList raw{QStringLiteral("[CLS]"), QStringLiteral("the"), QStringLiteral("reorgan"), QStringLiteral("##ization"),
                          QStringLiteral("##"), QStringLiteral("[SEP]")};
    QCOMPARE(displayTokens(raw), (QStringList{QStringLiteral("[CLS]"), QStringLiteral("the"), QStringLiteral("reorgan"),
                                              kDot + QStringLiteral("ization"), QStringLiteral("##"), QStringLiteral("[SEP]")}));
    const auto labels = tokenLabels(raw);
    QVERIFY(labels[3].continuation);
    QVERIFY(!labels[4].continuation);  // a literal "##" word
    QVERIFY(labels[5].special);
  }

  void heatmapDrawsLabelsButTooltipKeepsThePiece() {
    AttentionHeatmap map;
    map.resize(400, 400);
    AttentionMatrix m;
    m.tokens = {kStart + QStringLiteral("re"), QStringLiteral("organ")};
    m.heads = 1;
    m.values = {0.5f, 0.5f, 0.5f, 0.5f};
    map.setMatrix(m);
    QCOMPARE(map.labelTexts(), (QStringList{QStringLiteral("re"), kDot + QStringLiteral("organ")}));
    QVERIFY2(map.cellToolTip(0, 1).contains(kStart + QStringLiteral("re")), qPrintable(map.cellToolTip(0, 1)));
  }

  void viewShowsTheTeacherAloneWithoutAnError() {
    AttentionView view;
    view.resize(900, 500);
    view.show();
    const QStringList tokens{QStringLiteral("[CLS]"), QStringLiteral("peace"), QStringLiteral("and"), QStringLiteral("war"),
                             QStringLiteral("[SEP]")};
    view.setSnapshot(teacherOnly(tokens, 3, 4));
    QCOMPARE(view.teacherHeatmap()->tokenCount(), 5);
    QVERIFY(view.teacherHeatmap()->message().isEmpty());
    QCOMPARE(view.studentHeatmap()->tokenCount(), 0);
    QCOMPARE(view.studentHeatmap()->message(), QStringLiteral("The student's attention appears here once training starts."));
    auto* status = view.findChild<QLabel*>(QStringLiteral("attentionStatus"));
    QCOMPARE(status->text(), QStringLiteral("Before training: the teacher's attention on the probe sentence (5 tokens, 4 heads). "
                                            "The student's is recorded during the run."));
    auto* pairs = view.findChild<QComboBox*>(QStringLiteral("pairCombo"));
    QCOMPARE(pairs->count(), 3);
    QCOMPARE(pairs->itemText(2), QStringLiteral("Teacher layer 3"));
    auto* heads = view.findChild<QComboBox*>(QStringLiteral("headCombo"));
    QCOMPARE(heads->count(), 5);  // the average and the teacher's four heads
    view.setCurrentHead(2);
    QCOMPARE(view.currentHead(), 2);
    QCOMPARE(view.teacherHeatmap()->head(), 2);
    QCOMPARE(view.teacherHeatmap()->title(), QStringLiteral("Teacher, layer 1"));
    view.setShowDifference(true);
    QCOMPARE(view.differenceHeatmap()->message(), QStringLiteral("The difference appears once training starts."));
  }

  void gridShowsTheTeachersLayers() {
    AttentionGrid grid;
    grid.resize(500, 400);
    grid.setSnapshot(teacherOnly({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}, 4, 4));
    QCOMPARE(grid.model(), AttentionGrid::Model::Student);  // what the user chose
    QCOMPARE(grid.shownModel(), AttentionGrid::Model::Teacher);
    QCOMPARE(grid.rowCount(), 4);
    QCOMPARE(grid.columnCount(), 4);
    QStringList labels;
    for (int r = 0; r < grid.rowCount(); ++r) labels << grid.rowLabel(r);
    QCOMPARE(labels, (QStringList{QStringLiteral("Teacher 1"), QStringLiteral("Teacher 2"), QStringLiteral("Teacher 3"),
                                  QStringLiteral("Teacher 4")}));
    QVERIFY(!grid.thumbnailRect(3, 3).isEmpty());
    // Nothing at all: no rows.
    grid.setSnapshot({});
    QCOMPARE(grid.rowCount(), 0);
  }
};

QTEST_MAIN(TestAttentionBeforeRun)
#include "test_attention_before_run.moc"
