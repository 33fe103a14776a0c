// The teacher's logits kept between epochs (core/distill/teacher_cache.h): the cache stores
// and serves rows, refuses wrong shapes, and a 3-epoch prediction stage with the cache logs
// the losses of the same run without it (float rounding: a row is padded to its batch's
// longest row, and the batches differ between epochs), while its teacher computes only the
// first epoch's logits.

#include <QtTest/QtTest>
#include <QTemporaryDir>

#include <torch/torch.h>

#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "core/distill/experiment.h"
#include "core/distill/observer.h"
#include "core/distill/teacher_cache.h"
#include "core/distill/trainer.h"
#include "core/io/checkpoint.h"
#include "test_util.h"

using namespace retort;

namespace {

struct Recorder : distill::Observer {
  std::vector<distill::StepMetrics> steps;
  std::vector<std::string> messages;
  distill::RunControl* control = nullptr;
  size_t cancelAfter = 0;
  void onStep(const distill::StepMetrics& m) override {
    steps.push_back(m);
    if (control && steps.size() == cancelAfter) control->requestCancel();
  }
  void onMessage(const std::string& text) override { messages.push_back(text); }
};

std::string bytesOf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Sentences of fixture tokens with random labels of the fixture teacher's classes.
void writeTask(const std::string& path, int n, uint64_t seed) {
  auto ck = io::loadCheckpoint(test::fixture("bert/tiny"));
  std::mt19937_64 rng(seed);
  std::ofstream out(path);
  out << "sentence\tlabel\n";
  for (int i = 0; i < n; ++i) {
    std::string s;
    const int len = 3 + static_cast<int>(rng() % 9);  // lengths differ: batches pad differently
    for (int k = 0; k < len; ++k) s += (k ? " tok" : "tok") + std::to_string(5 + rng() % 45);
    out << s << '\t' << ck.config.labels[rng() % ck.config.labels.size()] << '\n';
  }
}

}  // namespace

class TestTeacherCache : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void storesAndServesRows() {
    distill::TeacherLogitCache cache(5, 3);
    QVERIFY(!cache.lookup({0, 1}, torch::kCPU).defined());
    cache.store({3, 1}, torch::tensor({1.f, 2.f, 3.f, 4.f, 5.f, 6.f}).view({2, 3}));
    QCOMPARE(cache.cachedRows(), int64_t(2));
    const auto got = cache.lookup({1, 3, 1}, torch::kCPU);
    QVERIFY(got.defined());
    QVERIFY(torch::equal(got, torch::tensor({4.f, 5.f, 6.f, 1.f, 2.f, 3.f, 4.f, 5.f, 6.f}).view({3, 3})));
    QVERIFY(!cache.lookup({1, 2}, torch::kCPU).defined());  // row 2 is not there
    QCOMPARE(cache.hits(), int64_t(1));
    QCOMPARE(cache.misses(), int64_t(2));
    QCOMPARE(test::thrownMessage([&] { cache.store({0}, torch::zeros({1, 4})); }),
             QStringLiteral("teacher cache: logits [1,4] for 1 rows of 3 classes"));
    QCOMPARE(test::thrownMessage([&] { cache.store({7}, torch::zeros({1, 3})); }),
             QStringLiteral("teacher cache: row 7 outside its 5 rows"));
    QCOMPARE(distill::TeacherLogitCache::bytesFor(1000, 3), 12000.0);
  }

  void cachedRunLogsTheSameLosses() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    writeTask(d + "/train.tsv", 40, 1);
    writeTask(d + "/dev.tsv", 12, 2);
    nlohmann::json doc = {
        {"format", 1}, {"name", "cache"}, {"seed", 5}, {"threads", 1},
        {"task", {{"train", d + "/train.tsv"}, {"dev", d + "/dev.tsv"}, {"max_length", 16}}},
        {"teacher", {{"checkpoint", test::fixture("bert/tiny")}}},
        {"student", {{"architecture", {{"layers", 1}, {"hidden", 32}, {"heads", 2}, {"ffn", 64}, {"dropout", 0.0},
                                        {"attention_dropout", 0.0}}}}},
        {"stages", {{{"kind", "prediction"},
                     {"losses", {{"soft_targets", 1.0}, {"temperature", 2.0}, {"logit_mse", 0.5}}},
                     {"optim", {{"epochs", 3}, {"batch_size", 8}, {"log_every", 1}, {"learning_rate", 1e-3}}}}}}};
    auto run = [&](const std::string& mode, Recorder& rec) {
      doc["teacher_cache"] = mode;
      const auto e = distill::Experiment::fromJson(doc, "cache.json", d);
      distill::Trainer trainer;
      trainer.run(e, rec, d + "/run-" + mode);
    };
    Recorder off, on;
    run("off", off);
    run("memory", on);
    QCOMPARE(off.steps.size(), size_t(15));  // 3 epochs of 5 batches
    QCOMPARE(on.steps.size(), off.steps.size());
    double worst = 0;
    for (size_t i = 0; i < off.steps.size(); ++i) {
      for (const auto& [term, value] : off.steps[i].losses) {
        const double rel = std::abs(on.steps[i].losses.at(term) - value) / std::max(1e-12, std::abs(value));
        worst = std::max(worst, rel);
      }
      if (i < 5) QCOMPARE(on.steps[i].total, off.steps[i].total);  // the first epoch computes them alike
    }
    qInfo("largest relative difference of a loss term with the cache: %.3g", worst);
    QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
    const auto said = std::find(on.messages.begin(), on.messages.end(),
                                "prediction: 10 of 15 batches took the teacher's logits from the cache");
    QVERIFY2(said != on.messages.end(), on.messages.empty() ? "" : on.messages.back().c_str());
    for (const auto& m : off.messages) QVERIFY(m.find("from the cache") == std::string::npos);

    // Stopped in the second epoch (step 8) and resumed: the resume refills the cache with the
    // first epoch's batches, so the run ends with the uninterrupted cached run's weights, to
    // the last bit.
    doc["teacher_cache"] = "memory";
    const auto e = distill::Experiment::fromJson(doc, "cache.json", d);
    distill::RunControl control;
    Recorder first;
    first.control = &control;
    first.cancelAfter = 8;
    {
      distill::Trainer trainer(&control);
      QVERIFY(trainer.run(e, first, d + "/run-resumed").cancelled);
    }
    Recorder rest;
    {
      distill::Trainer trainer;
      QVERIFY(!trainer.resume(d + "/run-resumed", rest).cancelled);
    }
    QCOMPARE(first.steps.size() + rest.steps.size(), on.steps.size());
    const std::string a = bytesOf(d + "/run-memory/student/model.safetensors");
    QVERIFY(!a.empty());
    QVERIFY2(a == bytesOf(d + "/run-resumed/student/model.safetensors"), "the resumed run's weights differ");
    QCOMPARE(rest.steps.back().total, on.steps.back().total);
  }
};

QTEST_GUILESS_MAIN(TestTeacherCache)
#include "test_teacher_cache.moc"
