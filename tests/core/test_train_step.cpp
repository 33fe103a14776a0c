// The trainStep seam: the phase loop (runPhase) is exactly a sequence of trainStep calls on the
// run's epoch order; the learning-rate schedule and a phase's step count by hand; the
// optimiser's parameter groups, clipping and the non-finite loss check; the epoch order.

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>
#include <random>

#include "core/data/batching.h"
#include "core/distill/schedule.h"
#include "core/distill/train_step.h"
#include "core/distill/training_loop.h"
#include "core/io/checkpoint.h"
#include "core/random_task.h"
#include "test_util.h"

using namespace retort;

namespace {

model::BertConfig studentConfig(const model::BertConfig& teacher) {
  auto cfg = teacher;
  cfg.numHiddenLayers = 2;
  cfg.hiddenSize = 8;
  cfg.numAttentionHeads = 2;
  cfg.intermediateSize = 16;
  return cfg;  // dropout 0.1 as the fixture: the step's random masks must line up too
}

struct StepLog : distill::Observer {
  std::vector<distill::StepMetrics> steps;
  std::vector<distill::EvalMetrics> evals;
  void onStep(const distill::StepMetrics& m) override { steps.push_back(m); }
  void onEval(const distill::EvalMetrics& m) override { evals.push_back(m); }
};

/// The two phases of the equivalence test: TinyBERT-style intermediate terms plus soft targets,
/// 17 steps (3 epochs of 7 batches capped by max_steps, so it stops inside epoch 2); then hard
/// labels plus MLM for one epoch.
distill::StepSpec phaseSpec(int phase, distill::StudentModel& student, model::BertModel teacher,
                            distill::HiddenProjections& projections) {
  distill::StepSpec s;
  s.name = phase == 0 ? "intermediate" : "mlm";
  s.student = &student;
  s.teacher = teacher;
  s.pairs = distill::withEmbeddingPair(distill::uniformMapping(3, 2, true, true));
  s.projections = &projections;
  s.optim.batchSize = 16;
  s.optim.learningRate = 3e-3;
  s.optim.warmup = 0.2;
  s.optim.logEvery = 1;
  s.optim.maxGradNorm = 0.5;
  if (phase == 0) {
    s.optim.epochs = 3;
    s.optim.maxSteps = 17;
    s.losses.attention = s.losses.hidden = s.losses.embedding = 1.0;
    s.losses.softTargets = 0.5;
    s.losses.temperature = 2.0;
  } else {
    s.optim.epochs = 1;
    s.optim.schedule = "constant";
    s.losses.hardLabels = 1.0;
    s.losses.mlm = 0.5;
    s.losses.mlmProbability = 0.2;
  }
  return s;
}

}  // namespace

class TestTrainStep : public QObject {
  Q_OBJECT
  io::LoadedCheckpoint m_teacher;

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(1);
    m_teacher = io::loadCheckpoint(test::fixture("bert/tiny"));
    m_teacher.model->eval();
  }

  void runPhaseEqualsManualSteps() {
    const auto train = test::randomTask(*m_teacher.tokenizer, 100, 1);
    const auto dev = test::randomTask(*m_teacher.tokenizer, 30, 2);
    const uint64_t seed = 31;
    const auto specials = m_teacher.tokenizer->specialTokens();
    const auto cfg = studentConfig(m_teacher.config);
    const model::BertHeads heads{true, true, true};

    // A: the phase loop. B: trainStep by hand on batches built here from epochBatches + collate.
    torch::manual_seed(5);
    distill::BertStudent a(model::BertModel(cfg, heads));
    distill::HiddenProjections projA(8, 16, {0, 1, 2}, true);
    torch::manual_seed(5);
    distill::BertStudent b(model::BertModel(cfg, heads));
    distill::HiddenProjections projB(8, 16, {0, 1, 2}, true);

    StepLog log;
    distill::RunState stateA;
    stateA.seed = seed;
    std::vector<torch::Tensor> best;
    torch::manual_seed(9);
    for (int phase = 0; phase < 2; ++phase) {
      distill::PhaseContext c;
      static_cast<distill::StepSpec&>(c) = phaseSpec(phase, a, m_teacher.model, projA);
      c.index = phase;
      c.count = 2;
      c.train = &train;
      c.dev = &dev;
      c.specials = specials;
      c.vocabSize = m_teacher.config.vocabSize;
      c.observer = &log;
      c.bestWeights = &best;
      QVERIFY(distill::runPhase(c, stateA));
    }

    torch::manual_seed(9);
    distill::RunState stateB;
    stateB.seed = seed;
    std::vector<distill::StepResult> manual;
    std::vector<int64_t> manualEpochs;
    for (int phase = 0; phase < 2; ++phase) {
      const auto spec = phaseSpec(phase, b, m_teacher.model, projB);
      const int64_t steps = phase == 0 ? 17 : 7;  // 17 (max_steps), then ceil(100 / 16) = 7
      auto context = distill::makeStepContext(spec, steps);
      stateB.phaseStep = 0;
      int64_t done = 0;
      for (int64_t epoch = 0; done < steps; ++epoch) {
        for (const auto& rows : data::epochBatches(100, 16, true, seed + uint64_t(phase) * 1000003ull, epoch)) {
          if (done == steps) break;
          auto batch = data::collate(train, rows);
          if (spec.losses.mlm > 0)
            data::maskTokens(batch, specials, m_teacher.config.vocabSize, 0.2,
                             seed * 6364136223846793005ull + uint64_t(stateB.globalStep));
          manual.push_back(distill::trainStep(context, batch, stateB));
          manualEpochs.push_back(epoch);
          ++done;
        }
      }
    }

    // The same logged losses, to the last bit.
    QCOMPARE(log.steps.size(), size_t(24));
    QCOMPARE(manual.size(), size_t(24));
    for (size_t i = 0; i < manual.size(); ++i) {
      const auto& m = log.steps[i];
      QCOMPARE(m.globalStep, int64_t(i + 1));
      QCOMPARE(m.epoch, manualEpochs[i]);
      QCOMPARE(m.losses.size(), manual[i].terms.size());
      for (const auto& [name, t] : manual[i].terms) QVERIFY2(m.losses.at(name) == t.item<double>(), name.c_str());
      QVERIFY(m.total == manual[i].total);
      QVERIFY(m.learningRate == manual[i].learningRate);
    }
    QCOMPARE(log.steps[16].losses.count("attention"), size_t(1));
    QCOMPARE(log.steps[17].losses.count("mlm"), size_t(1));
    QCOMPARE(log.steps[16].epoch, int64_t(2));  // 17 = 7 + 7 + 3: inside the third epoch
    // The same weights, exactly.
    auto pa = a.namedParameters(), pb = b.namedParameters();
    QCOMPARE(pa.size(), pb.size());
    for (size_t i = 0; i < pa.size(); ++i) QVERIFY2(torch::equal(pa[i].second, pb[i].second), pa[i].first.c_str());
    auto qa = projA.parameters(), qb = projB.parameters();
    for (size_t i = 0; i < qa.size(); ++i) QVERIFY(torch::equal(qa[i], qb[i]));
    // Where the state ended: after both phases, 24 steps, a best dev score from an evaluation.
    QCOMPARE(stateA.globalStep, int64_t(24));
    QCOMPARE(stateB.globalStep, int64_t(24));
    QCOMPARE(stateA.phase, int64_t(2));
    QCOMPARE(stateA.phaseStep, int64_t(0));
    QCOMPARE(stateA.batchesDone, int64_t(0));
    QVERIFY(stateA.bestScore >= 0.0 && stateA.bestScore <= 1.0);
    QCOMPARE(stateA.bestWeights, distill::BestWeights::Memory);
    QCOMPARE(best.size(), pa.size());
    double bestSeen = -1;
    for (const auto& e : log.evals) bestSeen = std::max(bestSeen, e.accuracy);
    QCOMPARE(stateA.bestScore, bestSeen);
  }

  void tokenClassificationLossesByHand() {
    // BertForTokenClassification heads on the fixture's shape; the logit terms are taken at the
    // tagged positions only (labels other than -100) and checked against plain formulas.
    torch::manual_seed(5);
    auto cfg = studentConfig(m_teacher.config);
    cfg.labels = {"B-X", "I-X", "O"};
    cfg.hiddenDropoutProb = cfg.attentionProbsDropoutProb = 0.0;
    model::BertModel teacher(cfg, model::headsForTask("token_classification", false));
    model::BertModel studentBert(cfg, model::headsForTask("token_classification", false));
    QVERIFY(!teacher->bert->pooler);
    teacher->eval();
    distill::BertStudent student(studentBert);
    data::Batch batch;
    batch.inputIds = torch::tensor({{2, 10, 11, 12, 3}, {2, 13, 3, 0, 0}}, torch::kLong);
    batch.tokenTypeIds = torch::zeros({2, 5}, torch::kLong);
    batch.attentionMask = torch::tensor({{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}}, torch::kLong);
    batch.labels = torch::tensor({{-100, 0, -100, 2, -100}, {-100, 1, -100, -100, -100}}, torch::kLong);
    batch.indices = {0, 1};
    distill::StepSpec spec;
    spec.name = "tokens";
    spec.taskKind = "token_classification";
    spec.student = &student;
    spec.teacher = teacher;
    spec.losses.softTargets = 1.0;
    spec.losses.temperature = 2.0;
    spec.losses.hardLabels = 1.0;
    spec.losses.logitMse = 1.0;
    studentBert->eval();
    const auto terms = distill::computeLosses(spec, batch);
    torch::NoGradGuard noGrad;
    const auto s = studentBert->forward(batch.inputs()).logits;
    const auto t = teacher->forward(batch.inputs()).logits;
    QCOMPARE(s.sizes().vec(), std::vector<int64_t>({2, 5, 3}));
    // The three tagged positions (0,1), (0,3), (1,1) with gold 0, 2, 1.
    const int rows[3][3] = {{0, 1, 0}, {0, 3, 2}, {1, 1, 1}};
    double ce = 0, kl = 0, mse = 0;
    const double T = 2.0;
    for (const auto& r : rows) {
      const auto sl = s[r[0]][r[1]].to(torch::kDouble), tl = t[r[0]][r[1]].to(torch::kDouble);
      ce -= torch::log_softmax(sl, 0)[r[2]].item<double>();
      const auto p = torch::softmax(tl / T, 0), logq = torch::log_softmax(sl / T, 0);
      kl += (p * (p.log() - logq)).sum().item<double>();
      mse += (sl - tl).pow(2).sum().item<double>();
    }
    QVERIFY(std::abs(terms.at("hard_labels").item<double>() - ce / 3) < 1e-5);
    QVERIFY(std::abs(terms.at("soft_targets").item<double>() - T * T * kl / 3) < 1e-5);
    QVERIFY(std::abs(terms.at("logit_mse").item<double>() - mse / 9) < 1e-5);
    // The logit terms average over the tagged pieces: what a data-parallel step scales by.
    const auto counts = distill::termCounts(batch);
    QCOMPARE(counts.labeled, 3.0);
    QCOMPARE(counts.rows, 2.0);
    QCOMPARE(counts.tokens, 8.0);
  }

  void learningRateSchedule_data() {
    QTest::addColumn<QString>("schedule");
    QTest::addColumn<double>("warmup");
    QTest::addColumn<qlonglong>("total");
    QTest::addColumn<qlonglong>("step");
    QTest::addColumn<double>("expected");
    // lr 1e-3. Linear, warmup 0.2 of 10 = 2 steps: s/2 · lr, then lr · (10 − s) / 8.
    QTest::newRow("linear frac s0") << "linear" << 0.2 << 10LL << 0LL << 0.0;
    QTest::newRow("linear frac s1") << "linear" << 0.2 << 10LL << 1LL << 5e-4;
    QTest::newRow("linear frac s2") << "linear" << 0.2 << 10LL << 2LL << 1e-3;
    QTest::newRow("linear frac s5") << "linear" << 0.2 << 10LL << 5LL << 6.25e-4;
    QTest::newRow("linear frac s9") << "linear" << 0.2 << 10LL << 9LL << 1.25e-4;
    QTest::newRow("linear frac s10") << "linear" << 0.2 << 10LL << 10LL << 0.0;
    // Fractions round to the nearest step: 0.15 · 10 = 1.5 -> 2; 0.1 · 7 = 0.7 -> 1.
    QTest::newRow("linear 0.15 s1") << "linear" << 0.15 << 10LL << 1LL << 5e-4;
    QTest::newRow("linear 0.1 of 7 s1") << "linear" << 0.1 << 7LL << 1LL << 1e-3;
    QTest::newRow("linear 0.1 of 7 s4") << "linear" << 0.1 << 7LL << 4LL << 5e-4;
    // Absolute warmup of 3 steps over 10: s/3 · lr, then lr · (10 − s) / 7.
    QTest::newRow("linear abs s1") << "linear" << 3.0 << 10LL << 1LL << 1e-3 / 3.0;
    QTest::newRow("linear abs s3") << "linear" << 3.0 << 10LL << 3LL << 1e-3;
    QTest::newRow("linear abs s6") << "linear" << 3.0 << 10LL << 6LL << 1e-3 * 4.0 / 7.0;
    // No warmup: lr · (total − s) / total.
    QTest::newRow("linear none s0") << "linear" << 0.0 << 4LL << 0LL << 1e-3;
    QTest::newRow("linear none s3") << "linear" << 0.0 << 4LL << 3LL << 2.5e-4;
    // Constant after a warmup of 0.25 · 8 = 2 steps.
    QTest::newRow("constant s1") << "constant" << 0.25 << 8LL << 1LL << 5e-4;
    QTest::newRow("constant s2") << "constant" << 0.25 << 8LL << 2LL << 1e-3;
    QTest::newRow("constant s7") << "constant" << 0.25 << 8LL << 7LL << 1e-3;
    QTest::newRow("constant none s0") << "constant" << 0.0 << 8LL << 0LL << 1e-3;
  }

  void learningRateSchedule() {
    QFETCH(QString, schedule);
    QFETCH(double, warmup);
    QFETCH(qlonglong, total);
    QFETCH(qlonglong, step);
    QFETCH(double, expected);
    distill::OptimSpec o;
    o.learningRate = 1e-3;
    o.schedule = schedule.toStdString();
    o.warmup = warmup;
    const auto s = distill::LearningRateSchedule::of(o, total);
    QVERIFY2(std::abs(s.at(step) - expected) < 1e-15, qPrintable(QString::number(s.at(step), 'g', 17)));
    QCOMPARE(distill::scheduledLearningRate(o, step, total), s.at(step));
  }

  void unusedParametersAreLeftAlone() {
    // Phase 1 trains the projections (hidden terms); phase 2 does not use them: AdamW's weight
    // decay must not touch them there (their gradient from phase 1 is cleared), as in a run
    // that resumes inside phase 2.
    const auto train = test::randomTask(*m_teacher.tokenizer, 32, 3);
    torch::manual_seed(2);
    distill::BertStudent student(model::BertModel(studentConfig(m_teacher.config), model::BertHeads{true, true, false}));
    distill::HiddenProjections projections(8, 16, {0, 1, 2}, true);
    distill::RunState state;
    for (int phase = 0; phase < 2; ++phase) {
      distill::StepSpec spec = phaseSpec(0, student, m_teacher.model, projections);
      spec.optim.maxSteps = 3;
      spec.optim.weightDecay = 0.5;
      spec.losses = distill::LossSpec{};
      if (phase == 0) spec.losses.hidden = 1.0;
      else spec.losses.softTargets = 1.0;
      auto context = distill::makeStepContext(spec, 3);
      std::vector<torch::Tensor> before;
      for (auto& p : projections.parameters()) {
        QVERIFY(!p.grad().defined());  // cleared when the phase starts
        before.push_back(p.detach().clone());
      }
      state.phaseStep = 0;
      for (const auto& rows : data::epochBatches(32, 16, true, 1, phase)) distill::trainStep(context, data::collate(train, rows), state);
      const auto after = projections.parameters();
      for (size_t i = 0; i < after.size(); ++i)
        QCOMPARE(torch::equal(after[i], before[i]), phase == 1);  // trained in phase 1 only
    }
  }

  void phaseStepCounts_data() {
    QTest::addColumn<qlonglong>("epochs");
    QTest::addColumn<qlonglong>("maxSteps");
    QTest::addColumn<qlonglong>("batch");
    QTest::addColumn<qlonglong>("examples");
    QTest::addColumn<qlonglong>("steps");
    QTest::newRow("3 epochs of ceil(100/16)") << 3LL << 0LL << 16LL << 100LL << 21LL;
    QTest::newRow("exact batches") << 2LL << 0LL << 16LL << 32LL << 4LL;
    QTest::newRow("one row over") << 1LL << 0LL << 16LL << 33LL << 3LL;
    QTest::newRow("fewer rows than a batch") << 1LL << 0LL << 16LL << 5LL << 1LL;
    QTest::newRow("max_steps caps") << 3LL << 17LL << 16LL << 100LL << 17LL;
    QTest::newRow("max_steps above the epochs") << 3LL << 50LL << 16LL << 100LL << 21LL;
    QTest::newRow("max_steps alone") << 0LL << 5LL << 16LL << 100LL << 5LL;
    QTest::newRow("0 examples") << 3LL << 0LL << 16LL << 0LL << 0LL;
    QTest::newRow("0 examples with max_steps") << 0LL << 5LL << 16LL << 0LL << 0LL;
  }

  void phaseStepCounts() {
    QFETCH(qlonglong, epochs);
    QFETCH(qlonglong, maxSteps);
    QFETCH(qlonglong, batch);
    QFETCH(qlonglong, examples);
    QFETCH(qlonglong, steps);
    distill::OptimSpec o;
    o.epochs = epochs;
    o.maxSteps = maxSteps;
    o.batchSize = batch;
    QCOMPARE(distill::phaseSteps(o, size_t(examples)), int64_t(steps));
  }

  void optimizerGroupsScheduleAndClipping() {
    torch::manual_seed(2);
    distill::BertStudent student(model::BertModel(studentConfig(m_teacher.config), model::BertHeads{}));
    distill::StepSpec spec;
    spec.name = "fine";
    spec.student = &student;
    spec.losses.hardLabels = 1.0;
    spec.optim.learningRate = 1e-3;
    spec.optim.weightDecay = 0.05;
    spec.optim.warmup = 2;
    spec.optim.maxGradNorm = 1e-3;  // far below the gradient's norm: every step is clipped
    auto context = distill::makeStepContext(spec, 4);
    QVERIFY(student.module().is_training());
    // Hugging Face's groups: decay for weights, none for biases and LayerNorm weights.
    auto& groups = context.optimizer->param_groups();
    QCOMPARE(groups.size(), size_t(2));
    size_t plain = 0, total = 0;
    for (const auto& [name, p] : student.namedParameters()) {
      ++total;
      if (name.find("bias") != std::string::npos || name.find("LayerNorm") != std::string::npos) ++plain;
    }
    QCOMPARE(groups[0].params().size(), total - plain);
    QCOMPARE(groups[1].params().size(), plain);
    QCOMPARE(static_cast<torch::optim::AdamWOptions&>(groups[0].options()).weight_decay(), 0.05);
    QCOMPARE(static_cast<torch::optim::AdamWOptions&>(groups[1].options()).weight_decay(), 0.0);
    QCOMPARE(context.clipped.size(), total);

    const auto train = test::randomTask(*m_teacher.tokenizer, 16, 3);
    const auto batch = data::collate(train, {0, 1, 2, 3, 4, 5, 6, 7});
    distill::RunState state;
    const double expected[] = {0.0, 5e-4, 1e-3, 5e-4};  // warmup 2 of 4, then linear decay
    for (int s = 0; s < 4; ++s) {
      const auto r = distill::trainStep(context, batch, state);
      QCOMPARE(r.learningRate, expected[s]);
      QCOMPARE(static_cast<torch::optim::AdamWOptions&>(groups[0].options()).lr(), expected[s]);
      QCOMPARE(r.examples, int64_t(8));
      QCOMPARE(r.terms.size(), size_t(1));
      QCOMPARE(r.total, r.terms.at("hard_labels").item<double>());
      double sq = 0;
      for (const auto& p : context.clipped)
        if (p.grad().defined()) sq += p.grad().pow(2).sum().item<double>();
      QVERIFY2(std::sqrt(sq) <= 1e-3 * (1 + 1e-4), qPrintable(QString::number(std::sqrt(sq))));
    }
    QCOMPARE(state.globalStep, int64_t(4));
    QCOMPARE(state.phaseStep, int64_t(4));
    QCOMPARE(state.batchesDone, int64_t(0));  // the data position is the caller's
  }

  void nonFiniteLossStopsBeforeTheUpdate() {
    torch::manual_seed(2);
    distill::BertStudent student(model::BertModel(studentConfig(m_teacher.config), model::BertHeads{}));
    {
      torch::NoGradGuard ng;
      student.bert()->named_parameters()["classifier.bias"].fill_(std::nan(""));
    }
    distill::StepSpec spec;
    spec.name = "prediction";
    spec.student = &student;
    spec.losses.hardLabels = 1.0;
    auto context = distill::makeStepContext(spec, 10);
    const auto before = snapshotParameters(student);
    const auto train = test::randomTask(*m_teacher.tokenizer, 8, 4);
    distill::RunState state;
    state.phaseStep = 2;
    const QString msg = test::thrownMessage([&] { distill::trainStep(context, data::collate(train, {0, 1, 2}), state); });
    // The sign of a NaN is the platform's: "nan" or "-nan".
    QVERIFY2(msg.contains(QStringLiteral("prediction, step 3: the loss is not finite (hard_labels = ")), qPrintable(msg));
    QVERIFY2(msg.endsWith(QStringLiteral("nan); try a lower learning rate")), qPrintable(msg));
    const auto after = snapshotParameters(student);
    for (size_t i = 0; i < before.size(); ++i) QVERIFY(torch::equal(before[i].nan_to_num(), after[i].nan_to_num()));
    QCOMPARE(state.globalStep, int64_t(0));
    QCOMPARE(state.phaseStep, int64_t(2));

    spec.losses.hardLabels = 0.0;
    auto none = distill::makeStepContext(spec, 10);
    const QString zero = test::thrownMessage([&] { distill::trainStep(none, data::collate(train, {0}), state); });
    QCOMPARE(zero, QStringLiteral("prediction: every loss weight is 0"));
  }

  void epochOrderIsPureAndShardsByRank() {
    const auto all = distill::epochOrder(50, 8, 7, 1, 2);
    QCOMPARE(all, data::epochBatches(50, 8, true, 7 + 1000003ull, 2));
    QCOMPARE(all.size(), size_t(7));
    QCOMPARE(distill::epochOrder(50, 8, 7, 1, 2), all);  // a pure function
    QVERIFY(distill::epochOrder(50, 8, 7, 1, 3) != all);
    QVERIFY(distill::epochOrder(50, 8, 7, 2, 2) != all);
    // Two ranks: every global batch, each rank its contiguous half (the last batch, 50 = 6 · 8 + 2,
    // one row each).
    const auto r0 = distill::epochOrder(50, 8, 7, 1, 2, 2, 0);
    const auto r1 = distill::epochOrder(50, 8, 7, 1, 2, 2, 1);
    QCOMPARE(r0.size(), all.size());
    QCOMPARE(r1.size(), all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      auto joined = r0[i];
      joined.insert(joined.end(), r1[i].begin(), r1[i].end());
      QCOMPARE(joined, all[i]);
      QCOMPARE(r0[i].size(), all[i].size() / 2);
    }
    // Shares differ by at most one row; fewer rows than ranks leaves a rank empty.
    QCOMPARE(distill::shareOf(7, 3, 0), std::make_pair(int64_t(0), int64_t(2)));
    QCOMPARE(distill::shareOf(7, 3, 1), std::make_pair(int64_t(2), int64_t(4)));
    QCOMPARE(distill::shareOf(7, 3, 2), std::make_pair(int64_t(4), int64_t(7)));
    QCOMPARE(distill::shareOf(1, 2, 0), std::make_pair(int64_t(0), int64_t(0)));
    QCOMPARE(distill::shareOf(1, 2, 1), std::make_pair(int64_t(0), int64_t(1)));
    QCOMPARE(distill::maskSeed(3, 5), 3 * 6364136223846793005ull + 5);
    const QString msg = test::thrownMessage([] { distill::epochOrder(50, 8, 7, 1, 2, 2, 2); });
    QCOMPARE(msg, QStringLiteral("epoch order: rank 2 of world size 2 does not exist"));
  }
};

QTEST_APPLESS_MAIN(TestTrainStep)
#include "test_train_step.moc"
