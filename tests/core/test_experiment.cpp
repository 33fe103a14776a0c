// The experiment file: defaults, stage presets, path resolution, the round trip through
// toJson(), exact error messages (path and reason) and command-line overrides.

#include "core/distill/experiment.h"
#include "core/util/error.h"
#include "test_util.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using nlohmann::json;
using retort::Error;
using retort::ErrorKind;
using retort::distill::applyOverride;
using retort::distill::Experiment;
using retort::distill::LossSpec;
using retort::distill::OptimSpec;
using retort::test::fixture;

namespace {

const std::string kBase = "/work/exp";

Experiment parse(const std::string& text) { return Experiment::fromJson(json::parse(text), "exp.json", kBase); }

/// The message of the Error that parsing `text` throws, checking that it is a Format error.
QString parseError(const std::string& text) {
  try {
    parse(text);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Format) return QStringLiteral("<wrong kind> ") + QString::fromUtf8(e.what());
    return QString::fromUtf8(e.what());
  }
  return QStringLiteral("<no exception>");
}

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string experimentsDir() { return std::filesystem::path(fixture("experiments")).lexically_normal().string(); }

void verifyDefaultOptim(const OptimSpec& o) {
  QCOMPARE(o.epochs, 3);
  QCOMPARE(o.maxSteps, 0);
  QCOMPARE(o.learningRate, 5e-5);
  QCOMPARE(o.batchSize, 32);
  QCOMPARE(q(o.schedule), QStringLiteral("linear"));
  QCOMPARE(o.warmup, 0.1);
  QCOMPARE(o.weightDecay, 0.01);
  QCOMPARE(o.maxGradNorm, 1.0);
  QCOMPARE(o.evalEvery, 0);
  QCOMPARE(o.logEvery, 10);
}

const char* kTask = R"("task": {"train": "t.tsv"})";

}  // namespace

class TestExperiment : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void minimalDefaults() {
    const Experiment e = Experiment::load(fixture("experiments/minimal.json"));
    const std::string base = experimentsDir();
    QCOMPARE(e.format, 1);
    QCOMPARE(q(e.name), QStringLiteral("experiment"));
    QCOMPARE(e.seed, uint64_t(42));
    QCOMPARE(e.threads, 0);
    QCOMPARE(q(e.baseDir), q(base));
    QCOMPARE(q(e.task.train), q(base + "/data/train.tsv"));
    QVERIFY(e.task.dev.empty() && e.task.test.empty() && e.task.pairColumn.empty() && e.task.labels.empty());
    QCOMPARE(q(e.task.format), QStringLiteral("auto"));
    QCOMPARE(q(e.task.textColumn), QStringLiteral("sentence"));
    QCOMPARE(q(e.task.labelColumn), QStringLiteral("label"));
    QCOMPARE(e.task.maxLength, 128);
    QCOMPARE(q(e.tokenizer.from), QStringLiteral("teacher"));
    QVERIFY(e.tokenizer.path.empty() && e.tokenizer.trainCorpus.empty());
    QCOMPARE(e.tokenizer.vocabSize, 8000);
    QVERIFY(e.tokenizer.lowerCase);
    QVERIFY(e.teacher.checkpoint.empty() && e.teacher.mlmCorpus.empty());
    QVERIFY(!e.teacher.mlmPretraining);
    QCOMPARE(e.teacher.mlmProbability, 0.15);
    for (const auto* shape : {&e.teacher.architecture, &e.student.architecture}) {
      QCOMPARE(shape->layers, 4);
      QCOMPARE(shape->hidden, 256);
      QCOMPARE(shape->heads, 4);
      QCOMPARE(shape->ffn, 1024);
      QCOMPARE(shape->maxPositions, 512);
      QCOMPARE(q(shape->activation), QStringLiteral("gelu"));
      QCOMPARE(shape->dropout, 0.1);
      QCOMPARE(shape->attentionDropout, 0.1);
    }
    verifyDefaultOptim(e.teacher.pretraining);
    verifyDefaultOptim(e.teacher.finetuning);
    QCOMPARE(q(e.student.kind), QStringLiteral("bert"));
    QCOMPARE(e.student.embeddingDim, 300);
    QCOMPARE(e.student.lstmHidden, 150);
    QCOMPARE(e.student.denseHidden, 200);
    QCOMPARE(q(e.student.init), QStringLiteral("random"));
    QVERIFY(e.student.teacherLayers.empty() && e.student.checkpoint.empty());
    QCOMPARE(q(e.mapping.kind), QStringLiteral("uniform"));
    QVERIFY(e.mapping.pairs.empty());
    QVERIFY(e.mapping.attention && e.mapping.hidden && e.mapping.embeddings);
    QCOMPARE(q(e.mapping.headMismatch), QStringLiteral("average"));
    QCOMPARE(q(e.mapping.projection), QStringLiteral("shared"));
    QCOMPARE(e.stages.size(), size_t(1));
    const auto& s = e.stages[0];
    QCOMPARE(q(s.name), QStringLiteral("distill"));
    QCOMPARE(q(s.kind), QStringLiteral("distill"));
    QCOMPARE(q(s.data), QStringLiteral("train"));
    QVERIFY(s.corpus.empty());
    QVERIFY(s.augment.method.empty());
    QVERIFY(e.toJson().at("stages").at(0).at("augment").is_null());
    QCOMPARE(q(e.teacher.finetune), QStringLiteral("auto"));
    LossSpec distill;
    distill.softTargets = 1.0;
    distill.temperature = 2.0;
    QVERIFY(s.losses == distill);
    QCOMPARE(q(s.losses.softKind), QStringLiteral("kl"));
    verifyDefaultOptim(s.optim);
    QCOMPARE(e.observer.attentionEvery, 50);
    QVERIFY(e.observer.probe.empty());
    QVERIFY(e.outputDir.empty());
  }

  void stagePresets_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("data");
    QTest::addColumn<double>("soft");
    QTest::addColumn<double>("temperature");
    QTest::addColumn<QString>("softKind");
    QTest::addColumn<double>("hard");
    QTest::addColumn<double>("intermediate");  // attention, hidden and embedding
    QTest::newRow("general") << "general" << "corpus" << 0.0 << 1.0 << "kl" << 0.0 << 1.0;
    QTest::newRow("intermediate") << "intermediate" << "train" << 0.0 << 1.0 << "kl" << 0.0 << 1.0;
    QTest::newRow("prediction") << "prediction" << "train" << 1.0 << 1.0 << "ce" << 0.0 << 0.0;
    QTest::newRow("finetune") << "finetune" << "train" << 0.0 << 1.0 << "kl" << 1.0 << 0.0;
    QTest::newRow("distill") << "distill" << "train" << 1.0 << 2.0 << "kl" << 0.0 << 0.0;
  }

  void stagePresets() {
    QFETCH(QString, kind);
    QFETCH(QString, data);
    QFETCH(double, soft);
    QFETCH(double, temperature);
    QFETCH(QString, softKind);
    QFETCH(double, hard);
    QFETCH(double, intermediate);
    json doc = json::parse(R"({"format": 1, "task": {"train": "t.tsv"}, "stages": [{"corpus": "c.txt"}]})");
    doc["stages"][0]["kind"] = kind.toStdString();
    const Experiment e = parse(doc.dump());
    const auto& s = e.stages.at(0);
    QCOMPARE(q(s.name), kind);
    QCOMPARE(q(s.data), data);
    const LossSpec& l = s.losses;
    QCOMPARE(l.softTargets, soft);
    QCOMPARE(l.temperature, temperature);
    QCOMPARE(q(l.softKind), softKind);
    QCOMPARE(l.hardLabels, hard);
    QCOMPARE(l.attention, intermediate);
    QCOMPARE(l.hidden, intermediate);
    QCOMPARE(l.embedding, intermediate);
    QCOMPARE(l.logitMse + l.cosine + l.mlm, 0.0);
    QCOMPARE(l.mlmProbability, 0.15);
    QVERIFY(l == retort::distill::presetLosses(kind.toStdString()));
  }

  void explicitLossesZeroTheRest() {
    const Experiment e = parse(R"({"format": 1, "task": {"train": "t.tsv"}, "stages": [
        {"kind": "prediction", "losses": {"hard_labels": 0.5}},
        {"kind": "distill", "losses": {"soft_targets": 5, "cosine": 1}},
        {"kind": "intermediate", "losses": {"attention": 2, "temperature": 3, "mlm_probability": 0.2}}]})");
    LossSpec a;  // prediction: its soft_kind "ce" and T = 1 stay, soft_targets is 0
    a.hardLabels = 0.5;
    a.softKind = "ce";
    QVERIFY(e.stages[0].losses == a);
    LossSpec b;  // distill: T = 2 stays
    b.softTargets = 5;
    b.cosine = 1;
    b.temperature = 2;
    QVERIFY(e.stages[1].losses == b);
    LossSpec c;  // intermediate: hidden and embedding are 0 now
    c.attention = 2;
    c.temperature = 3;
    c.mlmProbability = 0.2;
    QVERIFY(e.stages[2].losses == c);
  }

  void taskKinds() {
    // A regression: pearson by default, and a preset stage's soft targets become logit MSE
    // (TinyBERT's prediction stage for STS-B); a multi-label task: micro F1 by default.
    auto e = Experiment::fromJson(nlohmann::json::parse(R"({"format": 1, "task": {"train": "t", "kind": "regression"},
        "stages": [{"kind": "intermediate"}, {"kind": "prediction"}, {"kind": "distill"}]})"), "exp.json", "/base");
    QCOMPARE(e.task.metric, std::string("pearson"));
    QCOMPARE(e.stages[1].losses.softTargets, 0.0);
    QCOMPARE(e.stages[1].losses.logitMse, 1.0);
    QCOMPARE(e.stages[2].losses.logitMse, 1.0);
    QCOMPARE(e.stages[0].losses.attention, 1.0);
    const auto back = Experiment::fromJson(e.toJson(), "again.json", "/base");
    QVERIFY(back.task == e.task);
    QCOMPARE(back.stages[1].losses.logitMse, 1.0);
    auto m = Experiment::fromJson(nlohmann::json::parse(R"({"format": 1, "task": {"train": "t", "kind": "multi_label",
        "label_separator": "|", "threshold": 0.3}})"), "exp.json", "/base");
    QCOMPARE(m.task.metric, std::string("micro_f1"));
    QCOMPARE(m.task.labelSeparator, std::string("|"));
    QCOMPARE(m.task.threshold, 0.3);
    QCOMPARE(m.stages[0].losses.softTargets, 1.0);  // Bernoulli soft targets apply
    QVERIFY(Experiment::fromJson(m.toJson(), "again.json", "/base").task == m.task);
    QCOMPARE(retort::distill::taskMetrics("multi_label"), std::vector<std::string>({"micro_f1", "macro_f1", "exact_match"}));
    // A token classification: entity F1 by default, soft targets per word allowed.
    auto k = Experiment::fromJson(nlohmann::json::parse(R"({"format": 1, "task": {"train": "t.conll",
        "kind": "token_classification", "format": "conll"}, "stages": [{"kind": "intermediate"}, {"kind": "prediction"}]})"),
                                  "exp.json", "/base");
    QCOMPARE(k.task.metric, std::string("entity_f1"));
    QCOMPARE(k.stages[1].losses.softTargets, 1.0);
    QVERIFY(Experiment::fromJson(k.toJson(), "again.json", "/base").task == k.task);
    QCOMPARE(retort::distill::taskMetrics("token_classification"),
             std::vector<std::string>({"entity_f1", "entity_precision", "entity_recall", "accuracy"}));
  }

  void stageNames() {
    const Experiment e = parse(R"({"format": 1, "task": {"train": "t.tsv"}, "stages": [
        {"kind": "intermediate"}, {"kind": "prediction"}, {"kind": "distill", "name": "mine"},
        {"kind": "intermediate"}]})");
    QStringList names;
    for (const auto& s : e.stages) names << q(s.name);
    QCOMPARE(names, QStringList({"intermediate-1", "prediction", "mine", "intermediate-2"}));
  }

  void pathResolution() {
    const Experiment e = parse(R"({"format": 1,
        "task": {"train": "data/train.tsv", "dev": "../shared/dev.tsv", "test": "/abs/test.tsv"},
        "tokenizer": {"from": "sentencepiece", "path": "./spm/../spm/spiece.model", "train_corpus": "corpus.txt"},
        "teacher": {"checkpoint": "models/teacher", "mlm_corpus": "wiki.txt"},
        "student": {"init": "checkpoint", "checkpoint": "models/student"},
        "stages": [{"kind": "general"}, {"kind": "distill", "data": "corpus", "corpus": "/data/c.txt"}],
        "output": {"dir": "runs/x"}})");
    QCOMPARE(q(e.baseDir), q(kBase));
    QCOMPARE(q(e.task.train), QStringLiteral("/work/exp/data/train.tsv"));
    QCOMPARE(q(e.task.dev), QStringLiteral("/work/shared/dev.tsv"));
    QCOMPARE(q(e.task.test), QStringLiteral("/abs/test.tsv"));
    QCOMPARE(q(e.tokenizer.path), QStringLiteral("/work/exp/spm/spiece.model"));
    QCOMPARE(q(e.tokenizer.trainCorpus), QStringLiteral("/work/exp/corpus.txt"));
    QCOMPARE(q(e.teacher.checkpoint), QStringLiteral("/work/exp/models/teacher"));
    QCOMPARE(q(e.teacher.mlmCorpus), QStringLiteral("/work/exp/wiki.txt"));
    QCOMPARE(q(e.student.checkpoint), QStringLiteral("/work/exp/models/student"));
    QCOMPARE(q(e.stages[0].corpus), QStringLiteral("/work/exp/wiki.txt"));  // general falls back to mlm_corpus
    QCOMPARE(q(e.stages[1].corpus), QStringLiteral("/data/c.txt"));
    QCOMPARE(q(e.outputDir), QStringLiteral("/work/exp/runs/x"));

    // A relative base directory is taken against the current directory.
    const Experiment r = Experiment::fromJson(json::parse(R"({"format": 1, "task": {"train": "t.tsv"}})"), "x",
                                              "sub/dir/");
    const std::string cwd = std::filesystem::current_path().string();
    QCOMPARE(q(r.baseDir), q(cwd + "/sub/dir"));
    QCOMPARE(q(r.task.train), q(cwd + "/sub/dir/t.tsv"));

    // load(): against the file's directory.
    const Experiment f = Experiment::load(fixture("experiments/tinybert.json"));
    QCOMPARE(q(f.teacher.checkpoint), q(experimentsDir() + "/models/teacher"));
    QCOMPARE(q(f.outputDir), q(experimentsDir() + "/runs/sst2-tinybert"));
  }

  void fixtures() {
    const Experiment t = Experiment::load(fixture("experiments/tinybert.json"));
    QCOMPARE(q(t.name), QStringLiteral("sst2-tinybert"));
    QCOMPARE(t.seed, uint64_t(7));
    QCOMPARE(t.task.labels, (std::vector<std::string>{"negative", "positive"}));
    QCOMPARE(t.student.architecture.hidden, 312);
    QCOMPARE(t.student.architecture.heads, 12);
    QCOMPARE(t.student.architecture.maxPositions, 512);
    QCOMPARE(t.stages.size(), size_t(2));
    QCOMPARE(q(t.stages[0].name), QStringLiteral("intermediate"));
    QCOMPARE(t.stages[0].optim.epochs, 10);
    QCOMPARE(t.stages[0].losses.attention, 1.0);
    QCOMPARE(q(t.stages[1].name), QStringLiteral("prediction"));
    QCOMPARE(q(t.stages[1].losses.softKind), QStringLiteral("ce"));
    QCOMPARE(t.stages[1].optim.learningRate, 3e-5);
    QCOMPARE(t.stages[1].optim.evalEvery, 100);
    QCOMPARE(t.observer.attentionEvery, 25);

    const Experiment b = Experiment::load(fixture("experiments/bilstm.json"));
    QCOMPARE(q(b.student.kind), QStringLiteral("bilstm"));
    QCOMPARE(q(b.tokenizer.path), q(experimentsDir() + "/vocab/vocab.txt"));
    QCOMPARE(b.teacher.architecture.layers, 2);
    QCOMPARE(b.teacher.finetuning.learningRate, 1e-4);
    QCOMPARE(b.teacher.finetuning.batchSize, 16);
    LossSpec tang;
    tang.logitMse = 1;
    tang.temperature = 2;
    QVERIFY(b.stages.at(0).losses == tang);
    QCOMPARE(q(b.stages[0].name), QStringLiteral("tang"));
    QCOMPARE(q(b.stages[0].optim.schedule), QStringLiteral("constant"));
    QCOMPARE(b.stages[0].optim.warmup, 0.0);
  }

  void roundTrip_data() {
    QTest::addColumn<QString>("source");  // a fixture name, or an inline document
    QTest::newRow("minimal") << "minimal.json";
    QTest::newRow("tinybert") << "tinybert.json";
    QTest::newRow("bilstm") << "bilstm.json";
    QTest::newRow("explicit+augment") << R"({"format": 1, "task": {"train": "t.tsv", "labels": ["a", "b", "c"]},
        "seed": 18446744073709551615, "student": {"init": "teacher_layers", "teacher_layers": [0, 2, 4, 7, 9, 11]},
        "mapping": {"kind": "explicit", "pairs": [{"student": 0, "teacher": 0}, {"student": 2, "teacher": 6,
        "weight": 0.5, "hidden": false}]},
        "stages": [{"kind": "distill", "augment": {"method": "tang", "passes": 7, "max_ngram": 3}, "losses":
        {"soft_targets": 0.3333333333333333, "temperature": 1.7, "mlm": 2}}],
        "observer": {"checkpoint_every": 250, "checkpoint_minutes": 2.5, "checkpoint_keep": 3}})";
  }

  void roundTrip() {
    QFETCH(QString, source);
    const std::string s = source.toStdString();
    const Experiment x = s.front() == '{' ? parse(s) : Experiment::load(fixture("experiments/" + s));
    const json j = x.toJson();
    const Experiment y = Experiment::fromJson(j, "round.json", x.baseDir);
    QVERIFY(y == x);
    QCOMPARE(q(y.toJson().dump()), q(j.dump()));
    // Fully resolved: the same document read from anywhere else means the same experiment.
    const Experiment z = Experiment::fromJson(j, "elsewhere.json", "/somewhere/else");
    QCOMPARE(q(z.toJson().dump()), q(j.dump()));
    // Every default is written out.
    QCOMPARE(j.at("stages").at(0).at("optim").size(), size_t(10));
    QCOMPARE(j.at("stages").at(0).at("losses").size(), size_t(11));
    QCOMPARE(j.at("teacher").at("architecture").size(), size_t(8));
    QCOMPARE(j.at("observer").size(), size_t(5));
    QCOMPARE(j.at("task").size(), size_t(14));
    QCOMPARE(j.size(), size_t(14));
    QCOMPARE(j.at("teacher_cache").get<std::string>(), x.teacherCache);
  }

  void checkpointPolicy() {
    // Defaults: every 1000 steps or 10 minutes, the newest 2 kept; each field read back.
    const Experiment d = parse(R"({"format": 1, "task": {"train": "t.tsv"}})");
    QCOMPARE(d.observer.checkpointEvery, int64_t(1000));
    QCOMPARE(d.observer.checkpointMinutes, 10.0);
    QCOMPARE(d.observer.checkpointKeep, int64_t(2));
    const Experiment x = parse(R"({"format": 1, "task": {"train": "t.tsv"},
        "observer": {"checkpoint_every": 0, "checkpoint_minutes": 0.5, "checkpoint_keep": 7}})");
    QCOMPARE(x.observer.checkpointEvery, int64_t(0));
    QCOMPARE(x.observer.checkpointMinutes, 0.5);
    QCOMPARE(x.observer.checkpointKeep, int64_t(7));
    QVERIFY(!(x == d));
  }

  void roundTripDetails() {
    const Experiment x = parse(R"({"format": 1, "task": {"train": "t.tsv"}, "seed": 18446744073709551615,
        "mapping": {"kind": "explicit", "pairs": [{"student": 0, "teacher": 0}, {"student": 2, "teacher": 6}]},
        "stages": [{"augment": {"method": "tinybert", "probability": 0.3, "copies": 4, "glove": "g.txt"}}]})");
    QCOMPARE(x.seed, UINT64_MAX);
    QVERIFY(!x.mapping.pairs[0].attention);  // layer 0 has no attention
    QVERIFY(x.mapping.pairs[1].attention);
    const auto& a = x.stages[0].augment;
    QCOMPARE(q(a.method), QStringLiteral("tinybert"));
    QCOMPARE(a.probability, 0.3);
    QCOMPARE(a.copies, int64_t(4));
    QCOMPARE(a.candidates, int64_t(15));
    QCOMPARE(a.maskEvery, int64_t(0));
    QVERIFY(a.write);
    QVERIFY(QString::fromStdString(a.glove).endsWith(QStringLiteral("/g.txt")));
    QVERIFY(QDir::isAbsolutePath(QString::fromStdString(a.glove)));
    const json aj = x.toJson().at("stages").at(0).at("augment");
    QCOMPARE(aj.size(), size_t(7));  // method, write and the five TinyBERT keys
    QCOMPARE(aj.at("probability").get<double>(), 0.3);
  }

  void errors_data() {
    QTest::addColumn<QString>("document");
    QTest::addColumn<QString>("message");
    auto row = [](const char* name, const std::string& body, const char* message) {
      QTest::newRow(name) << q(body) << QString::fromUtf8(message);
    };
    const std::string t = kTask;
    row("unknown key, suggestion", R"({"format": 1, )" + t + R"(, "stages": [{"optim": {"learnig_rate": 1e-4}}]})",
        "exp.json: stages[0].optim.learnig_rate: unknown key (did you mean learning_rate?)");
    row("camelCase key", R"({"format": 1, "task": {"train": "t", "maxLength": 64}})",
        "exp.json: task.maxLength: unknown key (did you mean max_length?)");
    row("transposed key", R"({"format": 1, )" + t + R"(, "stuednt": {}})",
        "exp.json: stuednt: unknown key (did you mean student?)");
    row("unknown key, no suggestion", R"({"format": 1, )" + t + R"(, "observer": {"colour": "red"}})",
        "exp.json: observer.colour: unknown key (known keys: attention_every, probe, checkpoint_every, checkpoint_minutes, checkpoint_keep)");
    row("format 2", R"({"format": 2, "whatever": true})",
        "exp.json: format 2 is not supported (this Retort reads format 1)");
    row("no format", R"({"task": {"train": "t"}})", "exp.json: format: required (this Retort reads format 1)");
    row("not an object", "[1, 2]", "exp.json: the document must be a JSON object, found an array");
    row("section type", R"({"format": 1, "task": ["t.tsv"]})", "exp.json: task: must be an object, found an array");
    row("string type", R"({"format": 1, "task": {"train": 5}})", "exp.json: task.train: must be a string, found 5");
    row("integer type", R"({"format": 1, )" + t + R"(, "seed": "42"})",
        "exp.json: seed: must be an integer, found \"42\"");
    row("bool type", R"({"format": 1, )" + t + R"(, "tokenizer": {"lower_case": "yes"}})",
        "exp.json: tokenizer.lower_case: must be true or false, found \"yes\"");
    row("fractional epochs", R"({"format": 1, )" + t + R"(, "stages": [{"optim": {"epochs": 3.5}}]})",
        "exp.json: stages[0].optim.epochs: must be an integer, found 3.5");
    row("zero temperature", R"({"format": 1, )" + t + R"(, "stages": [{}, {"losses": {"soft_targets": 1, "temperature": 0}}]})",
        "exp.json: stages[1].losses.temperature: must be positive, found 0");
    row("bad stage kind", R"({"format": 1, )" + t + R"(, "stages": [{"kind": "distil"}]})",
        "exp.json: stages[0].kind: must be one of general, intermediate, prediction, finetune, distill; found \"distil\"");
    row("bad soft kind", R"({"format": 1, )" + t + R"(, "stages": [{"losses": {"soft_targets": 1, "soft_kind": "KL"}}]})",
        "exp.json: stages[0].losses.soft_kind: must be one of kl, ce; found \"KL\"");
    row("bad activation", R"({"format": 1, )" + t + R"(, "student": {"architecture": {"activation": "tanh"}}})",
        "exp.json: student.architecture.activation: must be one of gelu, gelu_new, gelu_pytorch_tanh, relu, silu, "
        "swish; found \"tanh\"");
    row("probability 1", R"({"format": 1, )" + t + R"(, "teacher": {"mlm_probability": 1}})",
        "exp.json: teacher.mlm_probability: must be in [0, 1), found 1");
    row("negative dropout", R"({"format": 1, )" + t + R"(, "teacher": {"architecture": {"dropout": -0.1}}})",
        "exp.json: teacher.architecture.dropout: must be in [0, 1), found -0.1");
    row("learning rate", R"({"format": 1, )" + t + R"(, "teacher": {"finetuning": {"learning_rate": 0}}})",
        "exp.json: teacher.finetuning.learning_rate: must be positive, found 0");
    row("batch size", R"({"format": 1, )" + t + R"(, "stages": [{"optim": {"batch_size": 0}}]})",
        "exp.json: stages[0].optim.batch_size: must be >= 1, found 0");
    row("checkpoint_keep 0", R"({"format": 1, )" + t + R"(, "observer": {"checkpoint_keep": 0}})",
        "exp.json: observer.checkpoint_keep: must be >= 1, found 0");
    row("checkpoint_every negative", R"({"format": 1, )" + t + R"(, "observer": {"checkpoint_every": -5}})",
        "exp.json: observer.checkpoint_every: must be >= 0, found -5");
    row("checkpoint_minutes negative", R"({"format": 1, )" + t + R"(, "observer": {"checkpoint_minutes": -1}})",
        "exp.json: observer.checkpoint_minutes: must be >= 0, found -1");
    row("max length", R"({"format": 1, "task": {"train": "t", "max_length": 2}})",
        "exp.json: task.max_length: must be >= 3 (room for [CLS] and [SEP]), found 2");
    row("metric unknown", R"({"format": 1, "task": {"train": "t", "metric": "auc"}})",
        "exp.json: task.metric: \"auc\" is not a metric of a classification task (accuracy, f1, mcc)");
    row("metric of another kind", R"({"format": 1, "task": {"train": "t", "kind": "regression", "metric": "mcc"}})",
        "exp.json: task.metric: \"mcc\" is not a metric of a regression task (pearson, spearman)");
    row("kind unknown", R"({"format": 1, "task": {"train": "t", "kind": "ranking"}})",
        "exp.json: task.kind: must be one of classification, regression, multi_label, token_classification; found \"ranking\"");
    row("tokens with a pair", R"({"format": 1, "task": {"train": "t", "kind": "token_classification", "pair_column": "b"}})",
        "exp.json: task.pair_column: a token_classification tags the words of one text; it has no sentence pairs");
    row("tokens from a tsv", R"({"format": 1, "task": {"train": "t", "kind": "token_classification", "format": "tsv"}})",
        "exp.json: task.format: \"tsv\" holds one label per row; a token_classification reads \"conll\" column files "
        "or \"jsonl\" with arrays of tokens and tags");
    row("conll of a classification", R"({"format": 1, "task": {"train": "t", "format": "conll"}})",
        "exp.json: task.format: \"conll\" holds a tag per word: it needs task.kind \"token_classification\"");
    row("tokens into a bilstm", R"({"format": 1, "task": {"train": "t", "kind": "token_classification"},
        "student": {"kind": "bilstm"}, "stages": [{"losses": {"soft_targets": 1}}]})",
        "exp.json: student.kind: a BiLSTM student classifies whole texts; a token_classification needs a BERT student");
    row("tokens augmented", R"({"format": 1, "task": {"train": "t", "kind": "token_classification"},
        "stages": [{"augment": {"method": "tinybert"}}]})",
        "exp.json: stages[0].augment: does not apply to a token_classification: replacing words would leave their tags wrong");
    row("regression classes", R"({"format": 1, "task": {"train": "t", "kind": "regression", "labels": ["a"]}})",
        "exp.json: task.labels: a regression has no classes (its label column holds numbers)");
    row("threshold above 1", R"({"format": 1, "task": {"train": "t", "kind": "multi_label", "threshold": 1.5}})",
        "exp.json: task.threshold: must be between 0 and 1 (a probability), found 1.5");
    row("empty separator", R"({"format": 1, "task": {"train": "t", "kind": "multi_label", "label_separator": ""}})",
        "exp.json: task.label_separator: must not be empty");
    row("soft targets on a regression", R"({"format": 1, "task": {"train": "t", "kind": "regression"},
        "stages": [{"losses": {"soft_targets": 1, "hard_labels": 1}}]})",
        "exp.json: stages[0].losses.soft_targets: does not apply to a regression task: its one output is a number, "
        "not a distribution over classes to soften (use logit_mse, the teacher's output as the target, as TinyBERT "
        "does for STS-B)");
    row("f1 of three classes", R"({"format": 1, "task": {"train": "t", "labels": ["a", "b", "c"], "metric": "f1"}})",
        "exp.json: task.metric: \"f1\" (of class 1) needs two classes; task.labels names 3");
    row("columns duplicate", R"({"format": 1, "task": {"train": "t", "columns": ["label", "sentence", "label"]}})",
        "exp.json: task.columns[2]: duplicate column \"label\"");
    row("columns without the text", R"({"format": 1, "task": {"train": "t", "columns": ["a", "label"]}})",
        "exp.json: task.text_column: \"sentence\" is not one of task.columns");
    row("negative weight", R"({"format": 1, )" + t + R"(, "stages": [{"losses": {"soft_targets": 1, "hard_labels": -0.5}}]})",
        "exp.json: stages[0].losses.hard_labels: must be >= 0, found -0.5");
    row("negative pair weight", R"({"format": 1, )" + t + R"(, "mapping": {"kind": "explicit", "pairs": [{"student": 1, "teacher": 2, "weight": -1}]}})",
        "exp.json: mapping.pairs[0].weight: must be >= 0, found -1");
    row("nothing to train", R"({"format": 1, )" + t + R"(, "stages": [{"optim": {"epochs": 0}}]})",
        "exp.json: stages[0].optim.epochs: must be positive when max_steps is 0, found 0");
    row("fractional warmup steps", R"({"format": 1, )" + t + R"(, "stages": [{"optim": {"warmup": 1.5}}]})",
        "exp.json: stages[0].optim.warmup: must be a fraction below 1 or a whole number of steps, found 1.5");
    row("all weights 0", R"({"format": 1, )" + t + R"(, "stages": [{"losses": {"hard_labels": 0}}]})",
        "exp.json: stages[0].losses: every loss weight is 0 (nothing to learn)");
    row("heads", R"({"format": 1, )" + t + R"(, "student": {"architecture": {"hidden": 250, "heads": 4}}})",
        "exp.json: student.architecture.hidden: must be a multiple of heads (4), found 250");
    row("augment type", R"({"format": 1, )" + t + R"(, "stages": [{"augment": 3}]})",
        "exp.json: stages[0].augment: must be an object, found 3");
    row("augment method", R"({"format": 1, )" + t + R"(, "stages": [{"augment": {"copies": 3}}]})",
        "exp.json: stages[0].augment.method: required (tinybert or tang)");
    row("augment key of the other method", R"({"format": 1, )" + t + R"(, "stages": [{"augment":
        {"method": "tang", "copies": 3}}]})",
        "exp.json: stages[0].augment.copies: only used when method is \"tinybert\"");
    row("augment probability", R"({"format": 1, )" + t + R"(, "stages": [{"augment":
        {"method": "tinybert", "probability": 1.5}}]})",
        "exp.json: stages[0].augment.probability: must be in [0, 1), found 1.5");
    row("teacher finetune", R"({"format": 1, )" + t + R"(, "teacher": {"finetune": "sometimes"}})",
        "exp.json: teacher.finetune: must be one of auto, always, never; found \"sometimes\"");
    row("bilstm + attention", R"({"format": 1, )" + t + R"(, "student": {"kind": "bilstm"},
        "stages": [{"losses": {"hard_labels": 1}}, {"losses": {"soft_targets": 1, "attention": 1}}]})",
        "exp.json: stages[1].losses.attention: a BiLSTM student has no attention to match");
    row("bilstm + general preset", R"({"format": 1, )" + t + R"(, "student": {"kind": "bilstm"},
        "stages": [{"kind": "general", "corpus": "c.txt"}]})",
        "exp.json: stages[0].losses.attention: a BiLSTM student has no attention to match (a \"general\" stage "
        "uses it by default; give \"losses\")");
    row("bilstm + cosine", R"({"format": 1, )" + t + R"(, "student": {"kind": "bilstm"}, "stages": [{"losses": {"cosine": 1}}]})",
        "exp.json: stages[0].losses.cosine: a BiLSTM student has no transformer hidden states to compare");
    row("explicit without pairs", R"({"format": 1, )" + t + R"(, "mapping": {"kind": "explicit"}})",
        "exp.json: mapping.pairs: required when mapping.kind is \"explicit\"");
    row("pairs without explicit", R"({"format": 1, )" + t + R"(, "mapping": {"pairs": [{"student": 1, "teacher": 3}]}})",
        "exp.json: mapping.pairs: only used when mapping.kind is \"explicit\" (found \"uniform\")");
    row("pair without teacher", R"({"format": 1, )" + t + R"(, "mapping": {"kind": "explicit", "pairs": [{"student": 1}]}})",
        "exp.json: mapping.pairs[0].teacher: required");
    row("trained teacher needs task", R"({"format": 1})",
        "exp.json: task.train: required when the teacher is trained (teacher.checkpoint is empty)");
    row("train stage needs task", R"({"format": 1, "teacher": {"checkpoint": "m"}})",
        "exp.json: task.train: required by stages[0] (data \"train\")");
    row("corpus stage", R"({"format": 1, )" + t + R"(, "stages": [{"data": "corpus"}]})",
        "exp.json: stages[0].corpus: required when data is \"corpus\"");
    row("general stage", R"({"format": 1, )" + t + R"(, "stages": [{"kind": "general"}]})",
        "exp.json: stages[0].corpus: required when data is \"corpus\" (or give teacher.mlm_corpus)");
    row("mlm pretraining", R"({"format": 1, )" + t + R"(, "teacher": {"mlm_pretraining": true}})",
        "exp.json: teacher.mlm_corpus: required when teacher.mlm_pretraining is true");
    row("student checkpoint", R"({"format": 1, )" + t + R"(, "student": {"init": "checkpoint"}})",
        "exp.json: student.checkpoint: required when student.init is \"checkpoint\"");
    row("bilstm teacher layers", R"({"format": 1, )" + t + R"(, "student": {"kind": "bilstm", "init": "teacher_layers"}})",
        "exp.json: student.init: \"teacher_layers\" needs a BERT student (student.kind is \"bilstm\")");
    row("teacher layer index", R"({"format": 1, )" + t + R"(, "student": {"init": "teacher_layers", "teacher_layers": [0, -2]}})",
        "exp.json: student.teacher_layers[1]: must be >= 0, found -2");
    row("wordpiece path", R"({"format": 1, )" + t + R"(, "tokenizer": {"from": "wordpiece"}})",
        "exp.json: tokenizer.path: required when tokenizer.from is \"wordpiece\" (a vocab.txt)");
    row("duplicate stage names", R"({"format": 1, )" + t + R"(, "stages": [{"name": "a"}, {"name": "a"}]})",
        "exp.json: stages[1].name: \"a\" is already the name of stages[0] (stage names must be distinct)");
    row("duplicate label", R"({"format": 1, "task": {"train": "t", "labels": ["x", "y", "x"]}})",
        "exp.json: task.labels[2]: duplicate label \"x\"");
    row("empty stages", R"({"format": 1, )" + t + R"(, "stages": []})",
        "exp.json: stages: must not be empty (leave it out for one \"distill\" stage)");
  }

  void errors() {
    QFETCH(QString, document);
    QFETCH(QString, message);
    QCOMPARE(parseError(document.toStdString()), message);
  }

  void syntaxErrors_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");  // after "<path>: "; the column of the last character read
    QTest::newRow("bad key") << "{\n  \"format\": 1,\n  x: 2\n}"
                             << "line 3, column 3: syntax error while parsing object key - invalid literal; "
                                "expected string literal";
    QTest::newRow("missing comma") << "{\"format\": 1,\n \"task\": {\"train\": \"t\"}\n \"seed\": 3}"
                                   << "line 3, column 7: syntax error while parsing object - unexpected string "
                                      "literal; expected '}'";
    QTest::newRow("truncated") << "{\"format\": 1,\n"
                               << "line 2, column 1: syntax error while parsing object key - unexpected end of "
                                  "input; expected string literal";
  }

  void syntaxErrors() {
    QFETCH(QString, text);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/exp.json";
    std::ofstream(path, std::ios::binary) << text.toStdString();
    try {
      Experiment::load(path);
      QFAIL("no exception");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Format);
      QCOMPARE(QString::fromUtf8(e.what()), q(path + ": ") + message);
    }
  }

  void loadErrors() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/exp.json";
    try {
      Experiment::load(path);
      QFAIL("no exception");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Io);
      QVERIFY(QString::fromUtf8(e.what()).startsWith(q(path + ": ")));
    }
    // Comments are allowed; semantic errors name the file as given.
    std::ofstream(path) << "// my experiment\n{\"format\": 1, /* soon */ \"task\": {\"train\": \"t\"}, \"nmae\": 1}\n";
    QCOMPARE(retort::test::thrownMessage([&] { Experiment::load(path); }),
             q(path + ": nmae: unknown key (did you mean name?)"));
    QCOMPARE(q(Experiment::readDocument(path).dump()), QStringLiteral(R"({"format":1,"nmae":1,"task":{"train":"t"}})"));
  }

  void overrides_data() {
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("expected");  // JSON
    QTest::newRow("integer") << "stages.0.optim.epochs=1" << "/stages/0/optim/epochs" << "1";
    QTest::newRow("float") << "stages.1.optim.learning_rate=1e-4" << "/stages/1/optim/learning_rate" << "0.0001";
    QTest::newRow("plain string") << "name=my run" << "/name" << "\"my run\"";
    QTest::newRow("quoted string") << "name=\"42\"" << "/name" << "\"42\"";
    QTest::newRow("empty string") << "task.dev=" << "/task/dev" << "\"\"";
    QTest::newRow("value with '='") << "observer.probe=a=b" << "/observer/probe" << "\"a=b\"";
    QTest::newRow("bool") << "tokenizer.lower_case=false" << "/tokenizer/lower_case" << "false";
    QTest::newRow("null") << "task.pair_column=null" << "/task/pair_column" << "null";
    QTest::newRow("array") << "task.labels=[\"neg\",\"pos\"]" << "/task/labels" << R"(["neg","pos"])";
    QTest::newRow("object") << "stages.0.augment={\"method\": \"tang\"}" << "/stages/0/augment" << R"({"method":"tang"})";
    QTest::newRow("new section") << "output.dir=runs/x" << "/output/dir" << "\"runs/x\"";
    QTest::newRow("replace a stage") << "stages.1={\"kind\":\"finetune\"}" << "/stages/1" << R"({"kind":"finetune"})";
  }

  void overrides() {
    QFETCH(QString, assignment);
    QFETCH(QString, pointer);
    QFETCH(QString, expected);
    json doc = json::parse(std::string("{\"format\": 1, ") + kTask + R"(, "stages": [{}, {"kind": "prediction"}]})");
    applyOverride(doc, assignment.toStdString());
    QCOMPARE(q(doc.at(json::json_pointer(pointer.toStdString())).dump()), expected);
    parse(doc.dump());  // still a valid experiment
  }

  void overrideErrors_data() {
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QString>("message");
    QTest::newRow("no '='") << "stages.0.optim.epochs"
                            << "--set needs key.path=value (found \"stages.0.optim.epochs\")";
    QTest::newRow("index out of range") << "stages.2.optim.epochs=1"
                                        << "--set stages.2.optim.epochs: index 2 is out of range (stages has 2 "
                                           "elements)";
    QTest::newRow("nested index") << "task.labels.1=x"
                                  << "--set task.labels.1: index 1 is out of range (task.labels has 1 element)";
    QTest::newRow("missing array") << "teacher.layers.0=1"
                                   << "--set teacher.layers.0: index 0 is out of range (teacher.layers is not there)";
    QTest::newRow("name on an array") << "stages.first.name=x"
                                      << "--set stages.first.name: stages is an array; use an index, found \"first\"";
    QTest::newRow("through a scalar") << "format.x=1"
                                      << "--set format.x: format is a number, not an object or an array";
    QTest::newRow("empty step") << "task..train=x" << "--set task..train: empty name in the key path";
  }

  void overrideErrors() {
    QFETCH(QString, assignment);
    QFETCH(QString, message);
    json doc = json::parse(R"({"format": 1, "task": {"train": "t", "labels": ["a"]}, "stages": [{}, {}]})");
    try {
      applyOverride(doc, assignment.toStdString());
      QFAIL("no exception");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::InvalidArgument);
      QCOMPARE(QString::fromUtf8(e.what()), message);
    }
  }

  void overrideThenParse() {
    json doc = json::parse(std::string("{\"format\": 1, ") + kTask + R"(, "stages": [{"kind": "prediction"}]})");
    applyOverride(doc, "stages.0.optim.epochs=1");
    applyOverride(doc, "stages.0.losses.hard_labels=0.5");
    const Experiment e = parse(doc.dump());
    QCOMPARE(e.stages[0].optim.epochs, 1);
    QCOMPARE(e.stages[0].losses.hardLabels, 0.5);
    QCOMPARE(e.stages[0].losses.softTargets, 0.0);  // an explicit "losses" object now
    QCOMPARE(q(e.stages[0].losses.softKind), QStringLiteral("ce"));
    // A typo creates a key; parsing names it as usual.
    applyOverride(doc, "stages.0.optim.learnig_rate=1e-4");
    QCOMPARE(parseError(doc.dump()), QStringLiteral("exp.json: stages[0].optim.learnig_rate: unknown key (did you "
                                                    "mean learning_rate?)"));
  }
};

QTEST_APPLESS_MAIN(TestExperiment)
#include "test_experiment.moc"
