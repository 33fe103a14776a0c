#pragma once
// The teacher: a checkpoint in the Hugging Face layout, or a BERT that Retort trains (its
// shape), and whether a checkpoint is fine-tuned on the task first. Shows the teacher's shape
// and size (core/eval/model_estimate).

#include <QWidget>

#include "app/gui/shape_editors.h"
#include "core/distill/experiment.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace retort {
namespace app {

class TeacherPanel : public QWidget {
  Q_OBJECT
 public:
  explicit TeacherPanel(QWidget* parent = nullptr);
  void load(const distill::TeacherSpec& teacher);
  /// Writes the checkpoint (empty when Retort trains the teacher), the shape and finetune.
  void store(distill::TeacherSpec& teacher) const;
  /// The teacher as set up (from the checkpoint or the spin boxes); 0 when unknown.
  int layers() const { return m_layersNow; }
  int hidden() const { return m_hiddenNow; }
  int vocab() const { return m_vocab; }
  qint64 parameters() const { return m_parametersNow; }
  double flopsPerToken() const { return m_flopsNow; }
  QString summary() const;

 Q_SIGNALS:
  void edited();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void refresh();
  QCheckBox* m_train;
  QLineEdit* m_checkpoint;
  QPushButton* m_browse;
  QComboBox* m_finetune;
  QLabel *m_summary, *m_checkpointLabel, *m_finetuneLabel;
  ShapeEditors m_shape;
  QWidget* m_shapeBox;
  int m_layersNow = 0, m_hiddenNow = 0, m_vocab = 0;
  qint64 m_parametersNow = 0;
  double m_flopsNow = 0;
};

}  // namespace app
}  // namespace retort
