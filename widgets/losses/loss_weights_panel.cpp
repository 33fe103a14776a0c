#include "widgets/losses/loss_weights_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWhatsThis>

#include <cmath>

namespace retort {
namespace widgets {
namespace {

constexpr int kScale = 100;  // slider units per 1.0: 0.01 steps

QString objectBase(const QString& key) {
  // soft_targets -> softTargets
  QString out;
  bool upper = false;
  for (const QChar c : key) {
    if (c == QLatin1Char('_')) {
      upper = true;
      continue;
    }
    out += upper ? c.toUpper() : c;
    upper = false;
  }
  return out;
}

}  // namespace

bool LossWeights::operator==(const LossWeights& o) const {
  return softTargets == o.softTargets && temperature == o.temperature && softKind == o.softKind &&
         hardLabels == o.hardLabels && logitMse == o.logitMse && cosine == o.cosine && mlm == o.mlm &&
         attention == o.attention && hidden == o.hidden && embedding == o.embedding;
}

QStringList LossWeightsPanel::keys() {
  return {QStringLiteral("soft_targets"), QStringLiteral("hard_labels"), QStringLiteral("logit_mse"),
          QStringLiteral("cosine"),       QStringLiteral("mlm"),         QStringLiteral("attention"),
          QStringLiteral("hidden"),       QStringLiteral("embedding"),   QStringLiteral("temperature")};
}

LossWeightsPanel::LossWeightsPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* grid = new QGridLayout;
  grid->setColumnStretch(1, 1);
  layout->addLayout(grid);
  const QStringList all = keys();
  for (const QString& key : all) {
    if (key == QLatin1String("temperature")) addRow(key, 20.0, 0.1);
    else addRow(key, 10.0, 0.0);
  }
  int r = 0;
  for (const QString& key : all) {
    const Row& row = m_rows[key];
    grid->addWidget(row.label, r, 0);
    grid->addWidget(row.slider, r, 1);
    grid->addWidget(row.spin, r, 2);
    ++r;
  }
  m_softKindLabel = new QLabel(this);
  m_softKind = new QComboBox(this);
  m_softKind->setObjectName(QStringLiteral("softKindCombo"));
  m_softKind->addItem(QString(), QStringLiteral("kl"));
  m_softKind->addItem(QString(), QStringLiteral("ce"));
  m_softKindLabel->setBuddy(m_softKind);
  grid->addWidget(m_softKindLabel, r, 0);
  grid->addWidget(m_softKind, r, 1, 1, 2);

  auto* bottom = new QHBoxLayout;
  m_note = new QLabel(this);
  m_note->setWordWrap(true);
  m_whatsThis = new QToolButton(this);
  m_whatsThis->setObjectName(QStringLiteral("whatsThisButton"));
  m_whatsThis->setText(QStringLiteral("?"));
  bottom->addWidget(m_note, 1);
  bottom->addWidget(m_whatsThis, 0, Qt::AlignTop);
  layout->addLayout(bottom);
  layout->addStretch(1);

  connect(m_softKind, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    if (!m_setting) Q_EMIT weightsChanged();
  });
  connect(m_whatsThis, &QToolButton::clicked, this, [] { QWhatsThis::enterWhatsThisMode(); });
  retranslate();
}

void LossWeightsPanel::addRow(const QString& key, double maximum, double minimum) {
  Row row;
  row.label = new QLabel(this);
  row.slider = new QSlider(Qt::Horizontal, this);
  row.spin = new QDoubleSpinBox(this);
  const QString base = objectBase(key);
  row.slider->setObjectName(base + QStringLiteral("Slider"));
  row.spin->setObjectName(base + QStringLiteral("Spin"));
  row.slider->setRange(static_cast<int>(std::lround(minimum * kScale)), static_cast<int>(std::lround(maximum * kScale)));
  row.slider->setSingleStep(1);
  row.slider->setPageStep(kScale / 10);
  row.spin->setRange(minimum, maximum);
  row.spin->setDecimals(2);
  row.spin->setSingleStep(key == QLatin1String("temperature") ? 0.1 : 0.05);
  row.spin->setAccelerated(true);
  row.label->setBuddy(row.spin);
  if (key == QLatin1String("temperature")) {
    row.slider->setValue(kScale);
    row.spin->setValue(1.0);
  }
  QSlider* slider = row.slider;
  QDoubleSpinBox* spin = row.spin;
  connect(slider, &QSlider::valueChanged, this, [spin](int v) { spin->setValue(double(v) / kScale); });
  connect(spin, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this, slider](double v) {
    {
      const QSignalBlocker block(slider);
      slider->setValue(static_cast<int>(std::lround(v * kScale)));
    }
    if (!m_setting) Q_EMIT weightsChanged();
  });
  m_rows.insert(key, row);
}

void LossWeightsPanel::retranslate() {
  const QMap<QString, QString> names{
      {QStringLiteral("soft_targets"), tr("&Soft targets")}, {QStringLiteral("hard_labels"), tr("&Hard labels")},
      {QStringLiteral("logit_mse"), tr("&Logit MSE")},        {QStringLiteral("cosine"), tr("&Cosine")},
      {QStringLiteral("mlm"), tr("&Masked LM")},              {QStringLiteral("attention"), tr("&Attention")},
      {QStringLiteral("hidden"), tr("Hi&dden states")},       {QStringLiteral("embedding"), tr("&Embeddings")},
      {QStringLiteral("temperature"), tr("&Temperature")}};
  for (auto it = m_rows.begin(); it != m_rows.end(); ++it) {
    it->label->setText(names.value(it.key()));
    const QString text = explanation(it.key());
    for (QWidget* w : {static_cast<QWidget*>(it->label), static_cast<QWidget*>(it->slider),
                       static_cast<QWidget*>(it->spin)}) {
      w->setToolTip(text);
      w->setWhatsThis(text);
    }
  }
  m_softKindLabel->setText(tr("Soft-target l&oss"));
  m_softKind->setItemText(0, tr("KL divergence × T² (Hinton, DistilBERT)"));
  m_softKind->setItemText(1, tr("Cross-entropy (TinyBERT)"));
  const QString kind = tr("How the soft targets are compared: the KL divergence between the softened "
                          "distributions, multiplied by T² so that its gradients keep their size "
                          "(Hinton et al., DistilBERT), or TinyBERT's plain cross-entropy, averaged "
                          "over the examples and classes.");
  m_softKind->setToolTip(kind);
  m_softKind->setWhatsThis(kind);
  m_softKindLabel->setToolTip(kind);
  m_softKindLabel->setWhatsThis(kind);
  m_note->setText(tr("The student minimises the weighted sum of these terms. A weight of 0 turns a "
                     "term off: it is not computed at all."));
  m_whatsThis->setToolTip(tr("Click, then click a control to read what it does"));
}

QString LossWeightsPanel::explanation(const QString& key) const {
  if (key == QLatin1String("soft_targets"))
    return tr("Soft targets: the student learns the teacher's whole output distribution, not just "
              "its top answer, with both softened by the temperature (Hinton et al.; DistilBERT's "
              "L_ce). Compared as chosen under Soft-target loss.");
  if (key == QLatin1String("hard_labels"))
    return tr("Hard labels: ordinary cross-entropy with the gold labels of the training data, as in "
              "plain fine-tuning.");
  if (key == QLatin1String("logit_mse"))
    return tr("Logit MSE: mean squared error between the student's and the teacher's logits, before "
              "softmax (Tang et al., distilling BERT into a BiLSTM).");
  if (key == QLatin1String("cosine"))
    return tr("Cosine: 1 − the cosine similarity of the student's and the teacher's hidden states, so "
              "that they point the same way (DistilBERT's L_cos).");
  if (key == QLatin1String("mlm"))
    return tr("Masked LM: the student guesses masked-out words of the text itself, as in BERT's "
              "pre-training (DistilBERT's L_mlm). Needs a student with a masked-LM head.");
  if (key == QLatin1String("attention"))
    return tr("Attention: mean squared error between the student's and the teacher's pre-softmax "
              "attention scores of each mapped layer pair (TinyBERT).");
  if (key == QLatin1String("hidden"))
    return tr("Hidden states: mean squared error between the student's hidden states, projected to "
              "the teacher's size by a learned matrix W_h, and the teacher's, for each mapped layer "
              "pair (TinyBERT).");
  if (key == QLatin1String("embedding"))
    return tr("Embeddings: mean squared error between the student's embedding output, projected by a "
              "learned matrix W_e, and the teacher's (TinyBERT).");
  if (key == QLatin1String("temperature"))
    return tr("Temperature T: both models' logits are divided by T before the softmax of the soft "
              "targets. T > 1 flattens the teacher's distribution, so that the small probabilities "
              "it gives to wrong classes (its \"dark knowledge\") teach more. DistilBERT uses 2, "
              "TinyBERT 1.");
  return {};
}

void LossWeightsPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

QSlider* LossWeightsPanel::slider(const QString& key) const {
  return m_rows.contains(key) ? m_rows[key].slider : nullptr;
}

QDoubleSpinBox* LossWeightsPanel::spinBox(const QString& key) const {
  return m_rows.contains(key) ? m_rows[key].spin : nullptr;
}

QComboBox* LossWeightsPanel::softKindCombo() const { return m_softKind; }

double LossWeightsPanel::value(const QString& key) const { return m_rows[key].spin->value(); }

void LossWeightsPanel::setValue(const QString& key, double v) {
  if (!std::isfinite(v)) v = 0.0;
  m_rows[key].spin->setValue(v);  // clamps and rounds; the slider follows
}

void LossWeightsPanel::setWeights(const LossWeights& w) {
  const LossWeights before = weights();
  m_setting = true;
  setValue(QStringLiteral("soft_targets"), w.softTargets);
  setValue(QStringLiteral("hard_labels"), w.hardLabels);
  setValue(QStringLiteral("logit_mse"), w.logitMse);
  setValue(QStringLiteral("cosine"), w.cosine);
  setValue(QStringLiteral("mlm"), w.mlm);
  setValue(QStringLiteral("attention"), w.attention);
  setValue(QStringLiteral("hidden"), w.hidden);
  setValue(QStringLiteral("embedding"), w.embedding);
  setValue(QStringLiteral("temperature"), w.temperature);
  const int kind = m_softKind->findData(w.softKind);
  m_softKind->setCurrentIndex(kind >= 0 ? kind : 0);
  m_setting = false;
  if (weights() != before) Q_EMIT weightsChanged();
}

LossWeights LossWeightsPanel::weights() const {
  LossWeights w;
  w.softTargets = value(QStringLiteral("soft_targets"));
  w.hardLabels = value(QStringLiteral("hard_labels"));
  w.logitMse = value(QStringLiteral("logit_mse"));
  w.cosine = value(QStringLiteral("cosine"));
  w.mlm = value(QStringLiteral("mlm"));
  w.attention = value(QStringLiteral("attention"));
  w.hidden = value(QStringLiteral("hidden"));
  w.embedding = value(QStringLiteral("embedding"));
  w.temperature = value(QStringLiteral("temperature"));
  w.softKind = m_softKind->currentData().toString();
  return w;
}

}  // namespace widgets
}  // namespace retort
