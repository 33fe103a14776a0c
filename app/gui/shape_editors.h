#pragma once
// The architecture spin boxes (layers, hidden, heads, FFN) that the teacher and the student
// panels share, read from and written to core's BertShape.

#include <QString>

#include <functional>

#include "core/distill/experiment.h"

class QFormLayout;
class QSpinBox;
class QWidget;

namespace retort {
namespace app {

struct ShapeEditors {
  QSpinBox *layers = nullptr, *hidden = nullptr, *heads = nullptr, *ffn = nullptr;
};

/// A spin box with a range and a step.
QSpinBox* makeSpinBox(int min, int max, int step, QWidget* parent);
/// Four rows in `form`; `changed` runs on every user change.
ShapeEditors makeShapeEditors(QWidget* parent, QFormLayout* form, const std::function<void()>& changed);
void retranslateShape(QFormLayout* form, const ShapeEditors& editors);
/// Shows a shape without emitting changes.
void loadShape(const ShapeEditors& editors, const distill::BertShape& shape);
/// Writes layers, hidden, heads and FFN; the other fields of `shape` are kept.
void storeShape(const ShapeEditors& editors, distill::BertShape& shape);
/// "12.34" (millions, two decimals).
QString millions(long long n);

}  // namespace app
}  // namespace retort
