#include "core/distill/run_plan.h"

#include <torch/torch.h>

#include <optional>

#include "core/distill/schedule.h"
#include "core/io/checkpoint.h"
#include "core/util/error.h"
#include "core/util/text_format.h"

namespace retort::distill {
namespace {

model::BertConfig configFrom(const BertShape& s, int64_t vocab, int64_t pad, const std::vector<std::string>& labels,
                             const std::string& taskKind) {
  model::BertConfig c;
  c.vocabSize = vocab;
  c.hiddenSize = s.hidden;
  c.numHiddenLayers = s.layers;
  c.numAttentionHeads = s.heads;
  c.intermediateSize = s.ffn;
  c.maxPositionEmbeddings = s.maxPositions;
  c.hiddenAct = s.activation;
  c.hiddenDropoutProb = s.dropout;
  c.attentionProbsDropoutProb = s.attentionDropout;
  c.padTokenId = pad;
  c.labels = labels;
  model::setTaskKind(c, taskKind);
  c.validate("experiment");
  return c;
}

/// A checkpoint teacher for the task: as it is, or a fresh classifier for the task's classes on
/// its backbone, to be fine-tuned (teacher.finetune always, or auto when its classes differ).
void planCheckpointTeacher(TeacherPlan& t, const Experiment& e, io::LoadedCheckpoint& ck,
                           const std::vector<std::string>& labels, Observer& observer) {
  t.model = ck.model;
  const bool hasClassifier = t.model->heads().classifier;
  const bool sameCount = hasClassifier && t.model->config().numLabels() == static_cast<int64_t>(labels.size());
  const bool sameProblem = t.model->config().effectiveProblemType() == model::problemTypeOf(e.task.kind);
  const bool fits = sameCount && sameProblem &&
                    (genericLabels(t.model->config().labels) || t.model->config().labels == labels ||
                     e.task.kind == "regression");
  if (e.teacher.finetune == "always" || (e.teacher.finetune == "auto" && !fits)) {
    observer.onMessage(e.teacher.checkpoint + ": fine-tuning the teacher on the task (" +
                       (hasClassifier ? std::string("its classifier has other classes") : std::string("no classifier")) +
                       (e.teacher.finetune == "always" ? ", teacher.finetune is always)" : ")"));
    model::BertConfig config = ck.config;
    config.labels = labels;
    model::setTaskKind(config, e.task.kind);
    model::BertModel tuned(config, model::headsForTask(e.task.kind, t.model->heads().mlm));
    {
      torch::NoGradGuard noGrad;
      auto source = t.model->named_parameters();
      for (auto& p : tuned->named_parameters()) {
        if (p.key().rfind("classifier.", 0) == 0) continue;
        if (const auto* from = source.find(p.key())) p.value().copy_(*from);
      }
    }
    t.model = tuned;
    t.trained = t.finetune = true;
  } else if (!hasClassifier) {
    throw Error(ErrorKind::Format, e.teacher.checkpoint +
                                       ": the teacher has no classifier head (classifier.weight) and "
                                       "teacher.finetune is never");
  } else if (!fits) {
    throw Error(ErrorKind::Shape, e.teacher.checkpoint + ": the teacher's classes (" +
                                      util::listNames(t.model->config().labels) + ") are not the task's (" +
                                      util::listNames(labels) + ") and teacher.finetune is never");
  }
}

/// The teacher's plan, and its phases (pre-training, fine-tuning) at the front of plan.phases.
void planTeacher(RunPlan& plan, const Experiment& e, io::LoadedCheckpoint* ck, Observer& observer,
                 const PhaseContext& base) {
  TeacherPlan& t = plan.teacher;
  if (ck) {
    planCheckpointTeacher(t, e, *ck, plan.data.labels(), observer);
  } else {
    const model::BertHeads heads = model::headsForTask(e.task.kind, e.teacher.mlmPretraining);
    t.model = model::BertModel(configFrom(e.teacher.architecture, plan.data.vocabSize, plan.data.specials.pad,
                                          plan.data.labels(), e.task.kind),
                               heads);
    t.trained = t.finetune = true;
    t.pretrain = e.teacher.mlmPretraining;
  }
  if (t.trained) t.asStudent = std::make_unique<BertStudent>(t.model);
  auto teacherPhase = [&](const std::string& name, const OptimSpec& optim) -> PhaseContext& {
    PhasePlan p;
    p.context = base;
    p.context.name = name;
    p.context.optim = optim;
    p.context.losses = LossSpec{};
    p.context.student = t.asStudent.get();
    p.context.modelName = "teacher";
    plan.phases.push_back(std::move(p));
    return plan.phases.back().context;
  };
  if (t.pretrain) {
    auto& c = teacherPhase("teacher-pretraining", e.teacher.pretraining);
    c.losses.mlm = 1.0;
    c.losses.mlmProbability = e.teacher.mlmProbability;
    c.train = nullptr;
    c.stream = &plan.data.stream(e.teacher.mlmCorpus, observer);
  }
  if (t.finetune) {
    auto& c = teacherPhase("teacher-finetuning", e.teacher.finetuning);
    c.losses.hardLabels = 1.0;
    c.train = &plan.data.trainEncoded;
    c.dev = plan.data.devSet();
  }
  t.model->to(plan.device);
}

std::unique_ptr<StudentModel> makeStudent(const Experiment& e, const RunData& d) {
  const auto& sp = e.student;
  bool studentMlm = false;
  for (const auto& s : e.stages) studentMlm = studentMlm || s.losses.mlm > 0;
  if (sp.kind == "bilstm") {
    model::BiLstmConfig bc;
    bc.vocabSize = d.vocabSize;
    bc.embeddingDim = sp.embeddingDim;
    bc.hidden = sp.lstmHidden;
    bc.denseHidden = sp.denseHidden;
    bc.numLabels = static_cast<int64_t>(d.labels().size());
    bc.labels = d.labels();
    bc.padTokenId = d.specials.pad;
    return std::make_unique<BiLstmStudent>(sp.init == "checkpoint" ? model::loadBiLstm(sp.checkpoint)
                                                                   : model::BiLstmClassifier(bc));
  }
  if (sp.init == "checkpoint") {
    io::LoadOptions lo;
    lo.heads = model::headsForTask(e.task.kind, studentMlm);
    return std::make_unique<BertStudent>(io::loadCheckpoint(sp.checkpoint, lo).model);
  }
  const model::BertHeads heads = model::headsForTask(e.task.kind, studentMlm);
  return std::make_unique<BertStudent>(
      model::BertModel(configFrom(sp.architecture, d.vocabSize, d.specials.pad, d.labels(), e.task.kind), heads));
}

/// The layer pairs of a BERT student and, when a stage has hidden or embedding terms, their
/// projections.
void planMapping(RunPlan& plan, const Experiment& e) {
  if (!plan.student->isBert()) return;
  const int64_t teacherLayers = plan.teacher.model->config().numHiddenLayers;
  const auto& studentConfig = plan.student->bert()->config();
  const int64_t studentLayers = studentConfig.numHiddenLayers;
  const auto& m = e.mapping;
  auto& pairs = plan.pairs;
  if (m.kind == "uniform") pairs = uniformMapping(teacherLayers, studentLayers, m.attention, m.hidden);
  else if (m.kind == "last") pairs = lastLayersMapping(teacherLayers, studentLayers, m.attention, m.hidden);
  else
    for (const auto& p : m.pairs) pairs.push_back({p.student, p.teacher, p.attention, p.hidden, p.weight});
  if (m.embeddings) pairs = withEmbeddingPair(pairs);
  validateMapping(pairs, teacherLayers, studentLayers);
  bool projected = false;
  for (const auto& s : e.stages) projected = projected || s.losses.hidden > 0 || s.losses.embedding > 0;
  if (!projected) return;
  std::vector<int64_t> layers;
  for (const auto& p : pairs) layers.push_back(p.student);
  plan.projections = std::make_unique<HiddenProjections>(
      studentConfig.hiddenSize, plan.teacher.model->config().hiddenSize, layers, m.projection == "shared");
  plan.projections->to(plan.device);
}

void planStages(RunPlan& plan, const Experiment& e, Observer& observer, const PhaseContext& base) {
  plan.firstStudentPhase = plan.phases.size();
  for (size_t i = 0; i < e.stages.size(); ++i) {
    const auto& s = e.stages[i];
    PhasePlan p;
    p.stage = static_cast<int>(i);
    p.pendingAugmentation = !s.augment.method.empty();
    auto& c = p.context;
    c = base;
    c.name = s.name;
    c.optim = s.optim;
    c.losses = s.losses;
    if (s.data == "corpus") c.stream = &plan.data.stream(s.corpus, observer);
    else c.train = &plan.data.trainEncoded;
    c.dev = s.kind == "general" ? nullptr : plan.data.devSet();
    c.student = plan.student.get();
    c.teacher = plan.teacher.model;
    c.pairs = plan.pairs;
    c.projections = plan.projections.get();
    c.headMismatch = e.mapping.headMismatch == "refuse" ? HeadMismatch::Refuse : HeadMismatch::Average;
    c.bestWeights = &plan.bestWeights;
    plan.phases.push_back(std::move(p));
  }
}

}  // namespace

std::unique_ptr<RunPlan> planRun(const Experiment& e, Observer& observer, RunControl* control,
                                 const std::string& runDir, const torch::Device& device) {
  auto plan = std::make_unique<RunPlan>();
  plan->device = device;
  std::optional<io::LoadedCheckpoint> teacherCk;
  if (!e.teacher.checkpoint.empty()) {
    observer.onMessage("loading the teacher from " + e.teacher.checkpoint);
    teacherCk = io::loadCheckpoint(e.teacher.checkpoint);
  }
  readRunData(plan->data, e, teacherCk ? &*teacherCk : nullptr, runDir, observer);

  PhaseContext base;
  base.specials = plan->data.specials;
  base.metric = e.task.metric;
  base.threshold = e.task.threshold;
  base.taskKind = e.task.kind;
  base.teacherCache = e.teacherCache;
  base.teacherCacheLimitGb = e.teacherCacheLimitGb;
  base.vocabSize = plan->data.vocabSize;
  base.device = device;
  base.observer = &observer;
  base.control = control;
  planTeacher(*plan, e, teacherCk ? &*teacherCk : nullptr, observer, base);

  plan->student = makeStudent(e, plan->data);
  plan->student->to(device);
  if (plan->student->isBert() && plan->student->bert()->config().maxPositionEmbeddings < e.task.maxLength)
    throw Error(ErrorKind::InvalidArgument, "task.max_length " + std::to_string(e.task.maxLength) +
                                                " exceeds the student's max_positions");
  planMapping(*plan, e);
  planStages(*plan, e, observer, base);
  if (e.student.init == "teacher_layers") {
    const int64_t teacherLayers = plan->teacher.model->config().numHiddenLayers;
    const int64_t studentLayers = plan->student->bert()->config().numHiddenLayers;
    plan->initLayers = e.student.teacherLayers.empty() ? everyOtherLayer(teacherLayers, studentLayers)
                                                       : e.student.teacherLayers;
  }
  plan->probe = plan->data.encodeProbe(plan->data.probeText(e));
  return plan;
}

size_t plannedExamples(const RunPlan& plan, const Experiment& e, size_t i) {
  const auto& p = plan.phases[i];
  const size_t n = phaseExamples(p.context);
  if (!p.pendingAugmentation) return n;
  if (p.knownExamples >= 0) return static_cast<size_t>(p.knownExamples);
  const auto& a = e.stages[static_cast<size_t>(p.stage)].augment;
  return n * static_cast<size_t>(1 + (a.method == "tinybert" ? a.copies : a.passes));
}

int64_t plannedSteps(const RunPlan& plan, const Experiment& e) {
  int64_t total = 0;
  for (size_t i = 0; i < plan.phases.size(); ++i) total += phaseSteps(plan.phases[i].context.optim, plannedExamples(plan, e, i));
  return total;
}

}  // namespace retort::distill
