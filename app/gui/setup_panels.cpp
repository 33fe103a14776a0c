#include "app/gui/setup_panels.h"

#include <QEvent>
#include <QTabBar>

#include "app/gui/stages_panel.h"
#include "app/gui/student_panel.h"
#include "app/gui/task_panel.h"
#include "app/gui/teacher_panel.h"
#include "widgets/mapping/layer_mapping_editor.h"

namespace retort {
namespace app {

SetupPanels::SetupPanels(QWidget* parent) : QTabWidget(parent) {
  setObjectName(QStringLiteral("setupTabs"));
  // Every title whole: no eliding and no scroll arrows (the titles are short enough to fit
  // the default window; a narrower panel grows rather than hide them).
  tabBar()->setElideMode(Qt::ElideNone);
  tabBar()->setUsesScrollButtons(false);
  tabBar()->setExpanding(false);
  m_task = new TaskPanel(this);
  m_teacher = new TeacherPanel(this);
  m_student = new StudentPanel(this);
  m_mapping = new widgets::LayerMappingEditor(this);
  m_mapping->setObjectName(QStringLiteral("mappingEditor"));
  m_stages = new StagesPanel(this);
  for (QWidget* page : std::initializer_list<QWidget*>{m_task, m_teacher, m_student, m_mapping, m_stages}) addTab(page, QString());

  auto edited = [this] {
    if (!m_loading) Q_EMIT this->edited();
  };
  connect(m_task, &TaskPanel::edited, this, edited);
  connect(m_task, &TaskPanel::useDemoRequested, this, &SetupPanels::useDemoRequested);
  connect(m_teacher, &TeacherPanel::edited, this, [this, edited] {
    syncLayerCounts();
    edited();
  });
  connect(m_student, &StudentPanel::edited, this, [this, edited] {
    syncLayerCounts();
    edited();
  });
  connect(m_stages, &StagesPanel::edited, this, edited);
  connect(m_mapping, &widgets::LayerMappingEditor::mappingChanged, this, [this, edited] {
    if (m_loading) return;
    // The editor's pairs are the mapping now; they include 0 <-> 0 when it is wanted.
    m_mappingSpec.kind = spelling(MappingKind::Explicit);
    m_mappingSpec.pairs.clear();
    for (const auto& p : m_mapping->pairs()) m_mappingSpec.pairs.push_back({p.student, p.teacher, p.attention, p.hidden, p.weight});
    m_mappingSpec.embeddings = false;
    edited();
  });
  retranslate();
}

void SetupPanels::retranslate() {
  const QStringList titles{tr("Task"), tr("Teacher"), tr("Student"), tr("Mapping"), tr("Stages")};
  const QStringList tips{tr("The task: data files and columns"), tr("The teacher model"), tr("The student model"),
                         tr("Which student layer learns from which teacher layer"),
                         tr("Training stages and their loss weights")};
  for (int i = 0; i < count(); ++i) {
    setTabText(i, titles[i]);
    setTabToolTip(i, tips[i]);
  }
}

void SetupPanels::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QTabWidget::changeEvent(event);
}

void SetupPanels::load(const ExperimentDocument& document) {
  m_loading = true;
  const distill::Experiment& e = document.experiment();
  m_task->load(e.task);
  m_teacher->load(e.teacher);
  m_student->load(e.student);
  m_stages->load(e.stages);
  m_mappingSpec = e.mapping;
  syncLayerCounts();
  switch (document.mappingKind()) {
    case MappingKind::Explicit: {
      QVector<widgets::MappingPair> pairs;
      for (const auto& p : e.mapping.pairs) {
        widgets::MappingPair w;
        w.student = static_cast<int>(p.student);
        w.teacher = static_cast<int>(p.teacher);
        w.attention = p.attention;
        w.hidden = p.hidden;
        w.weight = p.weight;
        pairs.push_back(w);
      }
      m_mapping->setPairs(pairs);
      break;
    }
    case MappingKind::Last: m_mapping->applyLastLayers(); break;
    case MappingKind::Uniform: m_mapping->applyUniform(); break;
  }
  m_loading = false;
}

void SetupPanels::store(ExperimentDocument& document) const {
  distill::Experiment& e = document.experiment();
  m_task->store(e.task);
  m_teacher->store(e.teacher);
  m_student->store(e.student);
  m_stages->store(e.stages);
  e.mapping = m_mappingSpec;
}

void SetupPanels::syncLayerCounts() {
  m_student->setTeacher(m_teacher->parameters(), m_teacher->flopsPerToken(), m_teacher->vocab());
  const bool was = m_loading;
  m_loading = true;
  m_mapping->setLayerCounts(m_teacher->layers(), m_student->layers());
  m_loading = was;
}

}  // namespace app
}  // namespace retort
