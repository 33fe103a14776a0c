#pragma once
// The model being distilled behind one face for the training loop: an interface with a BERT
// (any shape) and a BiLSTM (Tang et al.) implementation. Also the DistilBERT-style
// initialisation from teacher layers and the best-weights snapshot.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/model/bert.h"
#include "core/model/bilstm.h"
#include "core/text/tokenizer.h"

namespace retort::distill {

/// A trainable student (or a teacher being trained: the training loop trains a StudentModel).
/// Implementations own a LibTorch module handle; copies of the handle share its weights.
class StudentModel {
 public:
  virtual ~StudentModel() = default;

  /// "bert" or "bilstm", as in the experiment's student.kind.
  virtual std::string kind() const = 0;
  /// The module, for parameters, train/eval mode and device moves.
  virtual torch::nn::Module& module() = 0;
  /// BERT: the full forward; BiLSTM: logits only (options other than logits are ignored).
  virtual model::BertOutputs forward(const model::BertInputs& inputs, const model::ForwardOptions& options) = 0;
  /// Writes a Hugging Face checkpoint (BERT) or Retort's BiLSTM layout, with the tokenizer.
  virtual void save(const std::string& directory, const text::Tokenizer* tokenizer) = 0;
  /// The BERT behind the face (for layer mapping, attention and DistilBERT's initialisation),
  /// or null for a student that is not a transformer.
  virtual model::BertModel* asBert() { return nullptr; }

  bool isBert() { return asBert() != nullptr; }
  /// asBert(), for a student known to be a BERT; throws Error(InvalidArgument) otherwise.
  model::BertModel& bert();
  /// Parameters in module order, with their dotted names.
  std::vector<std::pair<std::string, torch::Tensor>> namedParameters();
  int64_t parameterCount();
  void setTraining(bool on);
  void to(const torch::Device& device);
};

/// A BERT student (or teacher): BertModel with any heads.
class BertStudent final : public StudentModel {
 public:
  explicit BertStudent(model::BertModel bert) : m_bert(std::move(bert)) {}
  std::string kind() const override { return "bert"; }
  torch::nn::Module& module() override { return *m_bert; }
  model::BertOutputs forward(const model::BertInputs& inputs, const model::ForwardOptions& options) override;
  void save(const std::string& directory, const text::Tokenizer* tokenizer) override;
  model::BertModel* asBert() override { return &m_bert; }

 private:
  model::BertModel m_bert;
};

/// Tang et al.'s BiLSTM classifier.
class BiLstmStudent final : public StudentModel {
 public:
  explicit BiLstmStudent(model::BiLstmClassifier lstm) : m_lstm(std::move(lstm)) {}
  std::string kind() const override { return "bilstm"; }
  torch::nn::Module& module() override { return *m_lstm; }
  model::BertOutputs forward(const model::BertInputs& inputs, const model::ForwardOptions& options) override;
  void save(const std::string& directory, const text::Tokenizer* tokenizer) override;
  model::BiLstmClassifier& lstm() { return m_lstm; }

 private:
  model::BiLstmClassifier m_lstm;
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
