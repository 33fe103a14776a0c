#include "app/gui/experiment_document.h"

#include <QSaveFile>

#include <stdexcept>

#include "core/util/resources.h"

namespace retort {
namespace app {

// ---- the tables (one per option; the spellings are core's) -------------------------------

template <>
const std::vector<std::pair<StudentKind, const char*>>& enumTable() {
  static const std::vector<std::pair<StudentKind, const char*>> t{{StudentKind::Bert, "bert"}, {StudentKind::BiLstm, "bilstm"}};
  return t;
}
template <>
const std::vector<std::pair<StudentInit, const char*>>& enumTable() {
  static const std::vector<std::pair<StudentInit, const char*>> t{
      {StudentInit::Random, "random"}, {StudentInit::TeacherLayers, "teacher_layers"}, {StudentInit::Checkpoint, "checkpoint"}};
  return t;
}
template <>
const std::vector<std::pair<MappingKind, const char*>>& enumTable() {
  static const std::vector<std::pair<MappingKind, const char*>> t{
      {MappingKind::Uniform, "uniform"}, {MappingKind::Last, "last"}, {MappingKind::Explicit, "explicit"}};
  return t;
}
template <>
const std::vector<std::pair<StageKind, const char*>>& enumTable() {
  static const std::vector<std::pair<StageKind, const char*>> t{{StageKind::General, "general"},
                                                                {StageKind::Intermediate, "intermediate"},
                                                                {StageKind::Prediction, "prediction"},
                                                                {StageKind::Finetune, "finetune"},
                                                                {StageKind::Distill, "distill"}};
  return t;
}
template <>
const std::vector<std::pair<SoftKind, const char*>>& enumTable() {
  static const std::vector<std::pair<SoftKind, const char*>> t{{SoftKind::Kl, "kl"}, {SoftKind::Ce, "ce"}};
  return t;
}
template <>
const std::vector<std::pair<HeadMismatch, const char*>>& enumTable() {
  static const std::vector<std::pair<HeadMismatch, const char*>> t{{HeadMismatch::Average, "average"}, {HeadMismatch::Refuse, "refuse"}};
  return t;
}
template <>
const std::vector<std::pair<Schedule, const char*>>& enumTable() {
  static const std::vector<std::pair<Schedule, const char*>> t{{Schedule::Linear, "linear"}, {Schedule::Constant, "constant"}};
  return t;
}
template <>
const std::vector<std::pair<TeacherFinetune, const char*>>& enumTable() {
  static const std::vector<std::pair<TeacherFinetune, const char*>> t{
      {TeacherFinetune::Auto, "auto"}, {TeacherFinetune::Always, "always"}, {TeacherFinetune::Never, "never"}};
  return t;
}
template <>
const std::vector<std::pair<StageData, const char*>>& enumTable() {
  static const std::vector<std::pair<StageData, const char*>> t{{StageData::Train, "train"}, {StageData::Corpus, "corpus"}};
  return t;
}

template <typename E>
std::string spelling(E value) {
  for (const auto& [v, name] : enumTable<E>())
    if (v == value) return name;
  throw std::invalid_argument("an enum value without a spelling");
}

template <typename E>
bool parseSpelling(const std::string& text, E& out) {
  for (const auto& [v, name] : enumTable<E>())
    if (text == name) {
      out = v;
      return true;
    }
  return false;
}

template <typename E>
E enumOf(const std::string& text) {
  E value{};
  if (!parseSpelling(text, value)) throw std::invalid_argument("\"" + text + "\" is not a known option");
  return value;
}

#define RETORT_ENUM_FUNCTIONS(E)                          \
  template std::string spelling<E>(E);                    \
  template bool parseSpelling<E>(const std::string&, E&);    \
  template E enumOf<E>(const std::string&);
RETORT_ENUM_FUNCTIONS(StudentKind)
RETORT_ENUM_FUNCTIONS(StudentInit)
RETORT_ENUM_FUNCTIONS(MappingKind)
RETORT_ENUM_FUNCTIONS(StageKind)
RETORT_ENUM_FUNCTIONS(SoftKind)
RETORT_ENUM_FUNCTIONS(HeadMismatch)
RETORT_ENUM_FUNCTIONS(Schedule)
RETORT_ENUM_FUNCTIONS(TeacherFinetune)
RETORT_ENUM_FUNCTIONS(StageData)
#undef RETORT_ENUM_FUNCTIONS

// ---- the document ------------------------------------------------------------------------

ExperimentDocument::ExperimentDocument() { m_experiment.stages.push_back(newStage(StageKind::Distill, {})); }

ExperimentDocument ExperimentDocument::load(const QString& path) {
  return ExperimentDocument(distill::Experiment::load(path.toStdString()));
}

ExperimentDocument ExperimentDocument::fromJson(const nlohmann::json& json, const QString& source, const QString& baseDir) {
  return ExperimentDocument(distill::Experiment::fromJson(json, source.toStdString(), baseDir.toStdString()));
}

ExperimentDocument ExperimentDocument::preset(const QString& name) {
  return load(QString::fromStdString(util::experimentPath(name.toStdString())));
}

nlohmann::json ExperimentDocument::toJson() const { return m_experiment.toJson(); }

distill::Experiment ExperimentDocument::validated(const QString& source) const {
  return distill::Experiment::fromJson(toJson(), source.toStdString(), m_experiment.baseDir);
}

bool ExperimentDocument::save(const QString& path, QString* error) const {
  QSaveFile file(path);
  const QByteArray bytes = QByteArray::fromStdString(toJson().dump(2) + "\n");
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    if (error) *error = file.errorString();
    return false;
  }
  return true;
}

StudentKind ExperimentDocument::studentKind() const { return enumOf<StudentKind>(m_experiment.student.kind); }
void ExperimentDocument::setStudentKind(StudentKind kind) { m_experiment.student.kind = spelling(kind); }
StudentInit ExperimentDocument::studentInit() const { return enumOf<StudentInit>(m_experiment.student.init); }
void ExperimentDocument::setStudentInit(StudentInit init) { m_experiment.student.init = spelling(init); }
MappingKind ExperimentDocument::mappingKind() const { return enumOf<MappingKind>(m_experiment.mapping.kind); }
void ExperimentDocument::setMappingKind(MappingKind kind) { m_experiment.mapping.kind = spelling(kind); }
HeadMismatch ExperimentDocument::headMismatch() const { return enumOf<HeadMismatch>(m_experiment.mapping.headMismatch); }
void ExperimentDocument::setHeadMismatch(HeadMismatch mode) { m_experiment.mapping.headMismatch = spelling(mode); }
TeacherFinetune ExperimentDocument::teacherFinetune() const { return enumOf<TeacherFinetune>(m_experiment.teacher.finetune); }
void ExperimentDocument::setTeacherFinetune(TeacherFinetune mode) { m_experiment.teacher.finetune = spelling(mode); }
StageKind ExperimentDocument::stageKind(const distill::StageSpec& stage) { return enumOf<StageKind>(stage.kind); }
Schedule ExperimentDocument::schedule(const distill::OptimSpec& optim) { return enumOf<Schedule>(optim.schedule); }
SoftKind ExperimentDocument::softKind(const distill::LossSpec& losses) { return enumOf<SoftKind>(losses.softKind); }

namespace {

StageData defaultData(StageKind kind) { return kind == StageKind::General ? StageData::Corpus : StageData::Train; }

}  // namespace

distill::StageSpec ExperimentDocument::newStage(StageKind kind, const std::vector<distill::StageSpec>& stages) {
  distill::StageSpec s;
  s.kind = spelling(kind);
  s.losses = distill::presetLosses(s.kind);
  s.data = spelling(defaultData(kind));
  auto taken = [&](const std::string& name) {
    for (const auto& other : stages)
      if (other.name == name) return true;
    return false;
  };
  s.name = s.kind;
  for (int n = 1; taken(s.name); ++n) s.name = s.kind + "-" + std::to_string(n);
  return s;
}

void ExperimentDocument::setStageKind(distill::StageSpec& stage, StageKind kind) {
  const StageKind old = stageKind(stage);
  if (old == kind) return;
  if (stage.losses == distill::presetLosses(stage.kind)) stage.losses = distill::presetLosses(spelling(kind));
  if (stage.data == spelling(defaultData(old))) stage.data = spelling(defaultData(kind));
  stage.kind = spelling(kind);
}

}  // namespace app
}  // namespace retort
