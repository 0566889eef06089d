#!/usr/bin/env python3
"""Frame-level precision, recall and F1 (30 ms frames) of audioprep --utterances, webrtcvad
(PyPI webrtcvad-wheels: raw frame decisions, every mode, the best reported) and silero-vad (the
ONNX model the PyPI package ships, run with onnxruntime; its probabilities through
get_speech_timestamps' rules, re-implemented here with numpy because the package's own helpers
need torch), on the recordings generate.py made. Also checks the issue's boundary rule: at 20
and 10 dB every utterance boundary and every --at-pauses cut falls inside a known silence.

usage: compare.py AUDIOPREP DATA_DIR [--markdown OUT.md]
"""
import argparse
import json
import os
import subprocess
import tempfile
import wave

import numpy as np

RATE = 16000
FRAME = 480
# Utterances for recordings whose words are separated by pauses and whose onsets are unvoiced.
RECIPE = ["--min-silence", "300ms", "--speech-pad", "150ms"]


def read_wav(path):
    with wave.open(path) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def labels_from_regions(regions, frames):
    """A frame is speech when its centre lies in a region."""
    labels = np.zeros(frames, dtype=bool)
    centres = np.arange(frames) * FRAME + FRAME // 2
    for start, end in regions:
        labels[(centres >= start) & (centres < end)] = True
    return labels


def score(predicted, truth):
    tp = np.sum(predicted & truth)
    precision = tp / max(1, np.sum(predicted))
    recall = tp / max(1, np.sum(truth))
    f1 = 2 * precision * recall / max(1e-12, precision + recall)
    return precision, recall, f1


def sidecar(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def audioprep_regions(binary, wav, extra, scratch):
    out = os.path.join(scratch, "seg")
    os.makedirs(out, exist_ok=True)
    listing = os.path.join(scratch, "list.jsonl")
    subprocess.run([binary, wav, "-o", os.path.join(out, "s_%05d.wav"), "--segments-list", listing, "--force",
                    "--quiet"] + extra, check=True)
    lines = sidecar(listing)
    for name in os.listdir(out):
        os.remove(os.path.join(out, name))
    return [(line["start_frame"], line["start_frame"] + line["frames"]) for line in lines]


def webrtc_labels(samples, mode):
    import webrtcvad
    vad = webrtcvad.Vad(mode)
    frames = len(samples) // FRAME
    data = samples[:frames * FRAME].astype("<i2").tobytes()
    return np.array([vad.is_speech(data[i * FRAME * 2:(i + 1) * FRAME * 2], RATE) for i in range(frames)])


def silero_probabilities(samples):
    """silero-vad's OnnxWrapper, in numpy: 512-sample windows with 64 samples of context."""
    import importlib.util
    import onnxruntime
    # The package's __init__ imports torch; only its data is needed, found without importing it.
    package = os.path.dirname(importlib.util.find_spec("silero_vad").origin)
    model = os.path.join(package, "data", "silero_vad.onnx")
    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
    x = samples.astype(np.float32) / 32768
    state = np.zeros((2, 1, 128), dtype=np.float32)
    context = np.zeros((1, 64), dtype=np.float32)
    probabilities = []
    for start in range(0, len(x), 512):
        chunk = x[start:start + 512]
        if len(chunk) < 512:
            chunk = np.pad(chunk, (0, 512 - len(chunk)))
        window = np.concatenate([context, chunk[None, :]], axis=1)
        out, state = session.run(None, {"input": window, "state": state, "sr": np.array(RATE, dtype=np.int64)})
        context = window[:, -64:]
        probabilities.append(float(out[0][0]))
    return np.array(probabilities)


def speech_timestamps(probabilities, total, window=512, threshold=0.5, min_speech_ms=250, min_silence_ms=100,
                      pad_ms=30):
    """get_speech_timestamps' rules (silero-vad utils_vad.py, max_speech_duration_s=inf)."""
    neg = threshold - 0.15
    min_speech, min_silence, pad = RATE * min_speech_ms // 1000, RATE * min_silence_ms // 1000, RATE * pad_ms // 1000
    speeches, current, triggered, temp_end = [], {}, False, 0
    for i, p in enumerate(probabilities):
        if p >= threshold and temp_end:
            temp_end = 0
        if p >= threshold and not triggered:
            triggered = True
            current["start"] = window * i
            continue
        if p < neg and triggered:
            if not temp_end:
                temp_end = window * i
            if window * i - temp_end < min_silence:
                continue
            current["end"] = temp_end
            if current["end"] - current["start"] > min_speech:
                speeches.append(current)
            current, temp_end, triggered = {}, 0, False
    if current and total - current["start"] > min_speech:
        current["end"] = total
        speeches.append(current)
    for i, speech in enumerate(speeches):
        if i == 0:
            speech["start"] = max(0, speech["start"] - pad)
        if i != len(speeches) - 1:
            silence = speeches[i + 1]["start"] - speech["end"]
            if silence < 2 * pad:
                speech["end"] += silence // 2
                speeches[i + 1]["start"] = max(0, speeches[i + 1]["start"] - silence // 2)
            else:
                speech["end"] = min(total, speech["end"] + pad)
                speeches[i + 1]["start"] = max(0, speeches[i + 1]["start"] - pad)
        else:
            speech["end"] = min(total, speech["end"] + pad)
    return [(s["start"], s["end"]) for s in speeches]


def outside_silences(points, silences):
    return [p for p in points if not any(a <= p <= b for a, b in silences)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("audioprep")
    parser.add_argument("data")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    with open(os.path.join(args.data, "truth.json")) as f:
        truth = json.load(f)
    silences = truth["silences"]
    # The clean recording too: the gate must not take speech from it. The mean is the noisy ones'.
    conditions = [f"{noise}_{snr}dB" for noise in ("white", "pink", "babble") for snr in (20, 10, 5)] + ["clean"]
    rows, boundary_lines = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for condition in conditions:
            wav = os.path.join(args.data, condition + ".wav")
            samples = read_wav(wav)
            frames = len(samples) // FRAME
            labels = np.array(truth["frame_labels"][:frames], dtype=bool)
            row = {"condition": condition}
            regions = audioprep_regions(args.audioprep, wav, ["--utterances"], scratch)
            row["audioprep"] = score(labels_from_regions(regions, frames), labels)
            for mode in range(4):
                row[f"webrtcvad{mode}"] = score(webrtc_labels(samples, mode), labels)
            probabilities = silero_probabilities(samples)
            row["silero"] = score(labels_from_regions(speech_timestamps(probabilities, len(samples)), frames), labels)
            rows.append(row)
            if condition.endswith(("20dB", "10dB")):
                windows = audioprep_regions(args.audioprep, wav, ["--segment", "30s", "--at-pauses"], scratch)
                cuts = [start for start, _ in windows[1:]]
                bad_cuts = outside_silences(cuts, silences)
                cells = []
                for options in ([], RECIPE):
                    found = regions if not options else audioprep_regions(
                        args.audioprep, wav, ["--utterances"] + options, scratch)
                    bounds = [b for region in found for b in region]
                    inside = len(bounds) - len(outside_silences(bounds, silences))
                    cells.append(f"{len(found)}: {inside}/{len(bounds)}")
                boundary_lines.append(
                    f"| {condition} | {cells[0]} | {cells[1]} | "
                    f"{len(windows)} (longest {max(e - s for s, e in windows) / RATE:.1f} s) | "
                    f"{len(cuts) - len(bad_cuts)}/{len(cuts)} |")
            print(condition, flush=True)
    noisy = [r for r in rows if r["condition"] != "clean"]
    best = max(range(4), key=lambda m: np.mean([r[f"webrtcvad{m}"][2] for r in noisy]))
    lines = [
        f"| condition | audioprep P / R / F1 | webrtcvad mode {best} (best mean F1) P / R / F1 | silero-vad P / R / F1 |",
        "|---|---|---|---|",
    ]
    fmt = lambda s: " / ".join(f"{x:.3f}" for x in s)
    row = lambda r: f"| {r['condition']} | {fmt(r['audioprep'])} | {fmt(r[f'webrtcvad{best}'])} | {fmt(r['silero'])} |"
    lines += [row(r) for r in noisy]
    mean = lambda key: tuple(np.mean([r[key][i] for r in noisy]) for i in range(3))
    lines.append(f"| mean (noisy) | {fmt(mean('audioprep'))} | {fmt(mean(f'webrtcvad{best}'))} | {fmt(mean('silero'))} |")
    lines += [row(r) for r in rows if r["condition"] == "clean"]
    lines += ["", "webrtcvad mean F1 (noisy) by mode: " + ", ".join(
        f"{m}: {np.mean([r[f'webrtcvad{m}'][2] for r in noisy]):.3f}" for m in range(4)), ""]
    lines += [
        f"| condition | `--utterances`: utterances: boundaries in a known silence | with `{' '.join(RECIPE)}` | "
        "`--segment 30s --at-pauses` windows | cuts in a known silence |",
        "|---|---|---|---|---|",
    ] + boundary_lines
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
