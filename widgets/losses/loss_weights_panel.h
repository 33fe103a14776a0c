#pragma once
// The loss mix of a stage: one row per loss term (a slider and a spin box kept in step,
// 0..10 in 0.01 steps), the temperature and the kind of soft-target loss. Every row explains
// its term in a tooltip and in What's This help, so that a class can follow what it changes.

#include <QMap>
#include <QString>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QToolButton;

namespace retort {
namespace widgets {

/// The weights of one stage's losses, as the experiment file's "losses" object (LossSpec in
/// core/distill/experiment.h). A weight of 0 turns a term off.
struct LossWeights {
  double softTargets = 0.0;
  double temperature = 1.0;                 ///< > 0
  QString softKind = QStringLiteral("kl");  ///< "kl" (KL·T², Hinton/DistilBERT) or "ce" (TinyBERT)
  double hardLabels = 0.0;
  double logitMse = 0.0;
  double cosine = 0.0;
  double mlm = 0.0;
  double attention = 0.0;
  double hidden = 0.0;
  double embedding = 0.0;

  bool operator==(const LossWeights& o) const;
  bool operator!=(const LossWeights& o) const { return !(*this == o); }
};

class LossWeightsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit LossWeightsPanel(QWidget* parent = nullptr);

  /// Shows the weights (clamped to the controls' ranges, rounded to 0.01); emits
  /// weightsChanged once when something changed.
  void setWeights(const LossWeights& weights);
  LossWeights weights() const;

  /// The experiment file's keys of the rows: soft_targets, hard_labels, logit_mse, cosine,
  /// mlm, attention, hidden, embedding, temperature.
  static QStringList keys();
  QSlider* slider(const QString& key) const;
  QDoubleSpinBox* spinBox(const QString& key) const;
  QComboBox* softKindCombo() const;
  /// The explanation of a row (its tooltip and What's This text).
  QString explanation(const QString& key) const;

 Q_SIGNALS:
  void weightsChanged();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  struct Row {
    QLabel* label = nullptr;
    QSlider* slider = nullptr;
    QDoubleSpinBox* spin = nullptr;
  };
  void addRow(const QString& key, double maximum, double minimum);
  void retranslate();
  double value(const QString& key) const;
  void setValue(const QString& key, double v);

  QMap<QString, Row> m_rows;
  QLabel* m_softKindLabel;
  QComboBox* m_softKind;
  QLabel* m_note;
  QToolButton* m_whatsThis;
  bool m_setting = false;  ///< setWeights is filling the controls
};

}  // namespace widgets
}  // namespace retort
