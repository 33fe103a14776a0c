#include "widgets/results/results_view.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/charts/custom_plot.h"
#include "widgets/model/model_summary_view.h"  // formatCount

namespace retort {
namespace widgets {
namespace {

const QColor kTeacherColor(0x7f, 0x7f, 0x7f);
const QColor kStudentColor(0x1f, 0x77, 0xb4);
constexpr double kBarWidth = 0.36;

double nan() { return std::numeric_limits<double>::quiet_NaN(); }

/// student / teacher, or -1 when either is unknown (teacher not positive, student negative).
double studentOverTeacher(double student, double teacher) {
  if (!(teacher > 0) || !(student >= 0) || !std::isfinite(teacher) || !std::isfinite(student)) return -1.0;
  return student / teacher;
}

/// student / teacher where both are positive (counts, sizes, latencies), else -1.
double positiveRatio(double student, double teacher) { return student > 0 ? studentOverTeacher(student, teacher) : -1.0; }

QString countText(qint64 n) { return n > 0 ? formatCount(n) : notAvailableText(); }

QVector<double> readBars(const QCPBars* bars) {
  QVector<double> out(ResultsView::BarCount, nan());
  const auto data = bars->data();
  for (auto it = data->constBegin(); it != data->constEnd(); ++it) {
    const int index = static_cast<int>(std::lround(it->key)) - 1;
    if (index >= 0 && index < out.size()) out[index] = it->value;
  }
  return out;
}

}  // namespace

ResultsView::ResultsView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  m_title = new QLabel(this);
  m_title->setObjectName(QStringLiteral("resultsTitle"));
  m_title->setWordWrap(true);
  m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont titleFont = m_title->font();
  titleFont.setBold(true);
  m_title->setFont(titleFont);
  m_note = new QLabel(this);
  m_note->setObjectName(QStringLiteral("resultsNote"));
  m_note->setWordWrap(true);
  m_note->hide();
  layout->addWidget(m_title);
  layout->addWidget(m_note);

  auto* body = new QHBoxLayout;
  auto* left = new QVBoxLayout;
  m_table = new QTableWidget(RowCount, ColumnCount, this);
  m_table->setObjectName(QStringLiteral("resultsTable"));
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionMode(QAbstractItemView::NoSelection);
  m_table->setFocusPolicy(Qt::NoFocus);
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_table->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Maximum);  // never clipped
  for (int r = 0; r < RowCount; ++r) {
    for (int c = 0; c < ColumnCount; ++c) {
      auto* item = new QTableWidgetItem;
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      m_table->setItem(r, c, item);
    }
  }
  left->addWidget(m_table);

  m_retention = new QLabel(this);
  m_retention->setObjectName(QStringLiteral("retentionLabel"));
  m_speedup = new QLabel(this);
  m_speedup->setObjectName(QStringLiteral("speedupLabel"));
  m_compression = new QLabel(this);
  m_compression->setObjectName(QStringLiteral("compressionLabel"));
  for (QLabel* label : {m_retention, m_speedup, m_compression}) {
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    left->addWidget(label);
  }
  left->addStretch(1);
  auto* buttons = new QHBoxLayout;
  m_export = new QPushButton(this);
  m_export->setObjectName(QStringLiteral("exportStudent"));
  m_export->setEnabled(false);
  buttons->addStretch(1);
  buttons->addWidget(m_export);
  left->addLayout(buttons);
  body->addLayout(left, 1);

  m_plot = new QCustomPlot(this);
  m_plot->setObjectName(QStringLiteral("resultsChart"));
  m_plot->setMinimumSize(260, 200);
  auto* group = new QCPBarsGroup(m_plot);
  group->setSpacingType(QCPBarsGroup::stAbsolute);
  group->setSpacing(2);
  m_teacherBars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
  m_studentBars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
  for (QCPBars* bars : {m_teacherBars, m_studentBars}) {
    const QColor color = bars == m_teacherBars ? kTeacherColor : kStudentColor;
    bars->setWidth(kBarWidth);
    bars->setPen(QPen(color.darker(120)));
    bars->setBrush(color);
    bars->setBarsGroup(group);
  }
  m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  m_plot->xAxis->setSubTicks(false);
  m_plot->xAxis->setTickLength(0, 4);
  m_plot->xAxis->grid()->setVisible(false);
  m_plot->xAxis->setRange(0.4, BarCount + 0.6);
  m_plot->yAxis->setRange(0.0, 120.0);
  m_plot->legend->setVisible(true);
  m_plot->legend->setBrush(QColor(255, 255, 255, 210));
  m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);  // one row, above the bars
  m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignHCenter);
  body->addWidget(m_plot, 1);
  layout->addLayout(body, 1);

  connect(m_export, &QPushButton::clicked, this, &ResultsView::exportRequested);
  retranslate();
}

void ResultsView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void ResultsView::retranslate() {
  m_table->setHorizontalHeaderLabels({tr("Teacher"), tr("Student"), tr("Student / teacher")});
  m_table->setVerticalHeaderLabels({tr("Accuracy"), tr("Parameters"), tr("Size (MB)"), tr("Latency batch 1 (ms)"),
                                    tr("Latency batch 32 (ms)")});
  m_table->horizontalHeaderItem(RatioColumn)
      ->setToolTip(tr("The student's figure as a percentage of the teacher's"));
  m_table->verticalHeaderItem(AccuracyRow)->setToolTip(tr("Accuracy on the dev set (– when the run had none)"));
  m_table->verticalHeaderItem(SizeRow)->setToolTip(tr("Size of the weights as 32-bit floats, in megabytes (10⁶ bytes)"));
  m_table->verticalHeaderItem(LatencyRow)
      ->setToolTip(tr("Median time of one forward pass of a single input, in milliseconds"));
  m_table->verticalHeaderItem(LatencyBatchRow)
      ->setToolTip(tr("Median time of one forward pass of 32 inputs at once, in milliseconds"));
  m_export->setText(tr("Export student…"));
  m_export->setToolTip(tr("Copy the trained student (weights, configuration and tokenizer) to a folder of your choice"));
  auto ticker = qSharedPointerCast<QCPAxisTickerText>(m_plot->xAxis->ticker());
  ticker->clear();
  ticker->addTick(AccuracyBar + 1, metricName(m_figures.metric));
  ticker->addTick(ParametersBar + 1, tr("Parameters"));
  ticker->addTick(LatencyBar + 1, tr("Latency"));
  m_plot->yAxis->setLabel(tr("% of the teacher"));
  m_teacherBars->setName(tr("Teacher"));
  m_studentBars->setName(tr("Student"));
  m_plot->setToolTip(tr("The student relative to the teacher (teacher = 100%); latency at batch 1, lower is faster"));
  fill();
}

void ResultsView::setFigures(const RunFigures& figures) {
  m_figures = figures;
  m_hasFigures = true;
  fill();
}

RunFigures ResultsView::figures() const { return m_figures; }

bool ResultsView::hasFigures() const { return m_hasFigures; }

void ResultsView::clear() {
  m_figures = RunFigures();
  m_hasFigures = false;
  fill();
}

void ResultsView::fill() {
  const RunFigures& f = m_figures;
  m_export->setEnabled(m_hasFigures && !f.runDirectory.isEmpty());
  m_note->setVisible(m_hasFigures && f.cancelled);
  m_note->setText(tr("This run was stopped early: the figures are those of the student trained so far."));
  if (!m_hasFigures) {
    m_title->setText(tr("No results yet: they appear here when a run ends."));
    for (int r = 0; r < RowCount; ++r) {
      for (int c = 0; c < ColumnCount; ++c) {
        m_table->item(r, c)->setText(QString());
        m_table->item(r, c)->setToolTip(QString());
      }
    }
    m_retention->clear();
    m_speedup->clear();
    m_compression->clear();
    fillChart();
    return;
  }
  m_title->setText(f.name.isEmpty() ? tr("Results") : tr("Results of %1").arg(f.name));
  const QLocale locale;
  auto set = [this](int row, const QString& teacher, const QString& student, double ratio) {
    m_table->item(row, TeacherColumn)->setText(teacher);
    m_table->item(row, StudentColumn)->setText(student);
    m_table->item(row, RatioColumn)->setText(formatPercent(ratio));
  };
  // The first row is the task's metric: accuracy, or F1 / MCC with the accuracy in the cells'
  // tooltips.
  const bool byAccuracy = f.metric == QLatin1String("accuracy");
  m_table->verticalHeaderItem(AccuracyRow)->setText(metricName(f.metric));
  if (byAccuracy) {
    set(AccuracyRow, formatPercent(f.teacherAccuracy), formatPercent(f.studentAccuracy),
        studentOverTeacher(f.studentAccuracy, f.teacherAccuracy));
    m_table->item(AccuracyRow, TeacherColumn)->setToolTip(QString());
    m_table->item(AccuracyRow, StudentColumn)->setToolTip(QString());
  } else {
    const bool evaluated = f.evaluated();
    auto score = [evaluated](double x) { return evaluated ? QLocale().toString(x, 'f', 4) : notAvailableText(); };
    set(AccuracyRow, score(f.teacherScore), score(f.studentScore), f.retentionOrComputed());
    const bool tips = !f.scoresWithoutAccuracy;
    m_table->item(AccuracyRow, TeacherColumn)->setToolTip(tips ? tr("Accuracy: %1").arg(formatPercent(f.teacherAccuracy)) : QString());
    m_table->item(AccuracyRow, StudentColumn)->setToolTip(tips ? tr("Accuracy: %1").arg(formatPercent(f.studentAccuracy)) : QString());
  }
  set(ParametersRow, countText(f.teacherParameters), countText(f.studentParameters),
      positiveRatio(static_cast<double>(f.studentParameters), static_cast<double>(f.teacherParameters)));
  m_table->item(ParametersRow, TeacherColumn)->setToolTip(locale.toString(f.teacherParameters));
  m_table->item(ParametersRow, StudentColumn)->setToolTip(locale.toString(f.studentParameters));
  set(SizeRow, formatAmount(f.teacherSizeMb), formatAmount(f.studentSizeMb), positiveRatio(f.studentSizeMb, f.teacherSizeMb));
  set(LatencyRow, formatAmount(f.teacherLatencyMs), formatAmount(f.studentLatencyMs),
      positiveRatio(f.studentLatencyMs, f.teacherLatencyMs));
  set(LatencyBatchRow, formatAmount(f.teacherLatencyBatchMs), formatAmount(f.studentLatencyBatchMs),
      positiveRatio(f.studentLatencyBatchMs, f.teacherLatencyBatchMs));

  const double retention = f.retentionOrComputed();
  if (retention >= 0)
    m_retention->setText(byAccuracy ? tr("Retention: %1 of the teacher's accuracy").arg(formatPercent(retention))
                                    : tr("Retention: %1 of the teacher's %2").arg(formatPercent(retention), metricName(f.metric)));
  else if (!f.evaluated())
    m_retention->setText(tr("Retention: – (the run had no dev set, so no accuracy was measured)"));
  else
    m_retention->setText(tr("Retention: – (the teacher's %1 is not above 0)").arg(metricName(f.metric)));
  const QString b1 = formatFactor(f.speedupOrComputed());
  const QString b32 = formatFactor(f.speedupBatchOrComputed());
  m_speedup->setText(f.typicalLength > 0
                         ? tr("Speed-up: %1 at batch 1, %2 at batch 32 (inputs of %3 tokens)")
                               .arg(b1, b32, locale.toString(f.typicalLength))
                         : tr("Speed-up: %1 at batch 1, %2 at batch 32").arg(b1, b32));
  m_compression->setText(tr("Compression: %1 (teacher parameters / student parameters)")
                             .arg(formatFactor(f.compressionOrComputed())));
  fillChart();
}

QString ResultsView::metricName(const QString& metric) {
  if (metric == QLatin1String("f1")) return tr("F1");
  if (metric == QLatin1String("mcc")) return tr("MCC");
  if (metric == QLatin1String("pearson")) return tr("Pearson");
  if (metric == QLatin1String("spearman")) return tr("Spearman");
  if (metric == QLatin1String("micro_f1")) return tr("Micro F1");
  if (metric == QLatin1String("macro_f1")) return tr("Macro F1");
  if (metric == QLatin1String("exact_match")) return tr("Exact match");
  if (metric == QLatin1String("entity_f1")) return tr("Entity F1");
  if (metric == QLatin1String("entity_precision")) return tr("Entity precision");
  if (metric == QLatin1String("entity_recall")) return tr("Entity recall");
  return tr("Accuracy");
}

void ResultsView::fillChart() {
  qSharedPointerCast<QCPAxisTickerText>(m_plot->xAxis->ticker())->addTick(AccuracyBar + 1, metricName(m_figures.metric));
  for (QCPItemText* label : qAsConst(m_barLabels)) m_plot->removeItem(label);
  m_barLabels.clear();
  m_teacherBars->data()->clear();
  m_studentBars->data()->clear();
  double top = 100.0;
  if (m_hasFigures) {
    const RunFigures& f = m_figures;
    const double ratios[BarCount] = {
        f.metric == QLatin1String("accuracy") ? studentOverTeacher(f.studentAccuracy, f.teacherAccuracy)
                                              : f.retentionOrComputed(),
        positiveRatio(static_cast<double>(f.studentParameters), static_cast<double>(f.teacherParameters)),
        positiveRatio(f.studentLatencyMs, f.teacherLatencyMs)};
    for (int i = 0; i < BarCount; ++i) {
      if (ratios[i] < 0) continue;
      const double key = i + 1;
      const double value = ratios[i] * 100.0;
      m_teacherBars->addData(key, 100.0);
      m_studentBars->addData(key, value);
      top = std::max(top, value);
      auto* label = new QCPItemText(m_plot);
      // The student's bar is the right one of the pair: centre the label above it.
      label->position->setCoords(key + kBarWidth / 2.0, value);
      label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
      label->setPadding(QMargins(2, 0, 2, 2));
      label->setText(formatPercent(ratios[i]));
      label->setColor(kStudentColor.darker(140));
      label->setClipToAxisRect(false);
      m_barLabels.append(label);
    }
  }
  m_plot->yAxis->setRange(0.0, top * 1.3);  // room for the labels and the legend
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QTableWidget* ResultsView::table() const { return m_table; }

QString ResultsView::cellText(int row, int column) const {
  const QTableWidgetItem* item = m_table->item(row, column);
  return item ? item->text() : QString();
}

QVector<double> ResultsView::barValues() const { return readBars(m_studentBars); }

QVector<double> ResultsView::teacherBarValues() const { return readBars(m_teacherBars); }

QString ResultsView::retentionText() const { return m_retention->text(); }

QString ResultsView::speedupText() const { return m_speedup->text(); }

QString ResultsView::compressionText() const { return m_compression->text(); }

QCustomPlot* ResultsView::chart() const { return m_plot; }

}  // namespace widgets
}  // namespace retort
