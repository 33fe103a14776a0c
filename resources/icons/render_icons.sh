#!/usr/bin/env bash
# Renders the PNG sizes of Retort's icon from the SVG (hicolor/scalable/apps/...svg) into
# hicolor/NxN/apps/, the layout of /usr/share/icons/hicolor that they are installed to.
# The PNGs are committed; run this after changing the SVG. Needs rsvg-convert
# (librsvg2-bin, tagged [dev] in installer/debian-packages.txt).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
name="io.github.retort.Retort"
svg="$here/hicolor/scalable/apps/$name.svg"

for size in 16 22 24 32 48 64 128 256; do
  dir="$here/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  rsvg-convert --width "$size" --height "$size" --format png "$svg" --output "$dir/$name.png"
  echo "render_icons: $dir/$name.png"
done
