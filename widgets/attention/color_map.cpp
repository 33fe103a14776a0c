#include "widgets/attention/color_map.h"

#include <algorithm>
#include <cmath>

namespace retort {
namespace widgets {
namespace {

QVector<QRgb> makeTable(const QVector<QRgb>& stops) {
  QVector<QRgb> table(256);
  const int segments = static_cast<int>(stops.size()) - 1;
  for (int i = 0; i < 256; ++i) {
    const double x = i / 255.0 * segments;
    const int s = std::min(static_cast<int>(x), segments - 1);
    const double f = x - s;
    const QRgb a = stops[s], b = stops[s + 1];
    auto mix = [f](int u, int v) { return static_cast<int>(std::lround(u + (v - u) * f)); };
    table[i] = qRgb(mix(qRed(a), qRed(b)), mix(qGreen(a), qGreen(b)), mix(qBlue(a), qBlue(b)));
  }
  return table;
}

const QVector<QRgb>& blues() {
  static const QVector<QRgb> table = makeTable(
      {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b});
  return table;
}

const QVector<QRgb>& redBlue() {
  static const QVector<QRgb> table = makeTable({0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
                                                0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f});
  return table;
}

int index(double t) {
  if (!std::isfinite(t)) return 0;
  return std::clamp(static_cast<int>(std::lround(t * 255.0)), 0, 255);
}

}  // namespace

QRgb sequentialColor(double t) { return blues()[index(t)]; }

QRgb divergingColor(double t) { return redBlue()[index((t + 1.0) / 2.0)]; }

}  // namespace widgets
}  // namespace retort
