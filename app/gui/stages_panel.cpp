// The stages table and the loss weights of the selected stage (declared in experiment_panels.h).

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "app/gui/document_fields.h"
#include "app/gui/experiment_panels.h"
#include "core/distill/experiment.h"
#include "widgets/losses/loss_weights_panel.h"

using nlohmann::json;

namespace retort {
namespace app {

// ---- stages -------------------------------------------------------------------------------

StagesPanel::StagesPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  m_table = new QTableWidget(0, 8, this);
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
    json& s = m_stages[static_cast<size_t>(row)];
    const QString value = m_table->item(row, column)->text().trimmed();
    bool ok = true;
    switch (column) {
      case 0: s["name"] = value.toStdString(); break;
      case 1: s["kind"] = value.toStdString(); break;
      case 2: s["optim"]["epochs"] = value.toInt(&ok); break;
      case 3: s["optim"]["learning_rate"] = value.toDouble(&ok); break;
      case 4: s["optim"]["batch_size"] = value.toInt(&ok); break;
      case 5:
        ok = value == QStringLiteral("linear") || value == QStringLiteral("constant");
        if (ok) s["optim"]["schedule"] = value.toStdString();
        break;
      case 6: s["optim"]["warmup"] = value.toDouble(&ok); break;
      case 7: s["optim"]["weight_decay"] = value.toDouble(&ok); break;
      default: break;
    }
    if (ok) Q_EMIT edited();
  });
  connect(m_losses, &widgets::LossWeightsPanel::weightsChanged, this, [this] {
    if (m_filling || m_current < 0 || m_current >= static_cast<int>(m_stages.size())) return;
    const auto w = m_losses->weights();
    m_stages[static_cast<size_t>(m_current)]["losses"] = {
        {"soft_targets", w.softTargets}, {"temperature", w.temperature}, {"soft_kind", w.softKind.toStdString()},
        {"hard_labels", w.hardLabels},   {"logit_mse", w.logitMse},     {"cosine", w.cosine},
        {"mlm", w.mlm},                  {"attention", w.attention},    {"hidden", w.hidden},
        {"embedding", w.embedding}};
    Q_EMIT edited();
  });
  connect(m_add, &QPushButton::clicked, this, [this] {
    addStage({{"kind", "distill"}});
    Q_EMIT edited();
  });
  connect(m_remove, &QPushButton::clicked, this, [this] {
    const int row = m_table->currentRow();
    if (row < 0 || m_stages.size() <= 1) return;
    m_stages.erase(m_stages.begin() + row);
    load({{"stages", m_stages}});
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

void StagesPanel::addStage(const json& stage) {
  m_stages.push_back(stage);
  const int row = m_table->rowCount();
  m_filling = true;
  m_table->insertRow(row);
  const distill::OptimSpec defaults;
  const std::string kind = text(stage, {"kind"}, "distill");
  const json optim = stage.contains("optim") ? stage["optim"] : json::object();
  m_table->setItem(row, 0, new QTableWidgetItem(q(text(stage, {"name"}, kind))));
  m_table->setItem(row, 1, new QTableWidgetItem(q(kind)));
  m_table->setItem(row, 2, new QTableWidgetItem(QString::number(integer(optim, {"epochs"}, defaults.epochs))));
  const double lr = optim.contains("learning_rate") && optim["learning_rate"].is_number() ? optim["learning_rate"].get<double>() : defaults.learningRate;
  m_table->setItem(row, 3, new QTableWidgetItem(QString::number(lr)));
  m_table->setItem(row, 4, new QTableWidgetItem(QString::number(integer(optim, {"batch_size"}, defaults.batchSize))));
  m_table->setItem(row, 5, new QTableWidgetItem(q(text(optim, {"schedule"}, defaults.schedule))));
  auto real = [&](const char* key, double fallback) {
    return optim.contains(key) && optim[key].is_number() ? optim[key].get<double>() : fallback;
  };
  m_table->setItem(row, 6, new QTableWidgetItem(QString::number(real("warmup", defaults.warmup))));
  m_table->setItem(row, 7, new QTableWidgetItem(QString::number(real("weight_decay", defaults.weightDecay))));
  m_filling = false;
}

void StagesPanel::showLosses(int row) {
  m_current = row;
  if (row < 0 || row >= static_cast<int>(m_stages.size())) return;
  const json& s = m_stages[static_cast<size_t>(row)];
  distill::LossSpec l = distill::presetLosses(text(s, {"kind"}, "distill"));
  if (s.contains("losses") && s["losses"].is_object()) {
    const json& j = s["losses"];
    auto get = [&](const char* key, double& out, bool zero) {
      out = j.contains(key) && j[key].is_number() ? j[key].get<double>() : zero ? 0.0 : out;
    };
    get("soft_targets", l.softTargets, true);
    get("temperature", l.temperature, false);
    get("hard_labels", l.hardLabels, true);
    get("logit_mse", l.logitMse, true);
    get("cosine", l.cosine, true);
    get("mlm", l.mlm, true);
    get("attention", l.attention, true);
    get("hidden", l.hidden, true);
    get("embedding", l.embedding, true);
    if (j.contains("soft_kind") && j["soft_kind"].is_string()) l.softKind = j["soft_kind"].get<std::string>();
  }
  widgets::LossWeights w;
  w.softTargets = l.softTargets;
  w.temperature = l.temperature;
  w.softKind = q(l.softKind);
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

void StagesPanel::load(const json& doc) {
  m_filling = true;
  m_table->setRowCount(0);
  m_filling = false;
  m_stages = json::array();
  const json stages = doc.contains("stages") && doc["stages"].is_array() && !doc["stages"].empty()
                          ? doc["stages"]
                          : json::array({json{{"kind", "distill"}}});
  for (const auto& s : stages) addStage(s);
  m_table->setCurrentCell(0, 0);
  showLosses(0);
}

void StagesPanel::store(json& doc) const { doc["stages"] = m_stages; }

}  // namespace app
}  // namespace retort
