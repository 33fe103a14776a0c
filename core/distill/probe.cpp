#include "core/distill/probe.h"

#include <torch/torch.h>

#include "core/distill/training_loop.h"
#include "core/io/checkpoint.h"
#include "core/model/shared_random.h"
#include "core/util/error.h"

namespace retort::distill {

AttentionSnapshot probeAttention(const ProbeRequest& r) {
  if (r.text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(ErrorKind::InvalidArgument, "the probe sentence is empty");
  io::LoadOptions lo;
  lo.requireTokenizer = true;
  // Loading draws initial weights: not from a run's stream (model/shared_random.h).
  model::IsolatedRandom isolated;
  auto teacher = io::loadCheckpoint(r.teacherDir, lo);
  text::EncodeOptions eo;
  eo.maxLength = std::min<int64_t>(r.maxLength, teacher.config.maxPositionEmbeddings);
  const auto enc = teacher.tokenizer->encode(r.text, nullptr, eo);
  const auto n = static_cast<int64_t>(enc.input_ids.size());
  model::BertInputs in;
  in.inputIds = torch::tensor(enc.input_ids, torch::kLong).view({1, n});
  in.tokenTypeIds = torch::tensor(enc.token_type_ids, torch::kLong).view({1, n});
  in.attentionMask = torch::tensor(enc.attention_mask, torch::kLong).view({1, n});
  model::ForwardOptions o;
  o.attentionScores = o.attentionProbs = true;
  o.logits = o.pooled = false;
  torch::NoGradGuard noGrad;
  teacher.model->eval();
  const auto t = teacher.model->forward(in, o);

  AttentionSnapshot snap;
  snap.stage = "probe";
  snap.tokens = enc.tokens;
  const int64_t N = teacher.config.numHiddenLayers;
  if (r.studentDir.empty()) {
    for (int64_t layer = 1; layer <= N; ++layer) snap.pairs.push_back(attentionPairOf(nullptr, t, 0, layer));
    return snap;
  }
  auto student = io::loadCheckpoint(r.studentDir);
  if (student.config.vocabSize != teacher.config.vocabSize)
    throw Error(ErrorKind::Shape, r.studentDir + ": the student's vocabulary (" + std::to_string(student.config.vocabSize) +
                                      ") is not the teacher's (" + std::to_string(teacher.config.vocabSize) + ")");
  student.model->eval();
  const auto s = student.model->forward(in, o);
  const int64_t M = student.config.numHiddenLayers;
  const auto pairs = r.pairs.empty() ? uniformMapping(N, M, true, true) : r.pairs;
  for (const auto& p : pairs) {
    if (p.student == 0 || !p.attention) continue;
    if (p.student > M || p.teacher < 1 || p.teacher > N)
      throw Error(ErrorKind::InvalidArgument, "pair " + std::to_string(p.student) + " -> " + std::to_string(p.teacher) +
                                                  " is outside the models' layers");
    snap.pairs.push_back(attentionPairOf(&s, t, p.student, p.teacher));
  }
  return snap;
}

}  // namespace retort::distill
