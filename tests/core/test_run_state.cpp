// RunState: the plain data a checkpoint will save. Its JSON round trip is exact, malformed
// documents are refused with the key at fault, and the captured generator state replays the
// same random draws.

#include <QtTest/QtTest>

#include <torch/torch.h>

#include "core/distill/run_state.h"
#include "test_util.h"

using namespace retort;

namespace {

distill::RunState sample() {
  distill::RunState s;
  s.seed = 18446744073709551557ull;  // above INT64_MAX: stored as an unsigned number
  s.worldSize = 4;
  s.rank = 3;
  s.globalStep = 1234;
  s.phase = 2;
  s.phaseStep = 99;
  s.epoch = 1;
  s.batchesDone = 17;
  s.cpuGenerator = {0x00, 0x7f, 0x80, 0xff, 0x12};
  s.cudaGenerator = {};
  s.phaseExamples = {4500, 94500, 12000};
  s.bestScore = 0.8133333333333334;
  s.bestGlobalStep = 1200;
  s.bestPhase = 2;
  s.bestWeights = distill::BestWeights::File;
  s.bestWeightsPath = "/runs/a/best.safetensors";
  return s;
}

}  // namespace

class TestRunState : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void jsonRoundTripIsExact() {
    const auto s = sample();
    const auto j = s.toJson();
    QCOMPARE(QString::fromStdString(j.at("cpu_generator").get<std::string>()), QStringLiteral("007f80ff12"));
    QCOMPARE(QString::fromStdString(j.at("best_weights").get<std::string>()), QStringLiteral("file"));
    QCOMPARE(j.at("seed").get<uint64_t>(), 18446744073709551557ull);
    // Through text, as a checkpoint file holds it.
    const auto back = distill::RunState::fromJson(nlohmann::json::parse(j.dump()), "state.json");
    QVERIFY(back == s);
    QCOMPARE(back.bestScore, 0.8133333333333334);
    QCOMPARE(back.batchesDone, int64_t(17));
    QCOMPARE(back.cpuGenerator, s.cpuGenerator);
    QCOMPARE(back.phaseExamples, (std::vector<int64_t>{4500, 94500, 12000}));
    // Defaults, and a real generator state (5056 bytes for the CPU's mt19937).
    distill::RunState d;
    distill::captureGenerators(d);
    QCOMPARE(d.cpuGenerator.size(), size_t(5056));
    const auto again = distill::RunState::fromJson(nlohmann::json::parse(d.toJson().dump()), "state.json");
    QVERIFY(again == d);
    QCOMPARE(again.bestWeights, distill::BestWeights::None);
    QCOMPARE(again.bestScore, -1.0);
    QVERIFY(again != s);
  }

  void malformedDocumentsAreRefused_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");  // JSON; empty = remove the key
    QTest::addColumn<QString>("message");
    QTest::newRow("missing") << "global_step" << "" << "state.json: \"global_step\" is missing";
    QTest::newRow("phase examples") << "phase_examples" << "[12, -3]"
                                    << "state.json: \"phase_examples\" must hold integers >= 0, found -3";
    QTest::newRow("negative") << "batches_done" << "-1" << "state.json: \"batches_done\" must be >= 0, found -1";
    QTest::newRow("not an integer") << "epoch" << "1.5" << "state.json: \"epoch\" must be an integer, found 1.5";
    QTest::newRow("rank") << "rank" << "4" << "state.json: \"rank\" must be below world_size (4), found 4";
    QTest::newRow("hex odd") << "cpu_generator" << "\"abc\"" << "state.json: \"cpu_generator\" is not a hex string (odd length)";
    QTest::newRow("hex digit") << "cpu_generator" << "\"zz\"" << "state.json: \"cpu_generator\" is not a hex string (found 'z')";
    QTest::newRow("best_weights") << "best_weights" << "\"disk\""
                                  << "state.json: \"best_weights\" must be none, memory or file, found \"disk\"";
    QTest::newRow("file without path") << "best_weights_path" << "\"\""
                                       << "state.json: \"best_weights_path\" must name a file when best_weights is \"file\"";
    QTest::newRow("seed") << "seed" << "-3" << "state.json: \"seed\" must be a non-negative integer, found -3";
  }

  void malformedDocumentsAreRefused() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, message);
    auto j = sample().toJson();
    if (value.isEmpty()) j.erase(key.toStdString());
    else j[key.toStdString()] = nlohmann::json::parse(value.toStdString());
    QCOMPARE(test::thrownMessage([&] { distill::RunState::fromJson(j, "state.json"); }), message);
  }

  void generatorsReplayTheSameDraws() {
    torch::manual_seed(123);
    (void)torch::rand({7});
    distill::RunState s;
    distill::captureGenerators(s);
    const auto first = torch::rand({16});
    const auto dropped = torch::bernoulli(torch::full({32}, 0.5));
    torch::manual_seed(999);  // anything in between
    distill::restoreGenerators(distill::RunState::fromJson(nlohmann::json::parse(s.toJson().dump()), "s"));
    QVERIFY(torch::equal(torch::rand({16}), first));
    QVERIFY(torch::equal(torch::bernoulli(torch::full({32}, 0.5)), dropped));

    distill::RunState bad;
    bad.cpuGenerator = {1, 2, 3};
    const QString msg = test::thrownMessage([&] { distill::restoreGenerators(bad); });
    QVERIFY2(msg.startsWith(QStringLiteral("run state: the CPU generator state does not fit")), qPrintable(msg));
  }
};

QTEST_APPLESS_MAIN(TestRunState)
#include "test_run_state.moc"
