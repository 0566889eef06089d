#!/usr/bin/env python3
"""What the detector costs: `--utterances` against the default chain on the same hour-long
recording (the 10 dB white-noise mixture generate.py made, repeated), wall and CPU time on one
core (`taskset -c 0`, `--threads 1`), the realtime factor, and peak RSS with `--utterances` on
1 and 60 minutes (it must stay flat: no region's audio is held).

usage: cost.py AUDIOPREP DATA_DIR [--markdown OUT.md]
"""
import argparse
import os
import shutil
import subprocess
import tempfile
import wave

RATE = 16000


def repeat_to(source, path, seconds):
    with wave.open(source) as w:
        data = w.readframes(w.getnframes())
    needed = int(seconds * RATE) * 2
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        written = 0
        while written < needed:
            piece = data[:needed - written]
            out.writeframes(piece)
            written += len(piece)


def measure(arguments):
    """(wall seconds, user+sys seconds, peak RSS MB) of one run on core 0."""
    command = ["/usr/bin/time", "-f", "%e %U %S %M"]
    if shutil.which("taskset"):
        command += ["taskset", "-c", "0"]
    result = subprocess.run(command + arguments, capture_output=True, text=True, check=True)
    wall, user, system, rss = result.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("audioprep")
    parser.add_argument("data")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    source = os.path.join(args.data, "white_10dB.wav")
    lines = []
    with tempfile.TemporaryDirectory() as scratch:
        long, short = os.path.join(scratch, "60min.wav"), os.path.join(scratch, "1min.wav")
        repeat_to(source, long, 3600)
        repeat_to(source, short, 60)
        common = ["--threads", "1", "--quiet", "--force"]
        segments = os.path.join(scratch, "seg")
        os.makedirs(segments)
        default = measure([args.audioprep, long, "-o", os.path.join(scratch, "out.wav")] + common)
        utterances = measure([args.audioprep, long, "--utterances", "-o", os.path.join(segments, "u_%05d.wav")] + common)
        for name in os.listdir(segments):
            os.remove(os.path.join(segments, name))
        short_run = measure([args.audioprep, short, "--utterances", "-o", os.path.join(segments, "u_%05d.wav")] + common)
        lines = [
            "| run (60 min, 16 kHz s16 in, one core) | wall s | CPU s | realtime factor | peak RSS MB |",
            "|---|---|---|---|---|",
            f"| default chain | {default[0]:.2f} | {default[1]:.2f} | {3600 / default[0]:.0f}x | {default[2]:.1f} |",
            f"| `--utterances` | {utterances[0]:.2f} | {utterances[1]:.2f} | {3600 / utterances[0]:.0f}x | {utterances[2]:.1f} |",
            f"| `--utterances`, 1 min | {short_run[0]:.2f} | {short_run[1]:.2f} | {60 / short_run[0]:.0f}x | {short_run[2]:.1f} |",
            "",
            f"`--utterances` costs {utterances[1] / default[1]:.2f}x the default chain's CPU time; "
            f"peak RSS 1 min → 60 min: {short_run[2]:.1f} → {utterances[2]:.1f} MB.",
        ]
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
