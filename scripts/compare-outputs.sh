#!/bin/bash
# Byte-for-byte comparison of audioprep's outputs against another revision's: a refactor that
# claims "behaviour unchanged" shows it here.
#
#   scripts/compare-outputs.sh BASE_REV        (e.g. main~5, a commit id)
#
# Builds BASE_REV in a scratch worktree (.build-compare/), then runs both binaries over every
# fixture × a set of option lines and compares the outputs with cmp(1). Prints one line per
# difference and a summary; exits 1 if anything differs.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: scripts/compare-outputs.sh BASE_REV}
work=.build-compare
rm -rf "$work/tree" "$work/out"
mkdir -p "$work/out/base" "$work/out/head"
git worktree add --force --detach "$work/tree" "$base" >/dev/null
trap 'git worktree remove --force "$work/tree" >/dev/null 2>&1 || true' EXIT
(cd "$work/tree" && swift build -c release --product audioprep >/dev/null)
swift build -c release --product audioprep >/dev/null
declare -A binary=([base]="$work/tree/.build/release/audioprep" [head]=".build/release/audioprep")

options=(
  ""
  "--encoding f32"
  "--encoding s24 --gain 1"
  "--rate 8000 --converter best"
  "--converter fastest --highpass 120 --q-linear 0.7071"
  "--resampler libsamplerate-direct --threads 1"
  "--resampler soxr"
  "--keep-channels --highpass 0"
  "--chunk-samples 160 --pad"
  "--dither tpdf"
)
differences=0
compared=0
for fixture in Fixtures/*; do
  case "$fixture" in *.sh|*.txt|*.md|*.tsv|*.raw) continue ;; esac
  name=$(basename "$fixture")
  for index in "${!options[@]}"; do
    for side in base head; do
      # shellcheck disable=SC2086
      "${binary[$side]}" "$fixture" -o "$work/out/$side/$name.$index.wav" --force --quiet ${options[$index]} \
        2>"$work/out/$side/$name.$index.err" || echo "exit $?" >>"$work/out/$side/$name.$index.err"
    done
    compared=$((compared + 1))
    if ! cmp -s "$work/out/base/$name.$index.wav" "$work/out/head/$name.$index.wav" 2>/dev/null \
      && [ -e "$work/out/base/$name.$index.wav" -o -e "$work/out/head/$name.$index.wav" ]; then
      echo "differs: $name with '${options[$index]}'"
      differences=$((differences + 1))
    fi
  done
done
# The other kinds of output: standard output (raw and WAV) and segments with their sidecar.
kinds=(
  "-o - --format raw"
  "-o - --format wav"
  "--segment 1s --segment-overlap 250ms -o SEGDIR/s_%02d.flac"
)
for fixture in Fixtures/*.wav Fixtures/*.flac Fixtures/*.mp3; do
  name=$(basename "$fixture")
  for index in "${!kinds[@]}"; do
    for side in base head; do
      dir="$work/out/$side/$name.kind$index"
      mkdir -p "$dir"
      arguments=${kinds[$index]//SEGDIR/$dir}
      # shellcheck disable=SC2086
      "${binary[$side]}" "$fixture" $arguments --quiet >"$dir/stdout" 2>"$dir/err" || echo "exit $?" >>"$dir/err"
      sed -i "s|$work/out/$side|OUT|g" "$dir"/*.jsonl 2>/dev/null || true
    done
    compared=$((compared + 1))
    if ! diff -r "$work/out/base/$name.kind$index" "$work/out/head/$name.kind$index" >/dev/null; then
      echo "differs: $name with '${kinds[$index]}'"
      differences=$((differences + 1))
    fi
  done
done
echo "compared $compared outputs against $base: $differences differ"
[ "$differences" = 0 ]
