#pragma once
// Shows a model's architecture: layers, hidden size, heads, feed-forward size, vocabulary,
// classes, parameters and size. Takes plain data; knows nothing of LibTorch.

#include <QString>
#include <QStringList>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace retort {
namespace widgets {

/// Plain description of a model for display.
struct ArchitectureSummary {
  QString source;          ///< where it came from (a directory)
  qint64 layers = 0;
  qint64 hidden = 0;
  qint64 heads = 0;
  qint64 ffn = 0;
  qint64 vocab = 0;
  qint64 maxPositions = 0;
  QString activation;
  QStringList labels;      ///< class names; empty = no classifier
  bool mlmHead = false;
  qint64 parameters = 0;
  double sizeMb = 0.0;     ///< float32 size in MB (10^6 bytes)
  QString tokenizer;       ///< "wordpiece", "sentencepiece" or empty
};

class ModelSummaryView : public QWidget {
  Q_OBJECT
 public:
  explicit ModelSummaryView(QWidget* parent = nullptr);

  void setSummary(const ArchitectureSummary& summary);
  void clear();
  /// The text shown in the value column of a row, by its key ("layers", "parameters", ...).
  QString valueText(const QString& key) const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void fill();

  QLabel* m_title;
  QTableWidget* m_table;
  ArchitectureSummary m_summary;
  bool m_hasSummary = false;
};

/// "110.1 M" / "4.4 M" / "312 k" style count.
QString formatCount(qint64 n);

}  // namespace widgets
}  // namespace retort
