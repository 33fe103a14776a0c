// The distillation engine end to end: intermediate losses pull a student's attention and hidden
// states toward the teacher's; a BiLSTM learns a task from a teacher's logits; Trainer::run writes
// a complete run directory, is deterministic, and can be cancelled.

#include <QtTest/QtTest>
#include <QTemporaryDir>

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "core/data/batching.h"
#include "core/data/dataset.h"
#include "core/distill/trainer.h"
#include "core/distill/training_loop.h"
#include "core/io/checkpoint.h"
#include "test_util.h"

using namespace retort;
namespace fs = std::filesystem;

namespace {

/// Sentences of fixture tokens, labeled by the fixture teacher itself (so it is 100% right).
void writeTask(const std::string& path, int n, uint64_t seed) {
  auto ck = io::loadCheckpoint(test::fixture("bert/tiny"));
  ck.model->eval();
  std::mt19937_64 rng(seed);
  std::ofstream out(path);
  out << "sentence\tlabel\n";
  torch::NoGradGuard ng;
  for (int i = 0; i < n; ++i) {
    std::string s;
    const int len = 3 + static_cast<int>(rng() % 6);
    for (int k = 0; k < len; ++k) s += (k ? " tok" : "tok") + std::to_string(5 + rng() % 45);
    auto enc = ck.tokenizer->encode(s);
    auto ids = torch::tensor(enc.input_ids, torch::kLong).view({1, -1});
    const auto label = ck.model->forward({ids, {}, {}}).logits.argmax(-1).item<int64_t>();
    out << s << '\t' << ck.config.labels[static_cast<size_t>(label)] << '\n';
  }
}

std::string experimentJson(const std::string& dir, const std::string& student, const std::string& stages) {
  return R"({"format": 1, "name": "t", "seed": 7, "threads": 1,
    "task": {"train": ")" + dir + R"(/train.tsv", "dev": ")" + dir + R"(/dev.tsv", "max_length": 16},
    "teacher": {"checkpoint": ")" + test::fixture("bert/tiny") + R"("},
    "student": )" + student + R"(,
    "observer": {"attention_every": 5},
    "stages": )" + stages + "}";
}

struct Recorder : distill::Observer {
  std::vector<distill::StepMetrics> steps;
  std::vector<distill::EvalMetrics> evals;
  std::vector<distill::AttentionSnapshot> snapshots;
  std::vector<std::string> stages;
  int cancelAfter = -1;
  distill::RunControl* control = nullptr;
  void onStageStart(const std::string& n, int, int, int64_t) override { stages.push_back(n); }
  void onStep(const distill::StepMetrics& m) override {
    steps.push_back(m);
    if (control && static_cast<int>(steps.size()) == cancelAfter) control->requestCancel();
  }
  void onEval(const distill::EvalMetrics& m) override { evals.push_back(m); }
  void onAttention(const distill::AttentionSnapshot& s) override { snapshots.push_back(s); }
};

std::vector<nlohmann::json> readJsonLines(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace

class TestTrainer : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string dir() const { return m_dir.path().toStdString(); }

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(1);
    writeTask(dir() + "/train.tsv", 400, 1);
    writeTask(dir() + "/dev.tsv", 60, 2);
  }

  void intermediateLossesPullTowardTeacher() {
    torch::manual_seed(3);
    auto teacherCk = io::loadCheckpoint(test::fixture("bert/tiny"));
    auto train = data::readDataset({dir() + "/train.tsv", "auto", "sentence", "", "label", {}}, teacherCk.config.labels);
    auto enc = data::encodeDataset(train, *teacherCk.tokenizer, 16);
    auto cfg = teacherCk.config;
    cfg.numHiddenLayers = 1;
    cfg.hiddenSize = 8;
    cfg.numAttentionHeads = 2;
    cfg.intermediateSize = 16;
    distill::BertStudent student(model::BertModel(cfg, model::BertHeads{}));
    auto pairs = distill::withEmbeddingPair(distill::uniformMapping(3, 1, true, true));
    distill::HiddenProjections proj(8, 16, {0, 1}, true);
    distill::RunState state;
    distill::Observer quiet;
    distill::PhaseContext c;
    c.name = "intermediate";
    c.optim.epochs = 12;
    c.optim.batchSize = 16;
    c.optim.learningRate = 3e-3;
    c.optim.warmup = 0;
    c.losses.attention = c.losses.hidden = c.losses.embedding = 1.0;
    c.train = &enc;
    c.student = &student;
    c.teacher = teacherCk.model;
    c.pairs = pairs;
    c.projections = &proj;
    c.observer = &quiet;
    auto held = data::collate(enc, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
    auto measure = [&] {
      torch::NoGradGuard ng;
      student.setTraining(false);
      auto t = distill::computeLosses(c, held);
      return std::make_pair(t.at("attention").item<double>(), t.at("hidden").item<double>());
    };
    const auto before = measure();
    QVERIFY(distill::runPhase(c, state));
    const auto after = measure();
    qInfo("attention MSE %.4f -> %.4f, hidden MSE %.4f -> %.4f", before.first, after.first, before.second, after.second);
    QVERIFY2(after.first < 0.5 * before.first, "attention scores did not move toward the teacher's");
    QVERIFY2(after.second < 0.5 * before.second, "hidden states did not move toward the teacher's");
  }

  void runWritesDirectoryAndIsDeterministic() {
    const std::string student = R"({"kind": "bert", "architecture": {"layers": 1, "hidden": 16, "heads": 4, "ffn": 24, "max_positions": 20},
                                    "init": "teacher_layers", "teacher_layers": [2]})";
    const std::string stages = R"([{"kind": "intermediate", "optim": {"epochs": 1, "batch_size": 16, "learning_rate": 1e-3, "log_every": 2}},
                                   {"kind": "prediction", "optim": {"epochs": 2, "batch_size": 16, "learning_rate": 1e-3, "log_every": 2}}])";
    const auto json = nlohmann::json::parse(experimentJson(dir(), student, stages));
    std::vector<std::vector<nlohmann::json>> logs;
    for (int run = 0; run < 2; ++run) {
      const std::string out = dir() + "/run" + std::to_string(run);
      Recorder rec;
      auto e = distill::Experiment::fromJson(json, "test.json", dir());
      distill::Trainer trainer;
      const auto s = trainer.run(e, rec, out);
      QVERIFY(fs::exists(out + "/experiment.json"));
      QVERIFY(fs::exists(out + "/summary.json"));
      auto ck = io::loadCheckpoint(out + "/student");
      QCOMPARE(ck.config.numHiddenLayers, int64_t(1));
      QCOMPARE(ck.config.labels, (std::vector<std::string>{"negative", "neutral", "positive"}));
      QVERIFY(ck.tokenizer != nullptr);
      // Summary figures are the ratios of the measured figures.
      auto summary = nlohmann::json::parse(std::ifstream(out + "/summary.json"));
      QCOMPARE(summary["student"]["parameters"].get<int64_t>(), ck.model->parameterCount());
      QCOMPARE(summary["compression"].get<double>(),
               double(summary["teacher"]["parameters"].get<int64_t>()) / double(ck.model->parameterCount()));
      QCOMPARE(summary["retention"].get<double>(),
               summary["student"]["accuracy"].get<double>() / summary["teacher"]["accuracy"].get<double>());
      QCOMPARE(s.teacher.accuracy, 1.0);  // the teacher labeled the data itself
      QVERIFY(summary["student"]["latency_ms"].get<double>() > 0);
      // Observer: both stages, steps, evaluations, attention snapshots of tokens x tokens.
      QCOMPARE(rec.stages, (std::vector<std::string>{"intermediate", "prediction"}));
      QVERIFY(!rec.steps.empty());
      QCOMPARE(rec.steps.front().losses.count("attention"), size_t(1));
      QCOMPARE(rec.steps.front().losses.count("soft_targets"), size_t(0));  // weight 0: not computed
      QCOMPARE(rec.steps.back().losses.count("soft_targets"), size_t(1));
      QVERIFY(!rec.evals.empty());
      QVERIFY(!rec.snapshots.empty());
      const auto& snap = rec.snapshots.front();
      const size_t n = snap.tokens.size();
      QCOMPARE(snap.pairs.size(), size_t(1));
      QCOMPARE(snap.pairs[0].teacherLayer, int64_t(3));
      QCOMPARE(snap.pairs[0].studentProbs.size(), size_t(4) * n * n);
      QCOMPARE(snap.pairs[0].teacherScores.size(), size_t(4) * n * n);
      logs.push_back(readJsonLines(out + "/metrics.jsonl"));
    }
    // Same seed, same thread count: the same metrics to the last digit (timings aside).
    QCOMPARE(logs[0].size(), logs[1].size());
    for (size_t i = 0; i < logs[0].size(); ++i) {
      for (auto* j : {&logs[0][i], &logs[1][i]}) {
        j->erase("examples_per_second");
        j->erase("elapsed_seconds");
      }
      QCOMPARE(QString::fromStdString(logs[0][i].dump()), QString::fromStdString(logs[1][i].dump()));
    }
  }

  void bilstmLearnsFromTeacherLogits() {
    const std::string student = R"({"kind": "bilstm", "embedding_dim": 32, "lstm_hidden": 32, "dense_hidden": 32})";
    const std::string stages = R"([{"kind": "distill", "losses": {"logit_mse": 1.0},
                                    "optim": {"epochs": 25, "batch_size": 16, "learning_rate": 3e-3, "warmup": 0, "log_every": 50}}])";
    auto e = distill::Experiment::fromJson(nlohmann::json::parse(experimentJson(dir(), student, stages)), "t.json", dir());
    Recorder rec;
    distill::Trainer trainer;
    const auto s = trainer.run(e, rec, dir() + "/bilstm");
    auto dev = data::readDataset({dir() + "/dev.tsv", "auto", "sentence", "", "label", {}}, {"negative", "neutral", "positive"});
    const auto counts = dev.labelCounts();
    const double majority = double(*std::max_element(counts.begin(), counts.end())) / double(dev.examples.size());
    qInfo("BiLSTM student dev accuracy %.3f (teacher %.3f, majority class %.3f)", s.student.accuracy, s.teacher.accuracy,
          majority);
    QVERIFY2(s.student.accuracy >= 0.75 && s.student.accuracy > majority + 0.1, qPrintable(QString::number(s.student.accuracy)));
    QVERIFY(fs::exists(dir() + "/bilstm/student/model.safetensors"));
  }

  void cancelKeepsUsableCheckpoint() {
    const std::string student = R"({"kind": "bert", "architecture": {"layers": 1, "hidden": 16, "heads": 4, "ffn": 32, "max_positions": 20}})";
    const std::string stages = R"([{"kind": "distill", "optim": {"epochs": 50, "batch_size": 8, "log_every": 1}}])";
    auto e = distill::Experiment::fromJson(nlohmann::json::parse(experimentJson(dir(), student, stages)), "t.json", dir());
    distill::RunControl control;
    Recorder rec;
    rec.control = &control;
    rec.cancelAfter = 3;
    distill::Trainer trainer(&control);
    const auto s = trainer.run(e, rec, dir() + "/cancelled");
    QVERIFY(s.cancelled);
    QCOMPARE(rec.steps.size(), size_t(3));
    auto ck = io::loadCheckpoint(dir() + "/cancelled/student");
    QCOMPARE(ck.config.numHiddenLayers, int64_t(1));
    auto summary = nlohmann::json::parse(std::ifstream(dir() + "/cancelled/summary.json"));
    QCOMPARE(summary["cancelled"].get<bool>(), true);
  }

  void probeChangesDuringARun() {
    // A probe set through RunControl while the run goes is used from the next snapshot on.
    const std::string student = "{\"kind\": \"bert\", \"architecture\": {\"layers\": 1, \"hidden\": 16, \"heads\": 4, "
                                "\"ffn\": 32, \"max_positions\": 20}}";
    const std::string stages = "[{\"kind\": \"intermediate\", \"optim\": {\"max_steps\": 12, \"batch_size\": 8, \"log_every\": 1}}]";
    auto e = distill::Experiment::fromJson(nlohmann::json::parse(experimentJson(dir(), student, stages)), "t.json", dir());
    struct ProbeSwitcher : Recorder {
      void onStep(const distill::StepMetrics& m) override {
        Recorder::onStep(m);
        if (m.globalStep == 6) control->setProbe("tok9 tok10 tok11 tok12 tok13 tok14 tok15");
      }
    } rec;
    distill::RunControl control;
    rec.control = &control;
    distill::Trainer trainer(&control);
    trainer.run(e, rec, dir() + "/probe");
    QCOMPARE(rec.snapshots.size(), size_t(2));  // steps 5 and 10
    auto ck = io::loadCheckpoint(dir() + "/probe/student");
    text::EncodeOptions eo;
    eo.maxLength = 16;
    const auto fresh = ck.tokenizer->encode("tok9 tok10 tok11 tok12 tok13 tok14 tok15", nullptr, eo).tokens;
    QVERIFY(rec.snapshots[0].tokens != fresh);
    QCOMPARE(rec.snapshots[1].tokens, fresh);
    QCOMPARE(rec.snapshots[1].pairs.front().studentProbs.size(), size_t(4) * fresh.size() * fresh.size());
  }

  void trainsItsOwnTeacher() {
    // No teacher checkpoint: MLM pre-training on a corpus, fine-tuning on the task, then a
    // DistilBERT-style student initialised from the trained teacher's layers.
    {
      std::ofstream corpus(dir() + "/corpus.txt");
      std::mt19937_64 rng(5);
      for (int i = 0; i < 64; ++i) {
        for (int k = 0; k < 8; ++k) corpus << (k ? " tok" : "tok") << 5 + rng() % 45;
        corpus << '\n';
      }
    }
    nlohmann::json j = {
        {"format", 1}, {"seed", 3}, {"threads", 1},
        {"task", {{"train", dir() + "/train.tsv"}, {"dev", dir() + "/dev.tsv"}, {"max_length", 16}}},
        {"tokenizer", {{"from", "wordpiece"}, {"path", test::fixture("bert/tiny/vocab.txt")}}},
        {"teacher", {{"architecture", {{"layers", 2}, {"hidden", 16}, {"heads", 2}, {"ffn", 32}, {"max_positions", 20}}},
                     {"mlm_pretraining", true}, {"mlm_corpus", dir() + "/corpus.txt"},
                     {"pretraining", {{"epochs", 1}, {"batch_size", 16}, {"learning_rate", 1e-3}}},
                     {"finetuning", {{"epochs", 2}, {"batch_size", 16}, {"learning_rate", 1e-3}}}}},
        {"student", {{"architecture", {{"layers", 1}, {"hidden", 16}, {"heads", 2}, {"ffn", 32}, {"max_positions", 20}}},
                     {"init", "teacher_layers"}}},
        {"stages", {{{"kind", "distill"}, {"losses", {{"soft_targets", 1.0}, {"mlm", 0.5}, {"cosine", 1.0}}},
                     {"optim", {{"epochs", 1}, {"batch_size", 16}, {"log_every", 5}}}}}}};
    auto e = distill::Experiment::fromJson(j, "t.json", dir());
    Recorder rec;
    distill::Trainer trainer;
    const auto s = trainer.run(e, rec, dir() + "/own-teacher");
    QCOMPARE(rec.stages, (std::vector<std::string>{"teacher-pretraining", "teacher-finetuning", "distill"}));
    auto teacher = io::loadCheckpoint(dir() + "/own-teacher/teacher");
    QCOMPARE(teacher.config.numHiddenLayers, int64_t(2));
    QVERIFY(teacher.model->heads().mlm);
    QCOMPARE(teacher.tokenizer->vocabSize(), int64_t(50));
    QVERIFY(s.teacher.accuracy >= 0.0 && s.student.accuracy >= 0.0);
    const auto& last = rec.steps.back().losses;
    QCOMPARE(last.size(), size_t(3));  // soft_targets, mlm, cosine
    QVERIFY(last.count("mlm") && last.count("cosine") && last.count("soft_targets"));
    // The student's MLM head exists because a stage uses the MLM loss.
    auto student = io::loadCheckpoint(dir() + "/own-teacher/student");
    QVERIFY(student.model->heads().mlm);
  }

  void pauseAndResume() {
    const std::string student = R"({"kind": "bert", "architecture": {"layers": 1, "hidden": 16, "heads": 4, "ffn": 32, "max_positions": 20}})";
    const std::string stages = R"([{"kind": "distill", "optim": {"epochs": 1, "batch_size": 40, "log_every": 1}}])";
    auto e = distill::Experiment::fromJson(nlohmann::json::parse(experimentJson(dir(), student, stages)), "t.json", dir());
    distill::RunControl control;
    struct Pauser : Recorder {
      std::thread resumer;
      std::chrono::steady_clock::time_point pausedAt, resumedAt;
      void onStep(const distill::StepMetrics& m) override {
        Recorder::onStep(m);
        if (steps.size() == 2) {
          control->pause();
          pausedAt = std::chrono::steady_clock::now();
          resumer = std::thread([this] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            QVERIFY(control->paused());
            control->resume();
          });
        }
      }
    } rec;
    rec.control = &control;
    distill::Trainer trainer(&control);
    const auto started = std::chrono::steady_clock::now();
    const auto s = trainer.run(e, rec, dir() + "/paused");
    rec.resumer.join();
    QVERIFY(!s.cancelled);
    QCOMPARE(rec.steps.size(), size_t(10));  // 400 examples / 40: every step ran, none twice
    QVERIFY(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(300));
  }

  void badInputIsReported() {
    const std::string student = R"({"kind": "bert", "architecture": {"layers": 1, "hidden": 16, "heads": 4, "ffn": 32, "max_positions": 20}})";
    auto json = nlohmann::json::parse(experimentJson(dir(), student, R"([{"kind": "distill"}])"));
    json["task"]["train"] = dir() + "/missing.tsv";
    auto e = distill::Experiment::fromJson(json, "t.json", dir());
    Recorder rec;
    distill::Trainer trainer;
    const QString msg = test::thrownMessage([&] { trainer.run(e, rec, dir() + "/bad"); });
    QVERIFY2(msg.contains(QStringLiteral("missing.tsv")), qPrintable(msg));
  }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "test_trainer.moc"
