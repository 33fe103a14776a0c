#pragma once
// Core's plain data as Qt meta types, for queued signals between the worker threads and the
// GUI thread. Included by every header that declares such a signal.

#include <QMetaType>

#include <memory>
#include <vector>

#include "core/distill/metrics.h"

Q_DECLARE_METATYPE(retort::distill::StepMetrics)
Q_DECLARE_METATYPE(std::vector<retort::distill::StepMetrics>)
Q_DECLARE_METATYPE(retort::distill::EvalMetrics)
Q_DECLARE_METATYPE(retort::distill::RunSummary)
Q_DECLARE_METATYPE(std::shared_ptr<const retort::distill::AttentionSnapshot>)
