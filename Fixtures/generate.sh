#!/usr/bin/env bash
# Regenerates the committed fixtures. Needs espeak-ng, sox and ffmpeg (Debian packages); none of
# them is a runtime or test dependency of audioprep. Output is deterministic for a given
# espeak-ng/sox/ffmpeg version; lossy files may differ in bytes across encoder versions.
set -euo pipefail
cd "$(dirname "$0")"
text="Speech recognition works best at sixteen kilohertz."

espeak-ng -v en-us -s 160 -w speech.wav "$text"                        # 22050 Hz mono s16
sox speech.wav -t aiff speech.aiff
sox speech.wav -t raw -e signed -b 16 -L speech.s16le.raw
sox speech.wav speech.flac
sox speech.wav -t caf speech.caf
ffmpeg -nostdin -loglevel error -y -i speech.wav -c:a libvorbis -q:a 3 speech.ogg
ffmpeg -nostdin -loglevel error -y -i speech.wav -ar 48000 -c:a libopus -b:a 32k speech.opus
ffmpeg -nostdin -loglevel error -y -i speech.wav -c:a libmp3lame -b:a 64k speech.mp3

# 44.1 kHz stereo: 440 Hz left, 1 kHz right, a little noise; 2 s.
sox -n -r 44100 -b 16 -c 2 stereo44k.wav synth 2 sine 440 sine 1000 gain -6 \
  remix 1 2 dither -s
# 16 kHz mono: a 300 Hz tone with 50 Hz hum, 2 s (the high-pass should take the hum out).
sox -n -r 16000 -b 16 -c 1 mono16k.wav synth 2 sine 300 synth 2 sine mix 50 gain -6

# Expected durations in seconds, measured by sox (not by libsndfile), for the tests.
{
  printf 'file\tseconds\n'
  for f in speech.wav speech.aiff speech.flac speech.caf stereo44k.wav mono16k.wav; do
    printf '%s\t%s\n' "$f" "$(soxi -D "$f")"
  done
} > expected-durations.tsv
