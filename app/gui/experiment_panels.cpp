#include "app/gui/experiment_panels.h"
#include "app/gui/document_fields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <fstream>

#include "core/data/dataset.h"
#include "core/distill/experiment.h"
#include "core/model/bert_config.h"
#include "widgets/losses/loss_weights_panel.h"

using nlohmann::json;

namespace retort {
namespace app {
namespace {

QSpinBox* spin(int min, int max, int step, QWidget* parent) {
  auto* s = new QSpinBox(parent);
  s->setRange(min, max);
  s->setSingleStep(step);
  s->setAccelerated(true);
  return s;
}

ShapeEditors shapeEditors(QWidget* parent, QFormLayout* form, const std::function<void()>& changed) {
  ShapeEditors e;
  e.layers = spin(1, 48, 1, parent);
  e.hidden = spin(8, 4096, 8, parent);
  e.heads = spin(1, 64, 1, parent);
  e.ffn = spin(8, 16384, 64, parent);
  form->addRow(QString(), e.layers);
  form->addRow(QString(), e.hidden);
  form->addRow(QString(), e.heads);
  form->addRow(QString(), e.ffn);
  for (QSpinBox* s : {e.layers, e.hidden, e.heads, e.ffn})
    QObject::connect(s, qOverload<int>(&QSpinBox::valueChanged), parent, [changed](int) { changed(); });
  return e;
}

void retranslateShape(QFormLayout* form, const ShapeEditors& e) {
  auto label = [&](QWidget* field, const QString& t) {
    if (auto* l = qobject_cast<QLabel*>(form->labelForField(field))) l->setText(t);
  };
  label(e.layers, QObject::tr("Layers"));
  label(e.hidden, QObject::tr("Hidden size"));
  label(e.heads, QObject::tr("Attention heads"));
  label(e.ffn, QObject::tr("FFN size"));
}

void loadShape(const ShapeEditors& e, const json& shape, const distill::BertShape& defaults) {
  for (QSpinBox* s : {e.layers, e.hidden, e.heads, e.ffn}) s->blockSignals(true);
  e.layers->setValue(static_cast<int>(integer(shape, {"layers"}, defaults.layers)));
  e.hidden->setValue(static_cast<int>(integer(shape, {"hidden"}, defaults.hidden)));
  e.heads->setValue(static_cast<int>(integer(shape, {"heads"}, defaults.heads)));
  e.ffn->setValue(static_cast<int>(integer(shape, {"ffn"}, defaults.ffn)));
  for (QSpinBox* s : {e.layers, e.hidden, e.heads, e.ffn}) s->blockSignals(false);
}

void storeShape(const ShapeEditors& e, json& shape) {
  if (!shape.is_object()) shape = json::object();
  shape["layers"] = e.layers->value();
  shape["hidden"] = e.hidden->value();
  shape["heads"] = e.heads->value();
  shape["ffn"] = e.ffn->value();
}

/// Matrix-product FLOPs per token of a BERT encoder at sequence length `seq`.
double bertFlopsPerToken(int layers, int hidden, int ffn, int seq) {
  const double h = hidden, f = ffn;
  return 2.0 * layers * (4.0 * h * h + 2.0 * h * f) + 4.0 * layers * seq * h;
}

qint64 bertParameters(int layers, int hidden, int heads, int ffn, int vocab) {
  model::BertConfig c;
  c.vocabSize = vocab;
  c.hiddenSize = hidden;
  c.numHiddenLayers = layers;
  c.numAttentionHeads = heads;
  c.intermediateSize = ffn;
  c.maxPositionEmbeddings = 128;
  return static_cast<qint64>(model::backboneParameterCount(c, true));
}

QString millions(qint64 n) { return QString::number(static_cast<double>(n) / 1e6, 'f', 2); }

}  // namespace

// ---- task ---------------------------------------------------------------------------------

TaskPanel::TaskPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  m_train = new QLineEdit(this);
  m_train->setObjectName(QStringLiteral("trainFile"));
  m_dev = new QLineEdit(this);
  m_dev->setObjectName(QStringLiteral("devFile"));
  m_browseTrain = new QPushButton(this);
  m_browseDev = new QPushButton(this);
  auto row = [&](QLineEdit* edit, QPushButton* button) {
    auto* h = new QHBoxLayout;
    h->addWidget(edit, 1);
    h->addWidget(button);
    return h;
  };
  m_trainLabel = new QLabel(this);
  m_devLabel = new QLabel(this);
  form->addRow(m_trainLabel, row(m_train, m_browseTrain));
  form->addRow(m_devLabel, row(m_dev, m_browseDev));
  m_textColumn = new QComboBox(this);
  m_labelColumn = new QComboBox(this);
  m_textLabel = new QLabel(this);
  m_labelLabel = new QLabel(this);
  form->addRow(m_textLabel, m_textColumn);
  form->addRow(m_labelLabel, m_labelColumn);
  m_maxLength = spin(3, 512, 8, this);
  m_lengthLabel = new QLabel(this);
  form->addRow(m_lengthLabel, m_maxLength);
  layout->addLayout(form);
  m_demo = new QPushButton(this);
  m_demo->setObjectName(QStringLiteral("useDemo"));
  layout->addWidget(m_demo, 0, Qt::AlignLeft);
  m_previewLabel = new QLabel(this);
  layout->addWidget(m_previewLabel);
  m_preview = new QTableWidget(this);
  m_preview->setObjectName(QStringLiteral("taskPreview"));
  m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_preview->horizontalHeader()->setStretchLastSection(true);
  m_preview->verticalHeader()->hide();
  layout->addWidget(m_preview, 1);
  m_labels = new QLabel(this);
  m_labels->setObjectName(QStringLiteral("labelCounts"));
  m_labels->setWordWrap(true);
  layout->addWidget(m_labels);

  auto browse = [this](QLineEdit* edit) {
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose a data file"), absolute(edit->text()),
                                                      tr("Data (*.tsv *.csv *.jsonl *.json);;All files (*)"));
    if (!file.isEmpty()) {
      edit->setText(file);
      refreshPreview();
      Q_EMIT edited();
    }
  };
  connect(m_browseTrain, &QPushButton::clicked, this, [=] { browse(m_train); });
  connect(m_browseDev, &QPushButton::clicked, this, [=] { browse(m_dev); });
  connect(m_train, &QLineEdit::editingFinished, this, [this] {
    refreshPreview();
    Q_EMIT edited();
  });
  connect(m_dev, &QLineEdit::editingFinished, this, [this] { Q_EMIT edited(); });
  for (QComboBox* c : {m_textColumn, m_labelColumn})
    connect(c, qOverload<int>(&QComboBox::activated), this, [this](int) {
      refreshPreview();
      Q_EMIT edited();
    });
  connect(m_maxLength, qOverload<int>(&QSpinBox::valueChanged), this, [this](int) { Q_EMIT edited(); });
  connect(m_demo, &QPushButton::clicked, this, [this] { Q_EMIT useDemoRequested(); });
  retranslate();
}

void TaskPanel::retranslate() {
  m_trainLabel->setText(tr("Training data"));
  m_devLabel->setText(tr("Dev data"));
  m_browseTrain->setText(tr("Browse…"));
  m_browseDev->setText(tr("Browse…"));
  m_textLabel->setText(tr("Text column"));
  m_labelLabel->setText(tr("Label column"));
  m_lengthLabel->setText(tr("Max length (tokens)"));
  m_demo->setText(tr("Use the bundled demo"));
  m_demo->setToolTip(tr("State of the Union passages labeled with their era (public domain)"));
  m_previewLabel->setText(tr("First rows of the training data:"));
  m_train->setPlaceholderText(tr("A TSV, CSV or JSON Lines file with a header"));
  m_dev->setPlaceholderText(tr("Optional: evaluation data with the same columns"));
  refreshPreview();
}

void TaskPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

QString TaskPanel::absolute(const QString& path) const {
  if (path.isEmpty() || QDir::isAbsolutePath(path)) return path;
  return QDir(m_baseDir).absoluteFilePath(path);
}

void TaskPanel::load(const json& doc, const QString& baseDir) {
  m_baseDir = baseDir;
  m_train->setText(q(text(doc, {"task", "train"})));
  m_dev->setText(q(text(doc, {"task", "dev"})));
  m_textColumn->clear();
  m_textColumn->addItem(q(text(doc, {"task", "text_column"}, "sentence")));
  m_labelColumn->clear();
  m_labelColumn->addItem(q(text(doc, {"task", "label_column"}, "label")));
  m_maxLength->blockSignals(true);
  m_maxLength->setValue(static_cast<int>(integer(doc, {"task", "max_length"}, 128)));
  m_maxLength->blockSignals(false);
  refreshPreview();
}

void TaskPanel::store(json& doc) const {
  json& t = doc["task"];
  if (!t.is_object()) t = json::object();
  t["train"] = m_train->text().toStdString();
  t["dev"] = m_dev->text().toStdString();
  t["text_column"] = m_textColumn->currentText().toStdString();
  t["label_column"] = m_labelColumn->currentText().toStdString();
  t["max_length"] = m_maxLength->value();
}

void TaskPanel::setTrainFile(const QString& path) {
  m_train->setText(path);
  refreshPreview();
  Q_EMIT edited();
}

void TaskPanel::setDevFile(const QString& path) {
  m_dev->setText(path);
  Q_EMIT edited();
}

QString TaskPanel::labelSummary() const { return m_labels->text(); }

void TaskPanel::refreshPreview() {
  m_preview->clear();
  m_preview->setRowCount(0);
  m_preview->setColumnCount(0);
  m_problem.clear();
  const QString path = absolute(m_train->text());
  if (path.isEmpty()) {
    m_labels->setText(tr("No training data chosen."));
    return;
  }
  try {
    // The header: the first line of a TSV/CSV (JSON Lines: the first object's keys).
    std::ifstream in(path.toStdString());
    std::string first;
    std::getline(in, first);
    QStringList columns;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QStringLiteral("jsonl") || suffix == QStringLiteral("json")) {
      const auto j = json::parse(first, nullptr, false);
      if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it) columns << q(it.key());
    } else {
      columns = QString::fromStdString(first).trimmed().split(suffix == QStringLiteral("csv") ? QLatin1Char(',') : QLatin1Char('\t'));
    }
    for (QComboBox* c : {m_textColumn, m_labelColumn}) {
      const QString keep = c->currentText();
      c->blockSignals(true);
      c->clear();
      c->addItems(columns);
      c->setCurrentIndex(std::max(0, static_cast<int>(columns.indexOf(keep))));
      c->blockSignals(false);
    }
    data::DatasetSpec spec;
    spec.path = path.toStdString();
    spec.textColumn = m_textColumn->currentText().toStdString();
    spec.labelColumn = m_labelColumn->currentText().toStdString();
    const auto d = data::readDataset(spec);
    const int rows = static_cast<int>(std::min<size_t>(8, d.examples.size()));
    m_preview->setColumnCount(2);
    m_preview->setHorizontalHeaderLabels({m_textColumn->currentText(), m_labelColumn->currentText()});
    m_preview->setRowCount(rows);
    for (int r = 0; r < rows; ++r) {
      const auto& e = d.examples[static_cast<size_t>(r)];
      m_preview->setItem(r, 0, new QTableWidgetItem(q(e.text)));
      m_preview->setItem(r, 1, new QTableWidgetItem(e.label >= 0 ? q(d.labels[static_cast<size_t>(e.label)]) : QString()));
    }
    const auto counts = d.labelCounts();
    QStringList parts;
    for (size_t i = 0; i < d.labels.size(); ++i) parts << QStringLiteral("%1: %2").arg(q(d.labels[i])).arg(counts[i]);
    m_labels->setText(tr("%n example(s); labels: %1", nullptr, static_cast<int>(d.examples.size()))
                          .arg(parts.join(QStringLiteral(", "))));
  } catch (const std::exception& e) {
    m_problem = QString::fromUtf8(e.what());
    m_labels->setText(tr("Cannot read the training data: %1").arg(m_problem));
  }
}

// ---- teacher ------------------------------------------------------------------------------

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
  layout->addLayout(form);
  m_train = new QCheckBox(this);
  m_train->setObjectName(QStringLiteral("trainTeacher"));
  layout->addWidget(m_train);
  m_shapeBox = new QWidget(this);
  auto* shapeForm = new QFormLayout(m_shapeBox);
  m_shape = shapeEditors(m_shapeBox, shapeForm, [this] {
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
  retranslate();
}

void TeacherPanel::retranslate() {
  m_checkpointLabel->setText(tr("Checkpoint"));
  m_browse->setText(tr("Browse…"));
  m_train->setText(tr("Train the teacher in Retort (no checkpoint)"));
  m_checkpoint->setPlaceholderText(tr("A model directory in the Hugging Face layout"));
  retranslateShape(qobject_cast<QFormLayout*>(m_shapeBox->layout()), m_shape);
  refresh();
}

void TeacherPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void TeacherPanel::load(const json& doc, const QString& baseDir) {
  m_baseDir = baseDir;
  m_checkpoint->setText(q(text(doc, {"teacher", "checkpoint"})));
  m_train->blockSignals(true);
  m_train->setChecked(m_checkpoint->text().isEmpty());
  m_train->blockSignals(false);
  const json shape = doc.contains("teacher") && doc["teacher"].contains("architecture") ? doc["teacher"]["architecture"] : json::object();
  loadShape(m_shape, shape, distill::BertShape{});
  refresh();
}

void TeacherPanel::store(json& doc) const {
  json& t = doc["teacher"];
  if (!t.is_object()) t = json::object();
  if (m_train->isChecked()) {
    t["checkpoint"] = "";
    storeShape(m_shape, t["architecture"]);
  } else {
    t["checkpoint"] = m_checkpoint->text().toStdString();
  }
}

void TeacherPanel::refresh() {
  const bool training = m_train->isChecked();
  m_shapeBox->setVisible(training);
  m_checkpoint->setEnabled(!training);
  m_browse->setEnabled(!training);
  if (training) {
    m_layersNow = m_shape.layers->value();
    m_hiddenNow = m_shape.hidden->value();
    m_vocab = 8000;
    m_parametersNow = bertParameters(m_layersNow, m_hiddenNow, m_shape.heads->value(), m_shape.ffn->value(), m_vocab);
    m_flopsNow = bertFlopsPerToken(m_layersNow, m_hiddenNow, m_shape.ffn->value(), 64);
    m_summary->setText(tr("Retort trains this teacher: %1 M parameters (with an 8,000-piece vocabulary).")
                           .arg(millions(m_parametersNow)));
    return;
  }
  QString dir = m_checkpoint->text();
  if (!dir.isEmpty() && !QDir::isAbsolutePath(dir)) dir = QDir(m_baseDir).absoluteFilePath(dir);
  try {
    const auto c = model::BertConfig::load((QDir(dir).filePath(QStringLiteral("config.json"))).toStdString());
    m_layersNow = static_cast<int>(c.numHiddenLayers);
    m_hiddenNow = static_cast<int>(c.hiddenSize);
    m_vocab = static_cast<int>(c.vocabSize);
    m_parametersNow = static_cast<qint64>(model::backboneParameterCount(c, true));
    m_flopsNow = bertFlopsPerToken(m_layersNow, m_hiddenNow, static_cast<int>(c.intermediateSize), 64);
    m_summary->setText(tr("%1 layers, hidden %2, %3 heads, FFN %4; %5 M parameters, %6 labels")
                           .arg(m_layersNow)
                           .arg(m_hiddenNow)
                           .arg(c.numAttentionHeads)
                           .arg(c.intermediateSize)
                           .arg(millions(m_parametersNow))
                           .arg(c.numLabels()));
  } catch (const std::exception& e) {
    m_layersNow = m_hiddenNow = 0;
    m_parametersNow = 0;
    m_flopsNow = 0;
    m_summary->setText(dir.isEmpty() ? tr("No teacher chosen.") : tr("Cannot read the teacher: %1").arg(QString::fromUtf8(e.what())));
  }
}

// ---- student ------------------------------------------------------------------------------

StudentPanel::StudentPanel(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  m_kind = new QComboBox(this);
  m_kind->setObjectName(QStringLiteral("studentKind"));
  m_kind->addItem(QString(), QStringLiteral("bert"));
  m_kind->addItem(QString(), QStringLiteral("bilstm"));
  m_kindLabel = new QLabel(this);
  form->addRow(m_kindLabel, m_kind);
  m_shape = shapeEditors(this, form, [this] {
    refresh();
    Q_EMIT edited();
  });
  m_shape.layers->setObjectName(QStringLiteral("studentLayers"));
  m_init = new QComboBox(this);
  m_init->addItem(QString(), QStringLiteral("random"));
  m_init->addItem(QString(), QStringLiteral("teacher_layers"));
  m_init->addItem(QString(), QStringLiteral("checkpoint"));
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

void StudentPanel::load(const json& doc) {
  const json s = doc.contains("student") ? doc["student"] : json::object();
  m_kind->setCurrentIndex(text(s, {"kind"}, "bert") == "bilstm" ? 1 : 0);
  loadShape(m_shape, s.contains("architecture") ? s["architecture"] : json::object(), distill::BertShape{});
  const int init = m_init->findData(q(text(s, {"init"}, "random")));
  m_init->setCurrentIndex(std::max(0, init));
  m_checkpoint->setText(q(text(s, {"checkpoint"})));
  refresh();
}

void StudentPanel::store(json& doc) const {
  json& s = doc["student"];
  if (!s.is_object()) s = json::object();
  s["kind"] = m_kind->currentData().toString().toStdString();
  if (isBert()) {
    storeShape(m_shape, s["architecture"]);
    s["init"] = m_init->currentData().toString().toStdString();
    if (s["init"] == "checkpoint") s["checkpoint"] = m_checkpoint->text().toStdString();
    else s.erase("checkpoint");
  } else {
    s.erase("architecture");
    s["init"] = "random";
  }
}

void StudentPanel::setTeacher(qint64 parameters, double flopsPerToken, int vocab) {
  m_teacherParameters = parameters;
  m_teacherFlops = flopsPerToken;
  if (vocab > 0) m_vocab = vocab;
  refresh();
}

int StudentPanel::layers() const { return isBert() ? m_shape.layers->value() : 0; }
bool StudentPanel::isBert() const { return m_kind->currentData().toString() == QStringLiteral("bert"); }
QString StudentPanel::estimate() const { return m_estimate->text(); }

void StudentPanel::refresh() {
  const bool bert = isBert();
  for (QSpinBox* s : {m_shape.layers, m_shape.hidden, m_shape.heads, m_shape.ffn}) s->setEnabled(bert);
  m_init->setEnabled(bert);
  m_checkpoint->setEnabled(bert && m_init->currentData().toString() == QStringLiteral("checkpoint"));
  qint64 params = 0;
  double flops = 0;
  if (bert) {
    params = bertParameters(m_shape.layers->value(), m_shape.hidden->value(), m_shape.heads->value(), m_shape.ffn->value(), m_vocab);
    flops = bertFlopsPerToken(m_shape.layers->value(), m_shape.hidden->value(), m_shape.ffn->value(), 64);
  } else {
    const double e = 300, h = 150;
    params = static_cast<qint64>(m_vocab * e + 8 * (e * h + h * h + h) + 2 * h * 200 + 200 * 3);
    flops = 2 * 8 * (e * h + h * h);
  }
  QString line = tr("%1 M parameters, %2 MB (float32)").arg(millions(params)).arg(static_cast<double>(params) * 4 / 1e6, 0, 'f', 1);
  if (bert && m_shape.hidden->value() % m_shape.heads->value() != 0)
    line += QLatin1Char('\n') + tr("The hidden size must be a multiple of the heads.");
  if (m_teacherParameters > 0 && params > 0 && flops > 0)
    line += QLatin1Char('\n') + tr("%1× fewer parameters than the teacher; about %2× faster (estimate from the matrix products)")
                                    .arg(static_cast<double>(m_teacherParameters) / static_cast<double>(params), 0, 'f', 1)
                                    .arg(m_teacherFlops / flops, 0, 'f', 1);
  m_estimate->setText(line);
}

}  // namespace app
}  // namespace retort
