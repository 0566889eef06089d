#!/usr/bin/env python3
"""`make bench-python`: `audioprep.load` against the Python loaders it replaces, in one run, as
ratios (docs/python.md).

Two workloads, each to 16 kHz mono in this process: a dataloader's, 100 short FLAC files (the
speech fixture, 3.6 s of 22.05 kHz mono, copied 100 times: each load opens and decodes its own
file), one after the other; and the benchmark's case (a), one long file (bench/corpus's
speech44k-stereo.wav, 5 min of 44.1 kHz stereo; made by `make bench-corpus`; skipped when
absent), its channels averaged by every loader (audioprep's default downmix; the peers average
soundfile's columns, librosa's mono=True does the same). Each row's sound is the same resampler's with nothing else in the chain
(`highpass=0, gain=1`):
- libsamplerate sinc_medium: `audioprep.load(path, highpass=0, gain=1)` against
  `soundfile.read` + `samplerate.resample(x, 16000 / sr, "sinc_medium")`;
- soxr HQ: `audioprep.load(path, resampler="soxr", highpass=0, gain=1)` against
  `soundfile.read` + `soxr.resample(x, sr, 16000, "HQ")`;
- librosa.load(path, sr=16000), whose default resampler is soxr HQ (`res_type="soxr_hq"`):
  against the soxr row's audioprep (librosa also reads through soundfile);
- and audioprep's default chain (high-pass 80 Hz, gain 1.5) and `threads=1`, for information.
The loaders alternate, the order rotating each repetition, after one unmeasured warm-up of each
(page cache, the polyphase table, imports); reported: median wall and median CPU (this process's
`time.process_time`: every thread) of the 100 loads, and the ratio audioprep/peer. The largest
|difference| between the two outputs of a row says whether they are the same sound.

BENCH_REPS (default 5) sets the repetitions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import audioprep  # before soundfile: its wheel bundles a libsndfile of the same soname
import numpy as np
import samplerate
import soundfile
import soxr

try:
    import librosa
except ImportError:  # librosa (and its numba) is the one peer that may fail to install
    librosa = None

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "Fixtures" / "speech.flac"
LONG = Path(os.environ.get("BENCH_CORPUS") or ROOT / "bench" / "corpus") / "speech44k-stereo.wav"
FILES = 100
RATE = 16000
REPS = int(os.environ.get("BENCH_REPS", "5"))


def mono(path):
    """soundfile's samples of `path`, its channels averaged as audioprep's downmix averages them."""
    samples, rate = soundfile.read(path, dtype="float32")
    return (samples.mean(axis=1, dtype=np.float32) if samples.ndim == 2 else samples), rate


def peer_samplerate(path):
    samples, rate = mono(path)
    return samplerate.resample(samples, RATE / rate, "sinc_medium").astype(np.float32)


def peer_soxr(path):
    samples, rate = mono(path)
    return soxr.resample(samples, rate, RATE, "HQ")


def peer_librosa(path):
    return librosa.load(path, sr=RATE)[0]


LOADERS = {
    "audioprep": ("audioprep.load, libsamplerate medium", lambda p: audioprep.load(p, highpass=0, gain=1)),
    "samplerate": ("soundfile + samplerate sinc_medium", peer_samplerate),
    "audioprep-soxr": ("audioprep.load, resampler=soxr", lambda p: audioprep.load(p, resampler="soxr", highpass=0, gain=1)),
    "soxr": ("soundfile + soxr HQ", peer_soxr),
    "audioprep-chain": ("audioprep.load, default chain", lambda p: audioprep.load(p)),
    "audioprep-1thread": ("audioprep.load, threads=1", lambda p: audioprep.load(p, highpass=0, gain=1, threads=1)),
}
RATIOS = [("audioprep", "samplerate"), ("audioprep-soxr", "soxr"), ("audioprep-1thread", "samplerate")]
if librosa is not None:
    LOADERS["librosa"] = ("librosa.load(sr=16000), soxr_hq", peer_librosa)
    RATIOS.insert(2, ("audioprep-soxr", "librosa"))


def measure(load, paths):
    wall, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        load(path)
    return time.perf_counter() - wall, time.process_time() - cpu


def workload(paths, title):
    """The table of one workload: every loader over `paths`, REPS times, as ratios."""
    same = {}
    for mine, peer in RATIOS[:3]:
        a, b = LOADERS[mine][1](paths[0]), LOADERS[peer][1](paths[0])
        length = min(len(a), len(b))
        same[(mine, peer)] = (float(np.max(np.abs(a[:length] - b[:length]))), len(a), len(b))
    keys = list(LOADERS)
    for key in keys:
        measure(LOADERS[key][1], paths[:5])  # warm-up
    walls = {key: [] for key in keys}
    cpus = {key: [] for key in keys}
    for rep in range(REPS):
        order = keys[rep % len(keys):] + keys[:rep % len(keys)]
        for key in order:
            wall, cpu = measure(LOADERS[key][1], paths)
            walls[key].append(wall)
            cpus[key].append(cpu)
        print(f"bench-python: {title}: repetition {rep + 1}/{REPS}", file=sys.stderr)
    wall = {key: statistics.median(values) for key, values in walls.items()}
    cpu = {key: statistics.median(values) for key, values in cpus.items()}
    rows = [
        f"{title}; median of {REPS}; {os.cpu_count()} cores; {audioprep.version().split(' (')[0]}",
        "",
        "| loader | wall s | CPU s |",
        "|---|---:|---:|",
    ]
    rows += [f"| {LOADERS[key][0]} | {wall[key]:.3f} | {cpu[key]:.3f} |" for key in keys]
    rows += ["", "| ratio | wall | CPU | same sound: max abs difference (lengths) |", "|---|---:|---:|---|"]
    for mine, peer in RATIOS:
        difference = same.get((mine, peer))
        sound = f"{difference[0]:.2e} ({difference[1]}, {difference[2]})" if difference else "as above"
        rows.append(f"| {mine} / {peer} | {wall[mine] / wall[peer]:.2f}x | {cpu[mine] / cpu[peer]:.2f}x | {sound} |")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", type=Path, help="also write the tables here")
    arguments = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="audioprep-bench-python-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None))
    os.environ["XDG_CACHE_HOME"] = str(scratch / "table-cache")  # the benchmark's own table cache
    try:
        paths = []
        for index in range(FILES):
            paths.append(scratch / f"speech-{index:03d}.flac")
            shutil.copyfile(SOURCE, paths[-1])
        rows = workload(paths, f"{FILES} x {SOURCE.name} (3.6 s, 22.05 kHz mono FLAC) -> 16 kHz, in one Python process")
        if LONG.exists():
            seconds = soundfile.info(str(LONG)).duration
            rows += ["", ""] + workload(
                [LONG], f"case (a): {LONG.name} ({seconds / 60:.1f} min, 44.1 kHz stereo WAV) -> 16 kHz mono, in one Python process")
        else:
            print(f"bench-python: {LONG} is missing (make bench-corpus): case (a) skipped", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    text = "\n".join(rows)
    print(text)
    if arguments.markdown:
        arguments.markdown.write_text(text + "\n")


if __name__ == "__main__":
    main()
