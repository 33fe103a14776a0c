#pragma once
// Attention of a sentence through saved models, outside a run: the teacher alone (before
// training) or the teacher and a trained student (after it), in the shape of the trainer's
// attention snapshots, so that the GUI can show any probe sentence at any time.

#include <string>
#include <vector>

#include "core/distill/layer_mapping.h"
#include "core/distill/metrics.h"

namespace retort::distill {

struct ProbeRequest {
  std::string text;
  std::string teacherDir;   ///< a checkpoint directory (its tokenizer encodes the text)
  std::string studentDir;   ///< a BERT student's checkpoint; empty = the teacher alone
  std::vector<LayerPair> pairs;  ///< empty = uniform mapping (teacher alone: every layer)
  int64_t maxLength = 128;
};

/// Loads the models and runs them on the text. Teacher alone: one pair per teacher layer with
/// studentLayer 0 and studentHeads 0 (no student matrices). Throws retort::Error naming the
/// directory for unreadable checkpoints, and Error(InvalidArgument) for an empty text or a
/// pair outside the models' layers.
AttentionSnapshot probeAttention(const ProbeRequest& request);

}  // namespace retort::distill
