#include "widgets/results/run_history.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace retort {
namespace widgets {

RunHistoryView::RunHistoryView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  m_title = new QLabel(this);
  m_title->setObjectName(QStringLiteral("runHistoryTitle"));
  m_title->setWordWrap(true);
  layout->addWidget(m_title);

  m_tree = new QTreeWidget(this);
  m_tree->setObjectName(QStringLiteral("runHistory"));
  m_tree->setColumnCount(ColumnCount);
  m_tree->setRootIsDecorated(false);
  m_tree->setUniformRowHeights(true);
  m_tree->setAlternatingRowColors(true);
  m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
  m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_tree->header()->setStretchLastSection(false);
  m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_tree->header()->setSectionResizeMode(SettingsColumn, QHeaderView::Stretch);
  layout->addWidget(m_tree, 1);

  auto* buttons = new QHBoxLayout;
  m_showCurves = new QPushButton(this);
  m_showCurves->setObjectName(QStringLiteral("showCurves"));
  m_resume = new QPushButton(this);
  m_resume->setObjectName(QStringLiteral("resumeRun"));
  buttons->addStretch(1);
  buttons->addWidget(m_resume);
  buttons->addWidget(m_showCurves);
  layout->addLayout(buttons);

  connect(m_tree, &QTreeWidget::itemSelectionChanged, this, [this] {
    updateButtons();
    const int index = currentIndex();
    if (m_filling || index == m_selected) return;
    m_selected = index;
    Q_EMIT runSelected(index);
  });
  connect(m_tree, &QTreeWidget::itemChanged, this, &RunHistoryView::onItemChanged);
  connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
    const int index = indexOf(item);
    if (index >= 0) Q_EMIT showCurvesRequested(index);
  });
  connect(m_showCurves, &QPushButton::clicked, this, [this] {
    const int index = currentIndex();
    if (index >= 0) Q_EMIT showCurvesRequested(index);
  });
  connect(m_resume, &QPushButton::clicked, this, [this] {
    const int index = currentIndex();
    if (index >= 0 && m_runs[index].resumable) Q_EMIT resumeRequested(index);
  });
  retranslate();
  updateButtons();
}

void RunHistoryView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void RunHistoryView::retranslate() {
  m_tree->setHeaderLabels({tr("Compare"), tr("Finished"), tr("Name"), tr("Settings"), tr("Student accuracy"),
                           tr("Retention"), tr("Speed-up"), tr("Compression")});
  QTreeWidgetItem* header = m_tree->headerItem();
  header->setToolTip(CompareColumn, tr("Tick the runs to compare"));
  header->setToolTip(AccuracyColumn, tr("The student's accuracy on the dev set (– when the run had none)"));
  header->setToolTip(RetentionColumn, tr("Student accuracy as a percentage of the teacher's"));
  header->setToolTip(SpeedupColumn, tr("Teacher latency / student latency, at batch 1"));
  header->setToolTip(CompressionColumn, tr("Teacher parameters / student parameters"));
  m_showCurves->setText(tr("Show curves"));
  m_showCurves->setToolTip(tr("Draw the selected run's loss curves over the current ones"));
  m_resume->setText(tr("Resume"));
  m_resume->setToolTip(tr("Continue the selected interrupted run from its last checkpoint, exactly where it stopped"));
  for (int i = 0; i < m_runs.size(); ++i) updateItem(i);
  updateButtons();
}

void RunHistoryView::updateButtons() {
  const int index = currentIndex();
  m_showCurves->setEnabled(index >= 0);
  m_resume->setEnabled(m_resumeAllowed && index >= 0 && m_runs[index].resumable);
  m_title->setText(m_runs.isEmpty() ? tr("No runs yet: each finished run of the experiment is listed here.")
                                    : tr("Runs of this experiment: select one to see its results."));
}

QTreeWidgetItem* RunHistoryView::makeItem(int index) {
  auto* item = new QTreeWidgetItem;
  item->setData(CompareColumn, Qt::UserRole, index);
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
  item->setCheckState(CompareColumn, Qt::Unchecked);
  for (int c = AccuracyColumn; c < ColumnCount; ++c) item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

void RunHistoryView::updateItem(int index) {
  QTreeWidgetItem* item = m_tree->topLevelItem(index);
  if (!item) return;
  const bool filling = m_filling;
  m_filling = true;
  const RunFigures& f = m_runs[index];
  const QLocale locale;
  item->setText(DateColumn, f.finishedAt.isValid() ? locale.toString(f.finishedAt, QLocale::ShortFormat)
                                                   : notAvailableText());
  if (f.resumable)
    item->setText(NameColumn, f.resumeTotalSteps > 0
                                  ? tr("%1 (interrupted at step %2 of %3)").arg(f.name).arg(f.resumeStep).arg(f.resumeTotalSteps)
                                  : tr("%1 (interrupted at step %2)").arg(f.name).arg(f.resumeStep));
  else
    item->setText(NameColumn, f.cancelled ? tr("%1 (stopped early)").arg(f.name) : f.name);
  item->setToolTip(NameColumn, f.runDirectory);
  item->setText(SettingsColumn, m_settings.value(index));
  item->setToolTip(SettingsColumn, m_settings.value(index));
  item->setText(AccuracyColumn, formatPercent(f.studentAccuracy));
  item->setText(RetentionColumn, formatPercent(f.retentionOrComputed()));
  item->setText(SpeedupColumn, formatFactor(f.speedupOrComputed()));
  item->setText(CompressionColumn, formatFactor(f.compressionOrComputed()));
  m_filling = filling;
}

void RunHistoryView::setRuns(const QVector<RunFigures>& runs, const QStringList& settings) {
  m_filling = true;
  m_tree->clear();
  m_runs = runs;
  m_settings = settings;
  while (m_settings.size() < m_runs.size()) m_settings.append(QString());
  while (m_settings.size() > m_runs.size()) m_settings.removeLast();
  QList<QTreeWidgetItem*> items;
  for (int i = 0; i < m_runs.size(); ++i) items.append(makeItem(i));
  m_tree->addTopLevelItems(items);
  for (int i = 0; i < m_runs.size(); ++i) updateItem(i);
  m_tree->setCurrentItem(nullptr);
  m_selected = -1;
  m_filling = false;
  updateButtons();
}

int RunHistoryView::addRun(const RunFigures& run, const QString& settings) {
  m_filling = true;
  const int index = m_runs.size();
  m_runs.append(run);
  m_settings.append(settings);
  m_tree->addTopLevelItem(makeItem(index));
  updateItem(index);
  m_filling = false;
  updateButtons();
  return index;
}

void RunHistoryView::clear() { setRuns({}, {}); }

int RunHistoryView::runCount() const { return m_runs.size(); }

RunFigures RunHistoryView::run(int index) const { return m_runs.value(index); }

QString RunHistoryView::settings(int index) const { return m_settings.value(index); }

int RunHistoryView::indexOf(const QTreeWidgetItem* item) const {
  return item ? item->data(CompareColumn, Qt::UserRole).toInt() : -1;
}

int RunHistoryView::currentIndex() const {
  const QList<QTreeWidgetItem*> selected = m_tree->selectedItems();
  return selected.isEmpty() ? -1 : indexOf(selected.first());
}

void RunHistoryView::setCurrentIndex(int index) {
  QTreeWidgetItem* item = m_tree->topLevelItem(index);  // null for -1 or out of range
  if (item) m_tree->setCurrentItem(item);  // selects it, and only it
  else m_tree->clearSelection();
}

bool RunHistoryView::isCompared(int index) const {
  const QTreeWidgetItem* item = m_tree->topLevelItem(index);
  return item && item->checkState(CompareColumn) == Qt::Checked;
}

void RunHistoryView::setCompared(int index, bool on) {
  QTreeWidgetItem* item = m_tree->topLevelItem(index);
  if (item) item->setCheckState(CompareColumn, on ? Qt::Checked : Qt::Unchecked);  // onItemChanged emits
}

QList<int> RunHistoryView::comparedRuns() const {
  QList<int> out;
  for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
    if (isCompared(i)) out.append(i);
  return out;
}

void RunHistoryView::onItemChanged(QTreeWidgetItem* item, int column) {
  if (m_filling || column != CompareColumn) return;
  const int index = indexOf(item);
  if (index >= 0) Q_EMIT compareToggled(index, item->checkState(CompareColumn) == Qt::Checked);
}

void RunHistoryView::setResumeAllowed(bool allowed) {
  m_resumeAllowed = allowed;
  updateButtons();
}

QTreeWidget* RunHistoryView::tree() const { return m_tree; }

QString RunHistoryView::cellText(int row, int column) const {
  const QTreeWidgetItem* item = m_tree->topLevelItem(row);
  return item ? item->text(column) : QString();
}

}  // namespace widgets
}  // namespace retort
