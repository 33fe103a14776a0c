#include "core/distill/run_summary.h"

#include <torch/torch.h>

#include <algorithm>

#include "core/distill/training_loop.h"
#include "core/eval/latency.h"

namespace retort::distill {

double measureLatencyMs(StudentModel& m, int64_t length, const torch::Device& device, int64_t batch) {
  m.setTraining(false);
  torch::NoGradGuard noGrad;
  model::BertInputs in;
  in.inputIds = torch::full({batch, length}, 5, torch::TensorOptions(torch::kLong).device(device));
  in.attentionMask = torch::ones({batch, length}, torch::TensorOptions(torch::kLong).device(device));
  eval::LatencyOptions o;
  o.warmup = 2;
  o.minRuns = 5;
  o.maxRuns = 30;
  o.maxSeconds = 2;
  model::ForwardOptions f;
  return eval::measureLatency(
             [&] {
               m.forward(in, f);
               if (device.is_cuda()) torch::cuda::synchronize();
             },
             o)
      .medianMs;
}

int64_t medianLength(const data::EncodedDataset& d) {
  if (d.examples.empty()) return 1;
  std::vector<int64_t> lengths;
  for (const auto& x : d.examples) lengths.push_back(static_cast<int64_t>(x.inputIds.size()));
  std::nth_element(lengths.begin(), lengths.begin() + static_cast<long>(lengths.size() / 2), lengths.end());
  return lengths[lengths.size() / 2];
}

RunSummary summarizeModels(StudentModel& teacher, StudentModel& student, const data::EncodedDataset& train,
                           const data::EncodedDataset* dev, const torch::Device& device,
                           const std::string& metric, double threshold) {
  RunSummary summary;
  summary.metric = metric;
  summary.typicalLength = medianLength(train);
  if (dev && !dev->examples.empty()) {
    const auto t = evaluateModel(teacher, *dev, device, 64, nullptr, threshold);
    const auto s = evaluateModel(student, *dev, device, 64, nullptr, threshold);
    summary.teacher.evaluated = summary.student.evaluated = true;
    summary.teacher.accuracy = t.accuracy;
    summary.student.accuracy = s.accuracy;
    summary.teacher.score = eval::metricScore(t, metric);
    summary.student.score = eval::metricScore(s, metric);
  }
  summary.teacher.parameters = teacher.parameterCount();
  summary.student.parameters = student.parameterCount();
  summary.teacher.sizeMb = static_cast<double>(summary.teacher.parameters) * 4.0 / 1e6;
  summary.student.sizeMb = static_cast<double>(summary.student.parameters) * 4.0 / 1e6;
  summary.teacher.latencyMs = measureLatencyMs(teacher, summary.typicalLength, device);
  summary.student.latencyMs = measureLatencyMs(student, summary.typicalLength, device);
  if (summary.teacher.score > 0) summary.retention = summary.student.score / summary.teacher.score;
  summary.teacher.latencyBatchMs = measureLatencyMs(teacher, summary.typicalLength, device, 32);
  summary.student.latencyBatchMs = measureLatencyMs(student, summary.typicalLength, device, 32);
  if (summary.student.latencyMs > 0) summary.speedup = summary.teacher.latencyMs / summary.student.latencyMs;
  if (summary.student.latencyBatchMs > 0)
    summary.speedupBatch = summary.teacher.latencyBatchMs / summary.student.latencyBatchMs;
  summary.studentKind = student.kind();
  if (summary.student.parameters > 0)
    summary.compression =
        static_cast<double>(summary.teacher.parameters) / static_cast<double>(summary.student.parameters);
  return summary;
}

}  // namespace retort::distill
