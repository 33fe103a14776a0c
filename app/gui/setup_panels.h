#pragma once
// The set-up side of the workbench: one tab per part of the experiment (task, teacher,
// student, layer mapping, stages and losses). load() shows a document's typed sections,
// store() writes the panels back into one; edited() fires on every user change. Keeps the
// mapping editor's layer counts and the student's estimate in step with the teacher.

#include <QTabWidget>

#include "app/gui/experiment_document.h"

namespace retort {
namespace widgets {
class LayerMappingEditor;
}  // namespace widgets
}  // namespace retort

namespace retort {
namespace app {

class StagesPanel;
class StudentPanel;
class TaskPanel;
class TeacherPanel;

class SetupPanels : public QTabWidget {
  Q_OBJECT
 public:
  explicit SetupPanels(QWidget* parent = nullptr);

  void load(const ExperimentDocument& document);
  /// Writes every panel's section into `document` (the mapping only once the user edited it).
  void store(ExperimentDocument& document) const;

  TaskPanel* task() const { return m_task; }
  TeacherPanel* teacher() const { return m_teacher; }
  StudentPanel* student() const { return m_student; }
  widgets::LayerMappingEditor* mapping() const { return m_mapping; }
  StagesPanel* stages() const { return m_stages; }

 Q_SIGNALS:
  void edited();
  void useDemoRequested();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void syncLayerCounts();

  TaskPanel* m_task;
  TeacherPanel* m_teacher;
  StudentPanel* m_student;
  widgets::LayerMappingEditor* m_mapping;
  StagesPanel* m_stages;
  distill::MappingSpec m_mappingSpec;  ///< as loaded, or as the editor made it
  bool m_loading = false;
};

}  // namespace app
}  // namespace retort
