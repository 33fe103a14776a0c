// Drives the real main window (offscreen): open a checkpoint, see its architecture; open a
// broken one, see a readable message and no crash.

#include <QtTest/QtTest>
#include <QLabel>
#include <QMenuBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTranslator>

#include <fstream>

#include "app/gui/main_window.h"
#include "test_util.h"
#include "widgets/model/model_summary_view.h"

using retort::app::MainWindow;
using retort::widgets::ModelSummaryView;

class TestMainWindow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void opensCheckpoint() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* summary = w.findChild<ModelSummaryView*>(QStringLiteral("modelSummary"));
    QVERIFY(summary);
    QVERIFY(w.openCheckpoint(QString::fromStdString(retort::test::fixture("bert/tiny"))));
    QCOMPARE(summary->valueText(QStringLiteral("layers")), QStringLiteral("3"));
    QCOMPARE(summary->valueText(QStringLiteral("hidden")), QStringLiteral("16"));
    QCOMPARE(summary->valueText(QStringLiteral("heads")), QStringLiteral("4"));
    QCOMPARE(summary->valueText(QStringLiteral("classes")), QStringLiteral("negative, neutral, positive"));
    QCOMPARE(summary->valueText(QStringLiteral("tokenizer")), QStringLiteral("wordpiece"));
    QCOMPARE(summary->valueText(QStringLiteral("mlm")), QStringLiteral("yes"));
    // 50*16 + 20*16 + 2*16 + 32 embeddings; 3 layers; pooler; classifier; MLM head.
    const qint64 layer = 4 * (16 * 16 + 16) + 32 + 16 * 24 + 24 + 24 * 16 + 16 + 32;
    const qint64 total = (50 + 20 + 2) * 16 + 32 + 3 * layer + (16 * 16 + 16) + (16 * 3 + 3) +
                         (16 * 16 + 16 + 32 + 50);
    QCOMPARE(summary->valueText(QStringLiteral("parameters")), retort::widgets::formatCount(total));
    QVERIFY(w.lastError().isEmpty());
  }

  void brokenCheckpointShowsMessage() {
    QTemporaryDir tmp;
    std::ofstream(tmp.filePath(QStringLiteral("config.json")).toStdString()) << "{ not json";
    MainWindow w;
    w.show();
    QVERIFY(!w.openCheckpoint(tmp.path()));
    auto* bar = w.findChild<QLabel*>(QStringLiteral("messageBar"));
    QVERIFY(bar);
    QVERIFY(bar->isVisible());
    QVERIFY2(bar->text().contains(QStringLiteral("config.json: not valid JSON")), qPrintable(bar->text()));
    // A good checkpoint afterwards clears the message.
    QVERIFY(w.openCheckpoint(QString::fromStdString(retort::test::fixture("bert/tiny"))));
    QVERIFY(!bar->isVisible());
  }

  void germanTranslationIsLoaded() {
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QStringLiteral("de")), QStringLiteral("retort"), QStringLiteral("_"),
                            QStringLiteral(":/i18n")));
    QCoreApplication::installTranslator(&translator);
    MainWindow w;
    auto* summary = w.findChild<ModelSummaryView*>(QStringLiteral("modelSummary"));
    QVERIFY(w.openCheckpoint(QString::fromStdString(retort::test::fixture("bert/tiny"))));
    QCOMPARE(w.menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
    QCOMPARE(summary->valueText(QStringLiteral("mlm")), QStringLiteral("ja"));
    QCoreApplication::removeTranslator(&translator);
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
