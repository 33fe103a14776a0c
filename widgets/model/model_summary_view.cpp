#include "widgets/model/model_summary_view.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace retort {
namespace widgets {

QString formatCount(qint64 n) {
  const QLocale locale;
  if (n >= 1000000) return locale.toString(static_cast<double>(n) / 1e6, 'f', 1) + QStringLiteral(" M");
  if (n >= 10000) return locale.toString(static_cast<double>(n) / 1e3, 'f', 0) + QStringLiteral(" k");
  return locale.toString(n);
}

ModelSummaryView::ModelSummaryView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  m_title = new QLabel(this);
  m_title->setObjectName(QStringLiteral("summaryTitle"));
  m_title->setWordWrap(true);
  m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_table = new QTableWidget(this);
  m_table->setObjectName(QStringLiteral("summaryTable"));
  m_table->setColumnCount(2);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->verticalHeader()->hide();
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionMode(QAbstractItemView::NoSelection);
  layout->addWidget(m_title);
  layout->addWidget(m_table, 1);
  retranslate();
}

void ModelSummaryView::setSummary(const ArchitectureSummary& summary) {
  m_summary = summary;
  m_hasSummary = true;
  fill();
}

void ModelSummaryView::clear() {
  m_hasSummary = false;
  fill();
}

QString ModelSummaryView::valueText(const QString& key) const {
  for (int r = 0; r < m_table->rowCount(); ++r) {
    auto* item = m_table->item(r, 0);
    if (item && item->data(Qt::UserRole).toString() == key) return m_table->item(r, 1)->text();
  }
  return {};
}

void ModelSummaryView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void ModelSummaryView::retranslate() {
  m_table->setHorizontalHeaderLabels({tr("Property"), tr("Value")});
  fill();
}

void ModelSummaryView::fill() {
  m_table->setRowCount(0);
  if (!m_hasSummary) {
    m_title->setText(tr("No model is open. Use File ▸ Open Checkpoint… to look at one."));
    return;
  }
  m_title->setText(tr("Model: %1").arg(m_summary.source));
  const QLocale locale;
  const QList<QPair<QString, QPair<QString, QString>>> rows = {
      {QStringLiteral("layers"), {tr("Layers"), locale.toString(m_summary.layers)}},
      {QStringLiteral("hidden"), {tr("Hidden size"), locale.toString(m_summary.hidden)}},
      {QStringLiteral("heads"), {tr("Attention heads"), locale.toString(m_summary.heads)}},
      {QStringLiteral("ffn"), {tr("Feed-forward size"), locale.toString(m_summary.ffn)}},
      {QStringLiteral("vocab"), {tr("Vocabulary"), locale.toString(m_summary.vocab)}},
      {QStringLiteral("positions"), {tr("Longest input"), tr("%1 tokens").arg(locale.toString(m_summary.maxPositions))}},
      {QStringLiteral("activation"), {tr("Activation"), m_summary.activation}},
      {QStringLiteral("classes"),
       {tr("Classes"), m_summary.labels.isEmpty() ? tr("none (no classifier head)") : m_summary.labels.join(QStringLiteral(", "))}},
      {QStringLiteral("mlm"), {tr("Masked-LM head"), m_summary.mlmHead ? tr("yes") : tr("no")}},
      {QStringLiteral("tokenizer"), {tr("Tokenizer"), m_summary.tokenizer.isEmpty() ? tr("none") : m_summary.tokenizer}},
      {QStringLiteral("parameters"), {tr("Parameters"), formatCount(m_summary.parameters)}},
      {QStringLiteral("size"), {tr("Size (float32)"), m_summary.sizeMb >= 1.0 ? tr("%1 MB").arg(locale.toString(m_summary.sizeMb, 'f', 1))
                                                 : tr("%1 kB").arg(locale.toString(m_summary.sizeMb * 1000.0, 'f', 1))}},
  };
  m_table->setRowCount(rows.size());
  for (int r = 0; r < rows.size(); ++r) {
    auto* key = new QTableWidgetItem(rows[r].second.first);
    key->setData(Qt::UserRole, rows[r].first);
    m_table->setItem(r, 0, key);
    m_table->setItem(r, 1, new QTableWidgetItem(rows[r].second.second));
  }
  m_table->resizeColumnToContents(0);
}

}  // namespace widgets
}  // namespace retort
