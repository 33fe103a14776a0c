// The distillation losses against hand computations (plain loops over std::vector<double>,
// written independently of the implementation), their gradients against central finite
// differences, and their error messages.

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <vector>

#include "core/distill/losses.h"
#include "core/util/error.h"
#include "test_util.h"

using namespace retort;
using namespace retort::distill;
using Vec = std::vector<double>;

namespace {

constexpr double kTol = 1e-6;

/// Deterministic, irregular values in about [-1.6, 1.6].
Vec gen(int64_t n, double seed) {
  Vec v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[i] = 1.5 * std::sin(0.9 * i + seed) + 0.1 * std::cos(2.3 * i * seed + 1.0);
  return v;
}

torch::Tensor tensorOf(const Vec& v, std::vector<int64_t> shape) {
  return torch::tensor(v, torch::kDouble).reshape(shape).clone();
}

double value(const torch::Tensor& t) { return t.item<double>(); }

/// log softmax of row r (length c) of x divided by T.
Vec logSoftmaxRow(const Vec& x, size_t r, size_t c, double T) {
  double m = -1e300;
  for (size_t j = 0; j < c; ++j) m = std::max(m, x[r * c + j] / T);
  double sum = 0;
  for (size_t j = 0; j < c; ++j) sum += std::exp(x[r * c + j] / T - m);
  Vec out(c);
  for (size_t j = 0; j < c; ++j) out[j] = x[r * c + j] / T - m - std::log(sum);
  return out;
}

double handKl(const Vec& s, const Vec& t, size_t B, size_t C, double T) {
  double total = 0;
  for (size_t b = 0; b < B; ++b) {
    const Vec ls = logSoftmaxRow(s, b, C, T), lt = logSoftmaxRow(t, b, C, T);
    for (size_t j = 0; j < C; ++j) total += std::exp(lt[j]) * (lt[j] - ls[j]);
  }
  return total / B;  // batchmean, without T²
}

double handSoftCe(const Vec& s, const Vec& t, size_t B, size_t C, double T) {
  double total = 0;
  for (size_t b = 0; b < B; ++b) {
    const Vec ls = logSoftmaxRow(s, b, C, T), lt = logSoftmaxRow(t, b, C, T);
    for (size_t j = 0; j < C; ++j) total += -std::exp(lt[j]) * ls[j];
  }
  return total / (B * C);
}

/// Mean CE over rows whose label is not -100.
double handCe(const Vec& x, const std::vector<int64_t>& labels, size_t C) {
  double total = 0;
  int count = 0;
  for (size_t r = 0; r < labels.size(); ++r) {
    if (labels[r] == -100) continue;
    total += -logSoftmaxRow(x, r, C, 1.0)[static_cast<size_t>(labels[r])];
    ++count;
  }
  return total / count;
}

double handMse(const Vec& a, const Vec& b) {
  double total = 0;
  for (size_t i = 0; i < a.size(); ++i) total += (a[i] - b[i]) * (a[i] - b[i]);
  return total / a.size();
}

double handCosine(const Vec& s, const Vec& t, const std::vector<int64_t>& mask, size_t H) {
  double total = 0;
  int count = 0;
  for (size_t p = 0; p < mask.size(); ++p) {
    if (!mask[p]) continue;
    double dot = 0, ns = 0, nt = 0;
    for (size_t k = 0; k < H; ++k) {
      dot += s[p * H + k] * t[p * H + k];
      ns += s[p * H + k] * s[p * H + k];
      nt += t[p * H + k] * t[p * H + k];
    }
    total += 1.0 - dot / (std::sqrt(ns) * std::sqrt(nt));
    ++count;
  }
  return total / count;
}

/// Teacher [B,At,S,S] averaged into [B,As,S,S] over consecutive groups of At/As heads.
Vec handAverageHeads(const Vec& t, size_t B, size_t At, size_t As, size_t S) {
  const size_t k = At / As;
  Vec out(B * As * S * S, 0.0);
  for (size_t b = 0; b < B; ++b)
    for (size_t h = 0; h < As; ++h)
      for (size_t g = 0; g < k; ++g)
        for (size_t e = 0; e < S * S; ++e)
          out[(b * As + h) * S * S + e] += t[(b * At + h * k + g) * S * S + e] / k;
  return out;
}

/// MSE over [B,A,S,S] after zeroing entries whose query or key is padding.
double handAttention(const Vec& s, const Vec& t, const std::vector<int64_t>& mask, size_t B, size_t A,
                     size_t S) {
  double total = 0;
  for (size_t b = 0; b < B; ++b)
    for (size_t h = 0; h < A; ++h)
      for (size_t i = 0; i < S; ++i)
        for (size_t j = 0; j < S; ++j) {
          const size_t idx = ((b * A + h) * S + i) * S + j;
          const bool keep = mask[b * S + i] && mask[b * S + j];
          const double d = keep ? s[idx] - t[idx] : 0.0;
          total += d * d;
        }
  return total / (B * A * S * S);
}

/// MSE(s·Wᵀ + bias, t) with s [P,Hs], W [Ht,Hs], t [P,Ht].
double handHidden(const Vec& s, const Vec& W, const Vec& bias, const Vec& t, size_t Hs, size_t Ht) {
  const size_t P = s.size() / Hs;
  Vec y(P * Ht);
  for (size_t p = 0; p < P; ++p)
    for (size_t o = 0; o < Ht; ++o) {
      double acc = bias[o];
      for (size_t k = 0; k < Hs; ++k) acc += W[o * Hs + k] * s[p * Hs + k];
      y[p * Ht + o] = acc;
    }
  return handMse(y, t);
}

/// max |autograd − central difference| / max |central difference| for the gradient of
/// f at x (double). Asserts that the gradient is not trivially zero.
double gradError(const std::function<torch::Tensor(const torch::Tensor&)>& f, const torch::Tensor& x0) {
  auto x = x0.detach().clone().set_requires_grad(true);
  f(x).backward();
  const auto analytic = x.grad().clone();
  torch::NoGradGuard noGrad;
  auto probe = x0.detach().clone().contiguous();
  auto numeric = torch::zeros_like(probe);
  double* p = probe.data_ptr<double>();
  double* n = numeric.data_ptr<double>();
  const double h = 1e-5;
  for (int64_t i = 0; i < probe.numel(); ++i) {
    const double orig = p[i];
    p[i] = orig + h;
    const double up = value(f(probe));
    p[i] = orig - h;
    const double down = value(f(probe));
    p[i] = orig;
    n[i] = (up - down) / (2 * h);
  }
  const double scale = numeric.abs().max().item<double>();
  if (scale < 1e-8) return 1.0;  // a zero gradient proves nothing: fail
  return (analytic - numeric).abs().max().item<double>() / scale;
}

const Vec kStudentLogits = {0.3, -1.2, 2.0, 1.1, 0.4, -0.7};
const Vec kTeacherLogits = {1.5, 0.2, -0.3, -0.5, 2.2, 0.9};
const std::vector<int64_t> kMask = {1, 1, 1, 1, 1, 0};  // B=2, S=3: the last key of batch 1 is padding

torch::Tensor sLogits() { return tensorOf(kStudentLogits, {2, 3}); }
torch::Tensor tLogits() { return tensorOf(kTeacherLogits, {2, 3}); }
torch::Tensor maskTensor() { return torch::tensor(kMask, torch::kLong).reshape({2, 3}); }

torch::nn::Linear projectionOf(const Vec& W, const Vec& bias, int64_t hs, int64_t ht) {
  torch::nn::Linear proj(hs, ht);
  proj->to(torch::kDouble);
  torch::NoGradGuard noGrad;
  proj->weight.copy_(tensorOf(W, {ht, hs}));
  proj->bias.copy_(tensorOf(bias, {ht}));
  return proj;
}

void expectError(const std::function<void()>& fn, ErrorKind kind, const QString& text) {
  try {
    fn();
    QFAIL("no exception");
  } catch (const Error& e) {
    const QString msg = QString::fromUtf8(e.what());
    QVERIFY2(msg.contains(text), qPrintable(msg));
    QCOMPARE(e.kind(), kind);
  }
}

}  // namespace

class TestLosses : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void softTargetKlMatchesHand() {
    const double hand = 4.0 * handKl(kStudentLogits, kTeacherLogits, 2, 3, 2.0);
    QVERIFY(std::abs(value(softTargetKl(sLogits(), tLogits(), 2.0)) - hand) < kTol);
  }

  void softTargetKlZeroOnlyWhenEqual() {
    QVERIFY(std::abs(value(softTargetKl(tLogits(), tLogits(), 2.0))) < 1e-12);
    // Shifting a row by a constant leaves its softmax unchanged.
    QVERIFY(std::abs(value(softTargetKl(tLogits() + 3.0, tLogits(), 1.0))) < 1e-12);
    QVERIFY(value(softTargetKl(sLogits(), tLogits(), 2.0)) > 1e-3);
    QVERIFY(value(softTargetKl(sLogits(), tLogits(), 1.0)) > 1e-3);
  }

  void softTargetKlScalesWithTSquared_data() {
    QTest::addColumn<double>("T");
    QTest::newRow("T=1") << 1.0;
    QTest::newRow("T=2") << 2.0;
    QTest::newRow("T=4") << 4.0;
    QTest::newRow("T=0.5") << 0.5;
  }

  void softTargetKlScalesWithTSquared() {
    QFETCH(double, T);
    const double loss = value(softTargetKl(sLogits(), tLogits(), T));
    const double kl = handKl(kStudentLogits, kTeacherLogits, 2, 3, T);
    QVERIFY(std::abs(loss - T * T * kl) < kTol);
    // And against LibTorch's own KL divergence, summed and divided by the batch.
    const auto ref = torch::kl_div(torch::log_softmax(sLogits() / T, 1), torch::log_softmax(tLogits() / T, 1),
                                   at::Reduction::Sum, /*log_target=*/true) / 2.0 * (T * T);
    QVERIFY(std::abs(loss - value(ref)) < kTol);
  }

  void softTargetCeMatchesHand() {
    for (double T : {1.0, 2.0}) {
      const double hand = handSoftCe(kStudentLogits, kTeacherLogits, 2, 3, T);
      QVERIFY(std::abs(value(softTargetCe(sLogits(), tLogits(), T)) - hand) < kTol);
    }
  }

  void hardLabelCeMatchesHand() {
    const std::vector<int64_t> labels = {2, 0};
    const double hand = handCe(kStudentLogits, labels, 3);
    QVERIFY(std::abs(value(hardLabelCe(sLogits(), torch::tensor(labels, torch::kLong))) - hand) < kTol);
  }

  void logitMseMatchesHand() {
    QVERIFY(std::abs(value(logitMse(sLogits(), tLogits())) - handMse(kStudentLogits, kTeacherLogits)) < kTol);
  }

  void cosineHiddenMatchesHand() {
    const Vec s = gen(24, 0.3), t = gen(24, 1.9);
    const auto loss = cosineHidden(tensorOf(s, {2, 3, 4}), tensorOf(t, {2, 3, 4}), maskTensor());
    QVERIFY(std::abs(value(loss) - handCosine(s, t, kMask, 4)) < kTol);
    const auto noMask = cosineHidden(tensorOf(s, {2, 3, 4}), tensorOf(t, {2, 3, 4}), torch::Tensor());
    QVERIFY(std::abs(value(noMask) - handCosine(s, t, {1, 1, 1, 1, 1, 1}, 4)) < kTol);
    QVERIFY(std::abs(value(cosineHidden(tensorOf(s, {2, 3, 4}), 2.5 * tensorOf(s, {2, 3, 4}),
                                        maskTensor().to(torch::kBool)))) < 1e-12);
  }

  void mlmLossMatchesHand() {
    const Vec logits = gen(20, 0.7);
    const std::vector<int64_t> labels = {2, -100, 0, 4};
    const double hand = handCe(logits, labels, 5);
    const auto flat = mlmLoss(tensorOf(logits, {4, 5}), torch::tensor(labels, torch::kLong));
    QVERIFY(std::abs(value(flat) - hand) < kTol);
    const auto batched = mlmLoss(tensorOf(logits, {2, 2, 5}), torch::tensor(labels, torch::kLong).reshape({2, 2}));
    QVERIFY(std::abs(value(batched) - hand) < kTol);
  }

  void mlmLossAllIgnoredIsZero() {
    auto logits = tensorOf(gen(10, 0.2), {2, 5}).set_requires_grad(true);
    const auto loss = mlmLoss(logits, torch::full({2}, -100, torch::kLong));
    QCOMPARE(value(loss), 0.0);
    loss.backward();
    QCOMPARE(logits.grad().abs().sum().item<double>(), 0.0);
  }

  void attentionMseMatchesHand() {
    const Vec s = gen(36, 0.4), t = gen(36, 2.6);  // [2,2,3,3]
    const auto loss = attentionMse(tensorOf(s, {2, 2, 3, 3}), tensorOf(t, {2, 2, 3, 3}), maskTensor(),
                                   HeadMismatch::Refuse);
    QVERIFY(std::abs(value(loss) - handAttention(s, t, kMask, 2, 2, 3)) < kTol);
    // The padded entries are ignored: changing them changes nothing.
    auto s2 = tensorOf(s, {2, 2, 3, 3});
    s2.index_put_({1, torch::indexing::Slice(), torch::indexing::Slice(), 2}, 100.0);
    s2.index_put_({1, torch::indexing::Slice(), 2, torch::indexing::Slice()}, -100.0);
    QVERIFY(std::abs(value(attentionMse(s2, tensorOf(t, {2, 2, 3, 3}), maskTensor(), HeadMismatch::Refuse)) -
                     value(loss)) < 1e-12);
    // Without a mask, a plain MSE.
    QVERIFY(std::abs(value(attentionMse(tensorOf(s, {2, 2, 3, 3}), tensorOf(t, {2, 2, 3, 3}), torch::Tensor(),
                                        HeadMismatch::Refuse)) - handMse(s, t)) < kTol);
  }

  void attentionMseAveragesHeads() {
    const Vec s = gen(36, 0.8), t = gen(72, 3.1);  // student [2,2,3,3], teacher [2,4,3,3]
    const Vec avg = handAverageHeads(t, 2, 4, 2, 3);
    QCOMPARE(avg[0], (t[0] + t[9]) / 2);           // head 0 = mean of teacher heads 0 and 1
    QCOMPARE(avg[9 + 4], (t[18 + 4] + t[27 + 4]) / 2);  // head 1 = mean of teacher heads 2 and 3
    const auto loss = attentionMse(tensorOf(s, {2, 2, 3, 3}), tensorOf(t, {2, 4, 3, 3}), maskTensor(),
                                   HeadMismatch::Average);
    QVERIFY(std::abs(value(loss) - handAttention(s, avg, kMask, 2, 2, 3)) < kTol);
  }

  void hiddenMseMatchesHand() {
    const Vec s = gen(24, 0.5), t = gen(30, 1.3), W = gen(20, 2.2), bias = gen(5, 4.4);
    const auto proj = projectionOf(W, bias, 4, 5);
    const auto loss = hiddenMse(tensorOf(s, {2, 3, 4}), tensorOf(t, {2, 3, 5}), proj);
    QVERIFY(std::abs(value(loss) - handHidden(s, W, bias, t, 4, 5)) < kTol);
    // Null projection = identity (the embedding loss with equal sizes).
    const Vec t4 = gen(24, 1.1);
    const auto identity = hiddenMse(tensorOf(s, {2, 3, 4}), tensorOf(t4, {2, 3, 4}), torch::nn::Linear(nullptr));
    QVERIFY(std::abs(value(identity) - handMse(s, t4)) < kTol);
  }

  void gradientsMatchFiniteDifferences_data() {
    QTest::addColumn<QString>("loss");
    for (const char* name : {"softTargetKl", "softTargetCe", "hardLabelCe", "logitMse", "cosineHidden", "mlmLoss",
                             "attentionMse", "attentionMseAverage", "hiddenMse", "hiddenMseIdentity", "hardLabelMse",
                             "hardLabelBce", "bernoulliKl", "bernoulliCe"})
      QTest::newRow(name) << QString::fromLatin1(name);
  }

  void gradientsMatchFiniteDifferences() {
    QFETCH(QString, loss);
    const auto proj = projectionOf(gen(20, 2.2), gen(5, 4.4), 4, 5);
    const auto labels = torch::tensor(std::vector<int64_t>{2, 0}, torch::kLong);
    const auto mlmLabels = torch::tensor(std::vector<int64_t>{2, -100, 0, 4}, torch::kLong).reshape({2, 2});
    std::function<torch::Tensor(const torch::Tensor&)> f;
    torch::Tensor x;
    if (loss == QLatin1String("softTargetKl")) {
      f = [&](const torch::Tensor& s) { return softTargetKl(s, tLogits(), 2.0); };
      x = sLogits();
    } else if (loss == QLatin1String("softTargetCe")) {
      f = [&](const torch::Tensor& s) { return softTargetCe(s, tLogits(), 2.0); };
      x = sLogits();
    } else if (loss == QLatin1String("hardLabelCe")) {
      f = [&](const torch::Tensor& s) { return hardLabelCe(s, labels); };
      x = sLogits();
    } else if (loss == QLatin1String("logitMse")) {
      f = [&](const torch::Tensor& s) { return logitMse(s, tLogits()); };
      x = sLogits();
    } else if (loss == QLatin1String("hardLabelMse")) {
      f = [&](const torch::Tensor& s) { return hardLabelMse(s, tensorOf({0.5, -1.25}, {2})); };
      x = tensorOf(gen(2, 0.6), {2, 1});
    } else if (loss == QLatin1String("hardLabelBce")) {
      f = [&](const torch::Tensor& s) { return hardLabelBce(s, tensorOf({1, 0, 1, 0, 0, 1}, {2, 3})); };
      x = sLogits();
    } else if (loss == QLatin1String("bernoulliKl")) {
      f = [&](const torch::Tensor& s) { return softTargetBernoulli(s, tLogits(), 2.0, true); };
      x = sLogits();
    } else if (loss == QLatin1String("bernoulliCe")) {
      f = [&](const torch::Tensor& s) { return softTargetBernoulli(s, tLogits(), 2.0, false); };
      x = sLogits();
    } else if (loss == QLatin1String("cosineHidden")) {
      f = [&](const torch::Tensor& s) { return cosineHidden(s, tensorOf(gen(24, 1.9), {2, 3, 4}), maskTensor()); };
      x = tensorOf(gen(24, 0.3), {2, 3, 4});
    } else if (loss == QLatin1String("mlmLoss")) {
      f = [&](const torch::Tensor& s) { return mlmLoss(s, mlmLabels); };
      x = tensorOf(gen(20, 0.7), {2, 2, 5});
    } else if (loss == QLatin1String("attentionMse")) {
      f = [&](const torch::Tensor& s) {
        return attentionMse(s, tensorOf(gen(36, 2.6), {2, 2, 3, 3}), maskTensor(), HeadMismatch::Refuse);
      };
      x = tensorOf(gen(36, 0.4), {2, 2, 3, 3});
    } else if (loss == QLatin1String("attentionMseAverage")) {
      f = [&](const torch::Tensor& s) {
        return attentionMse(s, tensorOf(gen(72, 3.1), {2, 4, 3, 3}), maskTensor(), HeadMismatch::Average);
      };
      x = tensorOf(gen(36, 0.8), {2, 2, 3, 3});
    } else if (loss == QLatin1String("hiddenMse")) {
      f = [&](const torch::Tensor& s) { return hiddenMse(s, tensorOf(gen(30, 1.3), {2, 3, 5}), proj); };
      x = tensorOf(gen(24, 0.5), {2, 3, 4});
    } else {
      f = [&](const torch::Tensor& s) {
        return hiddenMse(s, tensorOf(gen(24, 1.1), {2, 3, 4}), torch::nn::Linear(nullptr));
      };
      x = tensorOf(gen(24, 0.5), {2, 3, 4});
    }
    const double err = gradError(f, x);
    QVERIFY2(err < kTol, qPrintable(QString::number(err)));
  }

  void regressionAndMultiLabelLossesMatchHand() {
    // Hard MSE of a regression: mean of (s - y)^2 over the batch, by hand.
    const Vec out = {0.75, -2.0, 3.5}, gold = {1.0, -1.5, 2.0};
    double mse = 0;
    for (size_t i = 0; i < 3; ++i) mse += (out[i] - gold[i]) * (out[i] - gold[i]);
    QVERIFY(std::abs(value(hardLabelMse(tensorOf(out, {3, 1}), tensorOf(gold, {3}))) - mse / 3) < 1e-12);
    QVERIFY(std::abs(value(hardLabelMse(tensorOf(out, {3}), tensorOf(gold, {3}))) - mse / 3) < 1e-12);
    // (0.75-1)^2 + (-2+1.5)^2 + (3.5-2)^2 = 0.0625 + 0.25 + 2.25 = 2.5625 → 0.854166...
    QVERIFY(std::abs(mse / 3 - 2.5625 / 3) < 1e-15);

    // BCE and the Bernoulli soft targets over B=2, C=3, by hand with double sigmoids.
    const Vec s = gen(6, 0.2), t = gen(6, 1.7), y = {1, 0, 1, 0, 0, 1};
    auto sig = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
    double bce = 0, kl = 0, ce = 0;
    const double T = 2.0;
    for (size_t i = 0; i < 6; ++i) {
      const double q = sig(s[i]);
      bce += -(y[i] * std::log(q) + (1 - y[i]) * std::log(1 - q));
      const double pT = sig(t[i] / T), qT = sig(s[i] / T);
      kl += pT * std::log(pT / qT) + (1 - pT) * std::log((1 - pT) / (1 - qT));
      ce += -(pT * std::log(qT) + (1 - pT) * std::log(1 - qT));
    }
    const auto S = tensorOf(s, {2, 3}), Tt = tensorOf(t, {2, 3});
    QVERIFY(std::abs(value(hardLabelBce(S, tensorOf(y, {2, 3}))) - bce / 6) < 1e-12);
    QVERIFY(std::abs(value(softTargetBernoulli(S, Tt, T, true)) - T * T * kl / 2) < 1e-12);
    QVERIFY(std::abs(value(softTargetBernoulli(S, Tt, T, false)) - ce / 6) < 1e-12);
    // Equal logits: the KL is 0, the CE is the teacher's entropy.
    QVERIFY(std::abs(value(softTargetBernoulli(Tt, Tt, T, true))) < 1e-12);

    // The shapes are named.
    QCOMPARE(test::thrownMessage([&] { hardLabelMse(S, tensorOf(gold, {3})); }),
             QStringLiteral("hard-label MSE loss: student outputs [2, 3] vs labels [3] (expected [B,1] and [B]: a "
                            "regression has one output)"));
    QCOMPARE(test::thrownMessage([&] { hardLabelBce(S, tensorOf(gold, {3, 1})); }),
             QStringLiteral("hard-label BCE loss: student logits [2, 3] vs targets [3, 1] (expected both [B,C])"));
  }

  void hiddenMseProjectionGradient() {
    auto proj = projectionOf(gen(20, 2.2), gen(5, 4.4), 4, 5);
    const auto s = tensorOf(gen(24, 0.5), {2, 3, 4});
    const auto t = tensorOf(gen(30, 1.3), {2, 3, 5});
    for (auto* param : {&proj->weight, &proj->bias}) {
      proj->zero_grad();
      hiddenMse(s, t, proj).backward();
      const auto analytic = param->grad().clone();
      torch::NoGradGuard noGrad;
      auto numeric = torch::zeros_like(analytic);
      double* p = param->data_ptr<double>();
      for (int64_t i = 0; i < param->numel(); ++i) {
        const double orig = p[i];
        p[i] = orig + 1e-5;
        const double up = value(hiddenMse(s, t, proj));
        p[i] = orig - 1e-5;
        const double down = value(hiddenMse(s, t, proj));
        p[i] = orig;
        numeric.data_ptr<double>()[i] = (up - down) / 2e-5;
      }
      const double scale = numeric.abs().max().item<double>();
      QVERIFY(scale > 1e-8);
      QVERIFY((analytic - numeric).abs().max().item<double>() / scale < kTol);
    }
  }

  void teacherReceivesNoGradient() {
    const auto proj = projectionOf(gen(20, 2.2), gen(5, 4.4), 4, 5);
    auto s2 = sLogits().set_requires_grad(true);
    auto t2 = tLogits().set_requires_grad(true);
    auto s3 = tensorOf(gen(24, 0.3), {2, 3, 4}).set_requires_grad(true);
    auto t3 = tensorOf(gen(24, 1.9), {2, 3, 4}).set_requires_grad(true);
    auto t5 = tensorOf(gen(30, 1.3), {2, 3, 5}).set_requires_grad(true);
    auto s4 = tensorOf(gen(36, 0.4), {2, 2, 3, 3}).set_requires_grad(true);
    auto t4 = tensorOf(gen(72, 2.6), {2, 4, 3, 3}).set_requires_grad(true);
    const auto total = softTargetKl(s2, t2, 2.0) + softTargetCe(s2, t2, 1.0) + logitMse(s2, t2) +
                       cosineHidden(s3, t3, maskTensor()) + hiddenMse(s3, t5, proj) +
                       hiddenMse(s3, t3, torch::nn::Linear(nullptr)) +
                       attentionMse(s4, t4, maskTensor(), HeadMismatch::Average);
    total.backward();
    for (const auto& t : {t2, t3, t4, t5}) QVERIFY(!t.grad().defined());
    for (const auto& s : {s2, s3, s4}) QVERIFY(s.grad().defined() && s.grad().abs().sum().item<double>() > 0);
    QVERIFY(proj->weight.grad().defined());
  }

  void mixedDtypes() {
    // A float32 teacher with a double student: the teacher is cast to the student's dtype.
    const auto loss = softTargetKl(sLogits(), tLogits().to(torch::kFloat), 2.0);
    QCOMPARE(loss.scalar_type(), torch::kDouble);
    QVERIFY(std::abs(value(loss) - 4.0 * handKl(kStudentLogits, kTeacherLogits, 2, 3, 2.0)) < 1e-6);
    const auto f32 = attentionMse(tensorOf(gen(36, 0.4), {2, 2, 3, 3}).to(torch::kFloat),
                                  tensorOf(gen(36, 2.6), {2, 2, 3, 3}).to(torch::kFloat), maskTensor(),
                                  HeadMismatch::Refuse);
    QCOMPARE(f32.scalar_type(), torch::kFloat);
    QVERIFY(std::abs(value(f32) - handAttention(gen(36, 0.4), gen(36, 2.6), kMask, 2, 2, 3)) < 1e-5);
  }

  void headMismatchMessages() {
    const auto s = torch::zeros({2, 4, 8, 8});
    const auto t = torch::zeros({2, 12, 8, 8});
    expectError([&] { attentionMse(s, t, torch::Tensor(), HeadMismatch::Refuse); }, ErrorKind::Shape,
                QStringLiteral("attention loss: the student has 4 attention heads and the teacher 12; "));
    QCOMPARE(value(attentionMse(s, t, torch::Tensor(), HeadMismatch::Average)), 0.0);
    expectError([&] { attentionMse(torch::zeros({2, 5, 8, 8}), t, torch::Tensor(), HeadMismatch::Average); },
                ErrorKind::Shape,
                QStringLiteral("the teacher's 12 attention heads cannot be averaged into the student's 5"));
    expectError([&] { attentionMse(t, s, torch::Tensor(), HeadMismatch::Average); }, ErrorKind::Shape,
                QStringLiteral("the student has 12 attention heads and the teacher 4"));
  }

  void shapeMessages() {
    const auto z = [](std::vector<int64_t> shape) { return torch::zeros(shape); };
    const auto sh = ErrorKind::Shape;
    expectError([&] { attentionMse(z({2, 4, 8, 8}), z({2, 4, 9, 9}), {}, HeadMismatch::Average); }, sh,
                QStringLiteral("attention loss: student scores [2, 4, 8, 8] vs teacher [2, 4, 9, 9]"));
    expectError([&] { attentionMse(z({2, 4, 8, 8}), z({2, 4, 8, 8}), torch::ones({2, 7}), HeadMismatch::Average); },
                sh, QStringLiteral("attention loss: attention mask [2, 7] does not match student scores [2, 4, 8, 8]"));
    expectError([&] { softTargetKl(z({2, 3}), z({2, 4}), 2.0); }, sh,
                QStringLiteral("soft-target KL loss: student logits [2, 3] vs teacher [2, 4]"));
    expectError([&] { softTargetCe(z({2, 3}), z({3, 3}), 1.0); }, sh,
                QStringLiteral("soft-target CE loss: student logits [2, 3] vs teacher [3, 3]"));
    expectError([&] { logitMse(z({2, 3}), z({2})); }, sh,
                QStringLiteral("logit MSE loss: student logits [2, 3] vs teacher [2]"));
    expectError([&] { hardLabelCe(z({2, 3}), torch::zeros({3}, torch::kLong)); }, sh,
                QStringLiteral("hard-label loss: student logits [2, 3] vs labels [3]"));
    expectError([&] { hardLabelCe(z({2, 3}), z({2})); }, sh, QStringLiteral("labels [2] must be int64, not Float"));
    expectError([&] { mlmLoss(z({2, 5, 7}), torch::zeros({2, 4}, torch::kLong)); }, sh,
                QStringLiteral("MLM loss: logits [2, 5, 7] vs labels [2, 4]"));
    expectError([&] { cosineHidden(z({2, 3, 4}), z({2, 5, 4}), {}); }, sh,
                QStringLiteral("cosine loss: student hidden [2, 3, 4] vs teacher [2, 5, 4]"));
    expectError([&] { cosineHidden(z({2, 3, 4}), z({2, 3, 6}), {}); }, sh,
                QStringLiteral("cosine loss: the student's hidden size 4 differs from the teacher's 6"));
    expectError([&] { hiddenMse(z({2, 3, 4}), z({2, 3, 6}), torch::nn::Linear(nullptr)); }, sh,
                QStringLiteral("hidden loss: student hidden [2, 3, 4] vs teacher [2, 3, 6]: "
                               "the hidden sizes 4 and 6 differ"));
    expectError([&] { hiddenMse(z({2, 3, 4}), z({2, 3, 6}), torch::nn::Linear(5, 6)); }, sh,
                QStringLiteral("hidden loss: the projection maps 5 -> 6 but the student hidden is [2, 3, 4]"));
    expectError([&] { hiddenMse(z({2, 3, 4}), z({2, 4, 6}), torch::nn::Linear(4, 6)); }, sh,
                QStringLiteral("hidden loss: student hidden [2, 3, 4] vs teacher [2, 4, 6]"));
    const auto bad = ErrorKind::InvalidArgument;
    expectError([&] { softTargetKl(z({2, 3}), z({2, 3}), 0.0); }, bad,
                QStringLiteral("temperature must be a finite number > 0"));
    expectError([&] { hardLabelCe(z({2, 3}), torch::tensor(std::vector<int64_t>{0, 3})); }, bad,
                QStringLiteral("hard-label loss: label 3 is outside 0..2"));
    expectError([&] { mlmLoss(z({2, 3}), torch::tensor(std::vector<int64_t>{-100, -5})); }, bad,
                QStringLiteral("MLM loss: label -5 is outside the vocabulary 0..2"));
    expectError([&] { cosineHidden(z({2, 3, 4}), z({2, 3, 4}), torch::zeros({2, 3})); }, bad,
                QStringLiteral("cosine loss: the attention mask marks no token"));
  }

  void hiddenProjections() {
    torch::manual_seed(7);
    auto perLayer = std::make_shared<HiddenProjections>(312, 768, std::vector<int64_t>{0, 1, 2, 2}, false);
    QStringList names;
    for (const auto& item : perLayer->named_parameters()) names << QString::fromStdString(item.key());
    QCOMPARE(names, (QStringList{QStringLiteral("layer_0.weight"), QStringLiteral("layer_0.bias"),
                                 QStringLiteral("layer_1.weight"), QStringLiteral("layer_1.bias"),
                                 QStringLiteral("layer_2.weight"), QStringLiteral("layer_2.bias")}));
    const auto w = perLayer->forLayer(1)->weight;
    QCOMPARE(w.sizes().vec(), (std::vector<int64_t>{768, 312}));
    QVERIFY(std::abs(w.std().item<double>() - 0.02) < 5e-4);
    QVERIFY(std::abs(w.mean().item<double>()) < 5e-4);
    QCOMPARE(perLayer->forLayer(1)->bias.abs().sum().item<double>(), 0.0);
    QVERIFY(!perLayer->forLayer(0)->weight.equal(perLayer->forLayer(2)->weight));
    expectError([&] { perLayer->forLayer(3); }, ErrorKind::InvalidArgument,
                QStringLiteral("student layer 3 has no projection"));
    torch::manual_seed(7);
    auto again = std::make_shared<HiddenProjections>(312, 768, std::vector<int64_t>{0, 1, 2}, false);
    QVERIFY(again->forLayer(2)->weight.equal(perLayer->forLayer(2)->weight));

    auto shared = std::make_shared<HiddenProjections>(8, 8, std::vector<int64_t>{1, 2}, true);
    QVERIFY(shared->shared());
    QCOMPARE(shared->named_parameters().size(), size_t(2));
    QCOMPARE(QString::fromStdString(shared->named_parameters().begin()->key()), QStringLiteral("shared.weight"));
    QVERIFY(shared->forLayer(1).get() == shared->forLayer(4).get());
    QCOMPARE(shared->forLayer(1)->weight.sizes().vec(), (std::vector<int64_t>{8, 8}));  // a Linear even for equal sizes
    // Usable by hiddenMse, gradients reach the projection.
    auto s = torch::randn({2, 3, 8}, torch::requires_grad());
    hiddenMse(s, torch::randn({2, 3, 8}), shared->forLayer(1)).backward();
    QVERIFY(shared->forLayer(2)->weight.grad().defined());
    expectError([] { HiddenProjections(0, 8, {}, true); }, ErrorKind::InvalidArgument,
                QStringLiteral("hidden sizes must be positive"));
  }
};

QTEST_APPLESS_MAIN(TestLosses)
#include "test_losses.moc"
