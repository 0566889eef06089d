#!/usr/bin/env bash
# Generates the benchmark corpus in bench/corpus/ (never committed). Each file is made only when
# it is missing, through a temporary name and a rename, so an interrupted run leaves nothing
# half-written that a later run would take for done. Deterministic for given espeak-ng, sox and
# ffmpeg versions: sox runs with -R (fixed noise and dither seeds), ffmpeg with bitexact flags (Ogg serial numbers are random otherwise).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus corpus/batch
cd corpus

sox=(sox -R -V1)
ffmpeg=(ffmpeg -nostdin -loglevel error -y)

# make_missing OUT CMD...: runs CMD with {} replaced by a temporary name beside OUT (same
# extension, so sox and ffmpeg pick the right container), then renames it to OUT.
make_missing() {
  local out=$1; shift
  [ -e "$out" ] && return 0
  local dir base tmp args=()
  dir=$(dirname "$out"); base=$(basename "$out")
  tmp="$dir/.tmp-$base"
  for a in "$@"; do args+=("${a//\{\}/$tmp}"); done
  "${args[@]}"
  mv -f "$tmp" "$out"
  echo "corpus: $out"
}

# 1. Speech: eight sentences in three voices, 0.4 s of silence after each (~45 s, 22050 Hz mono).
sentences=(
  "en-us|Speech recognition works best at sixteen kilohertz, in mono, without the hum."
  "en-gb|The quick brown fox jumps over the lazy dog, and then it runs back again."
  "en-us+f3|Please record a short paragraph, then listen to it and compare the two versions."
  "en-us|Numbers matter too: three hundred and twelve, four thousand, and nineteen eighty four."
  "en-gb+f2|She sells sea shells by the sea shore, while the waves keep coming in."
  "en-us+m3|A benchmark should be repeatable, measured, and compared with the same inputs."
  "en-gb-x-rp|Low frequencies below eighty hertz carry rumble and hum, not words."
  "en-us+f4|When the buffer is full, the oldest chunk is dropped and counted."
)
if [ ! -e speech-base.wav ]; then
  parts=()
  for i in "${!sentences[@]}"; do
    voice=${sentences[$i]%%|*}; text=${sentences[$i]#*|}
    espeak-ng -v "$voice" -s 150 -w ".sent$i.wav" "$text"
    "${sox[@]}" ".sent$i.wav" -r 22050 -c 1 -b 16 ".pad$i.wav" pad 0 0.4
    parts+=(".pad$i.wav")
  done
  "${sox[@]}" "${parts[@]}" .tmp-speech-base.wav
  rm -f .sent*.wav .pad*.wav
  mv -f .tmp-speech-base.wav speech-base.wav
  echo "corpus: speech-base.wav"
fi

# 2. Five minutes at 44.1 kHz stereo: the speech repeated, the right channel a little quieter and
#    2 ms late, plus 50 Hz hum (-30 dBFS) and white noise (-45 dBFS). Peak well below full scale
#    so that sndfile-resample never restarts with normalisation.
make_missing speech44k-stereo.wav bash -c '
  set -euo pipefail
  sox -R -V1 speech-base.wav -c 1 -b 16 .v.wav rate -v 44100 repeat 12 trim 0 300 gain -n -8
  sox -R -V1 -n -r 44100 -c 1 -b 16 .h.wav synth 300 sine 50 gain -30
  sox -R -V1 -n -r 44100 -c 1 -b 16 .n.wav synth 300 whitenoise gain -45
  sox -R -V1 -m -v 1 .v.wav -v 1 .h.wav -v 1 .n.wav .m.wav
  sox -R -V1 .m.wav -c 2 "{}" remix 1 1v0.8 delay 0 0.002 trim 0 300
  rm -f .v.wav .h.wav .n.wav .m.wav'
make_missing speech44k-stereo.flac "${sox[@]}" speech44k-stereo.wav "{}"
# The mono downmix (average of the two channels) that sndfile-resample gets: it cannot downmix.
make_missing speech44k-mono.wav "${sox[@]}" speech44k-stereo.wav "{}" remix 1v0.5,2v0.5
make_missing speech16k-mono.wav "${sox[@]}" speech44k-mono.wav "{}" rate -v 16000
# The same five minutes as AAC in M4A (128 kbit/s), which audioprep decodes through FFmpeg.
make_missing speech44k-stereo.m4a "${ffmpeg[@]}" -i speech44k-stereo.wav -c:a aac -b:a 128k \
  -fflags +bitexact -flags:a +bitexact "{}"

# 3. 48 kHz mono: one minute, and sixty (the five minutes twelve times, 330 MiB).
make_missing mono48k-5min.wav "${sox[@]}" speech44k-mono.wav "{}" rate -v 48000
make_missing mono48k-1min.wav "${sox[@]}" mono48k-5min.wav "{}" trim 0 60
make_missing mono48k-60min.wav "${sox[@]}" mono48k-5min.wav "{}" repeat 11

# 4. 100 short files, 5-30 s, rates from 8 to 48 kHz, mono and stereo, wav/flac/ogg/mp3, each a
#    different slice of the five-minute stereo file.
rates=(8000 11025 16000 22050 24000 32000 44100 48000)
formats=(wav flac ogg mp3)
for i in $(seq 0 99); do
  rate=${rates[$(( i % 8 ))]}
  fmt=${formats[$(( (i / 8 + i) % 4 ))]}
  secs=$(( 5 + (i * 7) % 26 ))
  start=$(( (i * 37) % (300 - secs) ))
  ch=$(( i % 3 == 0 ? 2 : 1 ))
  name=$(printf 'batch/%03d-%dHz-%dch.%s' "$i" "$rate" "$ch" "$fmt")
  [ -e "$name" ] && continue
  slice=(speech44k-stereo.wav -c "$ch" -b 16)
  case $fmt in
    wav|flac) make_missing "$name" "${sox[@]}" "${slice[@]}" "{}" trim "$start" "$secs" rate -v "$rate" ;;
    ogg|mp3)
      codec=$([ "$fmt" = ogg ] && echo "-c:a libvorbis -q:a 4" || echo "-c:a libmp3lame -b:a 96k")
      "${sox[@]}" "${slice[@]}" .slice.wav trim "$start" "$secs" rate -v "$rate"
      # shellcheck disable=SC2086
      make_missing "$name" "${ffmpeg[@]}" -i .slice.wav $codec -fflags +bitexact -flags:a +bitexact "{}"
      rm -f .slice.wav ;;
  esac
done

# 5. info-tree/: the 100 short files ten times over (hard links, or copies where links fail), in
#    ten directories with a transcript each: 1,000 recordings of mixed formats for `info DIR`.
for d in $(seq 0 9); do
  mkdir -p "info-tree/d$d"
  [ -e "info-tree/d$d/notes.txt" ] || echo "not audio" > "info-tree/d$d/notes.txt"
  for f in batch/*.*; do
    [ -e "info-tree/d$d/${f#batch/}" ] || ln "$f" "info-tree/d$d/" 2>/dev/null || cp "$f" "info-tree/d$d/"
  done
done
# 6. 60 short files, 3 s each, 44.1 kHz stereo: consecutive slices of the five-minute file, for
#    the one-process-per-file shell loop (#22).
mkdir -p short
for i in $(seq 0 59); do
  make_missing "$(printf 'short/%02d.wav' "$i")" "${sox[@]}" speech44k-stereo.wav "{}" trim $(( i * 5 )) 3
done
# One 3 s file at 16 kHz mono: a run with nothing to resample, the floor `--version` is held to.
make_missing short16k-mono.wav "${sox[@]}" speech16k-mono.wav "{}" trim 0 3
