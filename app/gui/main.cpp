// retort: the desktop workbench.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include <cstdio>
#include <memory>

#include "app/gui/main_window.h"
#include "app/gui/probe_controller.h"
#include "core/util/runtime.h"

int main(int argc, char** argv) {
  retort::util::ensurePassiveOpenMp(argv);
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Retort"));
  QApplication::setApplicationName(QStringLiteral("Retort"));
  QApplication::setApplicationVersion(QStringLiteral(RETORT_VERSION));
  QGuiApplication::setDesktopFileName(QStringLiteral("io.github.retort.Retort"));
  QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.github.retort.Retort")));

  // Language: the "language" setting (e.g. "de", "zh_CN") or the system's.
  const QString language = QSettings().value(QStringLiteral("language")).toString();
  const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
  QTranslator qtTranslator, retortTranslator;
  if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                        QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    QApplication::installTranslator(&qtTranslator);
  if (retortTranslator.load(locale, QStringLiteral("retort"), QStringLiteral("_"), QStringLiteral(":/i18n")))
    QApplication::installTranslator(&retortTranslator);

  QCommandLineParser parser;
  parser.setApplicationDescription(QCoreApplication::translate("main", "Retort: a workbench for knowledge distillation of BERT models"));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("input"),
                               QCoreApplication::translate("main", "An experiment file, a preset name (demo, tinybert, ...) or a checkpoint directory"));
  const QCommandLineOption run(QStringLiteral("run"), QCoreApplication::translate("main", "Start the experiment right away"));
  const QCommandLineOption shots(QStringLiteral("screenshots"),
                                 QCoreApplication::translate("main", "While running, save a picture of each view into DIR"),
                                 QStringLiteral("DIR"));
  const QCommandLineOption quit(QStringLiteral("quit-after-run"), QCoreApplication::translate("main", "Quit when the run ends"));
  const QCommandLineOption presenter(QStringLiteral("presenter"), QCoreApplication::translate("main", "Start in presenter mode"));
  parser.addOptions({run, shots, quit, presenter});
  parser.process(app);

  retort::util::setThreads(0);
  retort::app::MainWindow window;
  window.show();
  window.raise();
  window.activateWindow();  // Ctrl+R works before anyone clicks into the window
  if (!parser.positionalArguments().isEmpty()) {
    const QString input = parser.positionalArguments().first();
    if (QFileInfo::exists(input + QStringLiteral("/config.json"))) window.openCheckpoint(input);
    else if (QFileInfo(input).isFile()) window.openExperiment(input);
    else window.openPreset(input);
  }
  if (parser.isSet(presenter)) window.setPresenterMode(true);
  if (parser.isSet(shots)) {
    // Screenshots of each view while the run goes on (the latest picture per view), then the
    // results when it ends.
    const QString dir = parser.value(shots);
    QDir().mkpath(dir);
    auto* timer = new QTimer(&window);
    auto grab = [&window, dir](int tab, const QString& name) {
      window.viewTabs()->setCurrentIndex(tab);
      QCoreApplication::processEvents();
      window.grab().save(QDir(dir).filePath(name));
    };
    int tick = 0;
    QObject::connect(timer, &QTimer::timeout, &window, [=, &window]() mutable {
      if (!window.isRunning()) return;
      const int view = tick++ % 2;
      grab(view, view == 0 ? QStringLiteral("loss-curves.png") : QStringLiteral("attention.png"));
    });
    timer->start(4000);
    QObject::connect(&window, &retort::app::MainWindow::runFinished, &window, [=, &window](bool) {
      timer->stop();
      grab(2, QStringLiteral("results.png"));
      window.setupTabs()->setCurrentIndex(3);
      grab(0, QStringLiteral("mapping-and-curves.png"));
    });
  }
  if (parser.isSet(quit))
    QObject::connect(&window, &retort::app::MainWindow::runFinished, &app, [&window](bool ok) {
      std::fprintf(stderr, "retort: run %s; longest GUI-thread stall %.1f ms\n", ok ? "finished" : "failed",
                   window.longestStallMs());
      QCoreApplication::exit(ok ? 0 : 1);
    });
  auto startRun = [&window] {
    if (!window.startRun() && QCoreApplication::arguments().contains(QStringLiteral("--quit-after-run"))) QCoreApplication::exit(1);
  };
  if (parser.isSet(run) && parser.isSet(shots)) {
    // First the window as a new user sees it: the teacher's attention on the probe before
    // training (once the probe is in, or after 30 s), then the run.
    const QString dir = parser.value(shots);
    auto started = std::make_shared<bool>(false);
    auto beforeRun = [&window, dir, started, startRun] {
      if (*started) return;
      *started = true;
      window.viewTabs()->setCurrentIndex(1);
      QCoreApplication::processEvents();
      window.grab().save(QDir(dir).filePath(QStringLiteral("before-run.png")));
      startRun();
    };
    QObject::connect(window.probes(), &retort::app::ProbeController::snapshotReady, &window,
                     [beforeRun] { QTimer::singleShot(500, beforeRun); });
    QTimer::singleShot(30000, &window, beforeRun);
  } else if (parser.isSet(run)) {
    QTimer::singleShot(0, &window, startRun);
  }
  return QApplication::exec();
}
