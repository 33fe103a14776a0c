#include "core/distill/student.h"

#include <torch/torch.h>

#include "core/io/checkpoint.h"
#include "core/util/error.h"

namespace retort::distill {

model::BertModel& StudentModel::bert() {
  if (auto* b = asBert()) return *b;
  throw Error(ErrorKind::InvalidArgument, "the " + kind() + " student is not a BERT");
}

std::vector<std::pair<std::string, torch::Tensor>> StudentModel::namedParameters() {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (auto& p : module().named_parameters()) out.emplace_back(p.key(), p.value());
  return out;
}

int64_t StudentModel::parameterCount() {
  int64_t n = 0;
  for (auto& p : module().parameters()) n += p.numel();
  return n;
}

void StudentModel::setTraining(bool on) { module().train(on); }

void StudentModel::to(const torch::Device& device) { module().to(device); }

model::BertOutputs BertStudent::forward(const model::BertInputs& in, const model::ForwardOptions& opt) {
  return m_bert->forward(in, opt);
}

void BertStudent::save(const std::string& directory, const text::Tokenizer* tokenizer) {
  io::saveCheckpoint(directory, m_bert, tokenizer);
}

model::BertOutputs BiLstmStudent::forward(const model::BertInputs& in, const model::ForwardOptions&) {
  model::BertOutputs out;
  out.logits = m_lstm->forward(in.inputIds, in.attentionMask);
  return out;
}

void BiLstmStudent::save(const std::string& directory, const text::Tokenizer* tokenizer) {
  model::saveBiLstm(directory, m_lstm);
  if (tokenizer) tokenizer->save(directory);
}

void copyTeacherLayers(model::BertModel& student, model::BertModel& teacher,
                       const std::vector<int64_t>& teacherLayers) {
  const auto& s = student->config();
  const auto& t = teacher->config();
  auto need = [&](int64_t a, int64_t b, const char* what) {
    if (a != b)
      throw Error(ErrorKind::Shape, std::string("student.init teacher_layers: the student's ") + what + " (" +
                                        std::to_string(a) + ") must equal the teacher's (" + std::to_string(b) + ")");
  };
  need(s.hiddenSize, t.hiddenSize, "hidden size");
  need(s.numAttentionHeads, t.numAttentionHeads, "number of attention heads");
  need(s.intermediateSize, t.intermediateSize, "feed-forward size");
  need(static_cast<int64_t>(teacherLayers.size()), s.numHiddenLayers, "number of layers (teacher_layers entries)");
  for (int64_t l : teacherLayers)
    if (l < 0 || l >= t.numHiddenLayers)
      throw Error(ErrorKind::InvalidArgument, "student.teacher_layers: layer " + std::to_string(l) +
                                                  " does not exist in a " + std::to_string(t.numHiddenLayers) +
                                                  "-layer teacher (0-based)");
  torch::NoGradGuard noGrad;
  auto teacherParams = teacher->named_parameters();
  for (auto& p : student->named_parameters()) {
    std::string source = p.key();
    const std::string prefix = "bert.encoder.layer.";
    if (source.rfind(prefix, 0) == 0) {
      const size_t dot = source.find('.', prefix.size());
      const int64_t i = std::stoll(source.substr(prefix.size(), dot - prefix.size()));
      source = prefix + std::to_string(teacherLayers[static_cast<size_t>(i)]) + source.substr(dot);
    }
    auto* src = teacherParams.find(source);
    if (!src || src->sizes() != p.value().sizes()) continue;  // e.g. a vocabulary of another size
    p.value().copy_(*src);
  }
}

std::vector<torch::Tensor> snapshotParameters(StudentModel& model) {
  std::vector<torch::Tensor> out;
  for (auto& p : model.module().parameters()) out.push_back(p.detach().clone());
  return out;
}

void restoreParameters(StudentModel& model, const std::vector<torch::Tensor>& snapshot) {
  torch::NoGradGuard noGrad;
  auto params = model.module().parameters();
  for (size_t i = 0; i < params.size() && i < snapshot.size(); ++i) params[i].copy_(snapshot[i]);
}

}  // namespace retort::distill
