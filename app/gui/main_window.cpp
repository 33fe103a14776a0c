#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>

#include "app/gui/checkpoint_summary.h"
#include "widgets/model/model_summary_view.h"

namespace retort {
namespace app {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("mainWindow"));
  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  m_messageBar = new QLabel(central);
  m_messageBar->setObjectName(QStringLiteral("messageBar"));
  m_messageBar->setWordWrap(true);
  m_messageBar->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_messageBar->setStyleSheet(QStringLiteral("QLabel { padding: 6px; border-radius: 4px; "
                                             "background: palette(highlight); color: palette(highlighted-text); }"));
  m_messageBar->hide();
  m_summary = new widgets::ModelSummaryView(central);
  m_summary->setObjectName(QStringLiteral("modelSummary"));
  layout->addWidget(m_messageBar);
  layout->addWidget(m_summary, 1);
  setCentralWidget(central);
  createActions();
  retranslate();
  restoreState();
}

void MainWindow::createActions() {
  m_fileMenu = menuBar()->addMenu(QString());
  m_openAction = m_fileMenu->addAction(QString(), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open Checkpoint"), QSettings().value(QStringLiteral("lastCheckpointDir")).toString());
    if (!dir.isEmpty()) openCheckpoint(dir);
  });
  m_openAction->setShortcut(QKeySequence::Open);
  m_fileMenu->addSeparator();
  m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
  m_quitAction->setShortcut(QKeySequence::Quit);
  m_helpMenu = menuBar()->addMenu(QString());
  m_aboutAction = m_helpMenu->addAction(QString(), this, [this] {
    QMessageBox::about(this, tr("About Retort"),
                       tr("<b>Retort %1</b><p>A workbench for knowledge distillation of BERT models: "
                          "pick a teacher and a student, watch the student learn, and judge what it keeps.</p>")
                           .arg(QStringLiteral(RETORT_VERSION)));
  });
}

void MainWindow::retranslate() {
  setWindowTitle(tr("Retort — distillation workbench"));
  m_fileMenu->setTitle(tr("&File"));
  m_openAction->setText(tr("&Open Checkpoint…"));
  m_openAction->setStatusTip(tr("Open a model directory in the Hugging Face layout"));
  m_quitAction->setText(tr("&Quit"));
  m_helpMenu->setTitle(tr("&Help"));
  m_aboutAction->setText(tr("&About Retort"));
  statusBar()->showMessage(tr("Ready"));
}

bool MainWindow::openCheckpoint(const QString& directory) {
  try {
    m_summary->setSummary(summarizeCheckpoint(directory));
    QSettings().setValue(QStringLiteral("lastCheckpointDir"), directory);
    m_messageBar->hide();
    m_lastError.clear();
    statusBar()->showMessage(tr("Opened %1").arg(directory), 5000);
    return true;
  } catch (const std::exception& e) {
    showError(tr("Could not open the checkpoint: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

QString MainWindow::lastError() const { return m_lastError; }

void MainWindow::showError(const QString& text) {
  m_lastError = text;
  m_messageBar->setText(text);
  m_messageBar->show();
}

void MainWindow::restoreState() {
  QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray()))
    resize(900, 600);
  QMainWindow::restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("mainWindow/state"), saveState());
  event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QMainWindow::changeEvent(event);
}

}  // namespace app
}  // namespace retort
