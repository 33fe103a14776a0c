// The student face (BertStudent, BiLstmStudent) and the one state-dict loader behind BERT and
// BiLSTM checkpoints: missing, wrongly shaped and unexpected tensors are named with the
// source, optional tensors are reported, and nothing is copied when loading fails.

#include <QtTest/QtTest>

#include <torch/torch.h>

#include "core/distill/student.h"
#include "core/io/state_dict.h"
#include "test_util.h"

using namespace retort;

namespace {

model::BertConfig bertConfig() {
  model::BertConfig c;
  c.vocabSize = 30;
  c.hiddenSize = 8;
  c.numHiddenLayers = 1;
  c.numAttentionHeads = 2;
  c.intermediateSize = 12;
  c.maxPositionEmbeddings = 16;
  c.labels = {"a", "b"};
  return c;
}

model::BiLstmConfig lstmConfig() {
  model::BiLstmConfig c;
  c.vocabSize = 30;
  c.embeddingDim = 6;
  c.hidden = 4;
  c.denseHidden = 5;
  c.numLabels = 2;
  return c;
}

/// Every parameter of a module as a tensor map (a state dict), deep-copied and shifted so
/// that loading it is visible.
std::map<std::string, torch::Tensor> stateOf(torch::nn::Module& m) {
  std::map<std::string, torch::Tensor> out;
  for (auto& p : m.named_parameters()) out[p.key()] = p.value().detach().clone() + 1.0;
  return out;
}

bool sameAs(torch::nn::Module& m, const std::map<std::string, torch::Tensor>& tensors) {
  for (auto& p : m.named_parameters())
    if (!torch::equal(p.value(), tensors.at(p.key()))) return false;
  return true;
}

}  // namespace

class TestStudent : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void studentFace() {
    torch::manual_seed(1);
    distill::BertStudent bert(model::BertModel(bertConfig(), model::BertHeads{}));
    distill::BiLstmStudent lstm{model::BiLstmClassifier(lstmConfig())};
    std::vector<distill::StudentModel*> both = {&bert, &lstm};
    QCOMPARE(QString::fromStdString(both[0]->kind()), QStringLiteral("bert"));
    QCOMPARE(QString::fromStdString(both[1]->kind()), QStringLiteral("bilstm"));
    QVERIFY(both[0]->isBert() && !both[1]->isBert());
    QCOMPARE(both[1]->asBert(), static_cast<model::BertModel*>(nullptr));
    QCOMPARE(test::thrownMessage([&] { both[1]->bert(); }), QStringLiteral("the bilstm student is not a BERT"));
    // BiLSTM: 30·6 + 2·(16·(6+4) + 32) + (8·5 + 5) + (5·2 + 2) = 180 + 384 + 45 + 12 = 621.
    QCOMPARE(lstm.parameterCount(), int64_t(621));
    QCOMPARE(bert.parameterCount(), bert.bert()->parameterCount());
    model::BertInputs in;
    in.inputIds = torch::tensor({{2, 7, 9, 3}, {2, 5, 3, 0}}, torch::kLong);
    in.attentionMask = torch::tensor({{1, 1, 1, 1}, {1, 1, 1, 0}}, torch::kLong);
    model::ForwardOptions o;
    for (auto* s : both) {
      s->setTraining(false);
      QVERIFY(!s->module().is_training());
      const auto out = s->forward(in, o);
      QCOMPARE(out.logits.sizes().vec(), (std::vector<int64_t>{2, 2}));
    }
  }

  void bertStateDictMessages() {
    torch::manual_seed(2);
    model::BertModel m(bertConfig(), model::BertHeads{});
    auto good = stateOf(*m);
    // Missing backbone tensor.
    auto missing = good;
    missing.erase("bert.encoder.layer.0.output.dense.bias");
    QCOMPARE(test::thrownMessage([&] { io::loadStateDict(*m, missing, "w.safetensors"); }),
             QStringLiteral("w.safetensors: missing tensors: bert.encoder.layer.0.output.dense.bias"));
    // Wrong shape, checked before missing ones; nothing copied.
    auto wrong = missing;
    wrong["bert.encoder.layer.0.intermediate.dense.weight"] = torch::zeros({11, 8});
    QCOMPARE(test::thrownMessage([&] { io::loadStateDict(*m, wrong, "w.safetensors"); }),
             QStringLiteral("w.safetensors: tensors of the wrong shape: bert.encoder.layer.0.intermediate.dense.weight "
                            "is [11, 8], config.json implies [12, 8]"));
    QVERIFY(!torch::equal(m->named_parameters()["bert.embeddings.word_embeddings.weight"],
                          good.at("bert.embeddings.word_embeddings.weight")));
    // Optional heads start fresh and are reported; extras are listed, not refused.
    auto headless = good;
    headless.erase("classifier.weight");
    headless.erase("classifier.bias");
    headless["cls.predictions.bias"] = torch::zeros({30});
    io::StateDictOptions o;
    o.optional = [](const std::string& n) { return n.rfind("bert.", 0) != 0; };
    const auto r = io::loadStateDict(*m, headless, "w.safetensors", o);
    QCOMPARE(r.initialized, (std::vector<std::string>{"classifier.weight", "classifier.bias"}));
    QCOMPARE(r.unexpected, (std::vector<std::string>{"cls.predictions.bias"}));
    QCOMPARE(r.loaded.size(), good.size() - 2);
    QVERIFY(torch::equal(m->named_parameters()["bert.pooler.dense.weight"], good.at("bert.pooler.dense.weight")));
    QVERIFY(!torch::equal(m->named_parameters()["classifier.bias"], good.at("classifier.bias")));
    // Everything present: an exact copy.
    io::loadStateDict(*m, good, "w.safetensors");
    QVERIFY(sameAs(*m, good));
  }

  void bilstmStateDictMessages() {
    torch::manual_seed(3);
    model::BiLstmClassifier m(lstmConfig());
    io::StateDictOptions o;
    o.refuseUnexpected = true;
    o.modelName = "BiLSTM";
    auto good = stateOf(*m);
    auto missing = good;
    missing.erase("lstm.bias_hh_l0_reverse");
    QCOMPARE(test::thrownMessage([&] { io::loadStateDict(*m, missing, "d/model.safetensors", o); }),
             QStringLiteral("d/model.safetensors: missing tensors: lstm.bias_hh_l0_reverse"));
    auto wrong = good;
    wrong["dense.weight"] = torch::zeros({5, 9});
    QCOMPARE(test::thrownMessage([&] { io::loadStateDict(*m, wrong, "d/model.safetensors", o); }),
             QStringLiteral("d/model.safetensors: tensors of the wrong shape: dense.weight is [5, 9], "
                            "config.json implies [5, 8]"));
    auto extra = good;
    extra["lstm.weight_ih_l1"] = torch::zeros({16, 8});
    QCOMPARE(test::thrownMessage([&] { io::loadStateDict(*m, extra, "d/model.safetensors", o); }),
             QStringLiteral("d/model.safetensors: unexpected tensors (not part of this BiLSTM): lstm.weight_ih_l1"));
    QVERIFY(!sameAs(*m, good));  // nothing copied by the failed loads
    const auto r = io::loadStateDict(*m, good, "d/model.safetensors", o);
    QVERIFY(r.initialized.empty() && r.unexpected.empty());
    QVERIFY(sameAs(*m, good));
  }
};

QTEST_APPLESS_MAIN(TestStudent)
#include "test_student.moc"
