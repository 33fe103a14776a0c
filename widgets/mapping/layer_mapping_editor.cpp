#include "widgets/mapping/layer_mapping_editor.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "widgets/mapping/mapping_canvas.h"

namespace retort {
namespace widgets {

namespace {
enum Column { ColStudent, ColTeacher, ColAttention, ColHidden, ColWeight, ColumnCount };
}

LayerMappingEditor::LayerMappingEditor(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  m_canvas = new MappingCanvas(this);
  m_canvas->setObjectName(QStringLiteral("mappingCanvas"));
  m_table = new QTableWidget(0, ColumnCount, this);
  m_table->setObjectName(QStringLiteral("mappingTable"));
  m_table->verticalHeader()->hide();
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  top->addWidget(m_canvas, 3);
  top->addWidget(m_table, 2);
  layout->addLayout(top, 1);

  auto* buttons = new QHBoxLayout;
  m_uniformButton = new QPushButton(this);
  m_uniformButton->setObjectName(QStringLiteral("uniformButton"));
  m_lastButton = new QPushButton(this);
  m_lastButton->setObjectName(QStringLiteral("lastLayersButton"));
  m_distilButton = new QPushButton(this);
  m_distilButton->setObjectName(QStringLiteral("distilBertButton"));
  buttons->addWidget(m_uniformButton);
  buttons->addWidget(m_lastButton);
  buttons->addWidget(m_distilButton);
  buttons->addStretch(1);
  layout->addLayout(buttons);

  m_hint = new QLabel(this);
  m_hint->setWordWrap(true);
  m_status = new QLabel(this);
  m_status->setObjectName(QStringLiteral("validationLabel"));
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_hint);
  layout->addWidget(m_status);

  connect(m_uniformButton, &QPushButton::clicked, this, &LayerMappingEditor::applyUniform);
  connect(m_lastButton, &QPushButton::clicked, this, &LayerMappingEditor::applyLastLayers);
  connect(m_distilButton, &QPushButton::clicked, this, &LayerMappingEditor::applyDistilBert);
  connect(m_table, &QTableWidget::cellChanged, this, &LayerMappingEditor::onTableItemChanged);
  retranslate();
  revalidate();
}

void LayerMappingEditor::retranslate() {
  m_table->setHorizontalHeaderLabels({tr("Student"), tr("Teacher"), tr("Attention"), tr("Hidden"), tr("Weight")});
  m_table->horizontalHeaderItem(ColStudent)->setToolTip(tr("Student layer (0 = the embedding output)"));
  m_table->horizontalHeaderItem(ColTeacher)->setToolTip(tr("Teacher layer (0 = the embedding output)"));
  m_table->horizontalHeaderItem(ColAttention)
      ->setToolTip(tr("Match the attention scores of the pair (not possible on layer 0, the embeddings)"));
  m_table->horizontalHeaderItem(ColHidden)->setToolTip(tr("Match the hidden states of the pair"));
  m_table->horizontalHeaderItem(ColWeight)->setToolTip(tr("Factor on this pair's losses"));
  m_uniformButton->setText(tr("Uniform"));
  m_lastButton->setText(tr("Last layers"));
  m_distilButton->setText(tr("DistilBERT-style"));
  m_hint->setText(tr("Drag from a layer to a layer of the other model to connect them. Drag the end of a "
                     "link to another layer to move it, or away to remove it; double-click or right-click "
                     "a link to remove it."));
  setLayerCounts(m_teacherLayers, m_studentLayers);  // button tooltips and the status text
}

void LayerMappingEditor::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void LayerMappingEditor::setLayerCounts(int teacher, int student) {
  m_teacherLayers = std::max(0, teacher);
  m_studentLayers = std::max(0, student);
  const bool fits = m_studentLayers >= 1 && m_studentLayers <= m_teacherLayers;
  const bool halves = m_studentLayers >= 1 && 2 * m_studentLayers <= m_teacherLayers;
  m_uniformButton->setEnabled(fits);
  m_lastButton->setEnabled(fits);
  m_distilButton->setEnabled(halves);
  const QString needsFit = tr("Needs a student with at least one layer and no more layers than the teacher.");
  m_uniformButton->setToolTip(fits ? tr("TinyBERT's uniform mapping: student layer m learns from teacher layer "
                                        "m·N/M (rounded), so the student's layers spread evenly over the "
                                        "teacher's; plus the embeddings (0 → 0).")
                                   : needsFit);
  m_lastButton->setToolTip(fits ? tr("Student layer m learns from teacher layer N − M + m: the teacher's last "
                                     "layers; plus the embeddings (0 → 0).")
                                : needsFit);
  m_distilButton->setToolTip(halves ? tr("Student layer m learns from teacher layer 2m: every other layer of the "
                                         "teacher, as DistilBERT keeps one teacher layer in two; plus the "
                                         "embeddings (0 → 0).")
                                    : tr("Needs a teacher with at least twice as many layers as the student."));
  revalidate();
  m_canvas->update();
}

int LayerMappingEditor::teacherLayers() const { return m_teacherLayers; }
int LayerMappingEditor::studentLayers() const { return m_studentLayers; }

void LayerMappingEditor::setPairs(const QVector<MappingPair>& pairs) {
  m_pairs = pairs;
  sortPairs();
  rebuildTable();
  changed();
}

QVector<MappingPair> LayerMappingEditor::pairs() const { return m_pairs; }

bool LayerMappingEditor::connectLayers(int student, int teacher) {
  if (student < 0 || student > m_studentLayers || teacher < 0 || teacher > m_teacherLayers) return false;
  for (int i = 0; i < m_pairs.size(); ++i) {
    if (m_pairs[i].student != student) continue;
    MappingPair moved = m_pairs[i];
    moved.teacher = teacher;
    replacePairAt(i, moved);  // keeps features and weight, drops further links of the student
    return true;
  }
  MappingPair pair;
  pair.student = student;
  pair.teacher = teacher;
  pair.attention = student != 0 && teacher != 0;
  pair.hidden = true;
  m_pairs.append(pair);
  sortPairs();
  rebuildTable();
  changed();
  return true;
}

bool LayerMappingEditor::disconnectStudent(int student) {
  const auto before = m_pairs.size();
  m_pairs.erase(std::remove_if(m_pairs.begin(), m_pairs.end(), [&](const MappingPair& p) { return p.student == student; }),
                m_pairs.end());
  if (m_pairs.size() == before) return false;
  rebuildTable();
  changed();
  return true;
}

void LayerMappingEditor::removePairAt(int index) {
  if (index < 0 || index >= m_pairs.size()) return;
  m_pairs.removeAt(index);
  rebuildTable();
  changed();
}

void LayerMappingEditor::replacePairAt(int index, MappingPair pair) {
  if (index < 0 || index >= m_pairs.size()) return;
  if (pair.student == 0 || pair.teacher == 0) pair.attention = false;
  if (!pair.attention && !pair.hidden) pair.hidden = true;
  m_pairs[index] = pair;
  // The moved link replaces any other link of its student layer.
  for (int i = m_pairs.size() - 1; i >= 0; --i)
    if (i != index && m_pairs[i].student == pair.student) m_pairs.removeAt(i);
  sortPairs();
  rebuildTable();
  changed();
}

namespace {

QVector<MappingPair> withEmbeddings(QVector<MappingPair> pairs) {
  MappingPair embeddings;
  embeddings.attention = false;
  pairs.prepend(embeddings);
  return pairs;
}

/// round(num / den), halves rounded up, for num >= 0 and den > 0 (as core's roundHalfUp).
int roundHalfUp(int num, int den) { return (2 * num + den) / (2 * den); }

}  // namespace

bool LayerMappingEditor::applyUniform() {
  const int n = m_teacherLayers, m = m_studentLayers;
  if (m < 1 || m > n) return false;
  QVector<MappingPair> pairs;
  for (int s = 1; s <= m; ++s) pairs.append({s, roundHalfUp(s * n, m), true, true, 1.0});
  setPairs(withEmbeddings(pairs));
  return true;
}

bool LayerMappingEditor::applyLastLayers() {
  const int n = m_teacherLayers, m = m_studentLayers;
  if (m < 1 || m > n) return false;
  QVector<MappingPair> pairs;
  for (int s = 1; s <= m; ++s) pairs.append({s, n - m + s, true, true, 1.0});
  setPairs(withEmbeddings(pairs));
  return true;
}

bool LayerMappingEditor::applyDistilBert() {
  const int n = m_teacherLayers, m = m_studentLayers;
  if (m < 1 || 2 * m > n) return false;
  QVector<MappingPair> pairs;
  for (int s = 1; s <= m; ++s) pairs.append({s, 2 * s, true, true, 1.0});
  setPairs(withEmbeddings(pairs));
  return true;
}

bool LayerMappingEditor::isValid() const { return m_problems.isEmpty(); }

QStringList LayerMappingEditor::validationMessages() const { return m_problems; }

QString LayerMappingEditor::validationMessage() const { return m_problems.value(0); }

QPoint LayerMappingEditor::studentAnchor(int layer) const {
  return m_canvas->anchor(MappingCanvas::Side::Student, layer).toPoint() + QPoint(4, 0);
}

QPoint LayerMappingEditor::teacherAnchor(int layer) const {
  return m_canvas->anchor(MappingCanvas::Side::Teacher, layer).toPoint() - QPoint(4, 0);
}

QWidget* LayerMappingEditor::canvas() const { return m_canvas; }

void LayerMappingEditor::sortPairs() {
  std::stable_sort(m_pairs.begin(), m_pairs.end(),
                   [](const MappingPair& a, const MappingPair& b) { return a.student < b.student; });
}

void LayerMappingEditor::rebuildTable() {
  m_updatingTable = true;
  for (int row = m_pairs.size(); row < m_table->rowCount(); ++row)
    if (QWidget* w = m_table->cellWidget(row, ColWeight)) w->hide();
  m_table->setRowCount(m_pairs.size());
  for (int row = 0; row < m_pairs.size(); ++row) {
    const MappingPair& p = m_pairs[row];
    auto* student = new QTableWidgetItem(QString::number(p.student));
    student->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    auto* teacher = new QTableWidgetItem(QString::number(p.teacher));
    teacher->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    auto* attention = new QTableWidgetItem;
    Qt::ItemFlags flags = Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
    // On layer 0 attention can only be switched off (when a loaded mapping asks for it).
    if ((p.student != 0 && p.teacher != 0) || p.attention) flags |= Qt::ItemIsEnabled;
    attention->setFlags(flags);
    attention->setCheckState(p.attention ? Qt::Checked : Qt::Unchecked);
    auto* hidden = new QTableWidgetItem;
    hidden->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    hidden->setCheckState(p.hidden ? Qt::Checked : Qt::Unchecked);
    m_table->setItem(row, ColStudent, student);
    m_table->setItem(row, ColTeacher, teacher);
    m_table->setItem(row, ColAttention, attention);
    m_table->setItem(row, ColHidden, hidden);
    // Spin boxes are reused: a replaced cell widget is only deleted later, and would be drawn
    // until then.
    auto* weight = qobject_cast<QDoubleSpinBox*>(m_table->cellWidget(row, ColWeight));
    if (!weight) {
      weight = new QDoubleSpinBox(m_table);
      weight->setObjectName(QStringLiteral("weightSpin%1").arg(row));
      weight->setRange(0.0, 100.0);
      weight->setDecimals(2);
      weight->setSingleStep(0.1);
      weight->setFrame(false);
      connect(weight, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this, row](double v) {
        if (m_updatingTable || row >= m_pairs.size()) return;
        m_pairs[row].weight = v;
        changed();
      });
      m_table->setCellWidget(row, ColWeight, weight);
    }
    weight->setValue(std::isfinite(p.weight) ? p.weight : 0.0);
  }
  m_updatingTable = false;
}

void LayerMappingEditor::onTableItemChanged(int row, int column) {
  if (m_updatingTable || row < 0 || row >= m_pairs.size()) return;
  const QTableWidgetItem* item = m_table->item(row, column);
  if (!item) return;
  if (column == ColAttention) m_pairs[row].attention = item->checkState() == Qt::Checked;
  else if (column == ColHidden) m_pairs[row].hidden = item->checkState() == Qt::Checked;
  else return;
  changed();
}

void LayerMappingEditor::revalidate() {
  m_problems.clear();
  m_badRows.clear();
  auto bad = [this](int row, const QString& message) {
    m_problems << message;
    if (row >= 0 && !m_badRows.contains(row)) m_badRows << row;
  };
  if (m_teacherLayers <= 0 || m_studentLayers <= 0) bad(-1, tr("the layer counts of both models are not set"));
  if (m_pairs.isEmpty()) bad(-1, tr("no layer pair is mapped, so nothing would be matched"));
  for (int i = 0; i < m_pairs.size(); ++i) {
    const MappingPair& p = m_pairs[i];
    if (p.student < 0 || p.student > m_studentLayers)
      bad(i, tr("student layer %1 does not exist (the student has layers 0–%2)").arg(p.student).arg(m_studentLayers));
    if (p.teacher < 0 || p.teacher > m_teacherLayers)
      bad(i, tr("teacher layer %1 does not exist (the teacher has layers 0–%2)").arg(p.teacher).arg(m_teacherLayers));
    int count = 0, first = -1;
    for (int j = 0; j < m_pairs.size(); ++j) {
      if (m_pairs[j].student != p.student) continue;
      ++count;
      if (first < 0) first = j;
    }
    if (count > 1) {
      if (!m_badRows.contains(i)) m_badRows << i;
      if (first == i)
        m_problems << (count == 2 ? tr("student layer %1 is mapped twice").arg(p.student)
                                  : tr("student layer %1 is mapped %2 times").arg(p.student).arg(count));
    }
    if (p.attention && p.student == 0 && p.teacher == 0)
      bad(i, tr("the embedding pair (0) cannot match attention: the embedding output has none"));
    else if (p.attention && (p.student == 0 || p.teacher == 0))
      bad(i, tr("student layer %1 → teacher layer %2 cannot match attention: layer 0 (the embedding output) "
                "has none")
                 .arg(p.student)
                 .arg(p.teacher));
    if (!std::isfinite(p.weight) || p.weight < 0.0)
      bad(i, tr("the weight of student layer %1 → teacher layer %2 must be a number ≥ 0").arg(p.student).arg(p.teacher));
    if (!p.attention && !p.hidden)
      bad(i, tr("student layer %1 → teacher layer %2 matches nothing: attention and hidden states are both off")
                 .arg(p.student)
                 .arg(p.teacher));
  }

  if (m_problems.isEmpty()) {
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Layer pairs mapped: %1. The mapping is valid.").arg(m_pairs.size()));
  } else {
    m_status->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    m_status->setText(tr("This mapping cannot be used:") + QStringLiteral("\n• ") +
                      m_problems.join(QStringLiteral("\n• ")));
  }
  // Mark the rows with problems.
  const bool updating = m_updatingTable;
  m_updatingTable = true;
  for (int row = 0; row < m_table->rowCount(); ++row)
    for (int column = 0; column < ColWeight; ++column)
      if (QTableWidgetItem* item = m_table->item(row, column))
        item->setBackground(m_badRows.contains(row) ? QBrush(QColor(0xfbd5d5)) : QBrush());
  m_updatingTable = updating;
}

void LayerMappingEditor::changed() {
  revalidate();
  m_canvas->update();
  Q_EMIT mappingChanged();
}

}  // namespace widgets
}  // namespace retort
