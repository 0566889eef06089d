#!/usr/bin/env bash
# The interruption stress of issue 16: a `--force` re-segmentation with --stats-json, sent SIGTERM
# at a random instant, TRIALS times (default 60). Each run must leave either every earlier
# segment, sidecar and statistics file byte for byte, or only the new ones: never a mix, never a
# .kept or .tmp file. Not timed.
# Usage: scripts/stress-interrupts.sh [AUDIOPREP]
set -uo pipefail
audioprep=$(realpath "${1:-.build/release/audioprep}")
trials=${TRIALS:-60}
work=$(mktemp -d)
lists=$(mktemp -d)
trap 'rm -rf "$work" "$lists"' EXIT
cd "$work"
mkdir earlier later
sox -n -r 44100 -b 16 -c 2 earlier/talk.wav synth 180 sine 300 vol 0.3
sox -n -r 44100 -b 16 -c 2 later/talk.wav synth 180 sine 600 vol 0.3
snapshot() { for f in $(ls -A | grep -v '^\(earlier\|later\)$' | sort); do echo "$f $(md5sum < "$f")"; done; }
segment() { "$audioprep" "$1/talk.wav" --segment 1s -o 's_%03d.flac' --segments-list talk.segments.jsonl --stats-json st.json -q "${@:2}"; }
make_old() { rm -f s_* *.jsonl st.json; segment earlier; }
segment later
snapshot > "$lists/new"
make_old
snapshot > "$lists/old"
failures=0
for trial in $(seq 1 "$trials"); do
  (exec "$audioprep" later/talk.wav --segment 1s -o 's_%03d.flac' --segments-list talk.segments.jsonl \
    --stats-json st.json -q --force) & pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 900)))"; kill -TERM "$pid" 2>/dev/null; wait "$pid"; status=$?
  snapshot > "$lists/now"
  # st.json differs in its timings from run to run: its name is compared, not its bytes. A
  # signal that comes while the run settles takes effect after it (exit 143 with every new file).
  same() { diff <(sed 's/^st.json .*/st.json/' "$lists/$1") <(sed 's/^st.json .*/st.json/' "$lists/now") >/dev/null; }
  if same old; then
    state=earlier
  elif same new; then
    state=new
  else
    failures=$((failures + 1))
    state=mixed
    echo "trial $trial: exit $status, the files are neither all earlier nor all new:"
    diff "$lists/old" "$lists/now" | head -5
  fi
  [ "$state" = earlier ] || make_old
  [ "${VERBOSE:-0}" = 1 ] && echo "trial $trial: exit $status, $state"
done
echo "stress-interrupts: $trials SIGTERMs during --force re-segmentation with --stats-json: $failures left a mix"
[ "$failures" = 0 ]
