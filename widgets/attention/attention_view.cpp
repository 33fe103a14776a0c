#include "widgets/attention/attention_view.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QVBoxLayout>

#include "widgets/attention/attention_heatmap.h"

namespace retort {
namespace widgets {

AttentionView::AttentionView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);

  auto* probeRow = new QHBoxLayout;
  m_probeLabel = new QLabel(this);
  m_probeEdit = new QLineEdit(this);
  m_probeEdit->setObjectName(QStringLiteral("probeEdit"));
  m_probeEdit->setClearButtonEnabled(true);
  m_probeLabel->setBuddy(m_probeEdit);
  probeRow->addWidget(m_probeLabel);
  probeRow->addWidget(m_probeEdit, 1);
  layout->addLayout(probeRow);

  auto* controls = new QHBoxLayout;
  m_pairLabel = new QLabel(this);
  m_pairCombo = new QComboBox(this);
  m_pairCombo->setObjectName(QStringLiteral("pairCombo"));
  m_pairCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_pairLabel->setBuddy(m_pairCombo);
  m_headLabel = new QLabel(this);
  m_headCombo = new QComboBox(this);
  m_headCombo->setObjectName(QStringLiteral("headCombo"));
  m_headCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_headLabel->setBuddy(m_headCombo);
  m_probsRadio = new QRadioButton(this);
  m_probsRadio->setObjectName(QStringLiteral("probabilitiesRadio"));
  m_probsRadio->setChecked(true);
  m_scoresRadio = new QRadioButton(this);
  m_scoresRadio->setObjectName(QStringLiteral("scoresRadio"));
  m_modeGroup = new QButtonGroup(this);
  m_modeGroup->addButton(m_probsRadio);
  m_modeGroup->addButton(m_scoresRadio);
  m_diffCheck = new QCheckBox(this);
  m_diffCheck->setObjectName(QStringLiteral("differenceCheck"));
  controls->addWidget(m_pairLabel);
  controls->addWidget(m_pairCombo);
  controls->addSpacing(8);
  controls->addWidget(m_headLabel);
  controls->addWidget(m_headCombo);
  controls->addSpacing(8);
  controls->addWidget(m_probsRadio);
  controls->addWidget(m_scoresRadio);
  controls->addSpacing(8);
  controls->addWidget(m_diffCheck);
  controls->addStretch(1);
  layout->addLayout(controls);

  auto* maps = new QHBoxLayout;
  m_teacher = new AttentionHeatmap(this);
  m_teacher->setObjectName(QStringLiteral("teacherHeatmap"));
  m_student = new AttentionHeatmap(this);
  m_student->setObjectName(QStringLiteral("studentHeatmap"));
  m_difference = new AttentionHeatmap(this);
  m_difference->setObjectName(QStringLiteral("differenceHeatmap"));
  m_difference->hide();
  maps->addWidget(m_teacher, 1);
  maps->addWidget(m_student, 1);
  maps->addWidget(m_difference, 1);
  layout->addLayout(maps, 1);

  m_status = new QLabel(this);
  m_status->setObjectName(QStringLiteral("attentionStatus"));
  m_status->setWordWrap(true);
  layout->addWidget(m_status);

  connect(m_probeEdit, &QLineEdit::returnPressed, this, &AttentionView::onProbeEntered);
  connect(m_pairCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    fillHeads();
    refresh();
  });
  connect(m_headCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, &AttentionView::refresh);
  connect(m_scoresRadio, &QRadioButton::toggled, this, &AttentionView::refresh);
  connect(m_diffCheck, &QCheckBox::toggled, this, [this](bool on) {
    m_difference->setVisible(on);
    refresh();
  });
  retranslate();
}

void AttentionView::retranslate() {
  m_probeLabel->setText(tr("&Probe sentence:"));
  m_probeEdit->setPlaceholderText(tr("Type a sentence and press Enter to see how both models attend to it"));
  m_probeEdit->setToolTip(tr("The sentence whose attention is shown; it is sent to the models when "
                             "you press Enter"));
  m_pairLabel->setText(tr("&Layers:"));
  m_pairCombo->setToolTip(tr("The mapped pair of layers: the student layer that learns from a "
                             "teacher layer"));
  m_headLabel->setText(tr("&Head:"));
  m_headCombo->setToolTip(tr("One attention head of the student, or the average of all heads. "
                             "When the teacher has more heads, the group of teacher heads that "
                             "the attention loss compares with it is averaged."));
  m_probsRadio->setText(tr("Probabilities"));
  m_probsRadio->setToolTip(tr("Attention weights after softmax: each row sums to 1"));
  m_scoresRadio->setText(tr("Scores"));
  m_scoresRadio->setToolTip(tr("Raw attention scores QKᵀ/√d before softmax: what TinyBERT's "
                               "attention loss compares"));
  m_diffCheck->setText(tr("&Difference"));
  m_diffCheck->setToolTip(tr("Also show student − teacher, cell by cell (red: the student "
                             "attends more, blue: less)"));
  fillPairs();
  refresh();
}

void AttentionView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void AttentionView::setSnapshot(const AttentionSnapshotData& snapshot) {
  const int oldPair = currentPair();
  const int keepLayer = oldPair >= 0 ? m_snapshot.pairs[oldPair].studentLayer : -1;
  const int keepHead = currentHead();
  m_snapshot = snapshot;
  fillPairs();
  for (int i = 0; i < m_snapshot.pairs.size(); ++i) {
    if (m_snapshot.pairs[i].studentLayer == keepLayer) {
      const QSignalBlocker block(m_pairCombo);
      m_pairCombo->setCurrentIndex(i);
      break;
    }
  }
  fillHeads();
  setCurrentHead(keepHead);
  refresh();
}

const AttentionSnapshotData& AttentionView::snapshot() const { return m_snapshot; }

void AttentionView::clear() { setSnapshot({}); }

void AttentionView::setProbe(const QString& text) {
  m_probeEdit->setText(text);
  m_probeEdit->setModified(false);
  m_lastProbe = text.trimmed();
}

QString AttentionView::probe() const { return m_probeEdit->text().trimmed(); }

int AttentionView::currentPair() const {
  const int i = m_pairCombo->currentIndex();
  return i >= 0 && i < m_snapshot.pairs.size() ? i : -1;
}

void AttentionView::setCurrentPair(int index) {
  if (index >= 0 && index < m_pairCombo->count()) m_pairCombo->setCurrentIndex(index);
}

int AttentionView::currentHead() const {
  const QVariant data = m_headCombo->currentData();
  return data.isValid() ? data.toInt() : -1;
}

void AttentionView::setCurrentHead(int head) {
  const int index = m_headCombo->findData(head);
  m_headCombo->setCurrentIndex(index >= 0 ? index : 0);
}

bool AttentionView::showsScores() const { return m_scoresRadio->isChecked(); }

void AttentionView::setShowScores(bool scores) { (scores ? m_scoresRadio : m_probsRadio)->setChecked(true); }

bool AttentionView::showsDifference() const { return m_diffCheck->isChecked(); }

void AttentionView::setShowDifference(bool on) { m_diffCheck->setChecked(on); }

AttentionHeatmap* AttentionView::teacherHeatmap() const { return m_teacher; }
AttentionHeatmap* AttentionView::studentHeatmap() const { return m_student; }
AttentionHeatmap* AttentionView::differenceHeatmap() const { return m_difference; }

void AttentionView::fillPairs() {
  const QSignalBlocker block(m_pairCombo);
  const int index = m_pairCombo->currentIndex();
  m_pairCombo->clear();
  for (const AttentionPairData& p : qAsConst(m_snapshot.pairs))
    m_pairCombo->addItem(p.studentHeads > 0 ? tr("Student %1 ↔ teacher %2").arg(p.studentLayer).arg(p.teacherLayer)
                                            : tr("Teacher layer %1").arg(p.teacherLayer));
  m_pairCombo->setCurrentIndex(index >= 0 && index < m_pairCombo->count() ? index : 0);
  m_pairCombo->setEnabled(m_pairCombo->count() > 1);
  fillHeads();
}

void AttentionView::fillHeads() {
  const QSignalBlocker block(m_headCombo);
  const int head = currentHead();
  m_headCombo->clear();
  m_headCombo->addItem(tr("Average of all heads"), -1);
  const int pair = currentPair();
  // Before training there is no student: the heads are the teacher's.
  const AttentionPairData* p = pair >= 0 ? &m_snapshot.pairs[pair] : nullptr;
  const int heads = !p ? 0 : p->studentHeads > 0 ? p->studentHeads : p->teacherHeads;
  for (int h = 0; h < heads; ++h) m_headCombo->addItem(tr("Head %1").arg(h + 1), h);
  const int index = m_headCombo->findData(head);
  m_headCombo->setCurrentIndex(index >= 0 ? index : 0);
}

void AttentionView::refresh() {
  const int pair = currentPair();
  const bool scores = showsScores();
  const int head = currentHead();
  const auto mode = scores ? AttentionHeatmap::Mode::Scores : AttentionHeatmap::Mode::Probabilities;
  for (AttentionHeatmap* map : {m_teacher, m_student, m_difference}) {
    map->setMode(mode);
    map->setHead(head);
  }
  if (pair < 0) {
    m_teacher->clear();
    m_student->clear();
    m_difference->clear();
    m_teacher->setTitle(tr("Teacher"));
    m_student->setTitle(tr("Student"));
    m_difference->setTitle(tr("Student − teacher"));
    m_status->setText(tr("No attention yet: it is recorded during a run, every few steps, on the "
                         "probe sentence."));
    return;
  }
  const AttentionPairData& p = m_snapshot.pairs[pair];
  if (p.studentHeads <= 0) {
    // The teacher alone (before a run): its own heads, and a word on the student's pane.
    m_teacher->setMatrix(m_snapshot.teacherMatrix(pair, scores));
    m_teacher->setTitle(tr("Teacher, layer %1").arg(p.teacherLayer));
    m_student->setTitle(tr("Student"));
    m_student->setPlaceholder(tr("The student's attention appears here once training starts."));
    m_difference->setTitle(tr("Student − teacher"));
    m_difference->setPlaceholder(tr("The difference appears once training starts."));
    m_status->setText(tr("Before training: the teacher's attention on the probe sentence (%1 tokens, %2 heads). "
                         "The student's is recorded during the run.")
                          .arg(m_snapshot.tokens.size())
                          .arg(p.teacherHeads));
    return;
  }
  const AttentionMatrix student = m_snapshot.studentMatrix(pair, scores);
  const AttentionMatrix teacher = m_snapshot.teacherMatrix(pair, scores);
  m_student->setMatrix(student);
  m_teacher->setMatrix(groupHeads(teacher, p.studentHeads));
  if (m_diffCheck->isChecked()) m_difference->setDifference(student, teacher);

  m_student->setTitle(tr("Student, layer %1").arg(p.studentLayer));
  const int group = p.studentHeads > 0 && p.teacherHeads > p.studentHeads && p.teacherHeads % p.studentHeads == 0
                        ? p.teacherHeads / p.studentHeads
                        : 1;
  if (head >= 0 && group > 1)
    m_teacher->setTitle(tr("Teacher, layer %1, heads %2–%3 averaged")
                            .arg(p.teacherLayer)
                            .arg(head * group + 1)
                            .arg(head * group + group));
  else
    m_teacher->setTitle(tr("Teacher, layer %1").arg(p.teacherLayer));
  m_difference->setTitle(tr("Student − teacher"));
  m_status->setText(tr("Stage “%1”, step %2: %3 tokens, the student has %4 heads and the teacher %5.")
                        .arg(m_snapshot.stage, QString::number(m_snapshot.globalStep),
                             QString::number(m_snapshot.tokens.size()), QString::number(p.studentHeads),
                             QString::number(p.teacherHeads)));
}

void AttentionView::onProbeEntered() {
  const QString text = probe();
  if (text.isEmpty() || text == m_lastProbe) return;
  m_lastProbe = text;
  m_probeEdit->setModified(false);
  Q_EMIT probeChanged(text);
}

}  // namespace widgets
}  // namespace retort
