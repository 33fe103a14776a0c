#pragma once
// The workbench's experiment document: core's Experiment (core/distill/experiment.h), read and
// written by core alone, so that the GUI and retort-cli never disagree on what a file means.
// Opening runs Experiment::load / fromJson (a file core rejects is rejected with core's
// message); saving writes Experiment::toJson (every default written out, paths absolute).
// The panels edit the typed sections (TaskSpec, TeacherSpec, ...) and read the string options
// as the enums below, each converted in one table.

#include <QString>

#include <string>
#include <utility>
#include <vector>

#include "core/distill/experiment.h"

namespace retort {
namespace app {

enum class StudentKind { Bert, BiLstm };
enum class StudentInit { Random, TeacherLayers, Checkpoint };
enum class MappingKind { Uniform, Last, Explicit };
enum class StageKind { General, Intermediate, Prediction, Finetune, Distill };
enum class SoftKind { Kl, Ce };
enum class HeadMismatch { Average, Refuse };
enum class Schedule { Linear, Constant };
enum class TeacherFinetune { Auto, Always, Never };
enum class StageData { Train, Corpus };

/// The one table of an enum: each value with its experiment-file spelling, in display order.
template <typename E>
const std::vector<std::pair<E, const char*>>& enumTable();

/// The experiment-file spelling of a value.
template <typename E>
std::string spelling(E value);
/// The value of a spelling; false (and `out` unchanged) for a spelling the table lacks.
template <typename E>
bool parseSpelling(const std::string& text, E& out);
/// The value of a spelling core has validated (the document's own fields); throws
/// std::invalid_argument for a spelling the table lacks.
template <typename E>
E enumOf(const std::string& text);

class ExperimentDocument {
 public:
  /// Core's defaults: Experiment{} with one distill stage (what a file without "stages" gives).
  ExperimentDocument();
  /// Experiment::load: throws retort::Error with core's message.
  static ExperimentDocument load(const QString& path);
  /// Experiment::fromJson with `source` in messages; relative paths resolve against baseDir.
  static ExperimentDocument fromJson(const nlohmann::json& json, const QString& source, const QString& baseDir);
  /// A bundled preset (resources/presets/<name>.json) by name.
  static ExperimentDocument preset(const QString& name);

  const distill::Experiment& experiment() const { return m_experiment; }
  distill::Experiment& experiment() { return m_experiment; }

  /// Core's resolved document (Experiment::toJson).
  nlohmann::json toJson() const;
  /// Re-reads toJson() through Experiment::fromJson: what a run or retort-cli would get.
  /// Throws retort::Error with core's message (e.g. repeated stage names).
  distill::Experiment validated(const QString& source) const;
  /// Writes toJson() to `path` atomically (QSaveFile); false with `error` set on failure.
  bool save(const QString& path, QString* error) const;
  /// The directory relative paths were resolved against.
  QString baseDir() const { return QString::fromStdString(m_experiment.baseDir); }
  QString name() const { return QString::fromStdString(m_experiment.name); }

  // The string options as enums.
  StudentKind studentKind() const;
  void setStudentKind(StudentKind kind);
  StudentInit studentInit() const;
  void setStudentInit(StudentInit init);
  MappingKind mappingKind() const;
  void setMappingKind(MappingKind kind);
  HeadMismatch headMismatch() const;
  void setHeadMismatch(HeadMismatch mode);
  TeacherFinetune teacherFinetune() const;
  void setTeacherFinetune(TeacherFinetune mode);
  static StageKind stageKind(const distill::StageSpec& stage);
  static Schedule schedule(const distill::OptimSpec& optim);
  static SoftKind softKind(const distill::LossSpec& losses);

  /// A new stage of `kind` as fromJson makes it (the kind's preset losses and data), named
  /// the kind or "<kind>-<n>" so that it differs from the names in `stages`.
  static distill::StageSpec newStage(StageKind kind, const std::vector<distill::StageSpec>& stages);
  /// Changes a stage's kind; losses and data that were the old kind's defaults become the
  /// new kind's, an explicit mix the user made is kept.
  static void setStageKind(distill::StageSpec& stage, StageKind kind);

  bool operator==(const ExperimentDocument& other) const { return m_experiment == other.m_experiment; }

 private:
  explicit ExperimentDocument(distill::Experiment experiment) : m_experiment(std::move(experiment)) {}
  distill::Experiment m_experiment;
};

}  // namespace app
}  // namespace retort
