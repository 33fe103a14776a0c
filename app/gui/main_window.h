#pragma once
// Retort's main window. For now: open a checkpoint and see its architecture; later issues
// add the experiment panels, live curves and attention views.

#include <QMainWindow>

class QAction;
class QLabel;

namespace retort {
namespace widgets {
class ModelSummaryView;
}  // namespace widgets
}  // namespace retort

namespace retort {
namespace app {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  /// Opens a checkpoint directory; on failure the error is shown in the window's message
  /// bar (objectName "messageBar") and false is returned.
  bool openCheckpoint(const QString& directory);
  /// The last error shown, or empty.
  QString lastError() const;

 protected:
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void createActions();
  void retranslate();
  void showError(const QString& text);
  void restoreState();

  widgets::ModelSummaryView* m_summary;
  QLabel* m_messageBar;
  QAction* m_openAction;
  QAction* m_quitAction;
  QAction* m_aboutAction;
  QMenu* m_fileMenu;
  QMenu* m_helpMenu;
  QString m_lastError;
};

}  // namespace app
}  // namespace retort
