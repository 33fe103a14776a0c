#pragma once
// The stages table (name, kind, epochs, learning rate, batch size, schedule, warmup, weight
// decay) and the loss weights of the selected stage, on core's StageSpec.

#include <QWidget>

#include <vector>

#include "core/distill/experiment.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace retort {
namespace widgets {
class LossWeightsPanel;
}  // namespace widgets
}  // namespace retort

namespace retort {
namespace app {

class StagesPanel : public QWidget {
  Q_OBJECT
 public:
  explicit StagesPanel(QWidget* parent = nullptr);
  void load(const std::vector<distill::StageSpec>& stages);
  void store(std::vector<distill::StageSpec>& stages) const { stages = m_stages; }
  const std::vector<distill::StageSpec>& stages() const { return m_stages; }
  QTableWidget* table() const { return m_table; }
  widgets::LossWeightsPanel* losses() const { return m_losses; }

 Q_SIGNALS:
  void edited();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void fillRow(int row);
  void showLosses(int row);
  /// Applies an edited cell; false (and the cell shows the old value) when it is not valid.
  bool applyCell(int row, int column, const QString& value);

  std::vector<distill::StageSpec> m_stages;
  QTableWidget* m_table;
  QPushButton *m_add, *m_remove;
  widgets::LossWeightsPanel* m_losses;
  QLabel* m_lossTitle;
  int m_current = -1;
  bool m_filling = false;
};

}  // namespace app
}  // namespace retort
