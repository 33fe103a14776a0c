#include "app/gui/task_panel.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <memory>

#include "app/gui/latest_job.h"
#include "app/gui/shape_editors.h"
#include "core/data/preview.h"

namespace retort {
namespace app {
namespace {

/// What the worker reads: the columns (even when the rest fails) and the preview or the error.
struct PreviewResult {
  QStringList columns;
  data::DatasetPreview preview;
  QString error;
};

QStringList toQt(const std::vector<std::string>& v) {
  QStringList out;
  for (const auto& s : v) out << QString::fromStdString(s);
  return out;
}

}  // namespace

TaskPanel::TaskPanel(QWidget* parent) : QWidget(parent), m_job(new LatestJob(this)) {
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
  m_textColumn->setObjectName(QStringLiteral("textColumn"));
  m_labelColumn = new QComboBox(this);
  m_labelColumn->setObjectName(QStringLiteral("labelColumn"));
  m_textLabel = new QLabel(this);
  m_labelLabel = new QLabel(this);
  form->addRow(m_textLabel, m_textColumn);
  form->addRow(m_labelLabel, m_labelColumn);
  m_maxLength = makeSpinBox(3, 512, 8, this);
  m_lengthLabel = new QLabel(this);
  form->addRow(m_lengthLabel, m_maxLength);
  m_kind = new QComboBox(this);
  m_kind->setObjectName(QStringLiteral("taskKind"));
  for (const char* key : {"classification", "regression", "multi_label", "token_classification"}) m_kind->addItem(QString(), QString::fromLatin1(key));
  m_kindLabel = new QLabel(this);
  m_kindLabel->setBuddy(m_kind);
  form->addRow(m_kindLabel, m_kind);
  m_metric = new QComboBox(this);
  m_metric->setObjectName(QStringLiteral("taskMetric"));
  m_metricLabel = new QLabel(this);
  m_metricLabel->setBuddy(m_metric);
  form->addRow(m_metricLabel, m_metric);
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
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose a data file"), edit->text(),
                                                      tr("Data (*.tsv *.csv *.jsonl *.json *.conll *.iob *.bio);;All files (*)"));
    if (!file.isEmpty()) {
      edit->setText(file);
      if (edit == m_train) {
        m_columns.clear();  // another file: read with its header row
        m_guessKind = true;
        refreshPreview();
      }
      Q_EMIT edited();
    }
  };
  connect(m_browseTrain, &QPushButton::clicked, this, [=] { browse(m_train); });
  connect(m_browseDev, &QPushButton::clicked, this, [=] { browse(m_dev); });
  connect(m_train, &QLineEdit::editingFinished, this, [this] {
    if (!m_train->isModified()) return;
    m_train->setModified(false);
    m_columns.clear();
    m_guessKind = true;
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
  connect(m_metric, qOverload<int>(&QComboBox::activated), this, [this](int) { Q_EMIT edited(); });
  connect(m_kind, qOverload<int>(&QComboBox::activated), this, [this](int) {
    m_guessKind = false;  // the user's choice stands
    fillMetrics(m_kind->currentData().toString());
    refreshPreview();
    Q_EMIT edited();
  });
  connect(m_demo, &QPushButton::clicked, this, [this] { Q_EMIT useDemoRequested(); });
  retranslate();
  load(distill::TaskSpec{});  // core's defaults until a document is shown
}

void TaskPanel::retranslate() {
  m_trainLabel->setText(tr("Training data"));
  m_devLabel->setText(tr("Dev data"));
  m_browseTrain->setText(tr("Browse…"));
  m_browseDev->setText(tr("Browse…"));
  m_textLabel->setText(tr("Text column"));
  m_labelLabel->setText(tr("Label column"));
  m_lengthLabel->setText(tr("Max length (tokens)"));
  m_kindLabel->setText(tr("Task kind"));
  m_kind->setItemText(0, tr("Classification (one class per example)"));
  m_kind->setItemText(1, tr("Regression (a number per example)"));
  m_kind->setItemText(2, tr("Multi-label (any number of classes per example)"));
  m_kind->setItemText(3, tr("Token classification (a tag per word: NER, tagging)"));
  m_kind->setToolTip(tr("Guessed from a newly chosen training file: numbers with decimals are a regression, labels "
                        "joined by commas or JSON lists are multi-label, CoNLL files and JSON lists of tokens are token "
                        "classification. Change it if the guess is wrong."));
  m_metricLabel->setText(tr("Metric"));
  fillMetrics(m_kind->currentData().toString());
  m_metric->setToolTip(tr("The task's headline metric: it picks the best student and gives the retention. "
                          "F1 needs two classes (GLUE reports MCC for CoLA, F1 for MRPC and QQP, Pearson for STS-B)."));
  m_demo->setText(tr("Use the bundled demo"));
  m_demo->setToolTip(tr("State of the Union passages labeled with their era (public domain)"));
  m_previewLabel->setText(tr("First rows of the training data:"));
  m_train->setPlaceholderText(tr("A TSV, CSV or JSON Lines file with a header"));
  m_dev->setPlaceholderText(tr("Optional: evaluation data with the same columns"));
  showSummary();
}

void TaskPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void TaskPanel::load(const distill::TaskSpec& task) {
  m_train->setText(QString::fromStdString(task.train));
  m_dev->setText(QString::fromStdString(task.dev));
  for (auto [combo, column] : {std::pair{m_textColumn, &task.textColumn}, std::pair{m_labelColumn, &task.labelColumn}}) {
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(QString::fromStdString(*column));
  }
  const QSignalBlocker block(m_maxLength);
  m_maxLength->setValue(static_cast<int>(task.maxLength));
  const QSignalBlocker blockKind(m_kind);
  m_kind->setCurrentIndex(std::max(0, m_kind->findData(QString::fromStdString(task.kind))));
  m_guessKind = false;  // the document's kind
  fillMetrics(m_kind->currentData().toString());
  const QSignalBlocker blockMetric(m_metric);
  m_metric->setCurrentIndex(std::max(0, m_metric->findData(QString::fromStdString(task.metric))));
  m_columns = task.columns;
  refreshPreview();
}

void TaskPanel::store(distill::TaskSpec& task) const {
  task.train = m_train->text().toStdString();
  task.dev = m_dev->text().toStdString();
  task.textColumn = m_textColumn->currentText().toStdString();
  task.labelColumn = m_labelColumn->currentText().toStdString();
  task.maxLength = m_maxLength->value();
  task.metric = m_metric->currentData().toString().toStdString();
  task.kind = m_kind->currentData().toString().toStdString();
  task.columns = m_columns;
  if (task.kind == "regression") task.labels.clear();  // a regression has no classes
}

void TaskPanel::fillMetrics(const QString& kind) {
  const QString keep = m_metric->currentData().toString();
  const QSignalBlocker block(m_metric);
  m_metric->clear();
  for (const auto& key : distill::taskMetrics(kind.toStdString())) {
    const QString k = QString::fromStdString(key);
    QString name;
    if (k == QLatin1String("accuracy")) name = tr("Accuracy");
    else if (k == QLatin1String("f1")) name = tr("F1 (of class 1)");
    else if (k == QLatin1String("mcc")) name = tr("Matthews correlation (MCC)");
    else if (k == QLatin1String("pearson")) name = tr("Pearson correlation");
    else if (k == QLatin1String("spearman")) name = tr("Spearman rank correlation");
    else if (k == QLatin1String("micro_f1")) name = tr("Micro F1 (over all classes)");
    else if (k == QLatin1String("macro_f1")) name = tr("Macro F1 (mean of the classes' F1)");
    else if (k == QLatin1String("exact_match")) name = tr("Exact match (every class of an example right)");
    else if (k == QLatin1String("entity_f1")) name = tr("Entity F1 (seqeval)");
    else if (k == QLatin1String("entity_precision")) name = tr("Entity precision");
    else name = tr("Entity recall");
    m_metric->addItem(name, k);
  }
  // Another kind starts from its own headline metric (accuracy is offered to a token task too,
  // but entity F1 is what it is judged by); the same kind keeps the user's pick.
  m_metric->setCurrentIndex(kind == m_metricsKind ? std::max(0, m_metric->findData(keep)) : 0);
  m_metricsKind = kind;
}

void TaskPanel::setTrainFile(const QString& path) {
  m_train->setText(path);
  m_columns.clear();
  m_guessKind = true;
  refreshPreview();
  Q_EMIT edited();
}

void TaskPanel::setDevFile(const QString& path) {
  m_dev->setText(path);
  Q_EMIT edited();
}

QString TaskPanel::labelSummary() const { return m_labels->text(); }

QString TaskPanel::firstText() const {
  return m_preview->rowCount() > 0 && m_preview->item(0, 0) ? m_preview->item(0, 0)->text() : QString();
}

void TaskPanel::showSummary() {
  if (m_train->text().isEmpty()) m_labels->setText(tr("No training data chosen."));
  else if (m_reading) m_labels->setText(tr("Reading the training data…"));
  else if (!m_problem.isEmpty()) m_labels->setText(tr("Cannot read the training data: %1").arg(m_problem));
  else if (m_examples >= 0)
    m_labels->setText(tr("%n example(s); labels: %1", nullptr, static_cast<int>(m_examples)).arg(m_labelParts.join(QStringLiteral(", "))));
}

void TaskPanel::refreshPreview() {
  m_problem.clear();
  m_examples = -1;
  m_labelParts.clear();
  const QString path = m_train->text();
  if (path.isEmpty()) {
    m_job->cancel();
    m_reading = false;
    m_preview->clear();
    m_preview->setRowCount(0);
    m_preview->setColumnCount(0);
    showSummary();
    Q_EMIT previewReady();
    return;
  }
  data::DatasetSpec spec;
  spec.path = path.toStdString();
  spec.textColumn = m_textColumn->currentText().toStdString();
  spec.labelColumn = m_labelColumn->currentText().toStdString();
  spec.columns = m_columns;
  spec.kind = m_guessKind ? std::string("auto") : m_kind->currentData().toString().toStdString();
  m_reading = true;
  showSummary();
  m_job->start([this, spec] {
    auto result = std::make_shared<PreviewResult>();
    try {
      result->columns = spec.columns.empty() ? toQt(data::datasetColumns(spec.path, spec.format)) : toQt(spec.columns);
      result->preview = data::previewDataset(spec, kPreviewRows);
    } catch (const std::exception& e) {
      result->error = QString::fromUtf8(e.what());
    }
    return std::function<void()>([this, result] {
      m_reading = false;
      if (!result->columns.isEmpty())
        for (QComboBox* c : {m_textColumn, m_labelColumn}) {
          const QString keep = c->currentText();
          const QSignalBlocker block(c);
          c->clear();
          c->addItems(result->columns);
          if (!result->columns.contains(keep)) c->addItem(keep);  // the document's choice stays until the user picks
          c->setCurrentText(keep);
        }
      m_preview->clear();
      m_problem = result->error;
      const auto& p = result->preview;
      const QString kind = QString::fromStdString(p.kind);
      if (m_guessKind && m_problem.isEmpty()) {
        m_guessKind = false;
        if (kind != m_kind->currentData().toString()) {
          m_kind->setCurrentIndex(std::max(0, m_kind->findData(kind)));
          fillMetrics(kind);
          Q_EMIT edited();
        }
      }
      const int rows = m_problem.isEmpty() ? static_cast<int>(p.rows.size()) : 0;
      m_preview->setColumnCount(m_problem.isEmpty() ? 2 : 0);
      if (p.kind == "token_classification")
        m_preview->setHorizontalHeaderLabels({tr("Words"), tr("Tags")});
      else
        m_preview->setHorizontalHeaderLabels({m_textColumn->currentText(), m_labelColumn->currentText()});
      m_preview->setRowCount(rows);
      for (int r = 0; r < rows; ++r) {
        const auto& e = p.rows[static_cast<size_t>(r)];
        m_preview->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(e.text)));
        QString label;
        if (p.kind == "regression" && !e.targets.empty()) {
          label = QLocale().toString(static_cast<double>(e.targets[0]), 'g', 6);
        } else if (p.kind == "multi_label") {
          QStringList names;
          for (size_t c = 0; c < e.targets.size() && c < p.labels.size(); ++c)
            if (e.targets[c] > 0.5f) names << QString::fromStdString(p.labels[c]);
          label = names.join(QStringLiteral(", "));
        } else if (p.kind == "token_classification") {
          QStringList tags;
          for (int64_t t : e.tags)
            tags << (t >= 0 && static_cast<size_t>(t) < p.labels.size() ? QString::fromStdString(p.labels[static_cast<size_t>(t)])
                                                                         : QStringLiteral("?"));
          label = tags.join(QLatin1Char(' '));
        } else if (e.label >= 0) {
          label = QString::fromStdString(p.labels[static_cast<size_t>(e.label)]);
        }
        m_preview->setItem(r, 1, new QTableWidgetItem(label));
      }
      if (m_problem.isEmpty()) {
        m_examples = p.examples;
        if (p.kind == "regression")
          m_labelParts << tr("a number in “%1”").arg(m_labelColumn->currentText());
        else
          for (size_t i = 0; i < p.labels.size(); ++i)
            m_labelParts << QStringLiteral("%1: %2").arg(QString::fromStdString(p.labels[i])).arg(p.labelCounts[i]);
      }
      showSummary();
      Q_EMIT previewReady();
    });
  });
}

}  // namespace app
}  // namespace retort
