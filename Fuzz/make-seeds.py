#!/usr/bin/env python3
"""Writes Fuzz/corpus: the seed inputs for `make fuzz` (kept under 200 KB).

corpus/options: NUL-separated option lists; corpus/decoder: input files, decoded from stdin
and from a file (see Sources/audioprep-fuzz/FuzzEntry.swift).
"""
import math, os, struct

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "Fixtures")
corpus = os.path.join(here, "corpus")

def seed(name, target, payload):
    folder = os.path.join(corpus, ["options", "decoder"][target])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(payload)

def options(name, *args):
    seed(name, 0, b"\0".join(a.encode() for a in args))

def wav(rate=16000, channels=1, bits=16, tag=1, data=b"", declared=None):
    align = channels * bits // 8
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, tag, channels, rate, rate * align, align, bits)
    body = b"WAVE" + fmt + struct.pack("<4sI", b"data", len(data) if declared is None else declared) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body

pcm = b"".join(struct.pack("<h", int(8000 * math.sin(i * 0.1))) for i in range(800))
floats = b"".join(struct.pack("<f", v) for v in [0.5, float("nan"), float("inf"), -3.4e38] * 100)

options("opt-default")
options("opt-rate", "--rate", "8000", "--highpass", "100", "--gain", "1")
options("opt-chunks", "--chunk-ms", "20.5", "--buffer-chunks", "3", "--live", "--pad")
options("opt-samples", "--chunk-samples", "160", "--q-linear", "0.7071", "--converter", "best")
options("opt-raw", "--in-rate", "48000", "--in-channels", "2", "--in-encoding", "s24")
options("opt-channel", "--channel", "1", "--format", "flac", "--encoding", "s24")
options("opt-opus", "--format", "opus", "--rate", "12000", "--keep-channels", "--q", "-3")

seed("wav-s16", 1, wav(data=pcm))
seed("wav-float", 1, wav(bits=32, tag=3, data=floats))
seed("wav-truncated", 1, wav(data=pcm[:200], declared=len(pcm)))
seed("wav-stereo-44k", 1, wav(rate=44100, channels=2, data=pcm))
frames = 1 << 40
rf64 = (b"RF64" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE"
        + struct.pack("<4sIQQQI", b"ds64", 28, 36 + frames * 2, frames * 2, frames, 0)
        + struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, 16000, 32000, 2, 16)
        + struct.pack("<4sI", b"data", 0xFFFFFFFF) + pcm)
seed("rf64-huge-claim", 1, rf64)
for name, length in [("speech.aiff", 4096), ("speech.caf", 6144), ("speech.flac", 12000),
                     ("speech.ogg", 23735), ("speech.opus", 14684), ("speech.mp3", 16000)]:
    with open(os.path.join(fixtures, name), "rb") as f:
        seed(name.replace(".", "-"), 1, f.read(length))

# FFmpeg's formats, one second each (made only when the ffmpeg command line is there).
import shutil, subprocess, tempfile
if shutil.which("ffmpeg"):
    with tempfile.TemporaryDirectory() as scratch:
        for name, args in [("speech-m4a", ["-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart"]),
                           ("speech-webm", ["-c:a", "libopus", "-b:a", "24k"]),
                           ("speech-mka", ["-c:a", "flac"]),
                           ("speech-wma", ["-c:a", "wmav2", "-b:a", "32k"])]:
            path = os.path.join(scratch, name.replace("-", "."))
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", os.path.join(fixtures, "speech.flac"),
                            "-t", "1", "-fflags", "+bitexact", "-flags:a", "+bitexact", *args, path], check=True)
            with open(path, "rb") as f:
                seed(name, 1, f.read())
amr = b"#!AMR\n"
state = 7
for _ in range(50):
    amr += b"\x3c"
    for _ in range(31):
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        amr += bytes([state >> 24])
seed("amr-nb", 1, amr)
