#!/usr/bin/env python3
"""What --denoise does to speech in stationary noise, against the clean speech (#20).

Makes 16 espeak-ng digit utterances (six digits each, four voices, resampled to 16 kHz by sox
-R: its dither from a fixed seed, so the inputs are the same bytes on every run)
separated by 1 s of silence: the clean reference, its loudest sample at -12 dBFS. Mixes it with
white and pink noise (numpy, fixed seed) at 20, 10 and 5 dB SNR (and white at 30 dB: nearly
clean speech with a noise floor, as a real recording has), where SNR is the clean speech's
mean power over the utterances (silences excluded) over the noise's mean power. Runs each
through `audioprep IN -o OUT --highpass 0 --gain 1 [--denoise LEVEL] [--agc]` (16 kHz in: no
resampling, so only WebRTC's stage acts), and the clean speech too. Checks that `--denoise off
--no-agc` writes the same bytes as neither option.

Measures:
- SI-SDR (scale-invariant signal-to-distortion ratio, dB) of the whole output against the clean
  speech: the output is first aligned by the integer delay (within ±20 ms) that maximises its
  cross-correlation with the clean speech (WebRTC's suppressor delays by a few ms), then the
  clean speech s is scaled by the least-squares gain a = <y,s>/<s,s>, and
  SI-SDR = 10 log10(|a s|^2 / |a s - y|^2). For the noisy input (no denoise) this is the
  input's own SNR over the whole file, silences included, so it reads lower than the mixing SNR.
- Clean speech through each level: the same SI-SDR against the input (how much the suppressor
  changes speech that has no noise: higher is less damage).
- Word errors: pocketsphinx (US English model, Tests/e2e/digits.gram), each utterance cut from
  the output at its known place with 0.3 s on each side, decoded as one utterance; the edit
  distance to the spoken digits, summed over the 96 digits.

usage: evaluate.py AUDIOPREP WORKDIR [--markdown OUT.md]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import wave

import numpy as np
from pocketsphinx import Decoder

RATE = 16000
HERE = os.path.dirname(os.path.abspath(__file__))
GRAMMAR = os.path.join(HERE, "..", "..", "Tests", "e2e", "digits.gram")
DIGITS = "zero one two three four five six seven eight nine".split()
VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb-x-rp+f2"]
CONDITIONS = [("none", []), ("low", ["--denoise", "low"]), ("moderate", ["--denoise", "moderate"]),
              ("high", ["--denoise", "high"]), ("very-high", ["--denoise", "very-high"]),
              ("high + agc", ["--denoise", "high", "--agc"]), ("agc", ["--agc"])]


def read_wav(path):
    with wave.open(path) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768


def write_wav(path, samples):
    data = np.clip(np.round(samples * 32768), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())


def espeak(text, voice):
    with tempfile.TemporaryDirectory() as directory:
        raw, out = os.path.join(directory, "a.wav"), os.path.join(directory, "b.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-w", raw, text], check=True)
        subprocess.run(["sox", "-R", raw, "-r", str(RATE), "-b", "16", out, "rate", "-v"], check=True)
        return read_wav(out)


def pink(n, rng):
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum), dtype=np.float64)
    f[0] = 1
    return np.fft.irfft(spectrum / np.sqrt(f), n)


def make_clean(rng):
    """The clean recording, the utterances' spans and their digits."""
    gap = np.zeros(RATE)
    parts, spans, words = [gap], [], []
    position = len(gap)
    for index in range(16):
        digits = [DIGITS[d] for d in rng.integers(0, 10, 6)]
        speech = espeak(" ".join(digits), VOICES[index % len(VOICES)])
        parts += [speech, gap]
        spans.append((position, position + len(speech)))
        words.append(digits)
        position += len(speech) + len(gap)
    clean = np.concatenate(parts)
    return clean * (10 ** (-12 / 20) / np.abs(clean).max()), spans, words


def speech_power(clean, spans):
    return np.mean(np.concatenate([clean[a:b] for a, b in spans]) ** 2)


def aligned(output, reference, reach=320):
    """`output` shifted by the delay (|d| <= reach) that best correlates it with `reference`."""
    n = len(reference)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    correlation = np.fft.irfft(np.fft.rfft(output, size) * np.conj(np.fft.rfft(reference, size)), size)
    lags = np.concatenate([np.arange(0, reach + 1), np.arange(-reach, 0)])
    delay = int(lags[np.argmax(np.concatenate([correlation[:reach + 1], correlation[-reach:]]))])
    shifted = np.zeros(n)
    if delay >= 0:
        shifted[:n - delay] = output[delay:n]
    else:
        shifted[-delay:] = output[:n + delay]
    return shifted, delay


def si_sdr(output, reference):
    y, delay = aligned(output, reference)
    a = np.dot(y, reference) / np.dot(reference, reference)
    target = a * reference
    return 10 * np.log10(np.sum(target ** 2) / np.sum((target - y) ** 2)), delay


def edit_distance(ref, hyp):
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def word_errors(output, spans, words):
    errors = 0
    margin = int(0.3 * RATE)
    for (a, b), expected in zip(spans, words):
        piece = np.clip(np.round(output[max(0, a - margin):b + margin] * 32768), -32768, 32767).astype("<i2")
        decoder = Decoder(samprate=RATE, jsgf=GRAMMAR, loglevel="FATAL")
        decoder.start_utt()
        decoder.process_raw(piece.tobytes(), False, True)
        decoder.end_utt()
        hyp = decoder.hyp()
        errors += edit_distance(expected, hyp.hypstr.split() if hyp is not None else [])
    return errors


def run(audioprep, source, target, options):
    subprocess.run([audioprep, source, "-o", target, "--highpass", "0", "--gain", "1", "--force", "--quiet", *options],
                   check=True)
    return read_wav(target)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audioprep")
    parser.add_argument("workdir")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    rng = np.random.default_rng(20)
    clean, spans, words = make_clean(rng)
    clean_path = os.path.join(args.workdir, "clean.wav")
    write_wav(clean_path, clean)
    clean = read_wav(clean_path)  # as quantised
    power = speech_power(clean, spans)
    inputs = [("clean", None, clean_path)]
    for kind, snrs in [("white", [30, 20, 10, 5]), ("pink", [20, 10, 5])]:
        base = rng.standard_normal(len(clean)) if kind == "white" else pink(len(clean), rng)
        for snr in snrs:
            noise = base * np.sqrt(power / 10 ** (snr / 10) / np.mean(base ** 2))
            path = os.path.join(args.workdir, f"{kind}_{snr}dB.wav")
            write_wav(path, clean + noise)
            inputs.append((f"{kind} {snr} dB", snr, path))
    total = sum(len(w) for w in words)
    rows = []
    for label, snr, path in inputs:
        off = os.path.join(args.workdir, f"out_{os.path.basename(path)[:-4]}_off.wav")
        run(args.audioprep, path, off, ["--denoise", "off", "--no-agc"])
        run(args.audioprep, path, off + ".none.wav", [])
        with open(off, "rb") as a, open(off + ".none.wav", "rb") as b:
            assert a.read() == b.read(), f"{label}: --denoise off --no-agc changed the output"
        for name, options in CONDITIONS:
            target = os.path.join(args.workdir, f"out_{os.path.basename(path)[:-4]}_{name.replace(' + ', '_')}.wav")
            output = run(args.audioprep, path, target, options)
            sdr, delay = si_sdr(output, clean)
            errors = word_errors(output, spans, words)
            rows.append((label, name, sdr, delay, errors))
            print(f"{label:12} {name:11} SI-SDR {sdr:6.2f} dB (delay {delay:3d}) word errors {errors}/{total}", flush=True)
    lines = [f"| input | --denoise | SI-SDR vs clean, dB | change, dB | delay, samples | word errors / {total} |",
             "|---|---|---:|---:|---:|---:|"]
    baseline = {label: sdr for label, name, sdr, _, _ in rows if name == "none"}
    for label, name, sdr, delay, errors in rows:
        change = f"{sdr - baseline[label]:+.2f}" if np.isfinite(baseline[label]) else "—"
        lines.append(f"| {label} | {name} | {sdr:.2f} | {change} | {delay} | {errors} |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)


if __name__ == "__main__":
    sys.exit(main())
