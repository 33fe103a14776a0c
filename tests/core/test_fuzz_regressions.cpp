// Every input in tests/fuzz/regressions once made a parser crash (an exception that was not a
// retort::Error, or undefined behaviour) under the fuzzing harness (tests/fuzz). Here each is
// read through the same parser in the normal build and must give one clear retort::Error
// naming the file (and line), with the message asserted.

#include "core/data/dataset.h"
#include "core/distill/experiment.h"
#include "core/distill/metrics_reader.h"
#include "core/distill/run_directory.h"
#include "core/model/bert_config.h"
#include "core/util/error.h"
#include "test_util.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>
#include <functional>
#include <map>
#include <string>

using namespace retort;

namespace {

std::string regression(const QString& target, const QString& name) {
  return retort::test::fixture("../fuzz/regressions/" + target.toStdString() + "/" + name.toStdString());
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The message of the retort::Error that fn throws; any other outcome is reported as such.
QString errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return QString::fromUtf8(e.what());
  } catch (const std::exception& e) {
    return QStringLiteral("<not a retort::Error> ") + QString::fromUtf8(e.what());
  }
  return QStringLiteral("<no exception>");
}

}  // namespace

class TestFuzzRegressions : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir m_dir;

 private Q_SLOTS:
  void eachCrashIsAClearError_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");  // after "<path>"
    const QString overflow = QStringLiteral("[json.exception.out_of_range.406] number overflow parsing '1e400'");
    QTest::newRow("summary 1e400") << QStringLiteral("summary") << QStringLiteral("number_overflow_1e400.json")
                                   << QStringLiteral(": not JSON (") + overflow + QStringLiteral(")");
    QTest::newRow("summary 1e300 parameters") << QStringLiteral("summary") << QStringLiteral("parameters_1e300.json")
                                              << QStringLiteral(": teacher.parameters: must be a non-negative integer");
    QTest::newRow("config 1e400") << QStringLiteral("bert_config") << QStringLiteral("number_overflow_1e400.json")
                                  << QStringLiteral(": not valid JSON (") + overflow + QStringLiteral(")");
    QTest::newRow("experiment 1e400") << QStringLiteral("experiment") << QStringLiteral("number_overflow_1e400.json")
                                      << QStringLiteral(": number overflow parsing '1e400'");
    QTest::newRow("jsonl 1e400") << QStringLiteral("dataset") << QStringLiteral("number_overflow_1e400.jsonl")
                                 << QStringLiteral(":1: malformed JSON (") + overflow +
                                        QStringLiteral("); expected one JSON object per line");
    QTest::newRow("metrics 1e400") << QStringLiteral("metrics_log") << QStringLiteral("number_overflow_1e400.jsonl")
                                   << QStringLiteral(":1: not valid JSON");
  }

  void eachCrashIsAClearError() {
    QFETCH(QString, target);
    QFETCH(QString, file);
    QFETCH(QString, message);
    std::string path = regression(target, file);
    QVERIFY2(QFileInfo::exists(QString::fromStdString(path)), path.c_str());
    std::map<QString, std::function<void()>> parsers = {
        {QStringLiteral("summary"), [&] { distill::readSummary(path); }},
        {QStringLiteral("bert_config"), [&] { model::BertConfig::load(path); }},
        {QStringLiteral("experiment"), [&] { distill::Experiment::load(path); }},
        {QStringLiteral("metrics_log"), [&] { distill::readMetricsLog(path); }},
        {QStringLiteral("dataset"), [&] {
           // The fuzz target's first byte chose the format and columns (2: JSON Lines,
           // "sentence", "label"); the file is the rest.
           const std::string bytes = readAll(path);
           QCOMPARE(int(static_cast<unsigned char>(bytes.at(0))), 2);
           path = (m_dir.path() + QStringLiteral("/data.jsonl")).toStdString();
           std::ofstream(path, std::ios::binary) << bytes.substr(1);
           data::DatasetSpec spec;
           spec.path = path;
           data::readDataset(spec);
         }},
    };
    QVERIFY(parsers.count(target));
    const QString got = errorOf(parsers[target]);
    QCOMPARE(got, QString::fromStdString(path) + message);
  }

  /// Every committed regression input has a row above (a new one cannot be forgotten).
  void everyRegressionIsListed() {
    QDir root(QString::fromStdString(retort::test::fixture("../fuzz/regressions")));
    QStringList found;
    for (const QString& target : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
      for (const QString& f : QDir(root.filePath(target)).entryList(QDir::Files)) found << target + QLatin1Char('/') + f;
    found.sort();
    const QStringList listed = {QStringLiteral("bert_config/number_overflow_1e400.json"),
                                QStringLiteral("dataset/number_overflow_1e400.jsonl"),
                                QStringLiteral("experiment/number_overflow_1e400.json"),
                                QStringLiteral("metrics_log/number_overflow_1e400.jsonl"),
                                QStringLiteral("summary/number_overflow_1e400.json"),
                                QStringLiteral("summary/parameters_1e300.json")};
    QCOMPARE(found, listed);
  }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
