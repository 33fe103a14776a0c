// Tests of the torch-free readers of run files and checkpoint indexes: metrics.jsonl
// (core/distill/metrics_reader.h) as MetricsLog writes it, with a line cut short by a killed
// run, and model.safetensors.index.json (core/io/safetensors_index.h); one exact message per
// malformed input, naming the file and line or field.

#include "core/distill/metrics_reader.h"
#include "core/distill/run_directory.h"
#include "core/io/safetensors_index.h"
#include "core/util/error.h"
#include "test_util.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>
#include <string>

using namespace retort;
using namespace retort::distill;
using retort::test::thrownMessage;

namespace {

/// An observer that drops everything (MetricsLog's next observer).
class NullObserver : public Observer {};

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

class TestRunFiles : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir m_dir;
  std::string path(const char* name) const { return (m_dir.path() + QLatin1Char('/') + QLatin1String(name)).toStdString(); }

 private Q_SLOTS:
  void metricsLogRoundTrip() {
    const std::string file = path("metrics.jsonl");
    NullObserver sink;
    {
      MetricsLog log(file, sink);
      log.onStageStart("distill", 1, 2, 40);
      StepMetrics m;
      m.stage = "distill";
      m.stageIndex = 1;
      m.epoch = 3;
      m.step = 17;
      m.stageSteps = 40;
      m.globalStep = 57;
      m.totalSteps = 80;
      m.losses = {{"soft_targets", 0.25}, {"attention", 1.5}};
      m.total = 1.75;
      m.learningRate = 3e-5;
      m.examplesPerSecond = 812.5;
      m.elapsedSeconds = 12.25;
      log.onStep(m);
      EvalMetrics e;
      e.stage = "distill";
      e.model = "student";
      e.split = "dev";
      e.globalStep = 57;
      e.examples = 200;
      e.accuracy = 0.815;
      e.binary = true;
      e.f1 = 0.8;
      e.mcc = 0.625;
      e.best = true;
      log.onEval(e);
    }
    const auto c = readMetricsLog(file);
    QCOMPARE(c.stages.size(), size_t(1));
    QCOMPARE(QString::fromStdString(c.stages[0].stage), QStringLiteral("distill"));
    QCOMPARE(c.stages[0].index, 1);
    QCOMPARE(c.stages[0].count, 2);
    QCOMPARE(c.stages[0].steps, int64_t(40));
    QCOMPARE(c.steps.size(), size_t(1));
    const auto& s = c.steps[0];
    QCOMPARE(s.epoch, int64_t(3));
    QCOMPARE(s.step, int64_t(17));
    QCOMPARE(s.globalStep, int64_t(57));
    QCOMPARE(s.totalSteps, int64_t(80));
    QCOMPARE(s.total, 1.75);
    QCOMPARE(s.learningRate, 3e-5);
    QCOMPARE(s.losses.at("attention"), 1.5);
    QCOMPARE(s.losses.at("soft_targets"), 0.25);
    QCOMPARE(c.evals.size(), size_t(1));
    QCOMPARE(c.evals[0].accuracy, 0.815);
    QCOMPARE(c.evals[0].mcc, 0.625);
    QVERIFY(c.evals[0].binary);
    QVERIFY(c.evals[0].best);
    QVERIFY(!c.truncatedTail);
  }

  void truncatedLastLineIsSkipped() {
    const std::string file = path("cut.jsonl");
    writeFile(file, "{\"type\":\"step\",\"global_step\":3,\"loss\":0.5}\n\n{\"type\":\"eval\",\"accur");
    const auto c = readMetricsLog(file);
    QCOMPARE(c.steps.size(), size_t(1));
    QCOMPARE(c.steps[0].globalStep, int64_t(3));
    QCOMPARE(c.evals.size(), size_t(0));
    QVERIFY(c.truncatedTail);
  }

  void malformedLinesAreNamed_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad json in the middle") << QByteArray("{\"type\":\"step\"}\nnot json\n{}\n") << QStringLiteral(":2: not valid JSON");
    QTest::newRow("array") << QByteArray("[1,2]\n") << QStringLiteral(":1: must be a JSON object");
    QTest::newRow("no type") << QByteArray("{\"loss\":1}\n") << QStringLiteral(":1: \"type\" is missing");
    QTest::newRow("negative step") << QByteArray("{\"type\":\"step\",\"global_step\":-4}\n") << QStringLiteral(":1: \"global_step\" must not be negative");
    QTest::newRow("fractional step") << QByteArray("\n{\"type\":\"step\",\"step\":2.5}\n") << QStringLiteral(":2: \"step\" must be a non-negative integer");
    QTest::newRow("huge step") << QByteArray("{\"type\":\"step\",\"step\":1e300}\n") << QStringLiteral(":1: \"step\" must be a non-negative integer");
    QTest::newRow("loss text") << QByteArray("{\"type\":\"step\",\"loss\":\"x\"}\n") << QStringLiteral(":1: \"loss\" must be a number");
    QTest::newRow("loss term") << QByteArray("{\"type\":\"step\",\"losses\":{\"mlm\":null}}\n") << QStringLiteral(":1: \"losses.mlm\" must be a finite number");
    QTest::newRow("stage index") << QByteArray("{\"type\":\"stage\",\"stage_index\":4294967296}\n") << QStringLiteral(":1: \"stage_index\" is too large");
    QTest::newRow("best") << QByteArray("{\"type\":\"eval\",\"best\":1}\n") << QStringLiteral(":1: \"best\" must be true or false");
  }
  void malformedLinesAreNamed() {
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const std::string file = path("bad.jsonl");
    writeFile(file, content.toStdString());
    const QString got = thrownMessage([&] { readMetricsLog(file); });
    QCOMPARE(got, QString::fromStdString(file) + message);
  }

  void unknownTypesAreSkipped() {
    const std::string file = path("future.jsonl");
    writeFile(file, "{\"type\":\"attention\",\"x\":1}\r\n{\"type\":\"step\",\"global_step\":9}\r\n");
    const auto c = readMetricsLog(file);
    QCOMPARE(c.steps.size(), size_t(1));
    QCOMPARE(c.steps[0].globalStep, int64_t(9));
  }

  void missingFileIsAnIoError() {
    try {
      readMetricsLog(path("absent.jsonl"));
      QFAIL("no exception");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Io);
      QVERIFY(QString::fromUtf8(e.what()).startsWith(QString::fromStdString(path("absent.jsonl"))));
    }
  }

  void indexListsShardsOnce() {
    const std::string file = path("model.safetensors.index.json");
    writeFile(file, R"({"metadata":{"total_size":8},"weight_map":{"b":"model-2.safetensors","a":"model-1.safetensors","c":"model-2.safetensors"}})");
    const auto shards = io::readSafetensorsIndex(file);
    // nlohmann::json keeps object keys sorted: a, b, c.
    QCOMPARE(shards.size(), size_t(2));
    QCOMPARE(QString::fromStdString(shards[0]), QStringLiteral("model-1.safetensors"));
    QCOMPARE(QString::fromStdString(shards[1]), QStringLiteral("model-2.safetensors"));
  }

  void indexErrors_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("no map") << QByteArray("{\"metadata\":{}}") << QStringLiteral(": \"weight_map\" is missing or not an object");
    QTest::newRow("not an object") << QByteArray("[1]") << QStringLiteral(": \"weight_map\" is missing or not an object");
    QTest::newRow("number") << QByteArray("{\"weight_map\":{\"w\":3}}") << QStringLiteral(": weight_map.w must be a file name");
    QTest::newRow("empty") << QByteArray("{\"weight_map\":{\"w\":\"\"}}") << QStringLiteral(": weight_map.w must be a file name");
    QTest::newRow("parent") << QByteArray("{\"weight_map\":{\"w\":\"../x.safetensors\"}}") << QStringLiteral(": weight_map.w points outside the directory");
    QTest::newRow("backslash") << QByteArray("{\"weight_map\":{\"w\":\"a\\\\b\"}}") << QStringLiteral(": weight_map.w points outside the directory");
  }
  void indexErrors() {
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const std::string file = path("bad.index.json");
    writeFile(file, content.toStdString());
    QCOMPARE(thrownMessage([&] { io::readSafetensorsIndex(file); }), QString::fromStdString(file) + message);
  }

  void indexNotJson() {
    const std::string file = path("broken.index.json");
    writeFile(file, "{\"weight_map\":");
    QVERIFY(thrownMessage([&] { io::readSafetensorsIndex(file); }).startsWith(QString::fromStdString(file) + QStringLiteral(": not valid JSON (")));
  }
};

QTEST_GUILESS_MAIN(TestRunFiles)
#include "test_run_files.moc"
