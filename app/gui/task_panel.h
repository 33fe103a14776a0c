#pragma once
// The task: training and dev files, the text and label columns, the task kind (guessed from
// a newly chosen file's labels, changeable), the metric, the length limit, and a preview of
// the first rows with the label counts. The preview is read by core
// (data::previewDataset) on a worker thread; a newer file makes an older preview stale.

#include <QWidget>

#include "core/distill/experiment.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace retort {
namespace app {

class LatestJob;

class TaskPanel : public QWidget {
  Q_OBJECT
 public:
  /// Rows the preview shows.
  static constexpr int kPreviewRows = 8;

  explicit TaskPanel(QWidget* parent = nullptr);
  void load(const distill::TaskSpec& task);
  /// Writes train, dev, the columns, the kind, the metric and max_length; the other fields are kept.
  void store(distill::TaskSpec& task) const;
  void setTrainFile(const QString& path);
  void setDevFile(const QString& path);

  QTableWidget* preview() const { return m_preview; }
  /// The label counts line under the preview.
  QString labelSummary() const;
  /// Core's message when the training data cannot be read (after the preview), else empty.
  QString problem() const { return m_problem; }
  /// The first training text of the preview, or empty.
  QString firstText() const;
  /// A preview is being read.
  bool isReading() const { return m_reading; }

 Q_SIGNALS:
  void edited();
  void useDemoRequested();
  /// A preview (or its error) is shown.
  void previewReady();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void refreshPreview();
  void showSummary();

  QLineEdit *m_train, *m_dev;
  QPushButton *m_browseTrain, *m_browseDev, *m_demo;
  void fillMetrics(const QString& kind);
  QString m_metricsKind;  ///< the kind m_metric lists the metrics of

  QComboBox *m_textColumn, *m_labelColumn, *m_metric, *m_kind;
  QLabel *m_metricLabel, *m_kindLabel;
  /// The next preview guesses the kind from the labels (a newly chosen training file).
  bool m_guessKind = false;
  std::vector<std::string> m_columns;  ///< task.columns of a header-less file (kept as loaded)
  QSpinBox* m_maxLength;
  QTableWidget* m_preview;
  QLabel *m_labels, *m_trainLabel, *m_devLabel, *m_textLabel, *m_labelLabel, *m_lengthLabel, *m_previewLabel;
  LatestJob* m_job;
  QString m_problem;
  bool m_reading = false;
  qint64 m_examples = -1;     ///< of the shown preview; -1 = none
  QStringList m_labelParts;   ///< "label: count" of the shown preview
};

}  // namespace app
}  // namespace retort
