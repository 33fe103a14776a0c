#include "app/gui/stages_panel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "app/gui/experiment_document.h"
#include "widgets/losses/loss_weights_panel.h"

namespace retort {
namespace app {

namespace {
enum Column { Name, Kind, Epochs, LearningRate, BatchSize, ScheduleColumn, Warmup, WeightDecay, ColumnCount };
}  // namespace

StagesPanel::StagesPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  m_table = new QTableWidget(0, ColumnCount, this);
  m_table->setObjectName(QStringLiteral("stagesTable"));
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  layout->addWidget(m_table, 1);
  auto* buttons = new QHBoxLayout;
  m_add = new QPushButton(this);
  m_remove = new QPushButton(this);
  buttons->addWidget(m_add);
  buttons->addWidget(m_remove);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  m_lossTitle = new QLabel(this);
  layout->addWidget(m_lossTitle);
  m_losses = new widgets::LossWeightsPanel(this);
  m_losses->setObjectName(QStringLiteral("lossWeights"));
  layout->addWidget(m_losses, 2);

  connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row, int, int, int) { showLosses(row); });
  connect(m_table, &QTableWidget::cellChanged, this, [this](int row, int column) {
    if (m_filling || row < 0 || row >= static_cast<int>(m_stages.size())) return;
    const bool ok = applyCell(row, column, m_table->item(row, column)->text().trimmed());
    fillRow(row);  // the value as stored (or the old one when it was not valid)
    if (column == Kind && row == m_current) showLosses(row);
    if (ok) Q_EMIT edited();
  });
  connect(m_losses, &widgets::LossWeightsPanel::weightsChanged, this, [this] {
    if (m_filling || m_current < 0 || m_current >= static_cast<int>(m_stages.size())) return;
    const auto w = m_losses->weights();
    distill::LossSpec& l = m_stages[static_cast<size_t>(m_current)].losses;
    l.softTargets = w.softTargets;
    l.temperature = w.temperature;
    SoftKind kind = SoftKind::Kl;
    if (parseSpelling(w.softKind.toStdString(), kind)) l.softKind = spelling(kind);
    l.hardLabels = w.hardLabels;
    l.logitMse = w.logitMse;
    l.cosine = w.cosine;
    l.mlm = w.mlm;
    l.attention = w.attention;
    l.hidden = w.hidden;
    l.embedding = w.embedding;
    Q_EMIT edited();
  });
  connect(m_add, &QPushButton::clicked, this, [this] {
    auto stages = m_stages;
    stages.push_back(ExperimentDocument::newStage(StageKind::Distill, m_stages));
    load(stages);
    m_table->setCurrentCell(m_table->rowCount() - 1, 0);
    Q_EMIT edited();
  });
  connect(m_remove, &QPushButton::clicked, this, [this] {
    const int row = m_table->currentRow();
    if (row < 0 || m_stages.size() <= 1) return;
    auto stages = m_stages;
    stages.erase(stages.begin() + row);
    load(stages);
    Q_EMIT edited();
  });
  retranslate();
}

void StagesPanel::retranslate() {
  m_table->setHorizontalHeaderLabels({tr("Name"), tr("Kind"), tr("Epochs"), tr("Learning rate"), tr("Batch size"),
                                      tr("Schedule"), tr("Warmup"), tr("Weight decay")});
  m_table->setToolTip(tr("Kinds: general (unlabeled corpus), intermediate (attention and hidden states), "
                         "prediction (soft targets), finetune (labels), distill (any mix). Schedule: linear "
                         "(warmup, then linear decay) or constant; warmup: a fraction of the steps or a step count"));
  m_add->setText(tr("Add stage"));
  m_remove->setText(tr("Remove stage"));
  m_lossTitle->setText(tr("Loss weights of the selected stage:"));
}

void StagesPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

bool StagesPanel::applyCell(int row, int column, const QString& value) {
  distill::StageSpec& s = m_stages[static_cast<size_t>(row)];
  bool ok = true;
  switch (column) {
    case Name: {
      ok = !value.isEmpty();
      for (size_t i = 0; ok && i < m_stages.size(); ++i) ok = static_cast<int>(i) == row || m_stages[i].name != value.toStdString();
      if (ok) s.name = value.toStdString();
      break;
    }
    case Kind: {
      StageKind kind = StageKind::Distill;
      ok = parseSpelling(value.toStdString(), kind);
      if (ok) ExperimentDocument::setStageKind(s, kind);
      break;
    }
    case Epochs: {
      const int v = value.toInt(&ok);
      ok = ok && v >= 0;
      if (ok) s.optim.epochs = v;
      break;
    }
    case LearningRate: {
      const double v = value.toDouble(&ok);
      ok = ok && v > 0;
      if (ok) s.optim.learningRate = v;
      break;
    }
    case BatchSize: {
      const int v = value.toInt(&ok);
      ok = ok && v >= 1;
      if (ok) s.optim.batchSize = v;
      break;
    }
    case ScheduleColumn: {
      Schedule schedule = Schedule::Linear;
      ok = parseSpelling(value.toStdString(), schedule);
      if (ok) s.optim.schedule = spelling(schedule);
      break;
    }
    case Warmup: {
      const double v = value.toDouble(&ok);
      ok = ok && v >= 0;
      if (ok) s.optim.warmup = v;
      break;
    }
    case WeightDecay: {
      const double v = value.toDouble(&ok);
      ok = ok && v >= 0;
      if (ok) s.optim.weightDecay = v;
      break;
    }
    default: ok = false;
  }
  return ok;
}

void StagesPanel::fillRow(int row) {
  const distill::StageSpec& s = m_stages[static_cast<size_t>(row)];
  const bool was = m_filling;
  m_filling = true;
  const QStringList cells{QString::fromStdString(s.name),      QString::fromStdString(s.kind),
                          QString::number(s.optim.epochs),     QString::number(s.optim.learningRate),
                          QString::number(s.optim.batchSize),  QString::fromStdString(s.optim.schedule),
                          QString::number(s.optim.warmup),     QString::number(s.optim.weightDecay)};
  for (int c = 0; c < ColumnCount; ++c) {
    if (auto* item = m_table->item(row, c)) item->setText(cells[c]);
    else m_table->setItem(row, c, new QTableWidgetItem(cells[c]));
  }
  m_filling = was;
}

void StagesPanel::showLosses(int row) {
  m_current = row;
  if (row < 0 || row >= static_cast<int>(m_stages.size())) return;
  const distill::LossSpec& l = m_stages[static_cast<size_t>(row)].losses;
  widgets::LossWeights w;
  w.softTargets = l.softTargets;
  w.temperature = l.temperature;
  w.softKind = QString::fromStdString(l.softKind);
  w.hardLabels = l.hardLabels;
  w.logitMse = l.logitMse;
  w.cosine = l.cosine;
  w.mlm = l.mlm;
  w.attention = l.attention;
  w.hidden = l.hidden;
  w.embedding = l.embedding;
  m_filling = true;
  m_losses->setWeights(w);
  m_filling = false;
}

void StagesPanel::load(const std::vector<distill::StageSpec>& stages) {
  m_stages = stages;
  m_filling = true;
  m_table->setRowCount(static_cast<int>(m_stages.size()));
  m_filling = false;
  for (int r = 0; r < static_cast<int>(m_stages.size()); ++r) fillRow(r);
  m_table->setCurrentCell(0, 0);
  showLosses(0);
}

}  // namespace app
}  // namespace retort
