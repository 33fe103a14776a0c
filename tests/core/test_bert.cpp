// The BERT forward pass against an independent numpy implementation (tests/fixtures/bert,
// made by make_fixtures.py), and checkpoint loading/saving in the Hugging Face layout.

#include <QtTest/QtTest>
#include <QTemporaryDir>

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/io/checkpoint.h"
#include "core/io/safetensors.h"
#include "core/io/safetensors_torch.h"
#include "core/model/bert.h"
#include "test_util.h"

using namespace retort;
namespace fs = std::filesystem;

namespace {

std::map<std::string, torch::Tensor> expectedOf(const std::string& variant) {
  auto file = io::SafetensorsFile::open(test::fixture("bert/" + variant + "/expected.safetensors"));
  return io::loadTensors(file, /*toFloat32=*/false);
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

void copyDir(const std::string& from, const std::string& to) {
  fs::create_directories(to);
  for (auto& e : fs::directory_iterator(from)) fs::copy_file(e.path(), fs::path(to) / e.path().filename());
}

}  // namespace

class TestBert : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void forwardMatchesReference_data() {
    QTest::addColumn<QString>("variant");
    QTest::newRow("f32 gelu") << "tiny";
    QTest::newRow("f16 gelu_new legacy names") << "tiny_f16_legacy";
  }

  void forwardMatchesReference() {
    QFETCH(QString, variant);
    const std::string v = variant.toStdString();
    auto ck = io::loadCheckpoint(test::fixture("bert/" + v), {model::BertHeads{true, true, true}});
    QVERIFY(ck.report.initialized.empty());
    ck.model->eval();
    auto ex = expectedOf(v);
    model::BertInputs in{ex.at("input_ids"), ex.at("token_type_ids"), ex.at("attention_mask")};
    model::ForwardOptions opt;
    opt.hiddenStates = opt.attentionScores = opt.attentionProbs = opt.mlmLogits = true;
    torch::NoGradGuard ng;
    auto out = ck.model->forward(in, opt);
    const int64_t L = ck.config.numHiddenLayers;
    QCOMPARE(static_cast<int64_t>(out.hiddenStates.size()), L + 1);
    QCOMPARE(static_cast<int64_t>(out.attentionScores.size()), L);
    QCOMPARE(static_cast<int64_t>(out.attentionProbs.size()), L);
    const double tol = 1e-5;
    for (int64_t k = 0; k <= L; ++k) {
      const auto& ref = ex.at("hidden_states." + std::to_string(k));
      QCOMPARE(out.hiddenStates[k].sizes().vec(), ref.sizes().vec());
      QVERIFY2(maxAbsDiff(out.hiddenStates[k], ref) < tol, qPrintable(QString::number(k)));
    }
    for (int64_t k = 0; k < L; ++k) {
      const auto& s = ex.at("attention_scores." + std::to_string(k));
      QCOMPARE(out.attentionScores[k].sizes().vec(),
               (std::vector<int64_t>{2, ck.config.numAttentionHeads, 9, 9}));
      QVERIFY(maxAbsDiff(out.attentionScores[k], s) < tol);
      QVERIFY(maxAbsDiff(out.attentionProbs[k], ex.at("attention_probs." + std::to_string(k))) < tol);
    }
    QVERIFY(maxAbsDiff(out.pooled, ex.at("pooled_output")) < tol);
    QCOMPARE(out.logits.sizes().vec(), (std::vector<int64_t>{2, 3}));
    QVERIFY(maxAbsDiff(out.logits, ex.at("logits")) < tol);
    QCOMPARE(out.mlmLogits.sizes().vec(), (std::vector<int64_t>{2, 9, 50}));
    QVERIFY(maxAbsDiff(out.mlmLogits, ex.at("mlm_logits")) < 1e-4);
    // Padded keys get exactly zero probability.
    QCOMPARE(out.attentionProbs[0].index({1, torch::indexing::Slice(), torch::indexing::Slice(), 7}).abs().max().item<float>(), 0.0f);
  }

  void unrequestedOutputsAreEmptyAndResultsIdentical() {
    auto ck = io::loadCheckpoint(test::fixture("bert/tiny"));
    ck.model->eval();
    auto ex = expectedOf("tiny");
    model::BertInputs in{ex.at("input_ids"), ex.at("token_type_ids"), ex.at("attention_mask")};
    torch::NoGradGuard ng;
    auto plain = ck.model->forward(in);  // defaults: logits and pooled only
    QVERIFY(plain.hiddenStates.empty());
    QVERIFY(plain.attentionScores.empty());
    QVERIFY(plain.attentionProbs.empty());
    QVERIFY(!plain.mlmLogits.defined());
    model::ForwardOptions all;
    all.hiddenStates = all.attentionScores = all.attentionProbs = true;
    auto full = ck.model->forward(in, all);
    // The in-place mask path (nothing recorded) must give the same numbers bit for bit.
    QVERIFY(torch::equal(plain.logits, full.logits));
    QVERIFY(torch::equal(plain.lastHidden, full.lastHidden));
  }

  void mlmAtSelectedPositions() {
    auto ck = io::loadCheckpoint(test::fixture("bert/tiny"));
    QVERIFY(ck.model->heads().mlm);
    ck.model->eval();
    auto ex = expectedOf("tiny");
    model::BertInputs in{ex.at("input_ids"), ex.at("token_type_ids"), ex.at("attention_mask")};
    auto positions = torch::zeros({2, 9}, torch::kBool);
    positions.index_put_({0, 3}, true);
    positions.index_put_({1, 5}, true);
    model::ForwardOptions opt;
    opt.mlmLogits = true;
    opt.mlmPositions = positions;
    torch::NoGradGuard ng;
    auto out = ck.model->forward(in, opt);
    QCOMPARE(out.mlmLogits.sizes().vec(), (std::vector<int64_t>{2, 50}));
    const auto& ref = ex.at("mlm_logits");
    QVERIFY(maxAbsDiff(out.mlmLogits[0], ref.index({0, 3})) < 1e-4);
    QVERIFY(maxAbsDiff(out.mlmLogits[1], ref.index({1, 5})) < 1e-4);
  }

  void parameterNamesAreHuggingFaceKeys() {
    auto file = io::SafetensorsFile::open(test::fixture("bert/tiny/model.safetensors"));
    std::set<std::string> stored;
    for (const auto& t : file.tensors()) stored.insert(t.name);
    model::BertConfig cfg = model::BertConfig::load(test::fixture("bert/tiny/config.json"));
    model::BertModel m(cfg, model::BertHeads{true, true, true});
    std::set<std::string> ours;
    for (const auto& p : m->named_parameters()) ours.insert(p.key());
    QCOMPARE(ours, stored);
    QVERIFY(ours.count("bert.encoder.layer.0.attention.self.query.weight"));
    QVERIFY(ours.count("cls.predictions.transform.dense.weight"));
    QCOMPARE(m->parameterCount(),
             model::backboneParameterCount(cfg) + (16 * 3 + 3) + (16 * 16 + 16 + 2 * 16 + 50));
  }

  void legacyNamesAreReported() {
    auto ck = io::loadCheckpoint(test::fixture("bert/tiny_f16_legacy"));
    std::set<std::string> ignored(ck.report.ignored.begin(), ck.report.ignored.end());
    QVERIFY(ignored.count("cls.predictions.decoder.weight"));
    QVERIFY(ignored.count("bert.embeddings.position_ids"));
    QVERIFY(ck.report.unexpected.empty());
    QVERIFY(ck.tokenizer != nullptr);
    QCOMPARE(ck.tokenizer->vocabSize(), int64_t(50));
  }

  void saveLoadRoundTripIsExact() {
    QTemporaryDir tmp;
    auto ck = io::loadCheckpoint(test::fixture("bert/tiny_f16_legacy"));
    const std::string out = tmp.filePath(QStringLiteral("saved")).toStdString();
    io::saveCheckpoint(out, ck.model, ck.tokenizer.get());
    QVERIFY(fs::exists(out + "/config.json"));
    QVERIFY(fs::exists(out + "/vocab.txt"));
    auto file = io::SafetensorsFile::open(out + "/model.safetensors");
    for (const auto& t : file.tensors()) QCOMPARE(io::dtypeName(t.dtype), std::string("F32"));
    QVERIFY(file.find("cls.predictions.decoder.weight") == nullptr);  // tied: not written
    auto again = io::loadCheckpoint(out);
    QCOMPARE(again.config.hiddenAct, std::string("gelu_new"));
    QCOMPARE(again.config.labels, ck.config.labels);
    QCOMPARE(again.config.layerNormEps, 1e-5);
    auto a = ck.model->named_parameters();
    auto b = again.model->named_parameters();
    QCOMPARE(a.size(), b.size());
    for (const auto& p : a) QVERIFY2(torch::equal(p.value(), b[p.key()]), p.key().c_str());
  }

  void tokenClassifierHead() {
    // Hugging Face's BertForTokenClassification: no pooler, the classifier on every position
    // of the last hidden state; saved with that architecture and found again on loading.
    auto base = io::loadCheckpoint(test::fixture("bert/tiny"));
    auto cfg = base.config;
    cfg.labels = {"B-X", "I-X", "O"};
    model::setTaskKind(cfg, "token_classification");
    QVERIFY(model::isTokenClassifier(cfg));
    QCOMPARE(cfg.effectiveProblemType(), std::string("token_classification"));
    torch::manual_seed(3);
    model::BertModel m(cfg, model::headsForTask("token_classification", false));
    m->eval();
    QVERIFY(!m->bert->pooler);
    model::BertInputs in;
    in.inputIds = torch::tensor({{2, 10, 11, 3}, {2, 12, 3, 0}}, torch::kLong);
    in.attentionMask = torch::tensor({{1, 1, 1, 1}, {1, 1, 1, 0}}, torch::kLong);
    torch::NoGradGuard noGrad;
    const auto out = m->forward(in);
    QCOMPARE(out.logits.sizes().vec(), std::vector<int64_t>({2, 4, 3}));
    QVERIFY(!out.pooled.defined());
    const auto byHand = torch::matmul(out.lastHidden, m->classifier->weight.t()) + m->classifier->bias;
    QVERIFY(torch::allclose(out.logits, byHand, 1e-5, 1e-6));

    QTemporaryDir tmp;
    const std::string dir = tmp.filePath(QStringLiteral("tok")).toStdString();
    io::saveCheckpoint(dir, m, base.tokenizer.get());
    std::ifstream configFile(dir + "/config.json");
    const auto j = nlohmann::json::parse(configFile);
    QCOMPARE(j.at("architectures").at(0).get<std::string>(), std::string("BertForTokenClassification"));
    QVERIFY(!j.contains("problem_type"));
    QCOMPARE(j.at("id2label").at("2").get<std::string>(), std::string("O"));
    auto file = io::SafetensorsFile::open(dir + "/model.safetensors");
    QVERIFY(file.find("bert.pooler.dense.weight") == nullptr);
    QVERIFY(file.find("classifier.weight") != nullptr);
    auto again = io::loadCheckpoint(dir);
    QVERIFY(again.model->heads().tokenClassifier);
    QVERIFY(!again.model->heads().pooler);
    QVERIFY(again.report.initialized.empty());
    again.model->eval();
    QVERIFY(torch::equal(again.model->forward(in).logits, out.logits));
    // A sequence task's config turns the architecture back.
    model::setTaskKind(cfg, "classification");
    QVERIFY(!model::isTokenClassifier(cfg));
    QCOMPARE(cfg.problemType, std::string("single_label_classification"));
  }

  void errors() {
    QTemporaryDir tmp;
    const std::string base = tmp.path().toStdString();
    auto ck = io::loadCheckpoint(test::fixture("bert/tiny"));

    // A missing backbone tensor is named.
    {
      const std::string d = base + "/missing";
      fs::create_directories(d);
      fs::copy_file(test::fixture("bert/tiny/config.json"), d + "/config.json");
      std::map<std::string, torch::Tensor> t;
      for (auto& p : ck.model->named_parameters())
        if (p.key() != "bert.encoder.layer.1.output.dense.bias") t[p.key()] = p.value();
      io::saveTensors(d + "/model.safetensors", t);
      const QString msg = test::thrownMessage([&] { io::loadCheckpoint(d); });
      QVERIFY2(msg.contains(QStringLiteral("missing tensors: bert.encoder.layer.1.output.dense.bias")), qPrintable(msg));
    }
    // A wrongly shaped tensor is named with both shapes.
    {
      const std::string d = base + "/shape";
      fs::create_directories(d);
      fs::copy_file(test::fixture("bert/tiny/config.json"), d + "/config.json");
      std::map<std::string, torch::Tensor> t;
      for (auto& p : ck.model->named_parameters()) t[p.key()] = p.value();
      t["bert.encoder.layer.0.intermediate.dense.weight"] = torch::zeros({23, 16});
      io::saveTensors(d + "/model.safetensors", t);
      const QString msg = test::thrownMessage([&] { io::loadCheckpoint(d); });
      QVERIFY2(msg.contains(QStringLiteral("bert.encoder.layer.0.intermediate.dense.weight is [23, 16], config.json implies [24, 16]")), qPrintable(msg));
    }
    // Pickles are refused with the reason and the way out.
    {
      const std::string d = base + "/pickle";
      fs::create_directories(d);
      fs::copy_file(test::fixture("bert/tiny/config.json"), d + "/config.json");
      std::ofstream(d + "/pytorch_model.bin") << "PK\x03\x04";
      const QString msg = test::thrownMessage([&] { io::loadCheckpoint(d); });
      QVERIFY2(msg.contains(QStringLiteral("pickle")) && msg.contains(QStringLiteral("arbitrary code")) &&
                   msg.contains(QStringLiteral("save_file")), qPrintable(msg));
    }
    // No config.json; a bad config value names the file and the key.
    {
      const QString msg = test::thrownMessage([&] { io::loadCheckpoint(base); });
      QVERIFY2(msg.contains(QStringLiteral("no config.json")), qPrintable(msg));
      const std::string d = base + "/badcfg";
      copyDir(test::fixture("bert/tiny"), d);
      std::ofstream(d + "/config.json") << R"({"hidden_size": 16, "num_attention_heads": 5})";
      const QString msg2 = test::thrownMessage([&] { io::loadCheckpoint(d); });
      QVERIFY2(msg2.contains(QStringLiteral("config.json: \"hidden_size\" (16) must be a multiple of num_attention_heads (5)")), qPrintable(msg2));
    }
    // More positions than the model has.
    {
      model::BertInputs in{torch::full({1, 21}, 5, torch::kLong), {}, {}};
      const QString msg = test::thrownMessage([&] { ck.model->forward(in); });
      QVERIFY2(msg.contains(QStringLiteral("21 positions")) && msg.contains(QStringLiteral("max_position_embeddings 20")), qPrintable(msg));
    }
  }

  void newHeadIsInitialisedAndReported() {
    auto ck = io::loadCheckpoint(test::fixture("bert/tiny"));
    QTemporaryDir tmp;
    const std::string d = tmp.path().toStdString();
    fs::copy_file(test::fixture("bert/tiny/config.json"), d + "/config.json");
    std::map<std::string, torch::Tensor> t;
    for (auto& p : ck.model->named_parameters())
      if (p.key().rfind("classifier", 0) != 0) t[p.key()] = p.value();
    io::saveTensors(d + "/model.safetensors", t);
    auto loaded = io::loadCheckpoint(d, {model::BertHeads{true, true, false}});
    std::set<std::string> init(loaded.report.initialized.begin(), loaded.report.initialized.end());
    QCOMPARE(init, (std::set<std::string>{"classifier.weight", "classifier.bias"}));
    // The file's MLM head is not part of the requested model: reported as unexpected.
    QVERIFY(std::find(loaded.report.unexpected.begin(), loaded.report.unexpected.end(),
                      "cls.predictions.bias") != loaded.report.unexpected.end());
  }
};

QTEST_APPLESS_MAIN(TestBert)
#include "test_bert.moc"
