#!/usr/bin/env bash
# installer/test_package.sh [BUILD_DIR]: the Debian package, end to end, on this machine.
#
#   1. makes the package (cpack in BUILD_DIR, default ./build, already built) and checks it;
#   2. lintian: no errors; the installed desktop entry and AppStream metadata validate;
#   3. installs it with apt, runs the installed retort-cli (--version, a few steps of the demo
#      preset, a sentencepiece run that must load /usr/lib/retort/libretort_spm.so) and the
#      installed retort under Xvfb until its window shows;
#   4. removes it again (apt-get remove --purge) and checks that none of its files is left.
#
# Runs as root only (CTest test installer.package, label "package"; CI runs as root). It leaves
# the machine as it found it, also when a step fails: a trap purges the package and every
# package that apt pulled in for it. Exit status 77 (CTest: skipped) when not root or when a
# package called retort is already installed (the test does not replace it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$(cd "${1:-$here/../build}" && pwd)"
source_dir="$(cd "$here/.." && pwd)"
package=retort
start_time=$SECONDS

say() { echo "test_package [$((SECONDS - start_time))s]: $*"; }
fail() { echo "test_package: FAIL: $*" >&2; exit 1; }

# --- preconditions ------------------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
  echo "test_package: skipped: installs a package, so it runs as root only"
  exit 77
fi
status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
if [ -n "$status" ] && [[ "$status" != *not-installed* ]]; then
  echo "test_package: skipped: a package '$package' is already on this machine ($status); not replacing it"
  exit 77
fi
need_tools() {
  local missing=() tool
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] || fail "missing tools: ${missing[*]} (installer/setup.sh deps installs them)"
}
need_tools cpack dpkg-deb apt-get file strings lintian python3

# --- clean-up, whatever happens -----------------------------------------------------------
scratch="$(mktemp -d /tmp/retort-package-test.XXXXXX)"
installed_by_us=0
apt_opts=(-y -q -o DPkg::Lock::Timeout=300)
cleanup() {
  local rc=$?
  set +e
  if [ "$installed_by_us" -eq 1 ]; then
    say "clean-up: purging $package"
    DEBIAN_FRONTEND=noninteractive apt-get remove --purge "${apt_opts[@]}" "$package" >/dev/null
  fi
  # Packages that apt installed only for this test (dependencies that were missing).
  if [ -s "$scratch/new-packages" ]; then
    say "clean-up: purging what was installed for it: $(tr '\n' ' ' <"$scratch/new-packages")"
    DEBIAN_FRONTEND=noninteractive xargs apt-get purge "${apt_opts[@]}" <"$scratch/new-packages" >/dev/null
  fi
  rm -rf "$scratch"
  if [ $rc -eq 0 ]; then say "PASS"; else echo "test_package: failed (exit $rc); the machine is cleaned up" >&2; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Everything the programs write per user goes to the scratch directory, not to root's home.
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/home/.config" XDG_DATA_HOME="$scratch/home/.local/share"
export XDG_CACHE_HOME="$scratch/home/.cache" XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export LC_ALL=C.UTF-8 LANG=C.UTF-8 LANGUAGE=
unset RETORT_RESOURCE_DIR RETORT_SPM_LIBRARY QT_QPA_PLATFORM

# --- 1. build the package -----------------------------------------------------------------
say "cpack in $build_dir"
(cd "$build_dir" && cpack -G DEB) >"$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log"; fail "cpack"; }
deb="$(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' "$scratch/cpack.log" | tail -n 1)"
[ -f "$deb" ] || { cat "$scratch/cpack.log"; fail "cpack did not report a .deb"; }
say "$(basename "$deb"): $(du -h "$deb" | cut -f1)"
dpkg-deb --field "$deb" Package Version Architecture Depends Recommends
version="$(dpkg-deb --field "$deb" Version)"

# The files that must be in it.
dpkg-deb --contents "$deb" | awk '{print $NF}' | sed 's|^\./|/|; s|/$||' | grep -v '^/\?$' >"$scratch/contents"
has_gui=0
grep -qx /usr/bin/retort "$scratch/contents" && has_gui=1
[ $has_gui -eq 1 ] && need_tools appstreamcli desktop-file-validate xvfb-run xwininfo
expect=(/usr/bin/retort-cli /usr/lib/retort/libretort_spm.so /usr/share/retort/presets
        /usr/share/retort/demo/train.tsv /usr/share/man/man1/retort-cli.1.gz
        /usr/share/doc/retort/copyright /usr/share/doc/retort/changelog.gz)
[ $has_gui -eq 1 ] && expect+=(/usr/share/applications/io.github.retort.Retort.desktop
  /usr/share/metainfo/io.github.retort.Retort.metainfo.xml /usr/share/man/man1/retort.1.gz
  /usr/share/icons/hicolor/scalable/apps/io.github.retort.Retort.svg)
[ $has_gui -eq 1 ] && for size in 16 22 24 32 48 64 128 256; do
  expect+=("/usr/share/icons/hicolor/${size}x${size}/apps/io.github.retort.Retort.png")
done
for path in "${expect[@]}"; do
  grep -qx "$path" "$scratch/contents" || fail "the package lacks $path"
done
# No text file of the package (presets, desktop files, ...) names the source or build tree.
# Listed for the record: the binaries' last-resort fallbacks (tried only after the installed
# locations) and binary data that records where it was made (a sentencepiece model keeps its
# training corpus's path in its trainer_spec; nothing reads it).
mkdir "$scratch/tree" && dpkg-deb --extract "$deb" "$scratch/tree"
leaks="$(grep -rlF -e "$source_dir" -e "$build_dir" "$scratch/tree" || true)"
for f in $leaks; do
  kind="$(file -b "$f")"
  paths="$(strings "$f" | grep -F -e "$source_dir" -e "$build_dir" | sed 's/^[^/]*//' | sort -u | tr '\n' ' ' || true)"
  case "$kind" in
    ELF*) say "note: ${f#"$scratch/tree"} keeps build-tree fallback paths: $paths" ;;
    *text*) fail "${f#"$scratch/tree"} names a path of the build machine ($source_dir)" ;;
    *) say "note: ${f#"$scratch/tree"} ($kind) records $paths" ;;
  esac
done

# --- 2. lintian ---------------------------------------------------------------------------
say "lintian"
lintian --fail-on error "$deb" 2>&1 | tee "$scratch/lintian.log" ||
  fail "lintian reports errors"
grep -q '^E:' "$scratch/lintian.log" && fail "lintian reports errors"

# --- 3. install with apt, use the installed programs --------------------------------------
installed_packages() { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort; }
installed_packages >"$scratch/packages-before"
# Paths of the package that exist already (/usr/bin, the icon theme's directories, ...).
while read -r path; do [ -e "$path" ] && echo "$path"; done <"$scratch/contents" >"$scratch/existed-before"
say "apt-get install $deb"
installed_by_us=1
DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" --no-install-recommends "$deb" >"$scratch/apt.log" 2>&1 ||
  { cat "$scratch/apt.log"; fail "apt-get install"; }
installed_packages | comm -13 "$scratch/packages-before" - | grep -vx "$package" \
  >"$scratch/new-packages" || true
[ -s "$scratch/new-packages" ] && say "apt also installed: $(tr '\n' ' ' <"$scratch/new-packages")"
dpkg -L "$package" | grep -v '^/\.$' >"$scratch/dpkg-files"

cd "$scratch"
say "/usr/bin/retort-cli --version"
/usr/bin/retort-cli --version | tee "$scratch/version.txt"
head -n 1 "$scratch/version.txt" | grep -qx "Retort $version" || fail "--version does not print Retort $version"
grep -qi 'openblas' "$scratch/version.txt" || fail "the installed retort-cli does not run on OpenBLAS"

# The demo preset, cut to a few steps per stage and a small dev set; it must come from
# /usr/share/retort, not from the source tree.
preset=/usr/share/retort/presets/demo.json
[ -f "$preset" ] || fail "$preset is not installed"
# The number of stages, from the preset (JSON with // comments, as Retort reads it).
stages="$(python3 - "$preset" <<'EOF'
import json, sys
text, out, in_string, i = open(sys.argv[1], encoding="utf-8").read(), [], False, 0
while i < len(text):  # drop // comments outside strings
    c = text[i]
    if in_string:
        out.append(c)
        if c == "\\":
            out.append(text[i + 1]); i += 1
        elif c == '"':
            in_string = False
    elif c == '"':
        in_string = True; out.append(c)
    elif text.startswith("//", i):
        while i < len(text) and text[i] != "\n": i += 1
        continue
    else:
        out.append(c)
    i += 1
print(len(json.loads("".join(out)).get("stages", [])))
EOF
)"
sets=()
for ((i = 0; i < stages; i++)); do sets+=(--set "stages.$i.optim.max_steps=3"); done
head -n 41 /usr/share/retort/demo/dev.tsv >"$scratch/dev-small.tsv"
# RETORT_PACKAGE_TEST_RUN_ARGS: more options for this run (e.g. --teacher DIR), for trying the
# test before the preset's own files are there.
read -r -a extra <<<"${RETORT_PACKAGE_TEST_RUN_ARGS:-}"
say "/usr/bin/retort-cli run demo (${stages} stages, 3 steps each) ${extra[*]}"
/usr/bin/retort-cli run demo --out "$scratch/run" --dev "$scratch/dev-small.tsv" \
  --set "task.test=\"$scratch/dev-small.tsv\"" "${sets[@]}" "${extra[@]}" </dev/null >"$scratch/demo.log" 2>&1 ||
  { cat "$scratch/demo.log"; fail "the installed demo run"; }
tail -n 6 "$scratch/demo.log"
for f in experiment.json metrics.jsonl summary.json student/config.json student/model.safetensors; do
  [ -s "$scratch/run/$f" ] || fail "the demo run did not write $f"
done
grep -qF "/usr/share/retort/" "$scratch/run/experiment.json" || fail "the demo run did not read /usr/share/retort"
grep -qF "$source_dir/resources" "$scratch/run/experiment.json" && fail "the installed demo run read the source tree"

# sentencepiece: a tiny run that trains a sentencepiece tokenizer, through the installed bridge.
head -n 41 /usr/share/retort/demo/train.tsv >"$scratch/spm-train.tsv"
head -n 400 /usr/share/retort/demo/corpus.txt >"$scratch/spm-corpus.txt"
cat >"$scratch/spm.json" <<'EOF'
{
  "format": 1, "name": "package-sentencepiece", "seed": 1,
  "task": {"train": "spm-train.tsv", "dev": "dev-small.tsv", "max_length": 32},
  "tokenizer": {"from": "sentencepiece", "train_corpus": "spm-corpus.txt", "vocab_size": 300},
  "teacher": {"architecture": {"layers": 1, "hidden": 16, "heads": 2, "ffn": 32, "max_positions": 40},
              "finetuning": {"max_steps": 2, "batch_size": 8}},
  "student": {"kind": "bert", "architecture": {"layers": 1, "hidden": 16, "heads": 2, "ffn": 32, "max_positions": 40}},
  "stages": [{"kind": "distill", "optim": {"max_steps": 2, "batch_size": 8}}]
}
EOF
say "/usr/bin/retort-cli run spm.json (sentencepiece tokenizer)"
LD_DEBUG=files /usr/bin/retort-cli run "$scratch/spm.json" --out "$scratch/spm-run" </dev/null >"$scratch/spm.log" 2>&1 ||
  { grep -v '^ *[0-9]*:' "$scratch/spm.log"; fail "the sentencepiece run"; }
loaded="$(sed -n 's/.*file=\([^ ]*libretort_spm\.so\) .*generating link map.*/\1/p' "$scratch/spm.log" | sort -u)"
say "sentencepiece bridge loaded from: $loaded"
[ "$loaded" = /usr/lib/retort/libretort_spm.so ] || fail "the installed retort-cli loaded the bridge from '$loaded'"

# The installed desktop files validate.
if [ $has_gui -eq 1 ]; then
  desktop-file-validate /usr/share/applications/io.github.retort.Retort.desktop
  appstreamcli validate --no-net /usr/share/metainfo/io.github.retort.Retort.metainfo.xml
fi

# The installed GUI under Xvfb (the real xcb platform plugin), until its window is mapped.
if [ $has_gui -eq 1 ]; then
  cat >"$scratch/gui.sh" <<'EOF'
# gui.sh LOG: start /usr/bin/retort, wait until a window whose title contains "Retort" is
# mapped (the title is "NAME — Retort" or similar), print it, close the program.
set -euo pipefail
QT_QPA_PLATFORM=xcb /usr/bin/retort >"$1" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  # (Whole outputs into variables: grep -q on a pipe could end its writer with SIGPIPE.)
  tree="$(xwininfo -root -tree)"
  for id in $(sed -n 's/^ *\(0x[0-9a-f]*\) "[^"]*Retort[^"]*": .*/\1/p' <<<"$tree"); do
    info="$(xwininfo -id "$id" || true)"
    if [[ "$info" == *"Map State: IsViewable"* ]]; then
      sed -n 's/^xwininfo: //p; s/^ *\(Width\|Height\): */  \1 /p' <<<"$info"
      kill "$pid"; wait "$pid" || true
      exit 0
    fi
  done
  kill -0 "$pid" 2>/dev/null || { echo "retort exited early"; cat "$1"; exit 1; }
  sleep 0.5
done
echo "no Retort window after 60 s"; xwininfo -root -tree | head -n 40; cat "$1"; kill "$pid"; exit 1
EOF
  say "/usr/bin/retort under Xvfb"
  xvfb-run -a -s "-screen 0 1280x800x24" bash "$scratch/gui.sh" "$scratch/gui.log" ||
    fail "the installed retort did not show its window"
fi

# --- 4. remove it; nothing of it may be left ----------------------------------------------
say "apt-get remove --purge $package"
DEBIAN_FRONTEND=noninteractive apt-get remove --purge "${apt_opts[@]}" "$package" >"$scratch/apt-remove.log" 2>&1 ||
  { cat "$scratch/apt-remove.log"; fail "apt-get remove"; }
installed_by_us=0
status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
[ -z "$status" ] || [[ "$status" == *not-installed* ]] || fail "dpkg still knows $package: $status"
left=()
while read -r path; do
  grep -qxF "$path" "$scratch/existed-before" && continue
  [ -e "$path" ] || [ -L "$path" ] && left+=("$path")
done < <(sort -u "$scratch/dpkg-files" "$scratch/contents")
[ ${#left[@]} -eq 0 ] || fail "left behind after purge: ${left[*]}"
say "$(wc -l <"$scratch/dpkg-files") paths installed, none left after purge"
