#!/usr/bin/env bash
# Starts Retort under Xvfb at 1280x800 (the default window size) on the bundled demo (or the
# experiment given) and saves pictures of the window before, during and after the run:
# before-run.png (the attention view before training: the teacher alone), loss-curves.png and
# attention.png while it runs (the latest of each), results.png and mapping-and-curves.png
# when it ends.
#
#   tests/screenshots/take_screenshots.sh OUT_DIR [EXPERIMENT|PRESET] [BUILD_DIR]
#
# Needs xvfb (xvfb-run). The pictures are grabbed by Retort itself (QWidget::grab).
set -euo pipefail
out="${1:?usage: take_screenshots.sh OUT_DIR [EXPERIMENT|PRESET] [BUILD_DIR]}"
experiment="${2:-demo}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${3:-$here/build}"
mkdir -p "$out"
# A scratch settings/data home, so that the user's own Retort settings and runs stay untouched.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
export OMP_WAIT_POLICY=PASSIVE
xvfb-run -a -s "-screen 0 1280x800x24" \
  "$build/bin/retort" "$experiment" --run --screenshots "$out" --quit-after-run
ls -l "$out"
