#include "app/gui/document_controller.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

#include "app/gui/setup_panels.h"
#include "core/util/resources.h"

namespace retort {
namespace app {

namespace {
constexpr int kRecentFiles = 8;
}  // namespace

DocumentController::DocumentController(SetupPanels* panels, QWidget* window)
    : QObject(window), m_panels(panels), m_window(window) {
  m_new = new QAction(window);
  m_new->setShortcut(QKeySequence::New);
  connect(m_new, &QAction::triggered, this, [this] {
    if (maybeSave()) openPreset(QStringLiteral("quickstart"));
  });
  m_open = new QAction(window);
  m_open->setShortcut(QKeySequence::Open);
  connect(m_open, &QAction::triggered, this, [this] {
    if (!maybeSave()) return;
    const QString file = QFileDialog::getOpenFileName(m_window, tr("Open Experiment"), baseDir(), tr("Experiments (*.json)"));
    if (!file.isEmpty()) openExperiment(file);
  });
  m_save = new QAction(window);
  m_save->setShortcut(QKeySequence::Save);
  connect(m_save, &QAction::triggered, this, [this] {
    if (m_path.isEmpty()) m_saveAs->trigger();
    else saveExperiment(m_path);
  });
  m_saveAs = new QAction(window);
  m_saveAs->setShortcut(QKeySequence::SaveAs);
  connect(m_saveAs, &QAction::triggered, this, [this] {
    const QString file = QFileDialog::getSaveFileName(m_window, tr("Save Experiment"), m_path, tr("Experiments (*.json)"));
    if (!file.isEmpty()) saveExperiment(file);
  });
  for (QAction* a : {m_new, m_open, m_save, m_saveAs}) a->setShortcutContext(Qt::WindowShortcut);
  m_recent = new QMenu(window);
  m_presets = new QMenu(window);
  try {
    for (const auto& name : util::presetNames()) {
      const QString n = QString::fromStdString(name);
      m_presets->addAction(n, this, [this, n] {
        if (maybeSave()) openPreset(n);
      });
    }
  } catch (const std::exception& e) {
    m_presets->setToolTip(QString::fromUtf8(e.what()));
  }
  connect(m_panels, &SetupPanels::edited, this, &DocumentController::markModified);
  retranslate();
}

void DocumentController::retranslate() {
  m_new->setText(tr("&New Experiment"));
  m_open->setText(tr("&Open Experiment…"));
  m_recent->setTitle(tr("Open &Recent"));
  m_presets->setTitle(tr("&Presets"));
  m_save->setText(tr("&Save"));
  m_saveAs->setText(tr("Save &As…"));
  updateRecentMenu();
}

QString DocumentController::baseDir() const {
  const QString base = m_doc.baseDir();
  return base.isEmpty() ? QDir::currentPath() : base;
}

ExperimentDocument DocumentController::current() const {
  ExperimentDocument d = m_doc;
  m_panels->store(d);
  return d;
}

void DocumentController::markModified() {
  if (m_modified) return;
  m_modified = true;
  Q_EMIT modifiedChanged(true);
}

void DocumentController::setProbe(const QString& text) {
  m_doc.experiment().observer.probe = text.toStdString();
  markModified();
}

void DocumentController::show(const ExperimentDocument& document, const QString& path) {
  m_doc = document;
  m_path = path;
  m_panels->load(m_doc);
  m_modified = false;
  Q_EMIT modifiedChanged(false);
  Q_EMIT titleChanged(path.isEmpty() ? m_doc.name() : QFileInfo(path).fileName());
  Q_EMIT loaded(m_doc);
}

bool DocumentController::openExperiment(const QString& path) {
  try {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    show(ExperimentDocument::load(absolute), absolute);
    addRecent(absolute);
    QSettings().setValue(QStringLiteral("lastExperiment"), absolute);
    return true;
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(tr("Could not open the experiment: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

bool DocumentController::openPreset(const QString& name) {
  try {
    show(ExperimentDocument::preset(name), QString());
    QSettings().setValue(QStringLiteral("lastPreset"), name);
    Q_EMIT statusMessage(tr("Preset \"%1\" loaded; Start runs it.").arg(name), 6000);
    return true;
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(tr("Could not open the preset: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

bool DocumentController::saveExperiment(const QString& path) {
  const QString target = QFileInfo(path).absoluteFilePath();
  ExperimentDocument d = current();
  try {
    // What core reads back from the file: refuse to write what it would reject.
    d.validated(target);
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(tr("Could not save the experiment: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
  QString error;
  if (!d.save(target, &error)) {
    Q_EMIT errorOccurred(tr("Could not save the experiment: %1: %2").arg(target, error));
    return false;
  }
  m_doc = d;
  m_path = target;
  m_modified = false;
  Q_EMIT modifiedChanged(false);
  Q_EMIT titleChanged(QFileInfo(target).fileName());
  addRecent(target);
  QSettings().setValue(QStringLiteral("lastExperiment"), target);
  Q_EMIT saved(target);
  Q_EMIT statusMessage(tr("Saved %1").arg(target), 5000);
  return true;
}

bool DocumentController::maybeSave() {
  if (!m_modified) return true;
  const auto answer = QMessageBox::question(m_window, tr("Unsaved changes"),
                                            tr("The experiment has unsaved changes. Save them?"),
                                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (answer == QMessageBox::Cancel) return false;
  if (answer == QMessageBox::Save) {
    if (m_path.isEmpty()) {
      const QString file = QFileDialog::getSaveFileName(m_window, tr("Save Experiment"), QString(), tr("Experiments (*.json)"));
      return !file.isEmpty() && saveExperiment(file);
    }
    return saveExperiment(m_path);
  }
  return true;
}

void DocumentController::addRecent(const QString& path) {
  QSettings s;
  QStringList recent = s.value(QStringLiteral("recentExperiments")).toStringList();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kRecentFiles) recent.removeLast();
  s.setValue(QStringLiteral("recentExperiments"), recent);
  updateRecentMenu();
}

void DocumentController::updateRecentMenu() {
  m_recent->clear();
  const QStringList recent = QSettings().value(QStringLiteral("recentExperiments")).toStringList();
  for (const QString& path : recent)
    m_recent->addAction(QFileInfo(path).fileName(), this, [this, path] {
      if (maybeSave()) openExperiment(path);
    })->setToolTip(path);
  m_recent->setEnabled(!recent.isEmpty());
}

}  // namespace app
}  // namespace retort
