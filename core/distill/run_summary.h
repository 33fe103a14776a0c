#pragma once
// The figures of a finished run: dev accuracy of both models, parameters and float32 size,
// latency at batch 1 and 32 over the training set's median length, and their ratios.

#include <cstdint>

#include "core/data/batching.h"
#include "core/distill/metrics.h"
#include "core/distill/student.h"

namespace retort::distill {

/// Median forward latency in milliseconds of the model on a batch of `batch` sequences of
/// `length` tokens (eval mode, no grad; 2 warm-up runs, then 5 to 30 runs within ~2 s).
double measureLatencyMs(StudentModel& model, int64_t length, const torch::Device& device, int64_t batch = 1);

/// The median token count of a dataset's examples (1 when it is empty).
int64_t medianLength(const data::EncodedDataset& data);

/// Measures both models and fills every figure of the summary except runDir, name,
/// cancelled and seconds. dev may be null or empty (accuracies and scores then stay -1 and
/// retention 0). metric: task.metric, whose scores give the retention; threshold: a
/// multi-label task's (task.threshold).
RunSummary summarizeModels(StudentModel& teacher, StudentModel& student, const data::EncodedDataset& train,
                           const data::EncodedDataset* dev, const torch::Device& device,
                           const std::string& metric = "accuracy", double threshold = 0.5);

}  // namespace retort::distill
