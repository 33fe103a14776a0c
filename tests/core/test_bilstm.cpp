// The BiLSTM student (Tang et al. 2019): shapes and parameter count against the formula,
// padding invariance, the final states against a step-by-step LSTM written here, the
// checkpoint format and its errors, and a small task it must learn from teacher logits.

#include <QtTest/QtTest>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <torch/torch.h>

#include <filesystem>
#include <map>

#include "core/io/safetensors.h"
#include "core/io/safetensors_torch.h"
#include "core/model/bilstm.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "test_util.h"

using namespace retort;
namespace fs = std::filesystem;

namespace {

model::BiLstmConfig smallConfig() {
  model::BiLstmConfig c;
  c.vocabSize = 50;
  c.embeddingDim = 12;
  c.hidden = 7;
  c.denseHidden = 9;
  c.numLabels = 3;
  c.labels = {"neg", "neutral", "pos"};
  c.padTokenId = 0;
  c.dropout = 0.1;
  return c;
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

/// A right-padded batch: row b has lengths[b] random tokens in [1, V), then padding filled
/// with `filler` (the pad id, or any token: the model must ignore it).
std::pair<torch::Tensor, torch::Tensor> paddedBatch(const std::vector<int64_t>& lengths, int64_t seq,
                                                    int64_t vocab, int64_t filler) {
  const int64_t B = static_cast<int64_t>(lengths.size());
  auto ids = torch::full({B, seq}, filler, torch::kLong);
  auto mask = torch::zeros({B, seq}, torch::kLong);
  for (int64_t b = 0; b < B; ++b) {
    ids[b].narrow(0, 0, lengths[b]).copy_(torch::randint(1, vocab, {lengths[b]}, torch::kLong));
    mask[b].narrow(0, 0, lengths[b]).fill_(1);
  }
  return {ids, mask};
}

/// One LSTM direction over x [L,E], step by step, in double, with torch's gate order
/// (input i, forget f, cell g, output o): gates = W_ih x_t + b_ih + W_hh h + b_hh.
torch::Tensor manualDirection(const torch::Tensor& x, const torch::Tensor& wIh, const torch::Tensor& wHh,
                              const torch::Tensor& bIh, const torch::Tensor& bHh, bool reverse) {
  const int64_t L = x.size(0), h = wHh.size(1);
  auto hs = torch::zeros({h}, torch::kDouble), cs = torch::zeros({h}, torch::kDouble);
  for (int64_t step = 0; step < L; ++step) {
    const int64_t t = reverse ? L - 1 - step : step;
    auto gates = torch::mv(wIh, x[t]) + bIh + torch::mv(wHh, hs) + bHh;
    auto i = torch::sigmoid(gates.narrow(0, 0, h));
    auto f = torch::sigmoid(gates.narrow(0, h, h));
    auto g = torch::tanh(gates.narrow(0, 2 * h, h));
    auto o = torch::sigmoid(gates.narrow(0, 3 * h, h));
    cs = f * cs + i * g;
    hs = o * torch::tanh(cs);
  }
  return hs;
}

/// Writes tensors as directory/model.safetensors, replacing what saveBiLstm wrote.
void rewriteWeights(const std::string& dir, const std::map<std::string, torch::Tensor>& tensors) {
  io::saveTensors((fs::path(dir) / "model.safetensors").string(), tensors);
}

std::map<std::string, torch::Tensor> readWeights(const std::string& dir) {
  auto file = io::SafetensorsFile::open((fs::path(dir) / "model.safetensors").string());
  return io::loadTensors(file);
}

/// The synthetic task: label 1 when token 7 appears. Tokens in [1, 20), lengths 3..10.
void makeTask(int64_t n, torch::Tensor& ids, torch::Tensor& mask, torch::Tensor& labels) {
  const int64_t seq = 10;
  ids = torch::zeros({n, seq}, torch::kLong);
  mask = torch::zeros({n, seq}, torch::kLong);
  labels = torch::zeros({n}, torch::kLong);
  for (int64_t b = 0; b < n; ++b) {
    const int64_t len = torch::randint(3, seq + 1, {1}).item<int64_t>();
    auto row = torch::randint(1, 19, {len}, torch::kLong);
    row = row + row.ge(7).to(torch::kLong);  // tokens 1..19 without 7
    const bool positive = torch::rand({1}).item<double>() < 0.5;
    if (positive) row[torch::randint(0, len, {1}).item<int64_t>()] = 7;
    ids[b].narrow(0, 0, len).copy_(row);
    mask[b].narrow(0, 0, len).fill_(1);
    labels[b] = positive ? 1 : 0;
  }
}

}  // namespace

class TestBiLstm : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void shapeAndParameterCount() {
    torch::manual_seed(1);
    const auto c = smallConfig();
    model::BiLstmClassifier m(c);
    const int64_t V = c.vocabSize, E = c.embeddingDim, h = c.hidden, D = c.denseHidden,
                  C = c.numLabels;
    const int64_t perDirection = 4 * h * (E + h) + 8 * h;
    const int64_t expected = V * E + 2 * perDirection + (2 * h * D + D) + (D * C + C);
    QCOMPARE(m->parameterCount(), expected);

    std::vector<std::string> names;
    for (auto& p : m->named_parameters()) names.push_back(p.key());
    const std::vector<std::string> want = {
        "embedding.weight",        "lstm.weight_ih_l0",         "lstm.weight_hh_l0",
        "lstm.bias_ih_l0",         "lstm.bias_hh_l0",           "lstm.weight_ih_l0_reverse",
        "lstm.weight_hh_l0_reverse", "lstm.bias_ih_l0_reverse", "lstm.bias_hh_l0_reverse",
        "dense.weight",            "dense.bias",                "classifier.weight",
        "classifier.bias"};
    QCOMPARE(names, want);
    QCOMPARE(m->lstm->named_parameters()["weight_ih_l0"].sizes().vec(),
             (std::vector<int64_t>{4 * h, E}));
    // The padding row starts at zero.
    QCOMPARE(m->embedding->weight[c.padTokenId].abs().sum().item<double>(), 0.0);

    auto [ids, mask] = paddedBatch({4, 6, 1, 6}, 6, V, 0);
    m->eval();
    torch::NoGradGuard ng;
    QCOMPARE(m->forward(ids, mask).sizes().vec(), (std::vector<int64_t>{4, C}));
    QCOMPARE(m->forward(ids).sizes().vec(), (std::vector<int64_t>{4, C}));
    QCOMPARE(m->encode(ids, mask).sizes().vec(), (std::vector<int64_t>{4, 2 * h}));

    // Tang et al.'s sizes: 300-d embeddings, 150 per direction, dense 200.
    model::BiLstmConfig tang;
    tang.vocabSize = 1000;
    QCOMPARE(model::BiLstmClassifier(tang)->parameterCount(),
             1000 * 300 + 2 * (4 * 150 * 450 + 8 * 150) + (300 * 200 + 200) + (200 * 2 + 2));
  }

  void initialisationIsDeterministic() {
    torch::manual_seed(42);
    model::BiLstmClassifier a(smallConfig());
    torch::manual_seed(42);
    model::BiLstmClassifier b(smallConfig());
    auto pb = b->named_parameters();
    for (auto& p : a->named_parameters()) QVERIFY(torch::equal(p.value(), pb[p.key()]));
  }

  void paddingDoesNotChangeLogits_data() {
    QTest::addColumn<qint64>("filler");
    QTest::newRow("padded with pad id") << qint64(0);
    QTest::newRow("padded with real tokens") << qint64(13);
  }

  void paddingDoesNotChangeLogits() {
    QFETCH(qint64, filler);
    torch::manual_seed(2);
    auto c = smallConfig();
    model::BiLstmClassifier m(c);
    m->eval();
    torch::NoGradGuard ng;
    const std::vector<int64_t> lengths = {8, 5, 11, 1};
    auto [ids, mask] = paddedBatch(lengths, 11, c.vocabSize, filler);
    const auto batched = m->forward(ids, mask);
    for (size_t b = 0; b < lengths.size(); ++b) {
      const auto alone = ids[b].narrow(0, 0, lengths[b]).unsqueeze(0);
      const auto single = m->forward(alone);  // no mask: no padding at all
      QVERIFY2(maxAbsDiff(batched[b], single[0]) < 1e-6, qPrintable(QString::number(b)));
    }
    // A bool mask reads the same as an integer one.
    QVERIFY(torch::equal(m->forward(ids, mask.to(torch::kBool)), batched));
  }

  void finalStatesMatchManualLstm() {
    torch::manual_seed(3);
    auto c = smallConfig();
    model::BiLstmClassifier m(c);
    m->eval();
    torch::NoGradGuard ng;
    const std::vector<int64_t> lengths = {6, 2, 9, 1, 9};
    auto [ids, mask] = paddedBatch(lengths, 9, c.vocabSize, 0);
    const auto states = m->encode(ids, mask);  // [B, 2h]
    const auto logits = m->forward(ids, mask);

    auto p = m->lstm->named_parameters();
    auto d = [&](const char* name) { return p[name].to(torch::kDouble); };
    const auto emb = m->embedding->weight.to(torch::kDouble);
    const int64_t h = c.hidden;
    for (size_t b = 0; b < lengths.size(); ++b) {
      const auto x = emb.index_select(0, ids[b].narrow(0, 0, lengths[b]));
      const auto fwd = manualDirection(x, d("weight_ih_l0"), d("weight_hh_l0"), d("bias_ih_l0"),
                                       d("bias_hh_l0"), false);
      const auto bwd = manualDirection(x, d("weight_ih_l0_reverse"), d("weight_hh_l0_reverse"),
                                       d("bias_ih_l0_reverse"), d("bias_hh_l0_reverse"), true);
      QVERIFY2(maxAbsDiff(states[b].narrow(0, 0, h), fwd) < 1e-5, qPrintable(QString::number(b)));
      QVERIFY2(maxAbsDiff(states[b].narrow(0, h, h), bwd) < 1e-5, qPrintable(QString::number(b)));
      // The head on top: classifier(relu(dense(state))), dropout off in eval mode.
      const auto cat = torch::cat({fwd, bwd});
      const auto hidden = torch::relu(torch::mv(m->dense->weight.to(torch::kDouble), cat) +
                                      m->dense->bias.to(torch::kDouble));
      const auto want = torch::mv(m->classifier->weight.to(torch::kDouble), hidden) +
                        m->classifier->bias.to(torch::kDouble);
      QVERIFY(maxAbsDiff(logits[b], want) < 1e-5);
    }
  }

  void badInputsAreErrors() {
    torch::manual_seed(4);
    model::BiLstmClassifier m(smallConfig());
    auto ids = torch::randint(1, 50, {2, 4}, torch::kLong);
    auto kindOf = [](auto&& fn) {
      try {
        fn();
      } catch (const Error& e) {
        return e.kind();
      }
      return ErrorKind::Runtime;
    };
    auto emptyRow = torch::tensor({1, 1, 1, 0, 0, 0, 0, 0}, torch::kLong).view({2, 4});
    QVERIFY(test::thrownMessage([&] { m->forward(ids, emptyRow); })
                .contains(QStringLiteral("sequence 1 of the batch has length 0")));
    QCOMPARE(kindOf([&] { m->forward(ids, emptyRow); }), ErrorKind::Shape);
    QVERIFY(test::thrownMessage([&] { m->forward(ids.narrow(1, 0, 0)); })
                .contains(QStringLiteral("length 0")));
    QVERIFY(test::thrownMessage([&] { m->forward(ids.to(torch::kInt)); })
                .contains(QStringLiteral("int64")));
    QVERIFY(test::thrownMessage([&] { m->forward(ids[0]); }).contains(QStringLiteral("[batch, seq]")));
    QVERIFY(test::thrownMessage([&] { m->forward(ids, torch::ones({2, 3})); })
                .contains(QStringLiteral("attention_mask is [2, 3], input_ids is [2, 4]")));
    QVERIFY(test::thrownMessage([&] { m->forward(ids.clone().fill_(50)); })
                .contains(QStringLiteral("input_ids holds token id 50; vocab_size is 50")));
    QCOMPARE(kindOf([&] { m->forward(ids.clone().fill_(-1)); }), ErrorKind::InvalidArgument);
    auto holes = torch::tensor({1, 0, 1, 1, 1, 1, 1, 1}, torch::kLong).view({2, 4});
    QVERIFY(test::thrownMessage([&] { m->forward(ids, holes); })
                .contains(QStringLiteral("right-padded")));
    QCOMPARE(kindOf([&] { m->forward(ids, holes); }), ErrorKind::Shape);
  }

  void configJson() {
    const auto c = smallConfig();
    const auto j = c.toJson();
    QCOMPARE(j.at("model_type").get<std::string>(), std::string("retort-bilstm"));
    QCOMPARE(j.at("id2label").at("2").get<std::string>(), std::string("pos"));
    const auto back = model::BiLstmConfig::fromJson(j, "config.json");
    QCOMPARE(back.toJson(), j);
    QCOMPARE(back.hidden, c.hidden);
    QCOMPARE(back.labels, c.labels);

    // Defaults are Tang et al.'s; unnamed classes are written as LABEL_i.
    const auto d = model::BiLstmConfig::fromJson({{"vocab_size", 100}}, "x.json");
    QCOMPARE(d.embeddingDim, int64_t(300));
    QCOMPARE(d.hidden, int64_t(150));
    QCOMPARE(d.denseHidden, int64_t(200));
    QCOMPARE(d.numLabels, int64_t(2));
    QCOMPARE(d.toJson().at("id2label").at("1").get<std::string>(), std::string("LABEL_1"));
  }

  void badConfigIsAnError_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << R"({"vocab_size": 10, "hidden": 4})"
                                 << R"(x.json: "hidden" is not a BiLSTM config key)";
    QTest::newRow("missing vocab") << R"({"hidden_size": 4})" << R"(x.json: "vocab_size" is missing)";
    QTest::newRow("wrong type") << R"({"vocab_size": 10, "hidden_size": "4"})"
                                << R"("hidden_size" must be an integer, found "4")";
    QTest::newRow("negative") << R"({"vocab_size": 10, "dense_size": -1})"
                              << R"("dense_size" must be positive, found -1)";
    QTest::newRow("pad id") << R"({"vocab_size": 10, "pad_token_id": 10})"
                            << R"("pad_token_id" must be a token id below vocab_size (10))";
    QTest::newRow("dropout") << R"({"vocab_size": 10, "dropout": 1.5})" << R"("dropout" must be in [0, 1))";
    QTest::newRow("labels vs num_labels")
        << R"({"vocab_size": 10, "num_labels": 3, "id2label": {"0": "a", "1": "b"}})"
        << R"("id2label" names 2 classes but num_labels is 3)";
    QTest::newRow("model type") << R"({"vocab_size": 10, "model_type": "bert"})"
                                << R"("model_type" is "bert"; a BiLSTM config has "retort-bilstm")";
  }

  void badConfigIsAnError() {
    QFETCH(QString, json);
    QFETCH(QString, message);
    const auto j = nlohmann::json::parse(json.toStdString());
    const QString got = test::thrownMessage([&] { model::BiLstmConfig::fromJson(j, "x.json"); });
    QVERIFY2(got.contains(message), qPrintable(got));
  }

  void saveLoadRoundTrip() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath(QStringLiteral("student/nested")).toStdString();
    torch::manual_seed(5);
    model::BiLstmClassifier m(smallConfig());
    model::saveBiLstm(dir, m);
    QVERIFY(fs::exists(fs::path(dir) / "config.json"));
    const auto j = nlohmann::json::parse(util::readFile((fs::path(dir) / "config.json").string()));
    QCOMPARE(j.at("model_type").get<std::string>(), std::string("retort-bilstm"));
    QCOMPARE(j.at("hidden_size").get<int64_t>(), int64_t(7));

    auto loaded = model::loadBiLstm(dir);
    QCOMPARE(loaded->config().toJson(), m->config().toJson());
    auto lp = loaded->named_parameters();
    QCOMPARE(lp.size(), m->named_parameters().size());
    for (auto& p : m->named_parameters()) QVERIFY2(torch::equal(p.value(), lp[p.key()]), p.key().c_str());
    m->eval();
    loaded->eval();
    torch::NoGradGuard ng;
    auto [ids, mask] = paddedBatch({3, 7, 5}, 7, 50, 0);
    QVERIFY(torch::equal(m->forward(ids, mask), loaded->forward(ids, mask)));
    // Saving again over the same directory works (atomic replace).
    model::saveBiLstm(dir, loaded);
    auto again = model::loadBiLstm(dir);
    again->eval();
    QVERIFY(torch::equal(again->forward(ids, mask), m->forward(ids, mask)));
  }

  void loadErrors() {
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString();
    torch::manual_seed(6);
    model::BiLstmClassifier m(smallConfig());
    model::saveBiLstm(dir, m);
    const auto good = readWeights(dir);
    const std::string weights = (fs::path(dir) / "model.safetensors").string();
    auto kindOf = [&]() {
      try {
        model::loadBiLstm(dir);
      } catch (const Error& e) {
        return e.kind();
      }
      return ErrorKind::Runtime;
    };

    auto missing = good;
    missing.erase("lstm.bias_hh_l0_reverse");
    rewriteWeights(dir, missing);
    QString msg = test::thrownMessage([&] { model::loadBiLstm(dir); });
    QVERIFY2(msg.contains(QString::fromStdString(weights + ": missing tensors: lstm.bias_hh_l0_reverse")),
             qPrintable(msg));
    QCOMPARE(kindOf(), ErrorKind::Format);

    auto wrong = good;
    wrong["dense.weight"] = torch::zeros({9, 10});
    rewriteWeights(dir, wrong);
    msg = test::thrownMessage([&] { model::loadBiLstm(dir); });
    QVERIFY2(msg.contains(QStringLiteral("tensors of the wrong shape: dense.weight is [9, 10], "
                                         "config.json implies [9, 14]")),
             qPrintable(msg));
    QCOMPARE(kindOf(), ErrorKind::Shape);

    auto extra = good;
    extra["lstm.weight_ih_l1"] = torch::zeros({28, 14});
    rewriteWeights(dir, extra);
    msg = test::thrownMessage([&] { model::loadBiLstm(dir); });
    QVERIFY2(msg.contains(QStringLiteral("unexpected tensors (not part of this BiLSTM): lstm.weight_ih_l1")),
             qPrintable(msg));

    rewriteWeights(dir, good);
    QVERIFY(torch::equal(model::loadBiLstm(dir)->classifier->weight, m->classifier->weight));

    const std::string configPath = (fs::path(dir) / "config.json").string();
    auto j = m->config().toJson();
    j["hidden_size"] = "seven";
    util::writeFileAtomic(configPath, j.dump());
    msg = test::thrownMessage([&] { model::loadBiLstm(dir); });
    QVERIFY2(msg.contains(QString::fromStdString(configPath + ": \"hidden_size\" must be an integer")),
             qPrintable(msg));
    QCOMPARE(kindOf(), ErrorKind::Format);

    j = m->config().toJson();
    j.erase("model_type");
    util::writeFileAtomic(configPath, j.dump());
    QVERIFY(test::thrownMessage([&] { model::loadBiLstm(dir); })
                .contains(QStringLiteral("\"model_type\" is missing")));

    util::writeFileAtomic(configPath, "{ not json");
    QVERIFY(test::thrownMessage([&] { model::loadBiLstm(dir); }).contains(QStringLiteral("not valid JSON")));

    // A config that disagrees with the weights: every tensor named, with both shapes.
    j = m->config().toJson();
    j["hidden_size"] = 8;
    util::writeFileAtomic(configPath, j.dump());
    msg = test::thrownMessage([&] { model::loadBiLstm(dir); });
    QVERIFY2(msg.contains(QStringLiteral("lstm.weight_ih_l0 is [28, 12], config.json implies [32, 12]")),
             qPrintable(msg));

    fs::remove(configPath);
    QVERIFY(test::thrownMessage([&] { model::loadBiLstm(dir); }).contains(QStringLiteral("no config.json")));
    QVERIFY(test::thrownMessage([&] { model::loadBiLstm(dir + "/absent"); })
                .contains(QStringLiteral("not a directory")));
  }

  void initEmbeddings() {
    torch::manual_seed(7);
    auto c = smallConfig();
    model::BiLstmClassifier m(c);
    const auto vectors = torch::randn({c.vocabSize, c.embeddingDim});
    model::initEmbeddingsFrom(m, vectors);
    QVERIFY(torch::equal(m->embedding->weight, vectors));
    QVERIFY(m->embedding->weight.requires_grad());
    QVERIFY(test::thrownMessage([&] { model::initEmbeddingsFrom(m, torch::zeros({50, 11})); })
                .contains(QStringLiteral("word vectors must be [50, 12] (vocab_size, embedding_dim), "
                                         "found [50, 11]")));
  }

  void learnsFromTeacherLogits() {
    torch::manual_seed(8);
    torch::Tensor ids, mask, labels, testIds, testMask, testLabels;
    makeTask(200, ids, mask, labels);
    makeTask(200, testIds, testMask, testLabels);
    QVERIFY(labels.sum().item<int64_t>() > 60 && labels.sum().item<int64_t>() < 140);

    model::BiLstmConfig c;
    c.vocabSize = 20;
    c.embeddingDim = 16;
    c.hidden = 16;
    c.denseHidden = 16;
    c.numLabels = 2;
    c.dropout = 0.1;
    model::BiLstmClassifier m(c);
    auto accuracyOn = [&](const torch::Tensor& i, const torch::Tensor& k, const torch::Tensor& y) {
      torch::NoGradGuard ng;
      m->eval();
      return m->forward(i, k).argmax(1).eq(y).to(torch::kDouble).mean().item<double>();
    };
    const double before = accuracyOn(testIds, testMask, testLabels);
    QVERIFY2(before < 0.8, qPrintable(QString::number(before)));
    // Fixed teacher logits: +2 for the true class, -2 for the other.
    const auto teacher = torch::nn::functional::one_hot(labels, 2).to(torch::kFloat) * 4.0 - 2.0;
    torch::optim::Adam opt(m->parameters(), torch::optim::AdamOptions(2e-2));

    QElapsedTimer timer;
    timer.start();
    m->train();
    const int64_t steps = 80;  // full batch of 200 sequences
    for (int64_t step = 0; step < steps; ++step) {
      const auto loss = torch::mse_loss(m->forward(ids, mask), teacher);
      opt.zero_grad();
      loss.backward();
      opt.step();
    }
    const qint64 ms = timer.elapsed();
    const double accuracy = accuracyOn(testIds, testMask, testLabels);
    qInfo("BiLSTM learning test: %lld Adam steps in %lld ms, held-out accuracy %.3f -> %.3f",
          static_cast<long long>(steps), static_cast<long long>(ms), before, accuracy);
    QVERIFY2(accuracy >= 0.95, qPrintable(QString::number(accuracy)));
  }
};

QTEST_APPLESS_MAIN(TestBiLstm)
#include "test_bilstm.moc"
