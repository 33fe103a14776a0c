#pragma once
// The set-up panels of the workbench. Each edits its part of the experiment document (the JSON
// of an experiment file): load() shows a document, store() writes the panel's keys back, and
// edited() fires on every user change.

#include <QWidget>

#include <nlohmann/json.hpp>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace retort {
namespace widgets {
class LossWeightsPanel;
}  // namespace widgets
}  // namespace retort

namespace retort {
namespace app {

/// Paths in the document are relative to `baseDir` (the experiment file's directory).
class TaskPanel : public QWidget {
  Q_OBJECT
 public:
  explicit TaskPanel(QWidget* parent = nullptr);
  void load(const nlohmann::json& doc, const QString& baseDir);
  void store(nlohmann::json& doc) const;
  void setTrainFile(const QString& path);
  void setDevFile(const QString& path);
  /// The preview's rows and the label counts line (for tests).
  QTableWidget* preview() const { return m_preview; }
  QString labelSummary() const;
  QString problem() const { return m_problem; }
 Q_SIGNALS:
  void edited();
  void useDemoRequested();
 protected:
  void changeEvent(QEvent* event) override;
 private:
  void retranslate();
  void refreshPreview();
  QString absolute(const QString& path) const;
  QString m_baseDir;
  QLineEdit *m_train, *m_dev;
  QPushButton *m_browseTrain, *m_browseDev, *m_demo;
  QComboBox *m_textColumn, *m_labelColumn;
  QSpinBox* m_maxLength;
  QTableWidget* m_preview;
  QLabel *m_labels, *m_trainLabel, *m_devLabel, *m_textLabel, *m_labelLabel, *m_lengthLabel, *m_previewLabel;
  QString m_problem;
};

/// Architecture spin boxes (layers, hidden, heads, FFN) shared by the teacher and the student.
struct ShapeEditors {
  QSpinBox *layers = nullptr, *hidden = nullptr, *heads = nullptr, *ffn = nullptr;
};

class TeacherPanel : public QWidget {
  Q_OBJECT
 public:
  explicit TeacherPanel(QWidget* parent = nullptr);
  void load(const nlohmann::json& doc, const QString& baseDir);
  void store(nlohmann::json& doc) const;
  /// Layers and hidden size of the teacher as set up (from the checkpoint or the spin boxes);
  /// 0 when unknown.
  int layers() const { return m_layersNow; }
  int hidden() const { return m_hiddenNow; }
  qint64 parameters() const { return m_parametersNow; }
  double flopsPerToken() const { return m_flopsNow; }
 Q_SIGNALS:
  void edited();
 protected:
  void changeEvent(QEvent* event) override;
 private:
  void retranslate();
  void refresh();
  QString m_baseDir;
  QCheckBox* m_train;
  QLineEdit* m_checkpoint;
  QPushButton* m_browse;
  QLabel *m_summary, *m_checkpointLabel;
  ShapeEditors m_shape;
  QWidget* m_shapeBox;
  int m_layersNow = 0, m_hiddenNow = 0;
  qint64 m_parametersNow = 0;
  double m_flopsNow = 0;
  int m_vocab = 0;
};

class StudentPanel : public QWidget {
  Q_OBJECT
 public:
  explicit StudentPanel(QWidget* parent = nullptr);
  void load(const nlohmann::json& doc);
  void store(nlohmann::json& doc) const;
  /// Updates the parameter count, size and speedup estimate against the teacher.
  void setTeacher(qint64 parameters, double flopsPerToken, int vocab);
  int layers() const;
  bool isBert() const;
  QString estimate() const;
 Q_SIGNALS:
  void edited();
 protected:
  void changeEvent(QEvent* event) override;
 private:
  void retranslate();
  void refresh();
  QComboBox *m_kind, *m_init;
  ShapeEditors m_shape;
  QLineEdit* m_checkpoint;
  QLabel *m_estimate, *m_kindLabel, *m_initLabel, *m_checkpointLabel;
  qint64 m_teacherParameters = 0;
  double m_teacherFlops = 0;
  int m_vocab = 8000;
};

/// The stages table (name, kind, epochs, learning rate, batch size) and the loss weights of the
/// selected stage.
class StagesPanel : public QWidget {
  Q_OBJECT
 public:
  explicit StagesPanel(QWidget* parent = nullptr);
  void load(const nlohmann::json& doc);
  void store(nlohmann::json& doc) const;
  QTableWidget* table() const { return m_table; }
  widgets::LossWeightsPanel* losses() const { return m_losses; }
 Q_SIGNALS:
  void edited();
 protected:
  void changeEvent(QEvent* event) override;
 private:
  void retranslate();
  void addStage(const nlohmann::json& stage);
  void showLosses(int row);
  nlohmann::json m_stages = nlohmann::json::array();
  QTableWidget* m_table;
  QPushButton *m_add, *m_remove;
  widgets::LossWeightsPanel* m_losses;
  QLabel* m_lossTitle;
  int m_current = -1;
  bool m_filling = false;
};

}  // namespace app
}  // namespace retort
