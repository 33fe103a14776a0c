#include "app/gui/teacher_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include "app/gui/experiment_document.h"
#include "core/eval/model_estimate.h"
#include "core/model/bert_config.h"

namespace retort {
namespace app {

namespace {
constexpr int kTrainedVocab = 8000;   // the tokenizer Retort trains for its own teacher
constexpr int kEstimateLength = 64;   // tokens, for the FLOP estimate
}  // namespace

TeacherPanel::TeacherPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  m_checkpoint = new QLineEdit(this);
  m_checkpoint->setObjectName(QStringLiteral("teacherCheckpoint"));
  m_browse = new QPushButton(this);
  auto* h = new QHBoxLayout;
  h->addWidget(m_checkpoint, 1);
  h->addWidget(m_browse);
  m_checkpointLabel = new QLabel(this);
  form->addRow(m_checkpointLabel, h);
  m_finetune = new QComboBox(this);
  m_finetune->setObjectName(QStringLiteral("teacherFinetune"));
  for (const auto& [value, name] : enumTable<TeacherFinetune>()) m_finetune->addItem(QString(), QString::fromLatin1(name));
  m_finetuneLabel = new QLabel(this);
  form->addRow(m_finetuneLabel, m_finetune);
  layout->addLayout(form);
  m_train = new QCheckBox(this);
  m_train->setObjectName(QStringLiteral("trainTeacher"));
  layout->addWidget(m_train);
  m_shapeBox = new QWidget(this);
  auto* shapeForm = new QFormLayout(m_shapeBox);
  m_shape = makeShapeEditors(m_shapeBox, shapeForm, [this] {
    refresh();
    Q_EMIT edited();
  });
  layout->addWidget(m_shapeBox);
  m_summary = new QLabel(this);
  m_summary->setObjectName(QStringLiteral("teacherSummary"));
  m_summary->setWordWrap(true);
  layout->addWidget(m_summary);
  layout->addStretch(1);
  connect(m_browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Checkpoint"), m_checkpoint->text());
    if (dir.isEmpty()) return;
    m_checkpoint->setText(dir);
    m_train->setChecked(false);
    refresh();
    Q_EMIT edited();
  });
  connect(m_checkpoint, &QLineEdit::editingFinished, this, [this] {
    refresh();
    Q_EMIT edited();
  });
  connect(m_train, &QCheckBox::toggled, this, [this](bool) {
    refresh();
    Q_EMIT edited();
  });
  connect(m_finetune, qOverload<int>(&QComboBox::activated), this, [this](int) { Q_EMIT edited(); });
  retranslate();
}

void TeacherPanel::retranslate() {
  m_checkpointLabel->setText(tr("Checkpoint"));
  m_browse->setText(tr("Browse…"));
  m_train->setText(tr("Train the teacher in Retort (no checkpoint)"));
  m_checkpoint->setPlaceholderText(tr("A model directory in the Hugging Face layout"));
  m_finetuneLabel->setText(tr("Fine-tune on the task"));
  m_finetune->setItemText(0, tr("When needed (no classifier, or other classes)"));
  m_finetune->setItemText(1, tr("Always"));
  m_finetune->setItemText(2, tr("Never"));
  retranslateShape(qobject_cast<QFormLayout*>(m_shapeBox->layout()), m_shape);
  refresh();
}

void TeacherPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void TeacherPanel::load(const distill::TeacherSpec& teacher) {
  m_checkpoint->setText(QString::fromStdString(teacher.checkpoint));
  {
    const QSignalBlocker block(m_train);
    m_train->setChecked(teacher.checkpoint.empty());
  }
  m_finetune->setCurrentIndex(std::max(0, m_finetune->findData(QString::fromStdString(teacher.finetune))));
  loadShape(m_shape, teacher.architecture);
  refresh();
}

void TeacherPanel::store(distill::TeacherSpec& teacher) const {
  if (m_train->isChecked()) {
    teacher.checkpoint.clear();
    storeShape(m_shape, teacher.architecture);
  } else {
    teacher.checkpoint = m_checkpoint->text().toStdString();
  }
  teacher.finetune = m_finetune->currentData().toString().toStdString();
}

QString TeacherPanel::summary() const { return m_summary->text(); }

void TeacherPanel::refresh() {
  const bool training = m_train->isChecked();
  m_shapeBox->setVisible(training);
  m_checkpoint->setEnabled(!training);
  m_browse->setEnabled(!training);
  m_finetune->setEnabled(!training);
  eval::BertEstimateShape shape;
  if (training) {
    shape.layers = m_shape.layers->value();
    shape.hidden = m_shape.hidden->value();
    shape.heads = m_shape.heads->value();
    shape.ffn = m_shape.ffn->value();
    shape.vocab = kTrainedVocab;
    shape.labels = 0;
    const auto e = eval::estimateBert(shape, kEstimateLength);
    m_layersNow = static_cast<int>(shape.layers);
    m_hiddenNow = static_cast<int>(shape.hidden);
    m_vocab = kTrainedVocab;
    m_parametersNow = e.parameters;
    m_flopsNow = e.flopsPerToken;
    m_summary->setText(tr("Retort trains this teacher: %1 M parameters (with an 8,000-piece vocabulary).")
                           .arg(millions(m_parametersNow)));
    return;
  }
  QString dir = m_checkpoint->text();
  try {
    const auto c = model::BertConfig::load(QDir(dir).filePath(QStringLiteral("config.json")).toStdString());
    shape.layers = c.numHiddenLayers;
    shape.hidden = c.hiddenSize;
    shape.heads = c.numAttentionHeads;
    shape.ffn = c.intermediateSize;
    shape.vocab = c.vocabSize;
    shape.maxPositions = c.maxPositionEmbeddings;
    shape.typeVocab = c.typeVocabSize;
    shape.labels = 0;
    const auto e = eval::estimateBert(shape, kEstimateLength);
    m_layersNow = static_cast<int>(c.numHiddenLayers);
    m_hiddenNow = static_cast<int>(c.hiddenSize);
    m_vocab = static_cast<int>(c.vocabSize);
    m_parametersNow = e.parameters;
    m_flopsNow = e.flopsPerToken;
    m_summary->setText(tr("%1 layers, hidden %2, %3 heads, FFN %4; %5 M parameters, %6 labels")
                           .arg(m_layersNow)
                           .arg(m_hiddenNow)
                           .arg(c.numAttentionHeads)
                           .arg(c.intermediateSize)
                           .arg(millions(m_parametersNow))
                           .arg(c.numLabels()));
  } catch (const std::exception& e) {
    m_layersNow = m_hiddenNow = m_vocab = 0;
    m_parametersNow = 0;
    m_flopsNow = 0;
    m_summary->setText(dir.isEmpty() ? tr("No teacher chosen.") : tr("Cannot read the teacher: %1").arg(QString::fromUtf8(e.what())));
  }
}

}  // namespace app
}  // namespace retort
