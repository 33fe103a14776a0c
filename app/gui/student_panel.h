#pragma once
// The student: BERT (shape, initialisation) or the BiLSTM of Tang et al., with its size and
// an estimate of how much smaller and faster than the teacher it is (core/eval/model_estimate).

#include <QWidget>

#include "app/gui/experiment_document.h"
#include "app/gui/shape_editors.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace retort {
namespace app {

class StudentPanel : public QWidget {
  Q_OBJECT
 public:
  explicit StudentPanel(QWidget* parent = nullptr);
  void load(const distill::StudentSpec& student);
  /// Writes kind, shape, init and checkpoint; the BiLSTM sizes and teacher_layers are kept.
  void store(distill::StudentSpec& student) const;
  /// Updates the estimate against the teacher (parameters, FLOPs per token, vocabulary; 0 = unknown).
  void setTeacher(qint64 parameters, double flopsPerToken, int vocab);
  int layers() const;
  StudentKind kind() const;
  bool isBert() const { return kind() == StudentKind::Bert; }
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
  distill::StudentSpec m_loaded;   ///< the fields the panel does not edit
  qint64 m_teacherParameters = 0;
  double m_teacherFlops = 0;
  int m_vocab = 8000;
};

}  // namespace app
}  // namespace retort
