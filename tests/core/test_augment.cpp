// Data augmentation: TinyBERT (MLM / embedding / GloVe candidates) and Tang et al.
// Candidates are checked against independent computations (a direct masked forward pass,
// brute-force cosine neighbours); replacement rates against p within four standard errors.

#include "core/augment/augment.h"
#include "core/model/bert.h"
#include "core/model/bert_config.h"
#include "core/text/wordpiece.h"
#include "core/util/error.h"
#include "test_util.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <set>

using namespace retort;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string tinyBertDir() { return std::string(RETORT_FIXTURES_DIR) + "/../../resources/models/tiny-bert"; }

data::LabeledDataset dataset(const std::vector<std::string>& texts) {
  data::LabeledDataset d;
  d.labels = {"a", "b"};
  int64_t line = 2;
  for (const auto& t : texts) d.examples.push_back({t, "", line % 2, line++});
  return d;
}

bool within(double observed, double p, double n, double sigmas = 4.0) {
  return std::abs(observed - p) <= sigmas * std::sqrt(p * (1 - p) / n);
}

}  // namespace

class TestAugment : public QObject {
  Q_OBJECT

  std::unique_ptr<text::Tokenizer> m_tokenizer;
  model::BertConfig m_config;

 private Q_SLOTS:
  void initTestCase() {
    m_tokenizer = text::WordPieceTokenizer::fromVocabFile(tinyBertDir() + "/vocab.txt");
    m_config = model::BertConfig::load(tinyBertDir() + "/config.json");
  }

  void splitWords() {
    const auto w = augment::splitWords("Hello, world!  It's 3pm.");
    const std::vector<std::string> expected = {"Hello", ",", "world", "!", "It", "'", "s", "3pm", "."};
    QCOMPARE(w.size(), expected.size());
    for (size_t i = 0; i < w.size(); ++i) QCOMPARE(q(w[i]), q(expected[i]));
    QVERIFY(augment::replaceable("3pm"));
    QVERIFY(!augment::replaceable(","));
  }

  void tangRatesAndDeterminism() {
    std::vector<std::string> texts;
    for (int i = 0; i < 40; ++i)
      texts.push_back("the teacher trains a small student on text number " + std::to_string(i) +
                      " , and the student learns fast");
    const auto in = dataset(texts);
    augment::TangOptions o;
    o.ngramProbability = 0;
    o.passes = 20;
    augment::AugmentStats stats;
    const auto out = augment::augmentTang(in, "[MASK]", o, 7, &stats);
    // Originals first, unchanged and in order; labels kept.
    for (size_t i = 0; i < in.examples.size(); ++i) QCOMPARE(q(out.examples[i].text), q(in.examples[i].text));
    QCOMPARE(stats.originals, int64_t(40));
    QCOMPARE(static_cast<int64_t>(out.examples.size()), stats.originals + stats.added);
    // Each pass looks at every replaceable word: 40 texts x 20 passes x 15 words.
    QCOMPARE(stats.wordsConsidered, int64_t(40 * 20 * 15));
    const double rate = double(stats.wordsReplaced) / double(stats.wordsConsidered);
    QVERIFY2(within(rate, 0.2, double(stats.wordsConsidered)), qPrintable(QString::number(rate)));
    // Replacements come from the dataset's own words (or are the mask); no duplicates.
    std::set<std::string> vocabulary{"[MASK]"}, seen;
    for (const auto& t : texts)
      for (const auto& w : augment::splitWords(t)) vocabulary.insert(w);
    int64_t masks = 0, words = 0;
    for (size_t i = in.examples.size(); i < out.examples.size(); ++i) {
      seen.insert(out.examples[i].text);
      for (const auto& w : augment::splitWords(out.examples[i].text)) {
        QVERIFY2(vocabulary.count(w) || w == "MASK" || w == "[" || w == "]", w.c_str());
        ++words;
      }
      // "[MASK]" splits into "[", "MASK", "]" under splitWords; count the masks directly.
      for (size_t at = out.examples[i].text.find("[MASK]"); at != std::string::npos;
           at = out.examples[i].text.find("[MASK]", at + 1))
        ++masks;
    }
    QVERIFY(masks > 0 && words > 0);
    QVERIFY(seen.size() > out.examples.size() / 2);  // copies of one example are distinct; a few collide across examples
    // Same seed, same output; another seed, another output.
    const auto again = augment::augmentTang(in, "[MASK]", o, 7);
    QCOMPARE(again.examples.size(), out.examples.size());
    for (size_t i = 0; i < out.examples.size(); ++i) QCOMPARE(q(again.examples[i].text), q(out.examples[i].text));
    const auto other = augment::augmentTang(in, "[MASK]", o, 8);
    bool differs = other.examples.size() != out.examples.size();
    for (size_t i = in.examples.size(); !differs && i < out.examples.size(); ++i)
      differs = other.examples[i].text != out.examples[i].text;
    QVERIFY(differs);
  }

  void tangNgrams() {
    augment::TangOptions o;
    o.maskProbability = o.replaceProbability = 0;
    o.ngramProbability = 1.0;
    o.maxNgram = 2;
    o.passes = 30;
    const auto in = dataset({"one two three four five six seven eight"});
    const auto out = augment::augmentTang(in, "[MASK]", o, 1);
    QVERIFY(out.examples.size() > 1);
    const std::string original = in.examples[0].text;
    for (size_t i = 1; i < out.examples.size(); ++i) {
      const auto w = augment::splitWords(out.examples[i].text);
      QVERIFY(w.size() >= 1 && w.size() <= 2);
      QVERIFY2(original.find(out.examples[i].text) != std::string::npos, out.examples[i].text.c_str());
    }
  }

  void tinyBertMlmCandidatesMatchAMaskedForwardPass() {
    torch::manual_seed(3);
    model::BertModel teacher(m_config, model::BertHeads{true, true, true});
    augment::TinyBertOptions o;
    o.candidates = 5;
    augment::TeacherCandidates source(teacher, *m_tokenizer, nullptr, o);
    QVERIFY(source.usesMlm());
    const std::vector<std::string> words = {"the", "teacher", "distils", "knowledge", "."};
    const auto lists = source.candidates(words);
    QCOMPARE(lists.size(), words.size());
    QVERIFY(lists[4].words.empty());  // punctuation is never replaced
    // "distils" is one piece in this vocabulary, "knowledge" too; check word 1 ("teacher").
    for (size_t w : {size_t(0), size_t(1), size_t(3)}) {
      QCOMPARE(q(lists[w].source), QStringLiteral("mlm"));
      // Independent: encode the sentence with the word replaced by [MASK], forward, rank.
      std::vector<std::string> masked = words;
      masked[w] = "[MASK]";
      std::string text;
      for (const auto& x : masked) text += (text.empty() ? "" : " ") + x;
      const auto enc = m_tokenizer->encode(text);
      const auto n = static_cast<int64_t>(enc.input_ids.size());
      model::BertInputs in;
      in.inputIds = torch::tensor(enc.input_ids, torch::kLong).view({1, n});
      model::ForwardOptions fo;
      fo.logits = fo.pooled = false;
      fo.mlmLogits = true;
      teacher->eval();
      torch::NoGradGuard ng;
      const auto logits = teacher->forward(in, fo).mlmLogits[0][static_cast<int64_t>(w) + 1];
      const auto order = std::get<1>(logits.sort(0, true));
      std::vector<std::string> expected;
      for (int64_t i = 0; i < order.size(0) && expected.size() < 5; ++i) {
        const std::string tok = m_tokenizer->idToToken(order[i].item<int64_t>());
        if (tok.rfind("##", 0) == 0 || tok.front() == '[' || !augment::replaceable(tok) || tok == words[w]) continue;
        expected.push_back(tok);
      }
      QCOMPARE(lists[w].words.size(), expected.size());
      for (size_t i = 0; i < expected.size(); ++i) QCOMPARE(q(lists[w].words[i]), q(expected[i]));
    }
  }

  void tinyBertEmbeddingNeighboursForWordsOfSeveralPieces() {
    torch::manual_seed(4);
    model::BertModel teacher(m_config, model::BertHeads{true, true, true});
    augment::TinyBertOptions o;
    o.candidates = 4;
    augment::TeacherCandidates source(teacher, *m_tokenizer, nullptr, o);
    const std::string word = "teachers";  // "teacher" + "##s": two pieces
    const auto pieces = m_tokenizer->tokenizeToIds(word);
    QCOMPARE(pieces.size(), size_t(2));
    const auto lists = source.candidates({"a", word, "here"});
    QCOMPARE(q(lists[1].source), QStringLiteral("embedding"));
    // Brute force in double: mean of the pieces' embeddings, cosine against whole words.
    const auto E = teacher->bert->embeddings->word_embeddings->weight.detach().to(torch::kDouble);
    const auto v = (E[pieces[0]] + E[pieces[1]]) / 2.0;
    std::vector<std::pair<double, std::string>> scored;
    for (int64_t id = 5; id < E.size(0); ++id) {
      const std::string tok = m_tokenizer->idToToken(id);
      if (tok.rfind("##", 0) == 0 || !augment::replaceable(tok) || tok == word) continue;
      const double cos = (E[id] * v).sum().item<double>() / (E[id].norm().item<double>() * v.norm().item<double>());
      scored.push_back({-cos, tok});
    }
    std::sort(scored.begin(), scored.end());
    QCOMPARE(lists[1].words.size(), size_t(4));
    for (size_t i = 0; i < 4; ++i) QCOMPARE(q(lists[1].words[i]), q(scored[i].second));
    // Without an MLM head every word takes embedding neighbours.
    model::BertModel plain(m_config, model::BertHeads{true, true, false});
    augment::TeacherCandidates noMlm(plain, *m_tokenizer, nullptr, o);
    QVERIFY(!noMlm.usesMlm());
    for (const auto& l : noMlm.candidates({"the", "teacher", "teachers"})) QCOMPARE(q(l.source), QStringLiteral("embedding"));
  }

  void tinyBertGloveCandidates() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("glove.txt")).toStdString();
    {
      std::ofstream f(path);
      f << "teachers 1 0\nmentors 0.9 0.1\ntutors 0.8 0.3\nbananas -1 0\napples -0.9 -0.2\n";
    }
    const auto glove = augment::GloveVectors::load(path);
    QCOMPARE(glove.size(), int64_t(5));
    const auto n = glove.neighbours("Teachers", 2);  // looked up lower-cased as a fallback
    QCOMPARE(n.size(), size_t(2));
    QCOMPARE(q(n[0]), QStringLiteral("mentors"));
    QCOMPARE(q(n[1]), QStringLiteral("tutors"));
    torch::manual_seed(5);
    model::BertModel teacher(m_config, model::BertHeads{true, true, true});
    augment::TinyBertOptions o;
    o.candidates = 3;
    augment::TeacherCandidates source(teacher, *m_tokenizer, &glove, o);
    const auto lists = source.candidates({"the", "teachers", "learn"});
    QCOMPARE(q(lists[1].source), QStringLiteral("glove"));
    QCOMPARE(lists[1].words.size(), size_t(3));
    QCOMPARE(q(lists[1].words[0]), QStringLiteral("mentors"));
    QCOMPARE(q(lists[0].source), QStringLiteral("mlm"));  // single-piece words still use the MLM head
    // Malformed files name the line.
    {
      std::ofstream f(path);
      f << "good 1 2\nbad 1 x\n";
    }
    QCOMPARE(test::thrownMessage([&] { augment::GloveVectors::load(path); }),
             q(path + ":2: \"x\" is not a number"));
    {
      std::ofstream f(path);
      f << "good 1 2\nshort 1\n";
    }
    QCOMPARE(test::thrownMessage([&] { augment::GloveVectors::load(path); }),
             q(path + ":2: 1 values, the first vector has 2"));
  }

  void tinyBertRateAndDeterminism() {
    torch::manual_seed(6);
    model::BertModel teacher(m_config, model::BertHeads{true, true, true});
    augment::TinyBertOptions o;
    o.copies = 20;
    o.maskEvery = 3;
    augment::TeacherCandidates source(teacher, *m_tokenizer, nullptr, o);
    std::vector<std::string> texts;
    for (int i = 0; i < 12; ++i) texts.push_back("the small student learns from the large teacher model , and it is fast");
    const auto in = dataset(texts);
    augment::AugmentStats stats;
    const auto out = augment::augmentTinyBert(in, source, o, 99, &stats);
    QCOMPARE(out.examples.size(), size_t(12 * 21));
    QCOMPARE(stats.added, int64_t(12 * 20));
    for (size_t i = 12; i < out.examples.size(); ++i) QCOMPARE(out.examples[i].label, in.examples[(i - 12) / 20].label);
    QVERIFY(stats.wordsConsidered >= 12 * 20 * 13);
    const double rate = double(stats.wordsReplaced) / double(stats.wordsConsidered);
    QVERIFY2(within(rate, 0.4, double(stats.wordsConsidered)), qPrintable(QString::number(rate)));
    // Observed from the texts: the share of word positions that differ from the original.
    int64_t differ = 0, total = 0;
    const auto original = augment::splitWords(texts[0]);
    for (size_t i = 12; i < out.examples.size(); ++i) {
      const auto w = augment::splitWords(out.examples[i].text);
      QCOMPARE(w.size(), original.size());
      for (size_t j = 0; j < w.size(); ++j) {
        if (!augment::replaceable(original[j])) continue;
        ++total;
        differ += w[j] != original[j];
      }
    }
    QVERIFY2(within(double(differ) / double(total), 0.4, double(total)), qPrintable(QString::number(differ)));
    const auto again = augment::augmentTinyBert(in, source, o, 99);
    for (size_t i = 0; i < out.examples.size(); ++i) QCOMPARE(q(again.examples[i].text), q(out.examples[i].text));
  }
};

QTEST_APPLESS_MAIN(TestAugment)
#include "test_augment.moc"
