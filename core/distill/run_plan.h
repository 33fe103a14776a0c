#pragma once
// Planning a run: what phases run, on what data, with which teacher. Reads the data and the
// tokenizer, decides the teacher's plan (loaded as is, fine-tuned, or trained from scratch
// with optional MLM pre-training), builds the student, the layer mapping and the hidden
// projections, and lists the phases (the teacher's, then one per stage). Nothing trains here.

#include <memory>
#include <string>
#include <vector>

#include "core/distill/experiment.h"
#include "core/distill/layer_mapping.h"
#include "core/distill/losses.h"
#include "core/distill/observer.h"
#include "core/distill/run_data.h"
#include "core/distill/student.h"
#include "core/distill/training_loop.h"

namespace retort::distill {

/// The teacher and what the run does to it.
struct TeacherPlan {
  model::BertModel model{nullptr};
  bool trained = false;    ///< Retort trains it (and writes it to <run>/teacher)
  bool pretrain = false;   ///< an MLM pre-training phase on teacher.mlm_corpus comes first
  bool finetune = false;   ///< a fine-tuning phase on the task
  /// The teacher as the model its own phases train (shares the weights); null when untrained.
  std::unique_ptr<BertStudent> asStudent;
};

/// One phase as planned. The context is complete except its place in the run (index, count,
/// totalSteps) and the probe, which the phase loop sets.
struct PhasePlan {
  PhaseContext context;
  int stage = -1;          ///< index in experiment.stages; -1 for a teacher phase
  /// The stage augments its data and the set is not made yet (the phase loop makes it when
  /// the phase starts, once the teacher is final, and clears this).
  bool pendingAugmentation = false;
  /// The augmented set's size when it is known without making it (a resume past the phase
  /// reads it from the checkpoint); -1 = not known.
  int64_t knownExamples = -1;
};

/// Everything a run trains, and on what. Phases point into it: it never moves (planRun
/// returns it on the heap).
struct RunPlan {
  RunPlan() = default;
  RunPlan(const RunPlan&) = delete;
  RunPlan& operator=(const RunPlan&) = delete;

  torch::Device device{torch::kCPU};
  RunData data;
  TeacherPlan teacher;
  std::unique_ptr<StudentModel> student;
  std::vector<LayerPair> pairs;                    ///< empty for a BiLSTM student
  std::unique_ptr<HiddenProjections> projections;  ///< null without hidden/embedding terms
  std::vector<PhasePlan> phases;
  /// The first phase that trains the student (phases.size() when none).
  size_t firstStudentPhase = 0;
  /// DistilBERT's initialisation (student.init teacher_layers): the 0-based teacher layers
  /// copied into the student when its first phase starts (the teacher is final then).
  std::vector<int64_t> initLayers;
  Probe probe;
  /// The best dev student's weights (RunState::bestWeights is Memory once there are some).
  std::vector<torch::Tensor> bestWeights;
  /// The process group of a data-parallel run (null: one process); runPhases gives it to
  /// every phase.
  distributed::World* world = nullptr;
};

/// Plans the experiment. Seeds nothing: the caller seeds torch first (weights are drawn here,
/// in a fixed order: teacher checkpoint, teacher, student, projections). Observer and control
/// are stored in the phases. Throws retort::Error naming the file, field or tensor at fault.
std::unique_ptr<RunPlan> planRun(const Experiment& experiment, Observer& observer, RunControl* control,
                                 const std::string& runDir, const torch::Device& device);

/// Examples phase i will train on: its data's size, or for an augmented stage not yet made,
/// the expected size (originals · (1 + copies or passes)).
size_t plannedExamples(const RunPlan& plan, const Experiment& experiment, size_t phase);

/// Steps of the whole run, with plannedExamples for each phase.
int64_t plannedSteps(const RunPlan& plan, const Experiment& experiment);

}  // namespace retort::distill
