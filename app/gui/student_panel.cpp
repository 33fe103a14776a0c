#include "app/gui/student_panel.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include "core/eval/model_estimate.h"

namespace retort {
namespace app {

namespace {
constexpr int kEstimateLength = 64;  // tokens, for the FLOP estimate

template <typename E>
void fillCombo(QComboBox* combo) {
  for (const auto& [value, name] : enumTable<E>()) combo->addItem(QString(), QString::fromLatin1(name));
}

template <typename E>
E comboValue(const QComboBox* combo) {
  return enumOf<E>(combo->currentData().toString().toStdString());
}
}  // namespace

StudentPanel::StudentPanel(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  m_kind = new QComboBox(this);
  m_kind->setObjectName(QStringLiteral("studentKind"));
  fillCombo<StudentKind>(m_kind);
  m_kindLabel = new QLabel(this);
  form->addRow(m_kindLabel, m_kind);
  m_shape = makeShapeEditors(this, form, [this] {
    refresh();
    Q_EMIT edited();
  });
  m_shape.layers->setObjectName(QStringLiteral("studentLayers"));
  m_init = new QComboBox(this);
  m_init->setObjectName(QStringLiteral("studentInit"));
  fillCombo<StudentInit>(m_init);
  m_initLabel = new QLabel(this);
  form->addRow(m_initLabel, m_init);
  m_checkpoint = new QLineEdit(this);
  m_checkpoint->setObjectName(QStringLiteral("studentCheckpoint"));
  m_checkpointLabel = new QLabel(this);
  form->addRow(m_checkpointLabel, m_checkpoint);
  connect(m_checkpoint, &QLineEdit::editingFinished, this, [this] { Q_EMIT edited(); });
  m_estimate = new QLabel(this);
  m_estimate->setObjectName(QStringLiteral("studentEstimate"));
  m_estimate->setWordWrap(true);
  form->addRow(m_estimate);
  for (QComboBox* c : {m_kind, m_init})
    connect(c, qOverload<int>(&QComboBox::activated), this, [this](int) {
      refresh();
      Q_EMIT edited();
    });
  retranslate();
}

void StudentPanel::retranslate() {
  m_kindLabel->setText(tr("Kind"));
  m_kind->setItemText(0, tr("BERT"));
  m_kind->setItemText(1, tr("BiLSTM (Tang et al.)"));
  m_initLabel->setText(tr("Initialisation"));
  m_init->setItemText(0, tr("Random"));
  m_init->setItemText(1, tr("From teacher layers (DistilBERT)"));
  m_init->setItemText(2, tr("From a checkpoint"));
  m_checkpointLabel->setText(tr("Student checkpoint"));
  m_checkpoint->setPlaceholderText(tr("For \"From a checkpoint\": e.g. a student after general distillation"));
  retranslateShape(qobject_cast<QFormLayout*>(layout()), m_shape);
  refresh();
}

void StudentPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void StudentPanel::load(const distill::StudentSpec& s) {
  m_loaded = s;
  m_kind->setCurrentIndex(std::max(0, m_kind->findData(QString::fromStdString(s.kind))));
  loadShape(m_shape, s.architecture);
  m_init->setCurrentIndex(std::max(0, m_init->findData(QString::fromStdString(s.init))));
  m_checkpoint->setText(QString::fromStdString(s.checkpoint));
  refresh();
}

void StudentPanel::store(distill::StudentSpec& s) const {
  s.kind = spelling(kind());
  if (isBert()) {
    storeShape(m_shape, s.architecture);
    s.init = spelling(comboValue<StudentInit>(m_init));
    s.checkpoint = comboValue<StudentInit>(m_init) == StudentInit::Checkpoint ? m_checkpoint->text().toStdString() : std::string();
  } else {
    s.init = spelling(StudentInit::Random);
    s.checkpoint.clear();
  }
}

void StudentPanel::setTeacher(qint64 parameters, double flopsPerToken, int vocab) {
  m_teacherParameters = parameters;
  m_teacherFlops = flopsPerToken;
  if (vocab > 0) m_vocab = vocab;
  refresh();
}

StudentKind StudentPanel::kind() const { return comboValue<StudentKind>(m_kind); }
int StudentPanel::layers() const { return isBert() ? m_shape.layers->value() : 0; }
QString StudentPanel::estimate() const { return m_estimate->text(); }

void StudentPanel::refresh() {
  const bool bert = isBert();
  for (QSpinBox* s : {m_shape.layers, m_shape.hidden, m_shape.heads, m_shape.ffn}) s->setEnabled(bert);
  m_init->setEnabled(bert);
  m_checkpoint->setEnabled(bert && comboValue<StudentInit>(m_init) == StudentInit::Checkpoint);
  eval::ModelEstimate e;
  if (bert) {
    eval::BertEstimateShape shape;
    shape.layers = m_shape.layers->value();
    shape.hidden = m_shape.hidden->value();
    shape.heads = m_shape.heads->value();
    shape.ffn = m_shape.ffn->value();
    shape.maxPositions = m_loaded.architecture.maxPositions;
    shape.vocab = m_vocab;
    shape.labels = 0;
    e = eval::estimateBert(shape, kEstimateLength);
  } else {
    eval::BiLstmEstimateShape shape;
    shape.vocab = m_vocab;
    shape.embeddingDim = m_loaded.embeddingDim;
    shape.hidden = m_loaded.lstmHidden;
    shape.denseHidden = m_loaded.denseHidden;
    shape.labels = 0;
    e = eval::estimateBiLstm(shape);
  }
  QString line = tr("%1 M parameters, %2 MB (float32)").arg(millions(e.parameters)).arg(e.sizeMb, 0, 'f', 1);
  if (bert && m_shape.hidden->value() % m_shape.heads->value() != 0)
    line += QLatin1Char('\n') + tr("The hidden size must be a multiple of the heads.");
  if (m_teacherParameters > 0 && e.parameters > 0 && e.flopsPerToken > 0)
    line += QLatin1Char('\n') + tr("%1× fewer parameters than the teacher; about %2× faster (estimate from the matrix products)")
                                    .arg(eval::ratio(static_cast<double>(m_teacherParameters), static_cast<double>(e.parameters)), 0, 'f', 1)
                                    .arg(eval::ratio(m_teacherFlops, e.flopsPerToken), 0, 'f', 1);
  m_estimate->setText(line);
}

}  // namespace app
}  // namespace retort
