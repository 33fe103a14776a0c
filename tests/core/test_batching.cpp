// Tests of encoding, collation, epoch batches and MLM masking (core/data/batching.h):
// ids against the WordPiece tokenizer itself, padding worked out by hand, permutation
// coverage and uniformity, and the statistics of BERT's 15% / 80-10-10 masking.

#include "core/data/batching.h"
#include "core/text/wordpiece.h"
#include "core/util/error.h"
#include "test_util.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <set>

using namespace retort;
using namespace retort::data;
using retort::test::fixture;
using retort::test::thrownMessage;

namespace {

const text::WordPieceTokenizer& tokenizer() {
  static const auto tok = text::WordPieceTokenizer::fromVocabFile(fixture("wordpiece/vocab.txt"));
  return *tok;
}

std::vector<int64_t> cat(std::initializer_list<std::vector<int64_t>> parts) {
  std::vector<int64_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<int64_t> values(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

ErrorKind kindOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::Runtime;
}

/// rows × (1 + tokens + 1) with random non-special ids (5 .. V-1), some [UNK]s, and every
/// third row shorter (so the batch has padding).
EncodedDataset randomDataset(int rows, int tokens, uint32_t seed) {
  std::mt19937 rng(seed);
  const int64_t vocab = tokenizer().vocabSize();
  const auto sp = tokenizer().specialTokens();
  EncodedDataset d;
  d.padId = sp.pad;
  for (int r = 0; r < rows; ++r) {
    EncodedExample ex;
    const int n = r % 3 == 2 ? tokens / 2 : tokens;
    ex.inputIds.push_back(sp.cls);
    for (int i = 0; i < n; ++i)
      ex.inputIds.push_back(i == 7 ? sp.unk : 5 + static_cast<int64_t>(rng() % uint32_t(vocab - 5)));
    ex.inputIds.push_back(sp.sep);
    ex.tokenTypeIds.assign(ex.inputIds.size(), 0);
    d.examples.push_back(std::move(ex));
  }
  return d;
}

}  // namespace

class TestBatching : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void encodeKnownSentence() {
    const auto& tok = tokenizer();
    const auto sp = tok.specialTokens();
    LabeledDataset data;
    data.labels = {"neg", "pos"};
    data.examples.resize(1);
    data.examples[0].text = "The quick brown fox jumped over the lazy dog.";
    data.examples[0].label = 1;
    const auto enc = encodeDataset(data, tok, 128);
    QCOMPARE(enc.examples.size(), size_t(1));
    QCOMPARE(enc.numLabels, int64_t(2));
    QCOMPARE(enc.padId, tok.tokenToId("[PAD]"));
    QCOMPARE(enc.examples[0].label, int64_t(1));
    // Against the tokenizer, and against the pieces spelled out.
    QCOMPARE(enc.examples[0].inputIds, cat({{sp.cls}, tok.tokenizeToIds(data.examples[0].text), {sp.sep}}));
    std::vector<int64_t> byHand;
    for (const char* piece : {"[CLS]", "the", "quick", "brown", "fox", "jump", "##ed", "over", "the", "lazy", "dog", ".", "[SEP]"})
      byHand.push_back(tok.tokenToId(piece));
    QCOMPARE(enc.examples[0].inputIds, byHand);
    QCOMPARE(enc.examples[0].tokenTypeIds, std::vector<int64_t>(13, 0));
    QVERIFY(std::find(byHand.begin(), byHand.end(), sp.unk) == byHand.end());
  }

  void truncation() {
    const auto& tok = tokenizer();
    const auto sp = tok.specialTokens();
    const std::string text = "The quick brown fox jumped over the lazy dog.";  // 11 pieces
    const auto full = tok.tokenizeToIds(text);
    const auto enc = encodeCorpus({text, "hello world"}, tok, 6);
    QCOMPARE(enc.numLabels, int64_t(0));
    QCOMPARE(enc.examples[0].inputIds, cat({{sp.cls}, {full.begin(), full.begin() + 4}, {sp.sep}}));
    QCOMPARE(enc.examples[0].label, int64_t(-1));
    QCOMPARE(enc.examples[1].inputIds.size(), size_t(4));  // short texts are not padded
    // maxLength 0: no limit.
    QCOMPARE(encodeCorpus({text}, tok, 0).examples[0].inputIds.size(), full.size() + 2);
    QCOMPARE(kindOf([&] { encodeCorpus({text}, tok, -1); }), ErrorKind::InvalidArgument);
    QCOMPARE(kindOf([&] { encodeCorpus({text}, tok, 1); }), ErrorKind::InvalidArgument);
  }

  void tokenClassificationFirstPieces() {
    const auto& tok = tokenizer();
    const auto sp = tok.specialTokens();
    LabeledDataset data;
    data.kind = "token_classification";
    data.labels = {"B-X", "I-X", "O"};
    Example ex;
    ex.words = {"The", "fox", "jumped", "unaffable", "dog."};
    ex.tags = {2, 0, 1, 2, 0};
    data.examples.push_back(ex);
    const auto enc = encodeDataset(data, tok, 0);
    QCOMPARE(enc.kind, std::string("token_classification"));
    QCOMPARE(enc.labelNames, data.labels);
    std::vector<int64_t> ids;
    for (const char* piece : {"[CLS]", "the", "fox", "jump", "##ed", "un", "##aff", "##able", "dog", ".", "[SEP]"})
      ids.push_back(tok.tokenToId(piece));
    QCOMPARE(enc.examples[0].inputIds, ids);
    // The tag on each word's first piece, -100 on later pieces ("##ed", "##aff", "##able", the
    // "." that the basic tokenizer splits off "dog.") and on the specials.
    QCOMPARE(enc.examples[0].tokenLabels, std::vector<int64_t>({-100, 2, 0, 1, -100, 2, -100, -100, 0, -100, -100}));
    QCOMPARE(enc.examples[0].wordTags, ex.tags);
    QCOMPARE(enc.examples[0].tokenTypeIds, std::vector<int64_t>(11, 0));

    // max_length 6: [CLS] the fox jump ##ed [SEP]; the word cut off keeps its gold tag in wordTags.
    const auto cut = encodeDataset(data, tok, 6);
    QCOMPARE(cut.examples[0].inputIds.size(), size_t(6));
    QCOMPARE(cut.examples[0].tokenLabels, std::vector<int64_t>({-100, 2, 0, 1, -100, -100}));
    QCOMPARE(cut.examples[0].inputIds.back(), sp.sep);
    QCOMPARE(cut.examples[0].wordTags.size(), size_t(5));
    QCOMPARE(kindOf([&] { encodeDataset(data, tok, 2); }), ErrorKind::InvalidArgument);

    // Collated: [B,S] int64 tags, -100 at padding too.
    Example shortEx;
    shortEx.words = {"dog"};
    shortEx.tags = {0};
    data.examples.push_back(shortEx);
    const auto both = encodeDataset(data, tok, 0);
    const auto batch = collate(both, {1, 0});
    QCOMPARE(batch.labels.sizes().vec(), std::vector<int64_t>({2, 11}));
    QCOMPARE(batch.labels.scalar_type(), torch::kLong);
    QCOMPARE(batch.labels[0].sum().item<int64_t>(), int64_t(-100 * 10 + 0));
    QCOMPARE(batch.labels[0][1].item<int64_t>(), int64_t(0));
    QCOMPARE(batch.labels[1].ne(-100).sum().item<int64_t>(), int64_t(5));
    QCOMPARE(batch.attentionMask[0].sum().item<int64_t>(), int64_t(3));

    auto broken = both;
    broken.examples[0].tokenLabels[1] = 7;
    QCOMPARE(kindOf([&] { collate(broken, {0}); }), ErrorKind::InvalidArgument);
  }

  void pairs() {
    const auto& tok = tokenizer();
    const auto sp = tok.specialTokens();
    LabeledDataset data;
    data.labels = {"0", "1"};
    data.examples.resize(2);
    data.examples[0].text = "The quick brown fox jumped over the lazy dog.";  // 11 pieces
    data.examples[0].pair = "hello world";                                      // 2 pieces
    data.examples[0].label = 0;
    data.examples[1].text = "first sentence";
    data.examples[1].pair = "second sentence pair";
    data.examples[1].label = 1;
    const auto a = tok.tokenizeToIds(data.examples[0].text), b = tok.tokenizeToIds(data.examples[0].pair);
    const auto c = tok.tokenizeToIds(data.examples[1].text), d = tok.tokenizeToIds(data.examples[1].pair);
    // maxLength 10 leaves 7 pieces: longest-first cuts the first text from 11 to 5.
    const auto enc = encodeDataset(data, tok, 10);
    QCOMPARE(enc.examples[0].inputIds, cat({{sp.cls}, {a.begin(), a.begin() + 5}, {sp.sep}, b, {sp.sep}}));
    QCOMPARE(enc.examples[0].tokenTypeIds, cat({std::vector<int64_t>(7, 0), std::vector<int64_t>(3, 1)}));
    QCOMPARE(enc.examples[1].inputIds, cat({{sp.cls}, c, {sp.sep}, d, {sp.sep}}));
    QCOMPARE(enc.examples[1].tokenTypeIds, cat({std::vector<int64_t>(c.size() + 2, 0), std::vector<int64_t>(d.size() + 1, 1)}));
    QCOMPARE(kindOf([&] { encodeDataset(data, tok, 2); }), ErrorKind::InvalidArgument);
  }

  void collatePadsByHand() {
    EncodedDataset d;
    d.padId = 0;
    d.numLabels = 2;
    d.examples = {{{2, 10, 11, 3}, {0, 0, 0, 0}, 1}, {{2, 12, 3, 13, 3}, {0, 0, 0, 1, 1}, 0}, {{2, 3}, {0, 0}, 1}};
    const Batch b = collate(d, {1, 0, 2});
    QCOMPARE(b.size(), int64_t(3));
    QCOMPARE(b.inputIds.scalar_type(), torch::kInt64);
    QCOMPARE(b.attentionMask.scalar_type(), torch::kInt64);
    QCOMPARE(b.inputIds.sizes().vec(), std::vector<int64_t>({3, 5}));
    QCOMPARE(values(b.inputIds), std::vector<int64_t>({2, 12, 3, 13, 3, 2, 10, 11, 3, 0, 2, 3, 0, 0, 0}));
    QCOMPARE(values(b.tokenTypeIds), std::vector<int64_t>({0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    QCOMPARE(values(b.attentionMask), std::vector<int64_t>({1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0}));
    QCOMPARE(values(b.labels), std::vector<int64_t>({0, 1, 1}));
    QCOMPARE(b.indices, std::vector<size_t>({1, 0, 2}));
    QVERIFY(!b.mlmLabels.defined());
    const auto in = b.inputs();
    QVERIFY(in.inputIds.equal(b.inputIds) && in.tokenTypeIds.equal(b.tokenTypeIds) && in.attentionMask.equal(b.attentionMask));
    const Batch moved = b.to(torch::kCPU);
    QVERIFY(moved.inputIds.equal(b.inputIds) && moved.labels.equal(b.labels));
    QCOMPARE(moved.indices, b.indices);
    QVERIFY(!moved.mlmLabels.defined());

    // A batch with only the shortest row has no padding; another pad id is used as given.
    d.padId = 7;
    QCOMPARE(values(collate(d, {2}).inputIds), std::vector<int64_t>({2, 3}));
    QCOMPARE(values(collate(d, {2, 0}).inputIds), std::vector<int64_t>({2, 3, 7, 7, 2, 10, 11, 3}));

    // Unlabeled data: no labels tensor.
    d.numLabels = 0;
    QVERIFY(!collate(d, {0}).labels.defined());
    d.numLabels = 2;
    QCOMPARE(kindOf([&] { collate(d, {}); }), ErrorKind::InvalidArgument);
    QCOMPARE(kindOf([&] { collate(d, {3}); }), ErrorKind::InvalidArgument);
    d.examples[0].label = -1;
    QCOMPARE(thrownMessage([&] { collate(d, {0}); }),
             QStringLiteral("collate: row 0 has label -1, outside the 2 classes"));
    QCOMPARE(Batch().size(), int64_t(0));
  }

  void epochBatchesCoverage() {
    const auto batches = epochBatches(103, 10, true, 42, 0);
    QCOMPARE(batches.size(), size_t(11));
    for (size_t i = 0; i + 1 < batches.size(); ++i) QCOMPARE(batches[i].size(), size_t(10));
    QCOMPARE(batches.back().size(), size_t(3));
    std::vector<int> seen(103, 0);
    for (const auto& b : batches)
      for (size_t i : b) ++seen[i];
    QVERIFY(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));

    QCOMPARE(epochBatches(103, 10, true, 42, 0), batches);  // deterministic
    QVERIFY(epochBatches(103, 10, true, 42, 1) != batches);  // another epoch
    QVERIFY(epochBatches(103, 10, true, 43, 0) != batches);  // another seed
    // Pinned: the permutation is part of the reproducibility contract across platforms.
    QCOMPARE(epochBatches(10, 10, true, 42, 0).front(), std::vector<size_t>({9, 6, 2, 0, 1, 4, 3, 8, 5, 7}));

    const auto ordered = epochBatches(7, 3, false, 42, 5);
    QCOMPARE(ordered, std::vector<std::vector<size_t>>({{0, 1, 2}, {3, 4, 5}, {6}}));
    QVERIFY(epochBatches(0, 4, true, 1, 0).empty());
    QCOMPARE(epochBatches(1, 4, true, 1, 0), std::vector<std::vector<size_t>>({{0}}));
    QCOMPARE(kindOf([] { epochBatches(5, 0, true, 1, 0); }), ErrorKind::InvalidArgument);
  }

  void epochBatchesUniform() {
    // Each of the 6 orders of 3 items should come up 1/6 of the time.
    const int epochs = 6000;
    std::map<std::vector<size_t>, int> counts;
    for (int e = 0; e < epochs; ++e) ++counts[epochBatches(3, 3, true, 7, e).front()];
    QCOMPARE(counts.size(), size_t(6));
    const double sd = std::sqrt(epochs * (1.0 / 6) * (5.0 / 6));
    for (const auto& [order, n] : counts)
      QVERIFY2(std::abs(n - epochs / 6.0) < 4 * sd, qPrintable(QString::number(n)));
  }

  void maskingStatistics() {
    const auto sp = tokenizer().specialTokens();
    const int64_t vocab = tokenizer().vocabSize();
    const EncodedDataset d = randomDataset(400, 64, 1);
    std::vector<size_t> all(d.examples.size());
    std::iota(all.begin(), all.end(), size_t{0});
    Batch batch = collate(d, all);
    const std::vector<int64_t> original = values(batch.inputIds);
    const std::vector<int64_t> attention = values(batch.attentionMask);
    const double p = 0.15;
    maskTokens(batch, sp, vocab, p, 2024);
    QCOMPARE(batch.mlmLabels.sizes(), batch.inputIds.sizes());
    QCOMPARE(batch.mlmLabels.scalar_type(), torch::kInt64);
    const std::vector<int64_t> ids = values(batch.inputIds), mlm = values(batch.mlmLabels);
    const std::set<int64_t> specials = {sp.cls, sp.sep, sp.pad, sp.mask, sp.unk};
    int64_t maskable = 0, selected = 0, toMask = 0, toRandom = 0, same = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      const bool special = attention[i] == 0 || specials.count(original[i]);
      if (special) {
        QCOMPARE(mlm[i], int64_t(-100));  // [CLS] [SEP] [PAD] [UNK] and padding never masked
        QCOMPARE(ids[i], original[i]);
        continue;
      }
      ++maskable;
      if (mlm[i] == -100) {
        QCOMPARE(ids[i], original[i]);
        continue;
      }
      ++selected;
      QCOMPARE(mlm[i], original[i]);  // the label is the original id
      if (ids[i] == sp.mask) ++toMask;
      else if (ids[i] == original[i]) ++same;
      else {
        ++toRandom;
        QVERIFY(ids[i] >= 0 && ids[i] < vocab && !specials.count(ids[i]));
      }
    }
    QVERIFY(maskable > 20000);
    const double frac = double(selected) / maskable;
    const double se = std::sqrt(p * (1 - p) / maskable);
    QVERIFY2(std::abs(frac - p) < 4 * se, qPrintable(QStringLiteral("selected %1").arg(frac)));
    // A random id equals the original with chance 1 / (V - 5 specials).
    const double pSame = 0.1 + 0.1 / double(vocab - 5);
    const double expect[3] = {0.8, 0.1 - 0.1 / double(vocab - 5), pSame};
    const int64_t got[3] = {toMask, toRandom, same};
    for (int k = 0; k < 3; ++k) {
      const double f = double(got[k]) / selected, s = std::sqrt(expect[k] * (1 - expect[k]) / selected);
      QVERIFY2(std::abs(f - expect[k]) < 4 * s, qPrintable(QStringLiteral("split %1: %2").arg(k).arg(f)));
    }
  }

  void maskingDeterministic() {
    const auto sp = tokenizer().specialTokens();
    const EncodedDataset d = randomDataset(16, 20, 3);
    std::vector<size_t> all(d.examples.size());
    std::iota(all.begin(), all.end(), size_t{0});
    Batch a = collate(d, all), b = collate(d, all), c = collate(d, all);
    maskTokens(a, sp, tokenizer().vocabSize(), 0.15, 11);
    maskTokens(b, sp, tokenizer().vocabSize(), 0.15, 11);
    maskTokens(c, sp, tokenizer().vocabSize(), 0.15, 12);
    QVERIFY(a.inputIds.equal(b.inputIds) && a.mlmLabels.equal(b.mlmLabels));
    QVERIFY(!a.mlmLabels.equal(c.mlmLabels));
    QVERIFY(a.attentionMask.equal(collate(d, all).attentionMask));  // untouched
  }

  void maskingAtLeastOne() {
    const auto sp = tokenizer().specialTokens();
    EncodedDataset d = randomDataset(50, 10, 5);
    d.examples.push_back({{sp.cls, sp.sep}, {0, 0}, -1});  // nothing maskable
    std::vector<size_t> all(d.examples.size());
    std::iota(all.begin(), all.end(), size_t{0});
    Batch batch = collate(d, all);
    maskTokens(batch, sp, tokenizer().vocabSize(), 0.0, 9);
    const auto selectedPerRow = batch.mlmLabels.ne(-100).sum(1);
    QVERIFY(selectedPerRow.slice(0, 0, 50).eq(1).all().item<bool>());
    QCOMPARE(selectedPerRow[50].item<int64_t>(), int64_t(0));

    // probability 1: every maskable token is selected.
    Batch full = collate(d, all);
    const auto original = full.inputIds.clone();
    maskTokens(full, sp, tokenizer().vocabSize(), 1.0, 9);
    const auto maskableMask = full.attentionMask.eq(1) & original.ne(sp.cls) & original.ne(sp.sep) & original.ne(sp.unk);
    QVERIFY(full.mlmLabels.ne(-100).equal(maskableMask));
  }

  void maskingErrors() {
    const auto sp = tokenizer().specialTokens();
    Batch batch = collate(randomDataset(2, 5, 1), {0, 1});
    const int64_t v = tokenizer().vocabSize();
    QCOMPARE(kindOf([&] { maskTokens(batch, sp, v, 1.5, 1); }), ErrorKind::InvalidArgument);
    QCOMPARE(kindOf([&] { maskTokens(batch, sp, v, std::nan(""), 1); }), ErrorKind::InvalidArgument);
    QCOMPARE(kindOf([&] { maskTokens(batch, sp, 0, 0.15, 1); }), ErrorKind::InvalidArgument);
    text::SpecialTokens noMask = sp;
    noMask.mask = -1;
    QCOMPARE(thrownMessage([&] { maskTokens(batch, noMask, v, 0.15, 1); }),
             QStringLiteral("maskTokens: the tokenizer has no [MASK] token"));
    QCOMPARE(kindOf([&] { maskTokens(batch, sp, 5, 0.15, 1); }), ErrorKind::Format);  // ids 0..4 all special
    Batch empty;
    QCOMPARE(kindOf([&] { maskTokens(empty, sp, v, 0.15, 1); }), ErrorKind::InvalidArgument);
  }
};

QTEST_APPLESS_MAIN(TestBatching)
#include "test_batching.moc"
