#include "core/distill/phase_loop.h"

#include <torch/torch.h>

namespace retort::distill {

bool runPhases(RunPlan& plan, const Experiment& e, StageData& stageData, RunState& state, RunControl* control,
               CheckpointSink* checkpoints, bool resuming) {
  if (resuming)  // the sizes of the augmented sets made before the checkpoint
    for (size_t i = 0; i < plan.phases.size() && i < state.phaseExamples.size(); ++i)
      if (static_cast<int64_t>(i) < state.phase) plan.phases[i].knownExamples = state.phaseExamples[i];
  int64_t totalSteps = plannedSteps(plan, e);
  const int count = static_cast<int>(plan.phases.size());
  for (size_t i = static_cast<size_t>(std::max<int64_t>(0, state.phase)); i < plan.phases.size(); ++i) {
    auto& p = plan.phases[i];
    auto& c = p.context;
    c.checkpoints = checkpoints;
    c.world = plan.world;
    if (resuming && state.atPhaseStart()) {
      restoreGenerators(state);  // captured between phases: before this phase's preamble
      resuming = false;
    }
    if (p.pendingAugmentation) {
      // The teacher is final here (it may have been trained by the phases before).
      plan.teacher.model->eval();
      c.train = &stageData.augmented(static_cast<size_t>(p.stage));
      c.stream = nullptr;
      p.pendingAugmentation = false;
      totalSteps = plannedSteps(plan, e);
      if (control && control->cancelled()) {
        if (checkpoints) checkpoints->afterStep(nullptr, state, true);
        return false;
      }
    }
    if (i == plan.firstStudentPhase && !plan.initLayers.empty() && static_cast<int64_t>(i) == state.phase &&
        state.atPhaseStart()) {
      // DistilBERT's initialisation, once the teacher is final (it may have been trained above).
      copyTeacherLayers(plan.student->bert(), plan.teacher.model, plan.initLayers);
    }
    state.phaseExamples.clear();
    for (size_t k = 0; k < plan.phases.size(); ++k)
      state.phaseExamples.push_back(static_cast<int64_t>(plannedExamples(plan, e, k)));
    c.index = static_cast<int>(i);
    c.count = count;
    c.totalSteps = totalSteps;
    if (c.teacher) {
      c.probe = &plan.probe;
      c.encodeProbe = [&data = plan.data](const std::string& text) { return data.encodeProbe(text); };
      c.attentionEvery = e.observer.attentionEvery;
    }
    if (resuming) {
      restoreGenerators(state);  // captured inside this phase: after its preamble
      resuming = false;
    }
    if (!runPhase(c, state)) return false;
  }
  return true;
}

}  // namespace retort::distill
