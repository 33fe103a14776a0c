// retort: the desktop workbench.

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include "app/gui/main_window.h"
#include "core/util/runtime.h"

int main(int argc, char** argv) {
  retort::util::ensurePassiveOpenMp(argv);
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Retort"));
  QApplication::setApplicationName(QStringLiteral("Retort"));
  QApplication::setApplicationVersion(QStringLiteral(RETORT_VERSION));

  // Language: the "language" setting (e.g. "de", "zh_CN") or the system's.
  const QString language = QSettings().value(QStringLiteral("language")).toString();
  const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
  QTranslator qtTranslator, retortTranslator;
  if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                        QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    QApplication::installTranslator(&qtTranslator);
  if (retortTranslator.load(locale, QStringLiteral("retort"), QStringLiteral("_"), QStringLiteral(":/i18n")))
    QApplication::installTranslator(&retortTranslator);

  retort::util::setThreads(0);
  retort::app::MainWindow window;
  window.show();
  const QStringList args = QApplication::arguments();
  if (args.size() > 1) window.openCheckpoint(args.at(1));
  return QApplication::exec();
}
