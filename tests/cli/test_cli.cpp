// The real retort-cli on real files: inspect's printout and its safetensors dump,
// create, bench, --version, and the one-line errors with their exit codes.

#include <QtTest/QtTest>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include <torch/torch.h>

#include "core/io/checkpoint.h"
#include "core/io/safetensors.h"
#include "core/io/safetensors_torch.h"
#include "test_util.h"

using namespace retort;

namespace {

struct Result {
  int code = -1;
  QString out, err;
};

Result cli(const QStringList& args) {
  QProcess p;
  p.start(QStringLiteral(RETORT_CLI_PATH), args);
  if (!p.waitForFinished(120000)) return {};
  return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString fixtureDir(const char* rel) { return QString::fromStdString(test::fixture(rel)); }

}  // namespace

class TestCli : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void version() {
    auto r = cli({QStringLiteral("--version")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("Retort " RETORT_VERSION "\n")));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("LibTorch 1\\.\\d+\\.\\d+"))));
    QVERIFY(r.out.contains(QStringLiteral("\nQt ")));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("BLAS: \\S+"))));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("threads: \\d+ \\(LibTorch intra-op\\)"))));
  }

  void linksNoQt() {
    // retort-cli's own dependencies (DT_NEEDED) hold no Qt library: it links retort_core only.
    // (Debian's libtorch pulls in OpenCV's highgui, and with it Qt 5, on its own.)
    QProcess p;
    p.start(QStringLiteral("readelf"), {QStringLiteral("-d"), QStringLiteral(RETORT_CLI_PATH)});
    QVERIFY(p.waitForFinished(30000));
    const QString dyn = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY(dyn.contains(QStringLiteral("libtorch")));
    QVERIFY2(!dyn.contains(QStringLiteral("libQt")), qPrintable(dyn));
  }

  void inspectIdsWritesEveryTensor() {
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("dump.safetensors"));
    auto r = cli({QStringLiteral("inspect"), QStringLiteral("--model"), fixtureDir("bert/tiny"), QStringLiteral("--ids"),
                  QStringLiteral("2,7,9,3"), QStringLiteral("--out"), out});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("tokens (4): [CLS] tok7 tok9 [SEP]")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("negative")) && r.out.contains(QStringLiteral("positive")));

    auto file = io::SafetensorsFile::open(out.toStdString());
    auto t = io::loadTensors(file);
    std::vector<std::string> names = {"input_ids", "token_type_ids", "attention_mask", "logits", "pooled_output"};
    for (int k = 0; k <= 3; ++k) names.push_back("hidden_states." + std::to_string(k));
    for (int k = 0; k < 3; ++k) {
      names.push_back("attention_scores." + std::to_string(k));
      names.push_back("attention_probs." + std::to_string(k));
    }
    QCOMPARE(t.size(), names.size());
    for (const auto& n : names) QVERIFY2(t.count(n), n.c_str());
    QCOMPARE(t["input_ids"].sizes().vec(), (std::vector<int64_t>{1, 4}));
    QCOMPARE(t["hidden_states.3"].sizes().vec(), (std::vector<int64_t>{1, 4, 16}));
    QCOMPARE(t["attention_scores.2"].sizes().vec(), (std::vector<int64_t>{1, 4, 4, 4}));
    QCOMPARE(t["input_ids"][0][1].item<int64_t>(), int64_t(7));

    // The dumped logits are the model's logits for these ids, computed here in-process.
    auto ck = io::loadCheckpoint(test::fixture("bert/tiny"));
    ck.model->eval();
    torch::NoGradGuard ng;
    auto logits = ck.model->forward({torch::tensor({2, 7, 9, 3}, torch::kLong).view({1, 4}), {}, {}}).logits;
    QVERIFY((logits - t["logits"]).abs().max().item<float>() < 1e-6);
  }

  void inspectTextPair() {
    auto r = cli({QStringLiteral("inspect"), QStringLiteral("--model"), fixtureDir("bert/tiny"), QStringLiteral("--text"),
                  QStringLiteral("TOK7 tok9"), QStringLiteral("--text-pair"), QStringLiteral("tok11 zzz")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("[CLS] tok7 tok9 [SEP] tok11 [UNK] [SEP]")), qPrintable(r.out));
  }

  void createThenInspect() {
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("made"));
    auto r = cli({QStringLiteral("create"), QStringLiteral("--config"), fixtureDir("bert/tiny/config.json"),
                  QStringLiteral("--vocab"), fixtureDir("bert/tiny/vocab.txt"), QStringLiteral("--out"), dir,
                  QStringLiteral("--mlm")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    auto ck = io::loadCheckpoint(dir.toStdString());
    QVERIFY(ck.model->heads().mlm && ck.model->heads().classifier);
    QCOMPARE(r.out, QStringLiteral("wrote %1: %2 parameters, %3 MB\n")
                        .arg(dir)
                        .arg(ck.model->parameterCount())
                        .arg(QString::number(ck.model->parameterCount() * 4 / 1e6, 'f', 2)));
    auto r2 = cli({QStringLiteral("inspect"), QStringLiteral("--model"), dir, QStringLiteral("--ids"), QStringLiteral("2,3")});
    QCOMPARE(r2.code, 0);
  }

  void bench() {
    auto r = cli({QStringLiteral("bench"), QStringLiteral("forward"), QStringLiteral("--config"),
                  fixtureDir("bert/tiny/config.json"), QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--seq"),
                  QStringLiteral("8"), QStringLiteral("--runs"), QStringLiteral("5"), QStringLiteral("--threads"), QStringLiteral("1")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("batch 2  seq 8")));
    QVERIFY(r.out.contains(QStringLiteral("threads 1")));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("median \\d+\\.\\d+ ms .*\\(5 runs after 3 warm-up\\)"))));
  }

  void benchQuantize() {
    // Dynamic int8 Linear products of the fixture model on each quantized engine this LibTorch
    // has (Debian's: onednn and qnnpack), against float32; per-tensor int8 weights keep the
    // outputs within a few percent of their range.
    auto r = cli({QStringLiteral("bench"), QStringLiteral("quantize"), QStringLiteral("--model"), fixtureDir("bert/tiny"),
                  QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--seq"), QStringLiteral("8"),
                  QStringLiteral("--runs"), QStringLiteral("3"), QStringLiteral("--threads"), QStringLiteral("1")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("16 rows (batch 2 x seq 8)")), qPrintable(r.out));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("float32 +median +\\d+\\.\\d+ ms"))));
    const QRegularExpression engine(QStringLiteral("int8 (\\w+) +median +\\d+\\.\\d+ ms .* largest error (\\d\\.\\d+) of"));
    int engines = 0;
    for (auto it = engine.globalMatch(r.out); it.hasNext(); ++engines) {
      const auto m = it.next();
      QVERIFY2(m.captured(2).toDouble() < 0.05, qPrintable(m.captured(0)));
    }
    QVERIFY2(engines >= 1, qPrintable(r.out));
  }

  void runExperiment() {
    QTemporaryDir tmp;
    const QString dir = tmp.path();
    {
      // A tiny task in fixture tokens (labels need not be learnable for this test).
      QFile f(dir + QStringLiteral("/train.tsv"));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("sentence\tlabel\n");
      for (int i = 0; i < 24; ++i)
        f.write(QStringLiteral("tok%1 tok%2 tok%3\t%4\n").arg(5 + i).arg(6 + i).arg(7 + i % 5)
                    .arg(i % 3 == 0 ? QStringLiteral("negative") : i % 3 == 1 ? QStringLiteral("neutral") : QStringLiteral("positive")).toUtf8());
    }
    QFile::copy(dir + QStringLiteral("/train.tsv"), dir + QStringLiteral("/dev.tsv"));
    QFile e(dir + QStringLiteral("/exp.json"));
    QVERIFY(e.open(QIODevice::WriteOnly));
    e.write(R"({"format": 1, "name": "cli", "threads": 1,
      "task": {"train": "train.tsv", "dev": "dev.tsv", "max_length": 12},
      "student": {"architecture": {"layers": 1, "hidden": 8, "heads": 2, "ffn": 16, "max_positions": 20}},
      "stages": [{"kind": "distill", "optim": {"epochs": 2, "batch_size": 8}}]})");
    e.close();
    const QString out = dir + QStringLiteral("/run");
    auto r = cli({QStringLiteral("run"), dir + QStringLiteral("/exp.json"), QStringLiteral("--teacher"), fixtureDir("bert/tiny"),
                  QStringLiteral("--out"), out, QStringLiteral("--set"), QStringLiteral("stages.0.optim.epochs=3")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QStringLiteral("run directory: ") + out), qPrintable(r.out));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("teacher\\s+\\d\\.\\d{4}\\s+7741"))));
    QVERIFY(r.out.contains(QStringLiteral("compression ")));
    QVERIFY(r.err.contains(QStringLiteral("stage 1/1: distill (9 steps)")));  // 3 epochs (--set) x 3 batches
    for (const char* f : {"experiment.json", "metrics.jsonl", "summary.json", "student/config.json",
                          "student/model.safetensors", "student/vocab.txt"})
      QVERIFY2(QFile::exists(out + QLatin1Char('/') + QLatin1String(f)), f);

    // Bad input: one line naming the path in the file and the reason, non-zero exit.
    auto bad = cli({QStringLiteral("run"), dir + QStringLiteral("/exp.json"), QStringLiteral("--set"), QStringLiteral("stages.0.optim.epoch=1")});
    QCOMPARE(bad.code, 1);
    QVERIFY2(bad.err.contains(QStringLiteral("stages[0].optim.epoch: unknown key (did you mean epochs?)")), qPrintable(bad.err));
    QCOMPARE(bad.err.count(QLatin1Char('\n')), 1);
  }

  void report() {
    // Two summaries written by hand; the table's figures are recomputed here.
    QTemporaryDir tmp;
    auto write = [&](const QString& name, double tAcc, double sAcc, qint64 tParams, qint64 sParams, double tMs, double sMs) {
      QDir(tmp.path()).mkdir(name);
      QFile f(tmp.path() + QLatin1Char('/') + name + QStringLiteral("/summary.json"));
      if (!f.open(QIODevice::WriteOnly)) return;
      f.write(QStringLiteral("{\"name\": \"%1\", \"teacher\": {\"accuracy\": %2, \"parameters\": %4, \"size_mb\": %6, "
                             "\"latency_ms\": %8, \"latency_b32_ms\": %10}, \"student\": {\"accuracy\": %3, "
                             "\"parameters\": %5, \"size_mb\": %7, \"latency_ms\": %9, \"latency_b32_ms\": %11}, "
                             "\"retention\": %12, \"speedup\": %13, \"speedup_b32\": %14, \"compression\": %15, "
                             "\"typical_length\": 40}")
                  .arg(name).arg(tAcc).arg(sAcc).arg(tParams).arg(sParams).arg(tParams * 4e-6).arg(sParams * 4e-6)
                  .arg(tMs).arg(sMs).arg(tMs * 20).arg(sMs * 20).arg(sAcc / tAcc).arg(tMs / sMs).arg(tMs / sMs)
                  .arg(double(tParams) / double(sParams)).toUtf8());
    };
    write(QStringLiteral("alpha"), 0.8, 0.78, 5000000, 1000000, 12.0, 3.0);
    write(QStringLiteral("beta"), 0.9, 0.45, 4000000, 2000000, 10.0, 5.0);
    auto r = cli({QStringLiteral("report"), tmp.path() + QStringLiteral("/alpha"), tmp.path() + QStringLiteral("/beta")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList lines = r.out.split(QLatin1Char('\n'));
    QVERIFY(lines.size() >= 4);
    QVERIFY(lines[0].startsWith(QStringLiteral("run ")));
    const QStringList alpha = lines[2].split(QLatin1Char(' '), Qt::SkipEmptyParts);
    // A summary from before task.metric: its metric is accuracy and its scores the accuracies.
    const QStringList expected = {QStringLiteral("alpha"), QStringLiteral("accuracy"), QStringLiteral("0.8000"),
                                  QStringLiteral("0.7800"), QStringLiteral("80.0"), QStringLiteral("78.0"),
                                  QString::number(100 * 0.78 / 0.8, 'f', 1), QStringLiteral("5.00M"), QStringLiteral("1.00M"),
                                  QStringLiteral("20.0"), QStringLiteral("4.0"), QStringLiteral("12.00"), QStringLiteral("3.00"),
                                  QStringLiteral("240.0"), QStringLiteral("60.0"), QStringLiteral("4.0x"), QStringLiteral("4.0x"),
                                  QStringLiteral("5.0x")};
    QCOMPARE(alpha, expected);
    QVERIFY(lines[3].startsWith(QStringLiteral("beta ")));
    QVERIFY(lines[3].contains(QStringLiteral(" 50.0 ")));  // retention 0.45 / 0.9
    auto md = cli({QStringLiteral("report"), QStringLiteral("--markdown"), tmp.path() + QStringLiteral("/alpha")});
    QVERIFY(md.out.startsWith(QStringLiteral("| run ")));
    QVERIFY(md.out.split(QLatin1Char('\n'))[1].startsWith(QStringLiteral("|---")));
    // A directory without a summary, and a malformed summary, are named.
    QDir(tmp.path()).mkdir(QStringLiteral("empty"));
    auto none = cli({QStringLiteral("report"), tmp.path() + QStringLiteral("/empty")});
    QCOMPARE(none.code, 1);
    QVERIFY2(none.err.contains(QStringLiteral("/empty/summary.json: no such file")), qPrintable(none.err));
    QFile bad(tmp.path() + QStringLiteral("/empty/summary.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"teacher\": {\"parameters\": 1, \"size_mb\": 1, \"latency_ms\": 1}, \"student\": {\"parameters\": \"x\"}}");
    bad.close();
    auto malformed = cli({QStringLiteral("report"), tmp.path() + QStringLiteral("/empty")});
    QCOMPARE(malformed.code, 1);
    QVERIFY2(malformed.err.contains(QStringLiteral("summary.json: student.parameters: must be a number")), qPrintable(malformed.err));
  }

  void presetNames() {
    auto r = cli({QStringLiteral("run"), QStringLiteral("no-such-preset")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("no-such-preset: no such file or preset (presets: ")), qPrintable(r.err));
    for (const char* name : {"bilstm", "demo", "distilbert", "kd-logits", "quickstart", "tinybert"})
      QVERIFY2(r.err.contains(QLatin1String(name)), name);
  }

  void errors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const QString tiny = fixtureDir("bert/tiny");
    QTest::newRow("bad id") << QStringList{QStringLiteral("inspect"), QStringLiteral("--model"), tiny, QStringLiteral("--ids"), QStringLiteral("2,x")}
                            << 2 << QStringLiteral("retort-cli inspect: --ids: \"x\" is not a token id\n");
    QTest::newRow("id too large") << QStringList{QStringLiteral("inspect"), QStringLiteral("--model"), tiny, QStringLiteral("--ids"), QStringLiteral("2,50")}
                                  << 2 << QStringLiteral("retort-cli inspect: --ids: 50 is not below vocab_size 50\n");
    QTest::newRow("no input") << QStringList{QStringLiteral("inspect"), QStringLiteral("--model"), tiny}
                              << 2 << QStringLiteral("retort-cli inspect: give either --text or --ids\n");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("inspect"), QStringLiteral("--modle"), tiny}
                                    << 2 << QStringLiteral("retort-cli inspect: unknown option --modle\n");
    QTest::newRow("missing dir") << QStringList{QStringLiteral("inspect"), QStringLiteral("--model"), QStringLiteral("/nonexistent/m"), QStringLiteral("--ids"), QStringLiteral("2")}
                                 << 1 << QStringLiteral("retort-cli inspect: /nonexistent/m: not a directory\n");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("distil")} << 2 << QStringLiteral("retort-cli: unknown command \"distil\"\n");
    QTest::newRow("bad bench") << QStringList{QStringLiteral("bench"), QStringLiteral("forward"), QStringLiteral("--config"),
                                              fixtureDir("bert/tiny/config.json"), QStringLiteral("--seq"), QStringLiteral("0")}
                               << 2 << QStringLiteral("retort-cli bench: --seq must be at least 1\n");
  }

  void errors() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    auto r = cli(args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.startsWith(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
