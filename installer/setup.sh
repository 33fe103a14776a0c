#!/usr/bin/env bash
# Retort's one entry point for a fresh Debian 12 machine.
#
#   installer/setup.sh deps    install the missing Debian packages (installer/debian-packages.txt)
#   installer/setup.sh build   deps, then configure and build into ./build
#   installer/setup.sh run     build, then run the bundled demo (retort-cli run demo) and start the GUI
#   installer/setup.sh test    build, then run every test (CTest)
#   installer/setup.sh package build, then the Debian package retort_<version>_amd64.deb (CPack)
#
# Environment: BUILD_DIR (default build), RETORT_GUI (ON/OFF, default ON),
# JOBS (default: the number of cores), RETORT_FUZZ (ON/OFF for `test`, default ON: the
# libFuzzer targets of tests/fuzz, built with clang, run 20 s each).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
gui="${RETORT_GUI:-ON}"
jobs="${JOBS:-$(nproc)}"

packages() {
  # Package names from the shared list; [gui] lines are skipped when RETORT_GUI=OFF.
  sed -e 's/#.*//' "$here/debian-packages.txt" | while read -r name tags; do
    [ -n "$name" ] || continue
    if [ "$gui" = "OFF" ] && [[ "$tags" == *"[gui]"* ]]; then continue; fi
    echo "$name"
  done
}

deps() {
  local missing=()
  for p in $(packages); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all Debian packages are installed"
    return
  fi
  echo "setup: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  deps
  # Extra CMake arguments (e.g. -DRETORT_FUZZ=ON from `test`) stay in the build's cache.
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRETORT_GUI="$gui" "$@"
  cmake --build "$build_dir" -j "$jobs"
}

run_main() {
  build
  export OMP_WAIT_POLICY=PASSIVE
  local cli="$build_dir/bin/retort-cli"
  "$cli" --version
  # The bundled demo: the demo teacher distilled into a student (a few minutes on 2 cores),
  # then the papers' table for the run.
  local run_dir="$root/runs/demo-$(date +%Y%m%d-%H%M%S)"
  "$cli" run demo --out "$run_dir"
  "$cli" report "$run_dir"
  if [ "$gui" != "OFF" ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "$build_dir/bin/retort"
  else
    echo "setup: no display (or RETORT_GUI=OFF): the GUI was not started"
  fi
}

run_tests() {
  # The fuzzing harness (tests/fuzz: clang, ASan/UBSan, 20 s a target) runs with the rest.
  build -DRETORT_FUZZ="${RETORT_FUZZ:-ON}"
  # CTest's summary is the last thing printed.
  ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
}

package() {
  build
  # CPack writes the .deb into the build directory and prints its path.
  local deb
  deb="$(cd "$build_dir" && cpack -G DEB | tee /dev/stderr |
    sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p')"
  if command -v lintian >/dev/null; then
    lintian "$deb" || true
  fi
  echo "setup: install it with: sudo apt-get install $deb"
}

case "${1:-}" in
  deps) deps ;;
  build) build ;;
  run) run_main ;;
  test) run_tests ;;
  package) package ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
