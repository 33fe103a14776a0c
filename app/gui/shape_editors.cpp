#include "app/gui/shape_editors.h"

#include <QFormLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

namespace retort {
namespace app {

QSpinBox* makeSpinBox(int min, int max, int step, QWidget* parent) {
  auto* s = new QSpinBox(parent);
  s->setRange(min, max);
  s->setSingleStep(step);
  s->setAccelerated(true);
  return s;
}

ShapeEditors makeShapeEditors(QWidget* parent, QFormLayout* form, const std::function<void()>& changed) {
  ShapeEditors e;
  e.layers = makeSpinBox(1, 48, 1, parent);
  e.hidden = makeSpinBox(8, 4096, 8, parent);
  e.heads = makeSpinBox(1, 64, 1, parent);
  e.ffn = makeSpinBox(8, 16384, 64, parent);
  for (QSpinBox* s : {e.layers, e.hidden, e.heads, e.ffn}) {
    form->addRow(QString(), s);
    QObject::connect(s, qOverload<int>(&QSpinBox::valueChanged), parent, [changed](int) { changed(); });
  }
  return e;
}

void retranslateShape(QFormLayout* form, const ShapeEditors& e) {
  auto label = [&](QWidget* field, const QString& t) {
    if (auto* l = qobject_cast<QLabel*>(form->labelForField(field))) l->setText(t);
  };
  label(e.layers, QObject::tr("Layers"));
  label(e.hidden, QObject::tr("Hidden size"));
  label(e.heads, QObject::tr("Attention heads"));
  label(e.ffn, QObject::tr("FFN size"));
}

void loadShape(const ShapeEditors& e, const distill::BertShape& shape) {
  const QSignalBlocker b1(e.layers), b2(e.hidden), b3(e.heads), b4(e.ffn);
  e.layers->setValue(static_cast<int>(shape.layers));
  e.hidden->setValue(static_cast<int>(shape.hidden));
  e.heads->setValue(static_cast<int>(shape.heads));
  e.ffn->setValue(static_cast<int>(shape.ffn));
}

void storeShape(const ShapeEditors& e, distill::BertShape& shape) {
  shape.layers = e.layers->value();
  shape.hidden = e.hidden->value();
  shape.heads = e.heads->value();
  shape.ffn = e.ffn->value();
}

QString millions(long long n) { return QString::number(static_cast<double>(n) / 1e6, 'f', 2); }

}  // namespace app
}  // namespace retort
