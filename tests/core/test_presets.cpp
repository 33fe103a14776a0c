// The presets of resources/presets: every one parses, and runs to completion on a tiny slice
// of the bundled demo (a few steps per phase); teacher.finetune "auto" fine-tunes the demo
// teacher on a task with other classes.

#include "core/distill/experiment.h"
#include "core/distill/probe.h"
#include "core/distill/trainer.h"
#include "core/io/checkpoint.h"
#include "core/util/files.h"
#include "test_util.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace retort;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kResources = std::string(RETORT_FIXTURES_DIR) + "/../../resources";

QString q(const std::string& s) { return QString::fromStdString(s); }

/// The first `rows` records of a TSV (header kept), optionally with every label renamed.
void slice(const std::string& from, const std::string& to, int rows, const std::map<std::string, std::string>& rename = {}) {
  std::ifstream in(from);
  std::ofstream out(to);
  std::string line;
  for (int i = 0; i <= rows && std::getline(in, line); ++i) {
    if (i > 0 && !rename.empty()) {
      const auto tab = line.rfind('\t');
      line = line.substr(0, tab + 1) + rename.at(line.substr(tab + 1));
    }
    out << line << '\n';
  }
}

struct Counter : distill::Observer {
  std::vector<std::string> stages;
  int steps = 0;
  int snapshots = 0;
  void onStageStart(const std::string& n, int, int, int64_t) override { stages.push_back(n); }
  void onStep(const distill::StepMetrics&) override { ++steps; }
  void onAttention(const distill::AttentionSnapshot&) override { ++snapshots; }
};

}  // namespace

class TestPresets : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;
  std::string dir() const { return m_dir.path().toStdString(); }

  /// The preset made tiny: the data slices, 2 steps per phase, 1 augmented copy.
  json tiny(const std::string& name, const std::string& train) {
    json doc = distill::Experiment::readDocument(kResources + "/presets/" + name + ".json");
    // The derived demo tasks read their own slices (initTestCase).
    const std::string sub = name == "demo-year" ? "/year" : name == "demo-topics" ? "/topics" : name == "demo-tags" ? "/tags" : "";
    const std::string ext = name == "demo-tags" ? ".conll" : ".tsv";
    distill::applyOverride(doc, "task.train=" + json(sub.empty() ? train : dir() + sub + "/train" + ext).dump());
    distill::applyOverride(doc, "task.dev=" + json(dir() + sub + "/dev" + ext).dump());
    distill::applyOverride(doc, "task.test=\"\"");
    for (const char* phase : {"pretraining", "finetuning"}) {
      distill::applyOverride(doc, std::string("teacher.") + phase + ".max_steps=2");
      distill::applyOverride(doc, std::string("teacher.") + phase + ".epochs=1");
    }
    for (size_t i = 0; i < doc["stages"].size(); ++i) {
      const std::string s = "stages." + std::to_string(i);
      distill::applyOverride(doc, s + ".optim.max_steps=2");
      distill::applyOverride(doc, s + ".optim.eval_every=0");
      auto& st = doc["stages"][i];
      if (st.contains("corpus")) distill::applyOverride(doc, s + ".corpus=" + json(dir() + "/corpus.txt").dump());
      if (st.contains("augment")) {
        const bool tinybert = st["augment"]["method"] == "tinybert";
        distill::applyOverride(doc, s + (tinybert ? ".augment.copies=1" : ".augment.passes=1"));
      }
    }
    distill::applyOverride(doc, "observer.attention_every=1");
    return doc;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    torch::set_num_threads(2);
    slice(kResources + "/demo/train.tsv", dir() + "/train.tsv", 48);
    slice(kResources + "/demo/dev.tsv", dir() + "/dev.tsv", 24);
    for (const char* sub : {"year", "topics"}) {
      fs::create_directories(dir() + "/" + sub);
      slice(kResources + "/demo/" + sub + "/train.tsv", dir() + "/" + sub + "/train.tsv", 48);
      slice(kResources + "/demo/" + sub + "/dev.tsv", dir() + "/" + sub + "/dev.tsv", 24);
    }
    // Whole sentences of the tag files (blank-line separated); the dev slice's tags all occur in the training slice.
    fs::create_directories(dir() + "/tags");
    for (auto [split, sentences] : {std::pair{"train", 100}, std::pair{"dev", 24}}) {
      std::ifstream from(kResources + "/demo/tags/" + split + ".conll");
      std::ofstream to(dir() + "/tags/" + split + ".conll");
      std::string l;
      for (int n = 0; n < sentences && std::getline(from, l);) {
        to << l << '\n';
        if (l.empty()) ++n;
      }
    }
    std::ifstream in(kResources + "/demo/corpus.txt");
    std::ofstream out(dir() + "/corpus.txt");
    std::string line;
    for (int i = 0; i < 64 && std::getline(in, line); ++i) out << line << '\n';
  }

  void everyPresetParses() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(kResources + "/presets")) names.push_back(entry.path().stem().string());
    for (const char* required : {"kd-logits", "distilbert", "tinybert", "bilstm", "quickstart", "demo", "demo-year",
                                 "demo-topics", "demo-tags"})
      QVERIFY2(std::find(names.begin(), names.end(), required) != names.end(), required);
    for (const auto& n : names) {
      const auto e = distill::Experiment::load(kResources + "/presets/" + n + ".json");
      QCOMPARE(q(e.name), q(n));
      QVERIFY2(util::exists(e.task.train), e.task.train.c_str());
      if (!e.teacher.checkpoint.empty()) QVERIFY2(util::exists(e.teacher.checkpoint + "/config.json"), n.c_str());
    }
  }

  void presetRunsOnASlice_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("phases");  // teacher phases + stages
    QTest::newRow("demo") << "demo" << 2;
    QTest::newRow("quickstart") << "quickstart" << 2;
    QTest::newRow("kd-logits") << "kd-logits" << 1;
    QTest::newRow("distilbert") << "distilbert" << 1;
    QTest::newRow("tinybert") << "tinybert" << 3;
    QTest::newRow("bilstm") << "bilstm" << 1;
    QTest::newRow("demo-year") << "demo-year" << 3;      // teacher fine-tuning + 2 stages
    QTest::newRow("demo-topics") << "demo-topics" << 3;
    QTest::newRow("demo-tags") << "demo-tags" << 3;
  }

  void presetRunsOnASlice() {
    QFETCH(QString, preset);
    QFETCH(int, phases);
    const std::string name = preset.toStdString();
    const auto doc = tiny(name, dir() + "/train.tsv");
    const auto e = distill::Experiment::fromJson(doc, name + ".json", kResources + "/presets");
    const std::string out = dir() + "/run-" + name;
    Counter counter;
    distill::Trainer trainer;
    const auto s = trainer.run(e, counter, out);
    QCOMPARE(int(counter.stages.size()), phases);
    QVERIFY(counter.steps >= phases);
    QVERIFY(!s.cancelled);
    QVERIFY(s.student.parameters > 0 && s.teacher.parameters > s.student.parameters);
    QVERIFY(s.student.evaluated && s.teacher.evaluated);
    QCOMPARE(q(s.metric), q(e.task.metric));
    if (e.task.kind == "regression") {
      QCOMPARE(s.student.accuracy, -1.0);  // a regression has no accuracy
      QVERIFY(s.student.score >= -1 && s.student.score <= 1);
    } else {
      QVERIFY(s.student.accuracy >= 0 && s.student.accuracy <= 1);
      QVERIFY(s.student.score >= 0 && s.student.score <= 1);
    }
    if (e.task.kind == "token_classification") {
      // A per-token head: BertForTokenClassification, no problem_type; the slice's 8 tags.
      const auto config = json::parse(std::ifstream(out + "/student/config.json"));
      QCOMPARE(q(config.at("architectures").at(0).get<std::string>()), QStringLiteral("BertForTokenClassification"));
      QVERIFY(!config.contains("problem_type"));
      QCOMPARE(int(config.at("id2label").size()), 8);
    } else if (e.task.kind != "classification") {
      // The heads say what they are, in Hugging Face's terms.
      const auto config = json::parse(std::ifstream(out + "/student/config.json"));
      QCOMPARE(q(config.at("problem_type").get<std::string>()),
               q(e.task.kind == "regression" ? "regression" : "multi_label_classification"));
      QCOMPARE(int(config.at("id2label").size()), e.task.kind == "regression" ? 1 : 4);
    }
    QVERIFY(s.student.latencyMs > 0 && s.student.latencyBatchMs > 0);
    QVERIFY(util::exists(out + "/summary.json"));
    QVERIFY(util::exists(out + "/student/config.json"));
    QVERIFY(util::exists(out + "/student/model.safetensors"));
    std::vector<distill::AugmentSpec> seen;
    for (const auto& st : e.stages) {
      if (st.augment.method.empty()) continue;
      if (std::find(seen.begin(), seen.end(), st.augment) != seen.end()) {
        // Same options as an earlier stage: that stage's set is used, not written again.
        QVERIFY2(!util::exists(out + "/augmented/" + st.name + ".tsv"), st.name.c_str());
        continue;
      }
      seen.push_back(st.augment);
      // The augmented set: header + originals + one copy per example (TinyBERT), or up to one (Tang).
      std::ifstream tsv(out + "/augmented/" + st.name + ".tsv");
      QVERIFY2(tsv.good(), st.name.c_str());
      int lines = 0;
      std::string line;
      while (std::getline(tsv, line)) ++lines;
      if (st.augment.method == "tinybert") QCOMPARE(lines, 1 + 48 * 2);
      else QVERIFY(lines > 1 + 48 && lines <= 1 + 48 * 2);
    }
    if (e.student.kind == "bert") QVERIFY(counter.snapshots > 0);
  }

  void probeAttentionOutsideARun() {
    // Teacher alone: every layer, probabilities that sum to 1 per row, scores as the model gives.
    distill::ProbeRequest r;
    r.text = "The Congress shall have power.";
    r.teacherDir = kResources + "/demo/teacher";
    const auto alone = distill::probeAttention(r);
    QCOMPARE(alone.pairs.size(), size_t(4));
    const size_t n = alone.tokens.size();
    QCOMPARE(q(alone.tokens.front()), QStringLiteral("[CLS]"));
    auto teacher = io::loadCheckpoint(r.teacherDir);
    teacher.model->eval();
    torch::NoGradGuard ng;
    std::vector<int64_t> ids;
    for (const auto& t : alone.tokens) ids.push_back(teacher.tokenizer->tokenToId(t));
    model::BertInputs in;
    in.inputIds = torch::tensor(ids, torch::kLong).view({1, static_cast<int64_t>(n)});
    model::ForwardOptions o;
    o.attentionScores = o.attentionProbs = true;
    const auto direct = teacher.model->forward(in, o);
    for (size_t layer = 0; layer < 4; ++layer) {
      const auto& p = alone.pairs[layer];
      QCOMPARE(p.teacherLayer, int64_t(layer + 1));
      QCOMPARE(p.studentHeads, int64_t(0));
      QCOMPARE(p.teacherProbs.size(), size_t(4) * n * n);
      const auto expected = direct.attentionScores[layer][0].contiguous();
      for (size_t i = 0; i < p.teacherScores.size(); i += 37)
        QVERIFY(std::abs(p.teacherScores[i] - expected.data_ptr<float>()[i]) < 1e-4);
      double row = 0;
      for (size_t c = 0; c < n; ++c) row += p.teacherProbs[c];
      QVERIFY(std::abs(row - 1.0) < 1e-4);
    }
    // With a student (the demo run above): the uniform pairs, 2 student heads.
    r.studentDir = dir() + "/run-demo/student";
    const auto both = distill::probeAttention(r);
    QCOMPARE(both.pairs.size(), size_t(2));
    QCOMPARE(both.pairs[1].studentLayer, int64_t(2));
    QCOMPARE(both.pairs[1].teacherLayer, int64_t(4));
    QCOMPARE(both.pairs[1].studentHeads, int64_t(2));
    QCOMPARE(both.pairs[1].studentProbs.size(), size_t(2) * n * n);
    r.text = "   ";
    QCOMPARE(test::thrownMessage([&] { distill::probeAttention(r); }), QStringLiteral("the probe sentence is empty"));
  }

  void demoTeacherIsFineTunedOnAnotherTask() {
    // The same passages with other class names: the demo teacher's classifier does not fit,
    // so teacher.finetune "auto" gives it a new one and fine-tunes it first.
    slice(kResources + "/demo/train.tsv", dir() + "/renamed.tsv", 48,
          {{"early", "old"}, {"middle", "mid"}, {"modern", "new"}});
    slice(kResources + "/demo/dev.tsv", dir() + "/dev.tsv", 24, {{"early", "old"}, {"middle", "mid"}, {"modern", "new"}});
    const auto doc = tiny("kd-logits", dir() + "/renamed.tsv");
    const auto e = distill::Experiment::fromJson(doc, "kd-logits.json", kResources + "/presets");
    Counter counter;
    distill::Trainer trainer;
    trainer.run(e, counter, dir() + "/renamed-run");
    QCOMPARE(int(counter.stages.size()), 2);
    QCOMPARE(q(counter.stages[0]), QStringLiteral("teacher-finetuning"));
    const auto teacher = io::loadCheckpoint(dir() + "/renamed-run/teacher");
    QCOMPARE(teacher.config.labels, (std::vector<std::string>{"mid", "new", "old"}));
    // "never" refuses instead, naming both class lists.
    auto never = doc;
    never["teacher"]["finetune"] = "never";
    const auto n = distill::Experiment::fromJson(never, "kd-logits.json", kResources + "/presets");
    const QString message = test::thrownMessage([&] { distill::Trainer().run(n, counter, dir() + "/never-run"); });
    QVERIFY2(message.contains(QStringLiteral("are not the task's")) && message.contains(QStringLiteral("teacher.finetune is never")),
             qPrintable(message));
    slice(kResources + "/demo/dev.tsv", dir() + "/dev.tsv", 24);
    for (const char* sub : {"year", "topics"}) {
      fs::create_directories(dir() + "/" + sub);
      slice(kResources + "/demo/" + sub + "/train.tsv", dir() + "/" + sub + "/train.tsv", 48);
      slice(kResources + "/demo/" + sub + "/dev.tsv", dir() + "/" + sub + "/dev.tsv", 24);
    }
  }
};

QTEST_APPLESS_MAIN(TestPresets)
#include "test_presets.moc"
