// GLUE's nine tasks as their unzipped folders lay them out (core/data/glue.h): each task's
// files are read through readDataset with its columns, in files written here with the real
// headers (CoLA without one), and the folder is found from the GLUE root or the task's own.

#include <QtTest/QtTest>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

#include "core/data/dataset.h"
#include "core/data/glue.h"
#include "test_util.h"

namespace fs = std::filesystem;
using namespace retort::data;

namespace {

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

DatasetSpec specOf(const GlueTask& t, const std::string& path) {
  DatasetSpec s;
  s.path = path;
  s.format = "tsv";
  s.columns = t.columns;
  s.textColumn = t.textColumn;
  s.pairColumn = t.pairColumn;
  s.labelColumn = t.labelColumn;
  return s;
}

/// A GLUE root with every task's train and dev files: two or three rows each, in the
/// layouts of the official download (headers as they are there; MNLI's train and dev files
/// have different columns).
void makeGlue(const fs::path& root) {
  write(root / "CoLA/train.tsv", "gj04\t1\t\tOur friends won't buy this analysis.\n"
                                 "gj04\t0\t*\tThey drank the pub.\n");
  write(root / "CoLA/dev.tsv", "gj04\t1\t\tThe sailors rode the breeze clear of the rocks.\n");
  write(root / "SST-2/train.tsv", "sentence\tlabel\nhide new secretions \t0\na gorgeous film \t1\n");
  write(root / "SST-2/dev.tsv", "sentence\tlabel\nit 's a charming journey . \t1\n");
  const std::string mrpc = "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n";
  write(root / "MRPC/train.tsv", mrpc + "1\t702876\t702977\tAmrozi accused his brother.\tReferring to him, Amrozi accused.\n"
                                        "0\t2108705\t2108831\tYucaipa owned Dominick's.\tYucaipa bought Dominick's in 1995.\n");
  write(root / "MRPC/dev.tsv", mrpc + "1\t1\t2\tHe said yes.\tHe agreed.\n");
  const std::string qqp = "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n";
  write(root / "QQP/train.tsv", qqp + "133273\t213221\t213222\tHow is the life of a math student?\tWhich level of prepration is enough?\t0\n"
                                      "402555\t536040\t536041\tHow do I control my horny emotions?\tHow do you control your horniness?\t1\n");
  write(root / "QQP/dev.tsv", qqp + "1\t2\t3\tWhy?\tWhy not?\t0\n");
  const std::string sts = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n";
  write(root / "STS-B/train.tsv", sts + "0\tmain-captions\tMSRvid\t2012test\t0001\tnone\tnone\tA plane is taking off.\tAn air plane is taking off.\t5.000\n");
  write(root / "STS-B/dev.tsv", sts + "0\tmain-captions\tMSRvid\t2012test\t0000\tnone\tnone\tA man with a hard hat is dancing.\tA man wearing a hard hat is dancing.\t5.000\n");
  const std::string mnliTrain = "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse\t"
                                "sentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label\n";
  write(root / "MNLI/train.tsv", mnliTrain + "0\t31193\t31193n\tgovernment\t( ( x ) )\t( y )\t(ROOT x)\t(ROOT y)\t"
                                             "Conceptually cream skimming has two basic dimensions.\tProduct and geography are what make cream skimming work.\tneutral\tneutral\n"
                                             "1\t101457\t101457e\ttelephone\t( a )\t( b )\t(ROOT a)\t(ROOT b)\tyou know during the season\tYou lose the things.\tentailment\tentailment\n"
                                             "2\t134793\t134793e\tfiction\t( c )\t( d )\t(ROOT c)\t(ROOT d)\tOne of our number will carry out your instructions.\tA member of my team will execute your orders.\tcontradiction\tcontradiction\n");
  const std::string mnliDev = "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse\t"
                              "sentence2_parse\tsentence1\tsentence2\tlabel1\tlabel2\tlabel3\tlabel4\tlabel5\tgold_label\n";
  write(root / "MNLI/dev_matched.tsv", mnliDev + "0\t63735\t63735n\tslate\t( a )\t( b )\t(ROOT a)\t(ROOT b)\tThe new rights are nice enough\t"
                                                 "Everyone really likes the newest benefits \tneutral\tentailment\tneutral\tneutral\tneutral\tneutral\n");
  write(root / "MNLI/dev_mismatched.tsv", mnliDev + "0\t75290\t75290c\tletters\t( a )\t( b )\t(ROOT a)\t(ROOT b)\tYour contribution helped.\t"
                                                    "Your contributions were of no help.\tcontradiction\tcontradiction\tcontradiction\tcontradiction\tcontradiction\tcontradiction\n"
                                                    "1\t1\t1e\tletters\t( a )\t( b )\t(ROOT a)\t(ROOT b)\tA.\tB.\tentailment\tentailment\tentailment\tentailment\tentailment\tentailment\n");
  const std::string qnli = "index\tquestion\tsentence\tlabel\n";
  write(root / "QNLI/train.tsv", qnli + "0\tWhen did the third Digimon series begin?\tUnlike the two seasons before it.\tnot_entailment\n"
                                        "1\tWhich missile batteries often have individual launchers?\tWhen MANPADS is operated by specialists.\tentailment\n");
  write(root / "QNLI/dev.tsv", qnli + "0\tWhat came into force after the new constitution was herald?\tAs of that day, the new constitution came into force.\tentailment\n");
  const std::string pairs = "index\tsentence1\tsentence2\tlabel\n";
  write(root / "RTE/train.tsv", pairs + "0\tNo Weapons of Mass Destruction Found in Iraq Yet.\tWeapons of Mass Destruction Found in Iraq.\tnot_entailment\n"
                                        "1\tA place of sorrow.\tPope Benedict XVI is the new leader.\tentailment\n");
  write(root / "RTE/dev.tsv", pairs + "0\tDana Reeve died.\tChristopher Reeve had an accident.\tnot_entailment\n");
  write(root / "WNLI/train.tsv", pairs + "0\tI stuck a pin through a carrot.\tThe carrot had a hole.\t1\n"
                                         "1\tJohn couldn't see the stage.\tJohn is so tall.\t0\n");
  write(root / "WNLI/dev.tsv", pairs + "0\tThe drain is clogged with hair.\tThe hair has to be cleaned.\t0\n");
}

}  // namespace

class TestGlue : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    m_root = fs::path(m_dir.path().toStdString());
    makeGlue(m_root);
  }

  void everyTaskReadsFromItsFolder_data() {
    QTest::addColumn<QString>("task");
    QTest::addColumn<int>("train");
    QTest::addColumn<int>("dev");
    QTest::addColumn<QString>("firstText");
    QTest::addColumn<QString>("firstPair");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QString>("metric");
    const QStringList binary{QStringLiteral("0"), QStringLiteral("1")};
    const QStringList nli{QStringLiteral("entailment"), QStringLiteral("not_entailment")};
    const QStringList mnli{QStringLiteral("contradiction"), QStringLiteral("entailment"), QStringLiteral("neutral")};
    QTest::newRow("cola") << "cola" << 2 << 1 << "Our friends won't buy this analysis." << "" << binary << "mcc";
    QTest::newRow("sst2") << "SST-2" << 2 << 1 << "hide new secretions" << "" << binary << "accuracy";
    QTest::newRow("mrpc") << "mrpc" << 2 << 1 << "Amrozi accused his brother." << "Referring to him, Amrozi accused." << binary << "f1";
    QTest::newRow("qqp") << "QQP" << 2 << 1 << "How is the life of a math student?" << "Which level of prepration is enough?" << binary << "f1";
    QTest::newRow("mnli") << "mnli" << 3 << 1 << "Conceptually cream skimming has two basic dimensions."
                          << "Product and geography are what make cream skimming work." << mnli << "accuracy";
    QTest::newRow("mnli-mm") << "mnli_mismatched" << 3 << 2 << "Conceptually cream skimming has two basic dimensions."
                             << "Product and geography are what make cream skimming work." << mnli << "accuracy";
    QTest::newRow("qnli") << "qnli" << 2 << 1 << "When did the third Digimon series begin?" << "Unlike the two seasons before it." << nli << "accuracy";
    QTest::newRow("rte") << "RTE" << 2 << 1 << "No Weapons of Mass Destruction Found in Iraq Yet."
                         << "Weapons of Mass Destruction Found in Iraq." << nli << "accuracy";
    QTest::newRow("wnli") << "wnli" << 2 << 1 << "I stuck a pin through a carrot." << "The carrot had a hole." << binary << "accuracy";
  }

  void everyTaskReadsFromItsFolder() {
    QFETCH(QString, task);
    QFETCH(int, train);
    QFETCH(int, dev);
    QFETCH(QString, firstText);
    QFETCH(QString, firstPair);
    QFETCH(QStringList, labels);
    QFETCH(QString, metric);
    const auto& t = glueTask(task.toStdString());
    QCOMPARE(QString::fromStdString(t.metric), metric);
    QCOMPARE(t.kind, std::string("classification"));
    const auto files = glueFiles(t, m_root.string());
    const auto tr = readDataset(specOf(t, files.train));
    QCOMPARE(static_cast<int>(tr.examples.size()), train);
    QCOMPARE(QString::fromStdString(tr.examples[0].text).trimmed(), firstText);
    QCOMPARE(QString::fromStdString(tr.examples[0].pair), firstPair);
    // The classes a file gives, sorted, are Hugging Face's order for each task.
    QStringList got;
    for (const auto& l : tr.labels) got << QString::fromStdString(l);
    QCOMPARE(got, labels);
    QStringList expected;
    for (const auto& l : t.labels) expected << QString::fromStdString(l);
    QCOMPARE(got, expected);
    const auto dv = readDataset(specOf(t, files.dev), tr.labels);
    QCOMPARE(static_cast<int>(dv.examples.size()), dev);
    // The task's own folder works as well as the GLUE root.
    const auto direct = glueFiles(t, (m_root / t.folder).string());
    QCOMPARE(direct.train, files.train);
    QCOMPARE(direct.dev, files.dev);
  }

  void colaHasNoHeaderRow() {
    const auto& t = glueTask("cola");
    const auto d = readDataset(specOf(t, glueFiles(t, m_root.string()).train));
    QCOMPARE(d.examples[1].text, std::string("They drank the pub."));
    QCOMPARE(d.labels[static_cast<size_t>(d.examples[1].label)], std::string("0"));
    // Read with a header row instead, its first record would be the header: a different count.
    DatasetSpec asHeader = specOf(t, glueFiles(t, m_root.string()).train);
    asHeader.columns.clear();
    const QString message = retort::test::thrownMessage([&] { readDataset(asHeader); });
    QVERIFY2(message.contains(QStringLiteral("the header has no text column \"sentence\"")), qPrintable(message));
  }

  void mnliMismatchedReadsItsOwnDevFile() {
    const auto matched = glueFiles(glueTask("mnli"), m_root.string());
    const auto mismatched = glueFiles(glueTask("MNLI-MM"), m_root.string());
    QCOMPARE(matched.train, mismatched.train);
    QVERIFY(QString::fromStdString(matched.dev).endsWith(QStringLiteral("MNLI/dev_matched.tsv")));
    QVERIFY(QString::fromStdString(mismatched.dev).endsWith(QStringLiteral("MNLI/dev_mismatched.tsv")));
  }

  void stsbIsRegression() {
    const auto& t = glueTask("STS-B");
    QCOMPARE(t.kind, std::string("regression"));
    QCOMPARE(t.labelColumn, std::string("score"));
    QCOMPARE(t.metric, std::string("pearson"));
    QVERIFY(t.labels.empty());
  }

  void messagesNameWhatIsMissing() {
    const QString unknown = retort::test::thrownMessage([] { glueTask("squad"); });
    QCOMPARE(unknown, QStringLiteral("unknown GLUE task \"squad\" (the tasks: cola, sst2, mrpc, qqp, stsb, mnli, mnli-mm, "
                                     "qnli, rte, wnli)"));
    QTemporaryDir empty;
    const QString none = retort::test::thrownMessage([&] { glueFiles(glueTask("rte"), empty.path().toStdString()); });
    QVERIFY2(none.startsWith(QStringLiteral("GLUE RTE: neither ")) && none.contains(QStringLiteral("/RTE/train.tsv nor ")),
             qPrintable(none));
    fs::create_directories(fs::path(empty.path().toStdString()) / "RTE");
    std::ofstream(empty.path().toStdString() + "/RTE/train.tsv") << "index\tsentence1\tsentence2\tlabel\n";
    const QString noDev = retort::test::thrownMessage([&] { glueFiles(glueTask("rte"), empty.path().toStdString()); });
    QVERIFY2(noDev.endsWith(QStringLiteral("/RTE/dev.tsv: no such file (GLUE RTE's dev set)")), qPrintable(noDev));
    const QString noFolder = retort::test::thrownMessage([] { glueFiles(glueTask("rte"), "/nonexistent/glue"); });
    QCOMPARE(noFolder, QStringLiteral("/nonexistent/glue: no such folder (the unzipped GLUE data)"));
  }

 private:
  QTemporaryDir m_dir;
  fs::path m_root;
};

QTEST_GUILESS_MAIN(TestGlue)
#include "test_glue.moc"
