#pragma once
// The experiment file behind the window: new (the quickstart preset), open, presets, save,
// save as, the recent files and the modified state. The document is core's (see
// experiment_document.h); the set-up panels show it and store edits back into it.

#include <QObject>
#include <QString>

#include "app/gui/experiment_document.h"

class QAction;
class QMenu;
class QWidget;

namespace retort {
namespace app {

class SetupPanels;

class DocumentController : public QObject {
  Q_OBJECT
 public:
  DocumentController(SetupPanels* panels, QWidget* window);

  /// Opens an experiment file; false (and errorOccurred with core's message) when it cannot.
  bool openExperiment(const QString& path);
  /// Opens resources/presets/<name>.json as a new, unsaved experiment.
  bool openPreset(const QString& name);
  /// Writes core's toJson() of the document as the panels show it to `path` atomically.
  bool saveExperiment(const QString& path);
  /// Asks whether to save unsaved changes; false when the user cancels.
  bool maybeSave();

  /// The document as the panels show it.
  ExperimentDocument current() const;
  QString path() const { return m_path; }
  QString baseDir() const;
  bool isModified() const { return m_modified; }
  void markModified();
  /// The probe sentence of the attention view (observer.probe).
  void setProbe(const QString& text);

  QAction* newAction() const { return m_new; }
  QAction* openAction() const { return m_open; }
  QAction* saveAction() const { return m_save; }
  QAction* saveAsAction() const { return m_saveAs; }
  QMenu* recentMenu() const { return m_recent; }
  QMenu* presetMenu() const { return m_presets; }
  void retranslate();

 Q_SIGNALS:
  /// A document was opened (or a preset): the panels show it.
  void loaded(const retort::app::ExperimentDocument& document);
  void saved(const QString& path);
  void modifiedChanged(bool modified);
  /// The window title's file part changed.
  void titleChanged(const QString& title);
  void errorOccurred(const QString& text);
  void statusMessage(const QString& text, int timeoutMs);

 private:
  void show(const ExperimentDocument& document, const QString& path);
  void addRecent(const QString& path);
  void updateRecentMenu();

  SetupPanels* m_panels;
  QWidget* m_window;
  ExperimentDocument m_doc;   ///< as opened or last saved; the panels hold the edits
  QString m_path;
  bool m_modified = false;
  QAction *m_new, *m_open, *m_save, *m_saveAs;
  QMenu *m_recent, *m_presets;
};

}  // namespace app
}  // namespace retort
