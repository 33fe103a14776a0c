// Training checkpoints (core/distill/run_checkpoint.h): a phase resumed from a checkpoint on
// freshly drawn models continues exactly (AdamW moments and step counts, the dropout
// generator, the position, the best student: the same losses and weights to the last bit);
// keep-K pruning and leftovers; the messages for corrupt checkpoints; the first difference
// of two experiments; resumeInfo; and the streamed phase (batches read at positions of the
// corpus's epoch order).

#include <QtTest/QtTest>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/data/batching.h"
#include "core/distill/resume_info.h"
#include "core/distill/run_checkpoint.h"
#include "core/distill/training_loop.h"
#include "core/io/checkpoint.h"
#include "core/random_task.h"
#include "test_util.h"

using namespace retort;
using retort::test::thrownMessage;
namespace fs = std::filesystem;

namespace {

struct Log : distill::Observer {
  std::vector<distill::StepMetrics> steps;
  std::vector<distill::EvalMetrics> evals;
  std::vector<std::string> notes;
  void onStep(const distill::StepMetrics& m) override { steps.push_back(m); }
  void onEval(const distill::EvalMetrics& m) override { evals.push_back(m); }
  void onMessage(const std::string& t) override { notes.push_back(t); }
};

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class TestRunCheckpoint : public QObject {
  Q_OBJECT
  io::LoadedCheckpoint m_teacher;
  QTemporaryDir m_tmp;

  /// The models of one side of the equivalence test, drawn from `seed`.
  struct Side {
    std::unique_ptr<distill::BertStudent> student;
    std::unique_ptr<distill::HiddenProjections> projections;
    std::vector<torch::Tensor> best;
    Log log;
  };
  std::unique_ptr<Side> makeSide(uint64_t seed) const {
    auto s = std::make_unique<Side>();
    torch::manual_seed(seed);
    auto cfg = m_teacher.config;
    cfg.numHiddenLayers = 2;
    cfg.hiddenSize = 8;
    cfg.numAttentionHeads = 2;
    cfg.intermediateSize = 16;
    s->student = std::make_unique<distill::BertStudent>(model::BertModel(cfg, model::BertHeads{true, true, false}));
    s->projections = std::make_unique<distill::HiddenProjections>(8, 16, std::vector<int64_t>{0, 1, 2}, true);
    return s;
  }
  distill::PhaseContext phase(Side& s, const data::EncodedDataset& train, const data::EncodedDataset& dev) const {
    distill::PhaseContext c;
    c.name = "intermediate";
    c.student = s.student.get();
    c.teacher = m_teacher.model;
    c.pairs = distill::withEmbeddingPair(distill::uniformMapping(3, 2, true, true));
    c.projections = s.projections.get();
    c.optim.batchSize = 16;
    c.optim.learningRate = 3e-3;
    c.optim.epochs = 3;
    c.optim.logEvery = 1;
    c.optim.evalEvery = 4;
    c.losses.attention = c.losses.hidden = c.losses.embedding = 1.0;
    c.losses.softTargets = 0.5;
    c.train = &train;
    c.dev = &dev;
    c.specials = m_teacher.tokenizer->specialTokens();
    c.vocabSize = m_teacher.config.vocabSize;
    c.observer = &s.log;
    c.bestWeights = &s.best;
    return c;
  }
  distill::CheckpointModels models(Side& s) const {
    return {s.student.get(), s.projections.get(), nullptr, &s.best};
  }

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(1);
    m_teacher = io::loadCheckpoint(test::fixture("bert/tiny"));
    m_teacher.model->eval();
  }

  void resumedPhaseContinuesExactly() {
    const auto train = test::randomTask(*m_teacher.tokenizer, 100, 1);  // 7 batches an epoch, 21 steps
    const auto dev = test::randomTask(*m_teacher.tokenizer, 30, 2);
    const std::string runDir = (m_tmp.path() + QStringLiteral("/exact")).toStdString();
    fs::create_directories(runDir);
    distill::ObserverSpec policy;
    policy.checkpointEvery = 5;
    policy.checkpointMinutes = 0;
    policy.checkpointKeep = 10;
    const nlohmann::json experiment = {{"name", "exact"}};

    // A: uninterrupted, a checkpoint every 5 steps.
    auto a = makeSide(5);
    auto ca = phase(*a, train, dev);
    distill::RunCheckpoints sinkA(runDir, policy, experiment, models(*a), runDir + "/metrics.jsonl");
    ca.checkpoints = &sinkA;
    distill::RunState stateA;
    stateA.seed = 31;
    torch::manual_seed(9);
    QVERIFY(distill::runPhase(ca, stateA));
    QCOMPARE(stateA.globalStep, int64_t(21));
    const auto dirs = distill::checkpointDirectories(runDir + "/checkpoints");
    QCOMPARE(dirs.size(), size_t(4));  // 20, 15, 10, 5
    QCOMPARE(dirs.front().first, int64_t(20));
    QCOMPARE(dirs.back().first, int64_t(5));

    // The checkpoint at step 10: inside epoch 1 (7 + 3 batches), after evaluations at 4 and 8.
    auto ck = distill::readCheckpoint(runDir + "/checkpoints/step-10");
    QCOMPARE(ck.state.globalStep, int64_t(10));
    QCOMPARE(ck.state.phaseStep, int64_t(10));
    QCOMPARE(ck.state.epoch, int64_t(1));
    QCOMPARE(ck.state.batchesDone, int64_t(3));
    QCOMPARE(ck.state.bestWeights, distill::BestWeights::Memory);
    // The best so far: the first highest of the evaluations at steps 4 and 8.
    int64_t bestStep = -1;
    double bestAccuracy = -1;
    for (const auto& e : a->log.evals)
      if (e.globalStep <= 10 && e.accuracy > bestAccuracy) {
        bestAccuracy = e.accuracy;
        bestStep = e.globalStep;
      }
    QCOMPARE(ck.state.bestGlobalStep, bestStep);
    QCOMPARE(ck.state.bestScore, bestAccuracy);
    QCOMPARE(ck.best.size(), a->student->module().parameters().size());
    QCOMPARE(ck.optimizerSteps.size(), size_t(2));  // decay and no-decay groups
    for (const auto& g : ck.optimizerSteps)
      for (int64_t s : g) QCOMPARE(s, int64_t(10));
    QCOMPARE(ck.experiment, experiment);
    // Consecutive checkpoints share the best student's file (a hard link) exactly when the
    // best did not change between them.
    for (int step = 10; step <= 20; step += 5) {
      const std::string before = runDir + "/checkpoints/step-" + std::to_string(step - 5);
      const std::string after = runDir + "/checkpoints/step-" + std::to_string(step);
      const bool same = distill::readCheckpoint(before).state.bestGlobalStep ==
                        distill::readCheckpoint(after).state.bestGlobalStep;
      QCOMPARE(fs::equivalent(before + "/best.safetensors", after + "/best.safetensors"), same);
    }

    // B: other initial weights and another generator state; the checkpoint puts both back.
    auto b = makeSide(77);
    auto cb = phase(*b, train, dev);
    distill::RunCheckpoints sinkB(runDir + "-b", policy, experiment, models(*b), runDir + "-b/metrics.jsonl");
    distill::RunState stateB = ck.state;
    sinkB.restore(std::move(ck));
    cb.checkpoints = &sinkB;
    torch::manual_seed(1234);
    distill::restoreGenerators(stateB);
    QVERIFY(distill::runPhase(cb, stateB));

    // The steps after 10: the same losses and learning rates to the last bit.
    QCOMPARE(a->log.steps.size(), size_t(21));
    QCOMPARE(b->log.steps.size(), size_t(11));
    for (size_t i = 0; i < 11; ++i) {
      const auto& x = a->log.steps[10 + i];
      const auto& y = b->log.steps[i];
      QCOMPARE(y.globalStep, x.globalStep);
      QCOMPARE(y.epoch, x.epoch);
      QVERIFY2(y.total == x.total, qPrintable(QString::number(y.globalStep)));
      QVERIFY(y.learningRate == x.learningRate);
      QVERIFY(y.losses == x.losses);
    }
    // The same evaluations after step 10, the same best, the same weights.
    std::vector<double> evalsA, evalsB;
    for (const auto& e : a->log.evals)
      if (e.globalStep > 10) evalsA.push_back(e.accuracy);
    for (const auto& e : b->log.evals) evalsB.push_back(e.accuracy);
    QVERIFY(evalsA == evalsB);
    QCOMPARE(stateB.bestScore, stateA.bestScore);
    QCOMPARE(stateB.bestGlobalStep, stateA.bestGlobalStep);
    auto pa = a->student->namedParameters(), pb = b->student->namedParameters();
    for (size_t i = 0; i < pa.size(); ++i) QVERIFY2(torch::equal(pa[i].second, pb[i].second), pa[i].first.c_str());
    auto qa = a->projections->parameters(), qb = b->projections->parameters();
    for (size_t i = 0; i < qa.size(); ++i) QVERIFY(torch::equal(qa[i], qb[i]));
    QCOMPARE(a->best.size(), b->best.size());
    for (size_t i = 0; i < a->best.size(); ++i) QVERIFY(torch::equal(a->best[i], b->best[i]));
  }

  void keepsTheLastKAndNoLeftovers() {
    const std::string runDir = (m_tmp.path() + QStringLiteral("/keep")).toStdString();
    fs::create_directories(runDir + "/checkpoints/.tmp-step-3");  // a kill while writing
    writeFile(runDir + "/metrics.jsonl", "{\"type\":\"stage\"}\n");
    auto s = makeSide(3);
    distill::ObserverSpec policy;
    policy.checkpointEvery = 1;
    policy.checkpointKeep = 2;
    distill::RunCheckpoints sink(runDir, policy, {{"name", "keep"}}, models(*s), runDir + "/metrics.jsonl");
    distill::RunState state;
    for (int step = 1; step <= 4; ++step) {
      state.globalStep = step;
      sink.afterStep(nullptr, state, false);
      sink.afterStep(nullptr, state, true);  // the same step again: nothing new
    }
    const auto dirs = distill::checkpointDirectories(runDir + "/checkpoints");
    QCOMPARE(dirs.size(), size_t(2));
    QCOMPARE(dirs[0].first, int64_t(4));
    QCOMPARE(dirs[1].first, int64_t(3));
    QVERIFY(!fs::exists(runDir + "/checkpoints/.tmp-step-3"));
    QCOMPARE(sink.lastPath(), runDir + "/checkpoints/step-4");
    // The log as it was, the state with the generator.
    const auto ck = distill::readCheckpoint(runDir + "/checkpoints/step-4");
    QCOMPARE(ck.metrics, std::string("{\"type\":\"stage\"}\n"));
    QVERIFY(!ck.state.cpuGenerator.empty());
    QVERIFY(ck.optimizerSteps.empty());
    QVERIFY(ck.best.empty());

    // Policies: every 3 steps; never.
    const std::string other = runDir + "-3";
    fs::create_directories(other);
    policy.checkpointEvery = 3;
    distill::RunCheckpoints every3(other, policy, {{"name", "keep"}}, models(*s), other + "/metrics.jsonl");
    for (int step = 1; step <= 7; ++step) {
      state.globalStep = step;
      every3.afterStep(nullptr, state, false);
    }
    QCOMPARE(distill::checkpointDirectories(other + "/checkpoints").front().first, int64_t(6));
    const std::string never = runDir + "-never";
    fs::create_directories(never);
    policy.checkpointEvery = 0;
    policy.checkpointMinutes = 0;
    distill::RunCheckpoints off(never, policy, {{"name", "keep"}}, models(*s), never + "/metrics.jsonl");
    state.globalStep = 9;
    off.afterStep(nullptr, state, true);
    QVERIFY(!fs::exists(never + "/checkpoints"));
  }

  void checkpointsByTime() {
    // checkpoint_minutes alone: 0.0005 minutes = 30 ms; steps 20 ms apart give one every other
    // step or so, never two within 30 ms.
    const std::string runDir = (m_tmp.path() + QStringLiteral("/minutes")).toStdString();
    fs::create_directories(runDir);
    auto s = makeSide(6);
    distill::ObserverSpec policy;
    policy.checkpointEvery = 0;
    policy.checkpointMinutes = 0.0005;
    policy.checkpointKeep = 100;
    distill::RunCheckpoints sink(runDir, policy, {{"name", "t"}}, models(*s), runDir + "/metrics.jsonl");
    distill::RunState state;
    QElapsedTimer clock;
    clock.start();
    std::vector<qint64> writtenAt;
    for (int step = 1; step <= 10; ++step) {
      QThread::msleep(20);
      state.globalStep = step;
      const auto before = distill::checkpointDirectories(runDir + "/checkpoints").size();
      sink.afterStep(nullptr, state, false);
      if (distill::checkpointDirectories(runDir + "/checkpoints").size() > before) writtenAt.push_back(clock.elapsed());
    }
    QVERIFY2(writtenAt.size() >= 2 && writtenAt.size() <= 7, qPrintable(QString::number(writtenAt.size())));
    for (size_t i = 1; i < writtenAt.size(); ++i) QVERIFY(writtenAt[i] - writtenAt[i - 1] >= 30);
  }

  void corruptCheckpointsAreNamed() {
    const std::string runDir = (m_tmp.path() + QStringLiteral("/corrupt")).toStdString();
    fs::create_directories(runDir);
    auto s = makeSide(4);
    distill::ObserverSpec policy;
    policy.checkpointEvery = 1;
    policy.checkpointKeep = 3;
    distill::RunCheckpoints sink(runDir, policy, {{"name", "c"}}, models(*s), runDir + "/metrics.jsonl");
    distill::RunState state;
    for (int step = 1; step <= 3; ++step) {
      state.globalStep = step;
      sink.afterStep(nullptr, state, false);
    }
    const std::string ck3 = runDir + "/checkpoints/step-3", ck2 = runDir + "/checkpoints/step-2";
    auto doc = nlohmann::json::parse(readText(ck3 + "/state.json"));
    doc.erase("phase_name");
    writeFile(ck3 + "/state.json", doc.dump());
    QCOMPARE(thrownMessage([&] { distill::readCheckpoint(ck3); }),
             QString::fromStdString(ck3 + "/state.json: \"phase_name\" is missing"));
    doc = nlohmann::json::parse(readText(ck2 + "/state.json"));
    doc["metrics_bytes"] = 99;
    writeFile(ck2 + "/state.json", doc.dump());
    QCOMPARE(thrownMessage([&] { distill::readCheckpoint(ck2); }),
             QString::fromStdString(ck2 + "/metrics.jsonl: 0 bytes, state.json says 99"));
    // The newest readable one, with a note for each one skipped.
    Log notes;
    const auto latest = distill::readLatestCheckpoint(runDir, &notes);
    QCOMPARE(latest.state.globalStep, int64_t(1));
    QCOMPARE(notes.notes.size(), size_t(2));
    QVERIFY(QString::fromStdString(notes.notes[0]).contains(QString::fromStdString(ck3 + "/state.json")));

    // A tensor the student lacks in the file, and one of the wrong shape.
    auto ck1 = distill::readCheckpoint(runDir + "/checkpoints/step-1");
    const std::string name = "student/" + s->student->namedParameters().front().first;
    ck1.weights.erase(name);
    QCOMPARE(thrownMessage([&] { sink.restore(ck1); }),
             QString::fromStdString(runDir + "/checkpoints/step-1/weights.safetensors: tensor " + name + " is missing"));
    ck1.weights[name] = torch::zeros({2, 2});
    QVERIFY(thrownMessage([&] { sink.restore(ck1); }).contains(QStringLiteral("has shape [2, 2], the model's is [")));

    // No checkpoint at all.
    const std::string empty = (m_tmp.path() + QStringLiteral("/empty")).toStdString();
    fs::create_directories(empty);
    QCOMPARE(thrownMessage([&] { distill::readLatestCheckpoint(empty); }),
             QString::fromStdString(empty + "/checkpoints: no checkpoint to resume from (the run stopped before its first one)"));
  }

  void firstDifferenceNamesTheField() {
    using nlohmann::json;
    const json a = {{"seed", 7}, {"stages", {{{"optim", {{"learning_rate", 0.001}}}}}}, {"name", "x"}};
    QCOMPARE(distill::firstDifference(a, a), std::string());
    json b = a;
    b["stages"][0]["optim"]["learning_rate"] = 0.002;
    QCOMPARE(distill::firstDifference(a, b), std::string("stages[0].optim.learning_rate: 0.001 here, 0.002 in the checkpoint"));
    b = a;
    b["stages"].push_back(json::object());
    QCOMPARE(distill::firstDifference(a, b), std::string("stages: 1 entries here, 2 in the checkpoint"));
    b = a;
    b.erase("name");
    QCOMPARE(distill::firstDifference(a, b, "in exp.json", "in run/experiment.json"),
             std::string("name: \"x\" in exp.json, absent in run/experiment.json"));
    b = a;
    b["seed"] = "7";
    QCOMPARE(distill::firstDifference(a, b), std::string("seed: 7 here, \"7\" in the checkpoint"));
    b = a;
    b["threads"] = 2;
    QCOMPARE(distill::firstDifference(a, b), std::string("threads: absent here, 2 in the checkpoint"));
  }

  void resumeInfoOfRunDirectories() {
    const std::string dir = (m_tmp.path() + QStringLiteral("/info")).toStdString();
    fs::create_directories(dir + "/checkpoints/step-12");
    fs::create_directories(dir + "/checkpoints/step-4");
    fs::create_directories(dir + "/checkpoints/.tmp-step-16");
    QVERIFY(!distill::holdsRun(dir));
    writeFile(dir + "/experiment.json", "{}");
    QVERIFY(distill::holdsRun(dir));
    writeFile(dir + "/checkpoints/step-12/state.json", R"({"global_step": 12, "phase_name": "distill"})");
    writeFile(dir + "/checkpoints/step-12/metrics.jsonl",
              "{\"type\":\"step\",\"global_step\":11,\"total_steps\":40}\n{\"type\":\"step\",\"global_step\":12,\"total_steps\":40}\n");
    writeFile(dir + "/checkpoints/step-4/state.json", R"({"global_step": 4})");
    auto info = distill::resumeInfo(dir);
    QVERIFY(info.resumable);
    QCOMPARE(info.globalStep, int64_t(12));
    QCOMPARE(info.totalSteps, int64_t(40));
    QCOMPARE(info.phaseName, std::string("distill"));
    QCOMPARE(info.checkpoint, dir + "/checkpoints/step-12");
    // An unreadable newest state: the older one.
    writeFile(dir + "/checkpoints/step-12/state.json", "{not json");
    info = distill::resumeInfo(dir);
    QCOMPARE(info.globalStep, int64_t(4));
    // Cancelled: still resumable; complete: not.
    writeFile(dir + "/summary.json", R"({"cancelled": true})");
    QVERIFY(distill::resumeInfo(dir).resumable);
    writeFile(dir + "/summary.json", R"({"cancelled": false})");
    QVERIFY(!distill::resumeInfo(dir).resumable);
    // A summary that is not one of ours counts as complete, and nothing throws.
    writeFile(dir + "/summary.json", R"({"cancelled": "yes"})");
    QVERIFY(!distill::resumeInfo(dir).resumable);
  }

  void streamedPhaseReadsTheEpochOrder() {
    // Batches per epoch: ceil(10 / 4) = 3 (every rank trains its share of each).
    QCOMPARE(distill::streamBatches(10, 4), int64_t(3));
    QCOMPARE(distill::streamBatches(8, 4), int64_t(2));
    QCOMPARE(distill::streamBatches(3, 4), int64_t(1));

    const std::string path = (m_tmp.path() + QStringLiteral("/corpus.txt")).toStdString();
    std::string text;
    for (int i = 0; i < 40; ++i) text += "tok" + std::to_string(5 + i % 40) + " tok" + std::to_string(6 + i % 30) + "\n";
    writeFile(path, text);
    distill::StreamSource source;
    source.corpus = data::StreamedCorpus::index(path, 64);
    QVERIFY(source.corpus.chunks().size() > 3);
    source.tokenizer = m_teacher.tokenizer.get();
    source.maxLength = 8;
    distill::PhaseContext c;
    c.index = 2;
    c.stream = &source;
    c.optim.batchSize = 6;
    QCOMPARE(distill::phaseExamples(c), size_t(40));
    distill::RunState state;
    state.seed = 11;
    state.epoch = 1;
    state.batchesDone = 3;
    const auto batch = distill::streamBatch(c, state).batch;
    // Positions 18..23 of epoch 1's order, encoded as encodeCorpus does.
    const auto texts = source.corpus.texts(distill::phaseOrderSeed(11, 2), 1, true, 18, 24);
    const auto expected = data::encodeCorpus(texts, *m_teacher.tokenizer, 8);
    QCOMPARE(batch.size(), int64_t(6));
    for (int64_t r = 0; r < 6; ++r) {
      const auto& ids = expected.examples[static_cast<size_t>(r)].inputIds;
      for (size_t k = 0; k < ids.size(); ++k) QCOMPARE(batch.inputIds[r][static_cast<int64_t>(k)].item<int64_t>(), ids[k]);
    }
    // The last batch of the epoch is short: 40 = 6 · 6 + 4.
    state.batchesDone = 6;
    QCOMPARE(distill::streamBatch(c, state).size(), int64_t(4));
  }
};

QTEST_GUILESS_MAIN(TestRunCheckpoint)
#include "test_run_checkpoint.moc"
