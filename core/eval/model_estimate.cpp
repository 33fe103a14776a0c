#include "core/eval/model_estimate.h"

namespace retort::eval {
namespace {

ModelEstimate withSize(int64_t parameters, double flops) {
  ModelEstimate e;
  e.parameters = parameters;
  e.sizeMb = static_cast<double>(parameters) * 4.0 / 1e6;
  e.flopsPerToken = flops;
  return e;
}

}  // namespace

ModelEstimate estimateBert(const BertEstimateShape& s, int64_t sequence) {
  const int64_t H = s.hidden, F = s.ffn, L = s.layers;
  const int64_t embeddings = (s.vocab + s.maxPositions + s.typeVocab) * H + 2 * H;
  const int64_t attention = 4 * (H * H + H) + 2 * H;
  const int64_t feedForward = H * F + F + F * H + H + 2 * H;
  const int64_t pooler = s.pooler ? H * H + H : 0;
  const int64_t classifier = s.labels > 0 ? H * s.labels + s.labels : 0;
  const int64_t mlm = s.mlmHead ? H * H + H + 2 * H + s.vocab : 0;
  const int64_t parameters = embeddings + L * (attention + feedForward) + pooler + classifier + mlm;
  const double h = static_cast<double>(H), f = static_cast<double>(F), l = static_cast<double>(L);
  const double flops = 2.0 * l * (4.0 * h * h + 2.0 * h * f) + 4.0 * l * static_cast<double>(sequence) * h;
  return withSize(parameters, flops);
}

ModelEstimate estimateBiLstm(const BiLstmEstimateShape& s) {
  const int64_t E = s.embeddingDim, h = s.hidden, D = s.denseHidden, C = s.labels;
  const int64_t lstm = 2 * 4 * h * (E + h + 2);
  const int64_t parameters = s.vocab * E + lstm + 2 * h * D + D + D * C + C;
  const double flops = 2.0 * 2.0 * 4.0 * static_cast<double>(h) * static_cast<double>(E + h);
  return withSize(parameters, flops);
}

double ratio(double teacher, double student) { return student > 0 ? teacher / student : 0.0; }

}  // namespace retort::eval
