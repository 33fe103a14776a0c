#pragma once
// The data of a run, read and encoded once: the tokenizer, the task's training and dev sets,
// the unlabeled corpora (encoded per path), and the probe sentence of attention snapshots.
// Part of planning (run_plan.h).

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/data/batching.h"
#include "core/data/dataset.h"
#include "core/distill/experiment.h"
#include "core/distill/observer.h"
#include "core/distill/training_loop.h"
#include "core/io/checkpoint.h"
#include "core/text/tokenizer.h"

namespace retort::distill {

/// Whether class names are Hugging Face's placeholders LABEL_0, LABEL_1, ...
bool genericLabels(const std::vector<std::string>& labels);

/// The tokenizer, the task's data and the corpora. Datasets are held by value and never move
/// once read (corpora sit in a std::map): phases point at them.
struct RunData {
  std::unique_ptr<text::Tokenizer> tokenizer;
  text::SpecialTokens specials;
  data::LabeledDataset train;               ///< as read (augmentation works on the text)
  std::optional<data::LabeledDataset> dev;
  data::EncodedDataset trainEncoded;
  data::EncodedDataset devEncoded;          ///< empty without a dev set
  int64_t vocabSize = 0;                    ///< the teacher checkpoint's, else the tokenizer's
  int64_t maxLength = 128;                  ///< task.max_length
  std::map<std::string, StreamSource> streams;  ///< corpora by path

  const std::vector<std::string>& labels() const { return train.labels; }
  /// The encoded dev set, or null without one.
  const data::EncodedDataset* devSet() const { return dev ? &devEncoded : nullptr; }
  /// The corpus at path, indexed on first use (one pass over the file, announced to the
  /// observer with its size and speed); its texts are read and encoded batch by batch.
  const StreamSource& stream(const std::string& path, Observer& observer);
  /// Encodes a probe sentence (truncated to maxLength) for attention snapshots.
  Probe encodeProbe(const std::string& text) const;
  /// The experiment's probe sentence, or the first dev example, or the first training one.
  std::string probeText(const Experiment& experiment) const;
};

/// Reads the tokenizer (from the teacher checkpoint, a file, or trained into runDir/tokenizer)
/// and the task's data. With a teacher checkpoint whose classifier knows the task's classes
/// under another order (and task.labels empty), the teacher's order wins. Throws
/// retort::Error naming the file or field at fault.
void readRunData(RunData& data, const Experiment& experiment, io::LoadedCheckpoint* teacher,
                 const std::string& runDir, Observer& observer);

}  // namespace retort::distill
