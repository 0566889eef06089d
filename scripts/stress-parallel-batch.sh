#!/usr/bin/env bash
# The parallel-batch stress of issue 16: 300 small WAV, WebM and M4A files (100 each), converted
# by `audioprep batch` RUNS times (default 20) at each of -j 2, -j 4 and -j 8. Every run must
# exit 0 with 300 records, none failed. Not timed. Usage: scripts/stress-parallel-batch.sh [AUDIOPREP]
set -euo pipefail
audioprep=$(realpath "${1:-.build/release/audioprep}")
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir in
for i in $(seq 0 99); do
  ffmpeg -nostdin -loglevel error -f lavfi -i "sine=f=$((200 + i * 7)):d=0.3" -ar 44100 "in/w$i.wav"
  ffmpeg -nostdin -loglevel error -i "in/w$i.wav" -c:a libopus -b:a 24k "in/b$i.webm"
  ffmpeg -nostdin -loglevel error -i "in/w$i.wav" -c:a aac -b:a 48k "in/c$i.m4a"
done
failures=0
for jobs in 2 4 8; do
  for run in $(seq 1 "$runs"); do
    rm -rf out
    if ! "$audioprep" batch in --out-dir out -j "$jobs" -q 2>err.txt; then
      failures=$((failures + 1))
      echo "-j $jobs run $run: exit $?: $(head -n 2 err.txt | tr '\n' ' ')"
      continue
    fi
    records=$(grep -c '"status":"ok"' out/manifest.jsonl || true)
    if [ "$records" != 300 ]; then
      failures=$((failures + 1))
      echo "-j $jobs run $run: $records of 300 records ok"
    fi
  done
done
echo "stress: $((3 * runs)) batches of 300 WAV/WebM/M4A files at -j 2, 4 and 8: $failures failed"
[ "$failures" = 0 ]
