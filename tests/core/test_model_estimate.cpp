// core/eval/model_estimate against the models Retort builds: the estimated parameter count
// equals the number of distinct parameter values of model::BertModel and
// model::BiLstmClassifier for several shapes, and the FLOP figure equals a hand calculation.

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <set>

#include "core/eval/model_estimate.h"
#include "core/model/bert.h"
#include "core/model/bilstm.h"

using namespace retort;

namespace {

/// Distinct parameter values (a tied MLM decoder counts once).
int64_t countParameters(const torch::nn::Module& module) {
  std::set<const void*> seen;
  int64_t n = 0;
  for (const auto& p : module.parameters())
    if (seen.insert(p.data_ptr()).second) n += p.numel();
  return n;
}

}  // namespace

class TestModelEstimate : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void bertMatchesTheModel_data() {
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("ffn");
    QTest::addColumn<int>("vocab");
    QTest::addColumn<int>("labels");
    QTest::addColumn<bool>("mlm");
    QTest::newRow("tiny 3x16") << 3 << 16 << 4 << 24 << 50 << 3 << true;
    QTest::newRow("2x32, no MLM") << 2 << 32 << 2 << 64 << 120 << 2 << false;
    QTest::newRow("4x48") << 4 << 48 << 6 << 96 << 200 << 5 << true;
  }

  void bertMatchesTheModel() {
    QFETCH(int, layers);
    QFETCH(int, hidden);
    QFETCH(int, heads);
    QFETCH(int, ffn);
    QFETCH(int, vocab);
    QFETCH(int, labels);
    QFETCH(bool, mlm);
    model::BertConfig c;
    c.vocabSize = vocab;
    c.hiddenSize = hidden;
    c.numHiddenLayers = layers;
    c.numAttentionHeads = heads;
    c.intermediateSize = ffn;
    c.maxPositionEmbeddings = 40;
    c.labels.clear();
    for (int i = 0; i < labels; ++i) c.labels.push_back("L" + std::to_string(i));
    model::BertHeads h;
    h.mlm = mlm;
    model::BertModel m(c, h);

    eval::BertEstimateShape s;
    s.layers = layers;
    s.hidden = hidden;
    s.heads = heads;
    s.ffn = ffn;
    s.vocab = vocab;
    s.maxPositions = 40;
    s.labels = labels;
    s.mlmHead = mlm;
    const auto e = eval::estimateBert(s, 64);
    QCOMPARE(e.parameters, countParameters(*m));
    QCOMPARE(e.sizeMb, static_cast<double>(e.parameters) * 4 / 1e6);
  }

  void bertByHand() {
    // 2 layers, H 4, F 8, V 10, 6 positions, 2 types, 3 labels, pooler, no MLM head.
    eval::BertEstimateShape s;
    s.layers = 2;
    s.hidden = 4;
    s.heads = 2;
    s.ffn = 8;
    s.vocab = 10;
    s.maxPositions = 6;
    s.labels = 3;
    const auto e = eval::estimateBert(s, 5);
    const int64_t embeddings = (10 + 6 + 2) * 4 + 8;            // 80
    const int64_t layer = 4 * (16 + 4) + 8 + (32 + 8 + 32 + 4) + 8;  // 172
    QCOMPARE(e.parameters, embeddings + 2 * layer + (16 + 4) + (12 + 3));  // 459
    QCOMPARE(e.parameters, int64_t{459});
    // 2·2·(4·16 + 2·4·8) + 4·2·5·4 = 512 + 160
    QCOMPARE(e.flopsPerToken, 672.0);
  }

  void bilstmMatchesTheModel_data() {
    QTest::addColumn<int>("vocab");
    QTest::addColumn<int>("embedding");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("dense");
    QTest::addColumn<int>("labels");
    QTest::newRow("small") << 50 << 12 << 7 << 9 << 3;
    QTest::newRow("Tang et al. on a 1000-piece vocabulary") << 1000 << 300 << 150 << 200 << 2;
  }

  void bilstmMatchesTheModel() {
    QFETCH(int, vocab);
    QFETCH(int, embedding);
    QFETCH(int, hidden);
    QFETCH(int, dense);
    QFETCH(int, labels);
    model::BiLstmConfig c;
    c.vocabSize = vocab;
    c.embeddingDim = embedding;
    c.hidden = hidden;
    c.denseHidden = dense;
    c.numLabels = labels;
    model::BiLstmClassifier m(c);
    eval::BiLstmEstimateShape s;
    s.vocab = vocab;
    s.embeddingDim = embedding;
    s.hidden = hidden;
    s.denseHidden = dense;
    s.labels = labels;
    const auto e = eval::estimateBiLstm(s);
    QCOMPARE(e.parameters, countParameters(*m));
    QCOMPARE(e.parameters, m->parameterCount());
    QCOMPARE(e.flopsPerToken, 16.0 * hidden * (embedding + hidden));
  }

  void ratioOfZeroIsZero() {
    QCOMPARE(eval::ratio(10.0, 0.0), 0.0);
    QCOMPARE(eval::ratio(10.0, 4.0), 2.5);
  }
};

QTEST_MAIN(TestModelEstimate)
#include "test_model_estimate.moc"
