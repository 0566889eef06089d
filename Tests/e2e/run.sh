#!/usr/bin/env bash
# End-to-end: spoken digits -> audioprep -> a real recognizer (pocketsphinx), and a Kaldi reader.
#
# Usage: Tests/e2e/run.sh AUDIOPREP PYTHON
#   AUDIOPREP  the built binary (.build/release/audioprep)
#   PYTHON     a Python with pocketsphinx 5.1 and kaldi-native-io (`make test-e2e` makes one)
# Needs espeak-ng. Prints one PASS/FAIL line per case, then `e2e: N passed, M failed`;
# exits 1 if any case failed.
set -uo pipefail

AUDIOPREP=$1
PYTHON=$2
HERE=$(cd "$(dirname "$0")" && pwd)
RECOGNIZE=("$PYTHON" "$HERE/recognize_digits.py")

# Fixed voice, speed, pitch and amplitude: espeak-ng's output is then the same on every run.
# en-us+f2 at 150 words/min: pocketsphinx gets 8/8 here, and the result holds from 130 to
# 180 words/min (other voices, e.g. plain en-us, split "seven" into "zero one" more often).
DIGITS="three seven one nine four two eight five"
SPEAK=(espeak-ng -v en-us+f2 -s 150 -p 50 -a 100)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/audioprep-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
# case LABEL COMMAND: runs COMMAND (a pipeline ending in a verdict line) and counts it.
case_() {
  local label=$1; shift
  if "$@" 2>"$TMP/stderr"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $label: the pipeline failed; its standard error:" >&2
    sed 's/^/    /' "$TMP/stderr" >&2
  fi
}

# The digits at espeak-ng's own rate, 22050 Hz, as a file and as raw s16le (for --in-* input).
"${SPEAK[@]}" -w "$TMP/digits.wav" "$DIGITS" || { echo "FAIL: espeak-ng could not speak"; exit 1; }
"$PYTHON" - "$TMP/digits.wav" "$TMP/digits.s16" <<'PY' || { echo "FAIL: espeak-ng output"; exit 1; }
import sys, wave
with wave.open(sys.argv[1]) as w:
    assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (22050, 1, 2), w.getparams()
    open(sys.argv[2], "wb").write(w.readframes(w.getnframes()))
PY
RAW_IN=(--in-rate 22050 --in-channels 1 --in-encoding s16)
WRONG_RAW_IN=(--in-channels 1 --in-encoding s16)

echo "e2e: espeak-ng ${SPEAK[*]:1} \"$DIGITS\" (22050 Hz) -> audioprep -> pocketsphinx, digits grammar"

# 1. The default recipe: WAV on a pipe in, raw s16le 16 kHz mono out.
pipe_raw() { "${SPEAK[@]}" --stdout "$DIGITS" | "$AUDIOPREP" - -o - -q |
  "${RECOGNIZE[@]}" --expect "$DIGITS" --label "espeak-ng | audioprep - -o -"; }
case_ raw pipe_raw

# 2. Streaming WAV header on stdout (whisper.cpp style), parsed by Python's wave module.
pipe_wav() { "${SPEAK[@]}" --stdout "$DIGITS" | "$AUDIOPREP" - -o - --format wav -q |
  "${RECOGNIZE[@]}" --wav --expect "$DIGITS" --label "audioprep - -o - --format wav"; }
case_ wav pipe_wav

# 3. The live-capture recipe: raw input with its parameters, --live, fed at real time as
#    arecord would (realtime.py), and no chunk may be dropped. Default threads: --live must
#    resample on one thread (the parallel resampler's segment bursts overflowed the buffer).
live_raw() {
  "$PYTHON" "$HERE/realtime.py" 22050 2 < "$TMP/digits.s16" |
    "$AUDIOPREP" - "${RAW_IN[@]}" --live -o - 2>"$TMP/live.err" |
    "${RECOGNIZE[@]}" --expect "$DIGITS" --label "arecord-like 22050 | audioprep - --in-rate 22050 --live -o -" &&
    if grep dropped "$TMP/live.err"; then echo "FAIL: live: audioprep dropped chunks"; false; fi
}
case_ live live_raw

# 4-6. Deliberately wrong rates: recognition must fall below the threshold.
wrong_out() { "${SPEAK[@]}" --stdout "$DIGITS" | "$AUDIOPREP" - -o - --rate 8000 -q |
  "${RECOGNIZE[@]}" --expect-fail --expect "$DIGITS" \
    --label "wrong rate: audioprep --rate 8000, decoded as 16 kHz"; }
case_ wrong-out wrong_out
wrong_in_fast() { "$AUDIOPREP" - --in-rate 44100 "${WRONG_RAW_IN[@]}" -o - -q < "$TMP/digits.s16" |
  "${RECOGNIZE[@]}" --expect-fail --expect "$DIGITS" \
    --label "wrong rate: 22050 Hz raw input declared --in-rate 44100"; }
case_ wrong-in-44100 wrong_in_fast
wrong_in_16k() { "$AUDIOPREP" - --in-rate 16000 "${WRONG_RAW_IN[@]}" -o - -q < "$TMP/digits.s16" |
  "${RECOGNIZE[@]}" --expect-fail --expect "$DIGITS" \
    --label "wrong rate: 22050 Hz raw input declared --in-rate 16000"; }
case_ wrong-in-16000 wrong_in_16k

# 7. A Kaldi wav.scp with pipe entries, read by Kaldi's WAV reader (kaldi-native-io).
FIXTURE="$HERE/../../Fixtures/speech.flac"
kaldi() {
  local a b
  a=$(( $("$AUDIOPREP" "$TMP/digits.wav" -o - -q | wc -c) / 2 ))
  b=$(( $("$AUDIOPREP" "$FIXTURE" -o - -q | wc -c) / 2 ))
  printf 'digits %q %q -o - --format wav -q |\nspeech %q %q -o - --format wav -q |\n' \
    "$AUDIOPREP" "$TMP/digits.wav" "$AUDIOPREP" "$FIXTURE" > "$TMP/wav.scp"
  "$PYTHON" "$HERE/kaldi_wav_scp.py" "$TMP/wav.scp" "digits=$a" "speech=$b"
}
case_ kaldi kaldi

# 8. Cuts at speech (#18): utterance files and pause-aware windows of a recording over two
#    minutes, each recognised, joined, make no more word errors than the whole recording.
speech_cuts() { "$PYTHON" "$HERE/speech_cuts.py" "$AUDIOPREP"; }
case_ speech-cuts speech_cuts

echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
