#pragma once
// The model being distilled: a BERT (any shape) or Tang et al.'s BiLSTM, behind one face
// for the training loop. Also the DistilBERT-style initialisation from teacher layers.

#include <string>
#include <vector>

#include "core/model/bert.h"
#include "core/model/bilstm.h"
#include "core/text/tokenizer.h"

namespace retort::distill {

class StudentModel {
 public:
  explicit StudentModel(model::BertModel bert) : m_bert(std::move(bert)) {}
  explicit StudentModel(model::BiLstmClassifier lstm) : m_lstm(std::move(lstm)) {}

  bool isBert() const { return !m_bert.is_empty(); }
  model::BertModel& bert() { return m_bert; }
  model::BiLstmClassifier& lstm() { return m_lstm; }
  torch::nn::Module& module();

  /// BERT: the full forward; BiLSTM: logits only (options other than logits are ignored).
  model::BertOutputs forward(const model::BertInputs& inputs, const model::ForwardOptions& options);
  std::vector<std::pair<std::string, torch::Tensor>> namedParameters();
  int64_t parameterCount();
  void setTraining(bool on);
  void to(const torch::Device& device);
  /// Writes a Hugging Face checkpoint (BERT) or Retort's BiLSTM layout, with the tokenizer.
  void save(const std::string& directory, const text::Tokenizer* tokenizer);

 private:
  model::BertModel m_bert{nullptr};
  model::BiLstmClassifier m_lstm{nullptr};
};

/// DistilBERT's initialisation: embeddings, pooler and classifier copied from the teacher,
/// student layer i from teacher layer teacherLayers[i] (0-based). Needs equal hidden size,
/// heads and feed-forward size; throws retort::Error naming the first mismatch.
void copyTeacherLayers(model::BertModel& student, model::BertModel& teacher,
                       const std::vector<int64_t>& teacherLayers);

/// A state snapshot (deep copy) and its restoration, to keep the best dev checkpoint.
std::vector<torch::Tensor> snapshotParameters(StudentModel& model);
void restoreParameters(StudentModel& model, const std::vector<torch::Tensor>& snapshot);

}  // namespace retort::distill
