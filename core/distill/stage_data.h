#pragma once
// The augmented training data of a stage (TinyBERT's or Tang et al.'s augmentation of the
// task's training set), made when the stage starts, once the teacher is final. Stages with
// the same augment options share one set; GloVe vectors are read once per path.

#include <deque>
#include <map>
#include <optional>
#include <string>

#include "core/augment/augment.h"
#include "core/data/batching.h"
#include "core/distill/experiment.h"
#include "core/distill/observer.h"
#include "core/distill/run_data.h"

namespace retort::distill {

class StageData {
 public:
  /// teacher proposes TinyBERT's candidate words; data supplies the training set and the
  /// tokenizer; runDir receives augmented/<stage>.tsv when augment.write is set. control
  /// (may be null) is polled during a long augmentation, so that pause and cancel answer.
  StageData(const Experiment& experiment, const RunData& data, model::BertModel teacher, Observer& observer,
            RunControl* control, std::string runDir);

  /// The encoded augmented set of experiment.stages[stageIndex] (whose augment.method is set),
  /// made on first use with the seed experiment.seed + 1000003 · (stageIndex + 1).
  const data::EncodedDataset& augmented(size_t stageIndex);

 private:
  data::LabeledDataset augmentTinyBert(const StageSpec& stage, uint64_t seed, augment::AugmentStats& stats);

  const Experiment& m_experiment;
  const RunData& m_data;
  model::BertModel m_teacher;
  Observer& m_observer;
  RunControl* m_control;
  std::string m_runDir;
  std::deque<data::EncodedDataset> m_sets;                         // stable addresses
  std::map<std::string, const data::EncodedDataset*> m_bySpec;     // augment options (JSON) -> set
  std::optional<augment::GloveVectors> m_glove;
  std::string m_glovePath;
};

}  // namespace retort::distill
