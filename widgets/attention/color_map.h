#pragma once
// Colour maps of the attention views, as 256-entry lookup tables (ColorBrewer's Blues for
// values from 0 up, and a red-blue diverging map centred on white for signed values).

#include <QColor>
#include <QVector>

namespace retort {
namespace widgets {

/// Sequential map: t in [0, 1] from near white (0) to dark blue (1); clamped.
QRgb sequentialColor(double t);
/// Diverging map: t in [-1, 1], blue (-1), white (0), red (+1); clamped.
QRgb divergingColor(double t);

}  // namespace widgets
}  // namespace retort
