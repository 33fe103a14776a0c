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
/// Sets each phase's index, count, run total, probe and checkpoint sink (may be null).
/// resuming: state comes from a checkpoint; its generator states are restored at the point
/// where they were captured (before the phase's augmentation when the checkpoint was made
/// between phases, after it otherwise). Returns false when cancelled; state then says where
/// the run stopped (and a checkpoint of it was written when there is a sink).
bool runPhases(RunPlan& plan, const Experiment& experiment, StageData& stageData, RunState& state,
               RunControl* control, CheckpointSink* checkpoints = nullptr, bool resuming = false);

}  // namespace retort::distill
