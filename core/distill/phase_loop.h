#pragma once
// Running a plan's phases in order: the teacher's own phases, then the stages, each with its
// augmented data made when it starts and the DistilBERT initialisation before the student's
// first phase (both wait for the final teacher).

#include "core/distill/experiment.h"
#include "core/distill/run_plan.h"
#include "core/distill/run_state.h"
#include "core/distill/stage_data.h"

namespace retort::distill {

/// Runs plan.phases from state.phase on (continuing inside it when state points there).
/// Sets each phase's index, count, run total and probe. Returns false when cancelled; state
/// then says where the run stopped.
bool runPhases(RunPlan& plan, const Experiment& experiment, StageData& stageData, RunState& state,
               RunControl* control);

}  // namespace retort::distill
