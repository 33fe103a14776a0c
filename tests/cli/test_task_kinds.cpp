// The task kinds beyond single-label classification end to end through `retort-cli run`:
// a regression and a multi-label task whose answers are computable from the text (marker
// words inserted into demo passages), each distilled into a BERT student (quickstart) and a
// BiLSTM student (bilstm). The summary, the log, the report and the saved heads say what
// the task is; soft-target KL on a regression is refused before the run with the reason.
// Token classification runs on demo passages with invented names inserted (CoNLL training
// rows, JSON Lines dev rows).

#include <QtTest/QtTest>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

#include "cli/cli_process.h"

using retort::test::CliResult;
using retort::test::runCli;

namespace {

QByteArray bytesOf(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject jsonOf(const QString& path) { return QJsonDocument::fromJson(bytesOf(path)).object(); }

/// The first 10 words of demo passages with markers appended. Regression: "indeed" k times
/// (k = i mod 5), score = k / 2. Multi-label: "alpha" when i mod 3 == 0 (class a), "omega"
/// when i mod 4 < 2 (class b), so rows have none, one or both.
void writeTasks(const QString& dir) {
  const QList<QByteArray> lines = bytesOf(QStringLiteral(RETORT_FIXTURES_DIR "/../../resources/demo/train.tsv")).split('\n');
  auto write = [&](const QString& name, int from, int count, bool multi) {
    QFile f(dir + QLatin1Char('/') + name);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(multi ? "sentence\ttags\n" : "sentence\tscore\n");
    for (int i = 0; i < count; ++i) {
      const int n = from + i;
      QByteArray text = lines[1 + n].split('\t').first().split(' ').mid(0, 10).join(' ');
      QByteArray label;
      if (multi) {
        QList<QByteArray> tags;
        if (n % 3 == 0) { text += " alpha"; tags << "a"; }
        if (n % 4 < 2) { text.prepend("omega "); tags << "b"; }
        label = tags.join(',');
      } else {
        const int k = n % 5;
        for (int j = 0; j < k; ++j) text += " indeed";
        label = QByteArray::number(k / 2.0, 'f', 1);
      }
      f.write(text + "\t" + label + "\n");
    }
  };
  write(QStringLiteral("reg-train.tsv"), 0, 400, false);
  write(QStringLiteral("reg-dev.tsv"), 2000, 100, false);
  write(QStringLiteral("multi-train.tsv"), 0, 400, true);
  write(QStringLiteral("multi-dev.tsv"), 2000, 100, true);
}

/// A tagging set with known entities: the first 8 words of demo passages (tagged O) with
/// one invented name inserted at word n mod 6: "Zorvia" (B-LOC) when n mod 3 == 0, "Mel
/// Tarrow" (B-PER I-PER) when n mod 3 == 1, none otherwise. Training rows as CoNLL, dev rows
/// as JSON Lines, so that both readers run end to end.
void writeTags(const QString& dir) {
  const QList<QByteArray> lines = bytesOf(QStringLiteral(RETORT_FIXTURES_DIR "/../../resources/demo/train.tsv")).split('\n');
  auto sentence = [&](int n, QStringList& words, QStringList& tags) {
    for (const QByteArray& w : lines[1 + n].split('\t').first().split(' ').mid(0, 8)) {
      words << QString::fromUtf8(w);
      tags << QStringLiteral("O");
    }
    const int at = n % 6;
    if (n % 3 == 0) {
      words.insert(at, QStringLiteral("Zorvia"));
      tags.insert(at, QStringLiteral("B-LOC"));
    } else if (n % 3 == 1) {
      words.insert(at, QStringLiteral("Tarrow"));
      tags.insert(at, QStringLiteral("I-PER"));
      words.insert(at, QStringLiteral("Mel"));
      tags.insert(at, QStringLiteral("B-PER"));
    }
  };
  QFile train(dir + QStringLiteral("/tags-train.conll")), dev(dir + QStringLiteral("/tags-dev.jsonl"));
  QVERIFY(train.open(QIODevice::WriteOnly) && dev.open(QIODevice::WriteOnly));
  train.write("-DOCSTART- -X- O O\n\n");
  for (int n = 0; n < 400; ++n) {
    QStringList words, tags;
    sentence(n, words, tags);
    for (int i = 0; i < words.size(); ++i) train.write((words[i] + QLatin1Char(' ') + tags[i] + QLatin1Char('\n')).toUtf8());
    train.write("\n");
  }
  for (int n = 2000; n < 2100; ++n) {
    QStringList words, tags;
    sentence(n, words, tags);
    QJsonObject row{{QStringLiteral("tokens"), QJsonArray::fromStringList(words)}, {QStringLiteral("tags"), QJsonArray::fromStringList(tags)}};
    dev.write(QJsonDocument(row).toJson(QJsonDocument::Compact) + '\n');
  }
}

QStringList sets(const QStringList& overrides) {
  QStringList out;
  for (const auto& o : overrides) out << QStringLiteral("--set") << o;
  return out;
}

/// Every eval line of the student in a run's log.
QList<QJsonObject> studentEvals(const QString& run) {
  QList<QJsonObject> out;
  for (const QByteArray& line : bytesOf(run + QStringLiteral("/metrics.jsonl")).split('\n')) {
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    if (o.value(QStringLiteral("type")).toString() == QLatin1String("eval") &&
        o.value(QStringLiteral("model")).toString() == QLatin1String("student"))
      out << o;
  }
  return out;
}

}  // namespace

class TestTaskKinds : public QObject {
  Q_OBJECT

  QTemporaryDir m_tmp;
  QString path(const QString& name) const { return m_tmp.path() + QLatin1Char('/') + name; }

  CliResult run(const QString& preset, const QString& task, const QString& out, const QStringList& overrides) {
    return runCli(QStringList{QStringLiteral("run"), preset, QStringLiteral("--train"), path(task + QStringLiteral("-train.tsv")),
                              QStringLiteral("--dev"), path(task + QStringLiteral("-dev.tsv")), QStringLiteral("--out"), out,
                              QStringLiteral("--threads"), QStringLiteral("2")} +
                  sets(overrides));
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    writeTasks(m_tmp.path());
    writeTags(m_tmp.path());
  }

  void softTargetsOnARegressionAreRefused() {
    const CliResult r = run(QStringLiteral("quickstart"), QStringLiteral("reg"), path(QStringLiteral("refused")),
                            {QStringLiteral("task.kind=\"regression\""), QStringLiteral("task.label_column=\"score\"")});
    QCOMPARE(r.code, 1);  // an invalid experiment, as for any other invalid value
    QVERIFY2(r.err.contains(QStringLiteral("stages[0].losses.soft_targets: does not apply to a regression task")),
             qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("refused/summary.json"))));
  }

  void regressionEndToEnd() {
    const QString out = path(QStringLiteral("reg-bert"));
    const CliResult r = run(QStringLiteral("quickstart"), QStringLiteral("reg"), out,
                            {QStringLiteral("task.kind=\"regression\""), QStringLiteral("task.label_column=\"score\""),
                             QStringLiteral("task.metric=\"spearman\""), QStringLiteral("teacher.finetuning.epochs=4"),
                             QStringLiteral("teacher.finetuning.learning_rate=0.001"),
                             QStringLiteral("stages.0.losses={\"logit_mse\": 1, \"hard_labels\": 0.5}"),
                             QStringLiteral("stages.0.optim.epochs=4"), QStringLiteral("stages.0.optim.eval_every=13")});
    QVERIFY2(r.code == 0, qPrintable(r.err.right(3000)));
    QVERIFY2(r.err.contains(QStringLiteral("pearson")) && r.err.contains(QStringLiteral("(task metric spearman)")),
             qPrintable(r.err.right(2000)));
    const QJsonObject summary = jsonOf(out + QStringLiteral("/summary.json"));
    QCOMPARE(summary.value(QStringLiteral("metric")).toString(), QStringLiteral("spearman"));
    const QJsonObject teacher = summary.value(QStringLiteral("teacher")).toObject();
    const QJsonObject student = summary.value(QStringLiteral("student")).toObject();
    QVERIFY(student.value(QStringLiteral("accuracy")).isNull());  // a regression has no accuracy
    const double ts = teacher.value(QStringLiteral("score")).toDouble(), ss = student.value(QStringLiteral("score")).toDouble();
    // The marker count decides the value: both models rank the dev rows well.
    QVERIFY2(ts > 0.8 && ss > 0.6, qPrintable(QStringLiteral("teacher %1 student %2").arg(ts).arg(ss)));
    QVERIFY(std::fabs(summary.value(QStringLiteral("retention")).toDouble() - ss / ts) < 1e-9);
    const auto evals = studentEvals(out);
    QVERIFY(!evals.isEmpty());
    for (const auto& e : evals) {
      QCOMPARE(e.value(QStringLiteral("score")).toDouble(), e.value(QStringLiteral("spearman")).toDouble());
      QVERIFY(e.contains(QStringLiteral("pearson")));
    }
    const QJsonObject config = jsonOf(out + QStringLiteral("/student/config.json"));
    QCOMPARE(config.value(QStringLiteral("problem_type")).toString(), QStringLiteral("regression"));
    QCOMPARE(config.value(QStringLiteral("id2label")).toObject().size(), 1);
    const CliResult report = runCli({QStringLiteral("report"), out});
    QVERIFY2(report.code == 0, qPrintable(report.err));
    QVERIFY2(report.out.contains(QStringLiteral("spearman   %1   %2").arg(ts, 0, 'f', 4).arg(ss, 0, 'f', 4)),
             qPrintable(report.out));
  }

  void multiLabelEndToEnd() {
    const QString out = path(QStringLiteral("multi-bert"));
    const CliResult r = run(QStringLiteral("quickstart"), QStringLiteral("multi"), out,
                            {QStringLiteral("task.kind=\"multi_label\""), QStringLiteral("task.label_column=\"tags\""),
                             QStringLiteral("teacher.finetuning.epochs=8"), QStringLiteral("teacher.finetuning.learning_rate=0.001"),
                             QStringLiteral("stages.0.optim.epochs=12"), QStringLiteral("stages.0.optim.learning_rate=0.002"),
                             QStringLiteral("stages.0.optim.eval_every=26")});
    QVERIFY2(r.code == 0, qPrintable(r.err.right(3000)));
    const QJsonObject summary = jsonOf(out + QStringLiteral("/summary.json"));
    QCOMPARE(summary.value(QStringLiteral("metric")).toString(), QStringLiteral("micro_f1"));
    const double ts = summary.value(QStringLiteral("teacher")).toObject().value(QStringLiteral("score")).toDouble();
    const double ss = summary.value(QStringLiteral("student")).toObject().value(QStringLiteral("score")).toDouble();
    // Predicting both classes everywhere gives micro F1 0.59; the markers are learnt.
    QVERIFY2(ts > 0.9 && ss > 0.9, qPrintable(QStringLiteral("teacher %1 student %2").arg(ts).arg(ss)));
    const auto evals = studentEvals(out);
    QVERIFY(!evals.isEmpty());
    for (const auto& e : evals) {
      QCOMPARE(e.value(QStringLiteral("score")).toDouble(), e.value(QStringLiteral("micro_f1")).toDouble());
      QVERIFY(e.contains(QStringLiteral("macro_f1")) && e.contains(QStringLiteral("exact_match")));
      // scikit-learn's accuracy of indicator rows is the exact match.
      QCOMPARE(e.value(QStringLiteral("accuracy")).toDouble(), e.value(QStringLiteral("exact_match")).toDouble());
    }
    const QJsonObject config = jsonOf(out + QStringLiteral("/student/config.json"));
    QCOMPARE(config.value(QStringLiteral("problem_type")).toString(), QStringLiteral("multi_label_classification"));
    QCOMPARE(config.value(QStringLiteral("id2label")).toObject().value(QStringLiteral("1")).toString(), QStringLiteral("b"));
  }

  void bilstmStudents_data() {
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("column");
    QTest::addColumn<double>("floor");
    QTest::newRow("regression") << "reg" << "regression" << "score" << 0.5;
    QTest::newRow("multi_label") << "multi" << "multi_label" << "tags" << 0.6;
  }

  void bilstmStudents() {
    QFETCH(QString, task);
    QFETCH(QString, kind);
    QFETCH(QString, column);
    QFETCH(double, floor);
    const QString out = path(QStringLiteral("bilstm-") + task);
    const CliResult r = run(QStringLiteral("bilstm"), task, out,
                            {QStringLiteral("task.kind=\"%1\"").arg(kind), QStringLiteral("task.label_column=\"%1\"").arg(column),
                             QStringLiteral("teacher.finetuning.epochs=2"), QStringLiteral("teacher.finetuning.learning_rate=0.0005"),
                             QStringLiteral("stages.0.augment.passes=1"), QStringLiteral("stages.0.optim.epochs=4")});
    QVERIFY2(r.code == 0, qPrintable(r.err.right(3000)));
    const QJsonObject summary = jsonOf(out + QStringLiteral("/summary.json"));
    QCOMPARE(summary.value(QStringLiteral("student_kind")).toString(), QStringLiteral("bilstm"));
    const double ss = summary.value(QStringLiteral("student")).toObject().value(QStringLiteral("score")).toDouble();
    QVERIFY2(ss > floor, qPrintable(QStringLiteral("student %1").arg(ss)));
    // The augmented set keeps the kind's labels: numbers, or joined class names.
    const QList<QByteArray> augmented = bytesOf(out + QStringLiteral("/augmented/distill.tsv")).split('\n');
    QVERIFY(augmented.size() > 401);
    QCOMPARE(augmented.first(), QByteArray("sentence\tlabel"));
    const QByteArray label = augmented[1].split('\t').last();
    if (kind == QLatin1String("regression")) QVERIFY2(label == "0", label.constData());  // %.9g of 0.0
    else QVERIFY2(label == "a,b", label.constData());  // row 0: alpha and omega
  }

  void tokenClassificationEndToEnd() {
    const QString out = path(QStringLiteral("tags-bert"));
    const CliResult r = runCli(
        QStringList{QStringLiteral("run"), QStringLiteral("quickstart"), QStringLiteral("--train"), path(QStringLiteral("tags-train.conll")),
                    QStringLiteral("--dev"), path(QStringLiteral("tags-dev.jsonl")), QStringLiteral("--out"), out,
                    QStringLiteral("--threads"), QStringLiteral("2")} +
        sets({QStringLiteral("task.kind=\"token_classification\""),
              QStringLiteral("teacher.finetuning.epochs=4"), QStringLiteral("teacher.finetuning.learning_rate=0.001"),
              QStringLiteral("stages.0.losses={\"soft_targets\": 1, \"temperature\": 1, \"hard_labels\": 0.5}"),
              QStringLiteral("stages.0.optim.epochs=4"), QStringLiteral("stages.0.optim.learning_rate=0.002"),
              QStringLiteral("stages.0.optim.eval_every=13")}));
    QVERIFY2(r.code == 0, qPrintable(r.err.right(3000)));
    QVERIFY2(r.err.contains(QStringLiteral("(task metric entity_f1)")), qPrintable(r.err.right(2000)));
    const QJsonObject summary = jsonOf(out + QStringLiteral("/summary.json"));
    QCOMPARE(summary.value(QStringLiteral("metric")).toString(), QStringLiteral("entity_f1"));
    const QJsonObject teacher = summary.value(QStringLiteral("teacher")).toObject();
    const QJsonObject student = summary.value(QStringLiteral("student")).toObject();
    const double ts = teacher.value(QStringLiteral("score")).toDouble(), ss = student.value(QStringLiteral("score")).toDouble();
    // Tagging every word O scores 0; the invented names are learnt.
    QVERIFY2(ts > 0.85 && ss > 0.85, qPrintable(QStringLiteral("teacher %1 student %2").arg(ts).arg(ss)));
    // Word accuracy beside it: most words are O, so it is high for any model that learnt anything.
    QVERIFY(student.value(QStringLiteral("accuracy")).toDouble() > 0.9);
    const auto evals = studentEvals(out);
    QVERIFY(evals.size() >= 2);
    for (const auto& e : evals) {
      QCOMPARE(e.value(QStringLiteral("score")).toDouble(), e.value(QStringLiteral("entity_f1")).toDouble());
      const double p = e.value(QStringLiteral("entity_precision")).toDouble(), rc = e.value(QStringLiteral("entity_recall")).toDouble();
      const double f1 = p + rc > 0 ? 2 * p * rc / (p + rc) : 0.0;
      QVERIFY2(std::fabs(f1 - e.value(QStringLiteral("entity_f1")).toDouble()) < 1e-9, "F1 is the harmonic mean of P and R");
    }
    const QJsonObject config = jsonOf(out + QStringLiteral("/student/config.json"));
    QCOMPARE(config.value(QStringLiteral("architectures")).toArray().first().toString(), QStringLiteral("BertForTokenClassification"));
    QVERIFY(!config.contains(QStringLiteral("problem_type")));
    const QJsonObject labels = config.value(QStringLiteral("id2label")).toObject();
    QCOMPARE(labels.size(), 4);  // sorted
    QCOMPARE(labels.value(QStringLiteral("0")).toString(), QStringLiteral("B-LOC"));
    QCOMPARE(labels.value(QStringLiteral("2")).toString(), QStringLiteral("I-PER"));
    QCOMPARE(labels.value(QStringLiteral("3")).toString(), QStringLiteral("O"));
    const CliResult report = runCli({QStringLiteral("report"), out});
    QVERIFY2(report.code == 0, qPrintable(report.err));
    QVERIFY2(report.out.contains(QStringLiteral("entity_f1")), qPrintable(report.out));
  }

  void tokenClassificationRefusals_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bilstm") << "bilstm" << "stages[0].augment: does not apply to a token_classification: replacing words";
    QTest::newRow("bilstm without augmentation") << "bilstm" << "student.kind: a BiLSTM student classifies whole texts; a token_classification needs a BERT student";
    QTest::newRow("tsv") << "quickstart" << "task.format: \"tsv\" holds one label per row";
  }

  void tokenClassificationRefusals() {
    QFETCH(QString, preset);
    QFETCH(QString, expected);
    const bool tsv = preset == QLatin1String("quickstart");
    const bool augmented = QByteArray(QTest::currentDataTag()) == "bilstm";
    const QString out = path(QStringLiteral("refused-") + preset);
    const CliResult r = runCli(QStringList{QStringLiteral("run"), preset, QStringLiteral("--train"), path(QStringLiteral("tags-train.conll")),
                                           QStringLiteral("--dev"), path(QStringLiteral("tags-dev.jsonl")), QStringLiteral("--out"), out} +
                               sets({QStringLiteral("task.kind=\"token_classification\""),
                                     tsv ? QStringLiteral("task.format=\"tsv\"")
                                         : augmented ? QStringLiteral("seed=3")
                                                     : QStringLiteral("stages.0.augment=null")}));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(out + QStringLiteral("/summary.json")));
  }
};

QTEST_GUILESS_MAIN(TestTaskKinds)
#include "test_task_kinds.moc"
