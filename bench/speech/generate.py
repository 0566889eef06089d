#!/usr/bin/env python3
"""Test recordings for voice activity: espeak-ng digit utterances separated by known silences
(0.2-2 s), mixed with white, pink and babble-like noise at 20, 10 and 5 dB SNR.

Ground truth comes from the clean signal: the utterances' extents (first to last sample above
-60 dBFS) and, for frame scores, each 30 ms frame's level (speech when its RMS is within 35 dB
of the utterances' mean power). Writes OUT/{white,pink,babble}_{20,10,5}dB.wav (16 kHz mono
s16), OUT/clean.wav and OUT/truth.json.

usage: generate.py OUT [--seconds 150] [--seed 18]
"""
import argparse
import json
import os
import subprocess
import tempfile
import wave

import numpy as np

RATE = 16000
FRAME = 480  # 30 ms
DIGITS = "zero one two three four five six seven eight nine".split()
WORDS = ("the a of speech record water people after before market number little very house "
         "morning evening always never station window garden summer winter question answer").split()


def espeak(text, speed, voice="en-us"):
    """espeak-ng's rendering of `text`, resampled to 16 kHz by sox, as float32."""
    with tempfile.TemporaryDirectory() as directory:
        raw, out = os.path.join(directory, "a.wav"), os.path.join(directory, "b.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", raw, text], check=True)
        subprocess.run(["sox", raw, "-r", str(RATE), "-b", "16", out, "rate", "-v"], check=True)
        return read_wav(out)


def read_wav(path):
    with wave.open(path) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768


def write_wav(path, samples):
    data = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())


def trimmed(x, floor=10 ** (-60 / 20)):
    loud = np.flatnonzero(np.abs(x) > floor)
    return x[loud[0]:loud[-1] + 1]


def pink(n, rng):
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum))
    f[0] = 1
    return np.fft.irfft(spectrum / np.sqrt(f), n)


def babble(n, rng, talkers=6):
    """Six espeak-ng talkers (different voices and speeds) reading word strings, summed."""
    voices = ["en-us", "en", "en-us+f2", "en+m3", "en-us+f4", "en+m7", "en-gb-x-rp"]
    total = np.zeros(n, dtype=np.float64)
    for k in range(talkers):
        stream = np.zeros(0, dtype=np.float32)
        while len(stream) < n:
            text = " ".join(rng.choice(WORDS, 12))
            stream = np.concatenate([stream, trimmed(espeak(text, int(rng.integers(150, 190)), voices[k % len(voices)]))])
        total += np.roll(stream[:n], int(rng.integers(0, n))) / np.sqrt(np.mean(stream[:n] ** 2))
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seconds", type=float, default=150)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)

    pieces, spans, gaps, position = [], [], [], 0
    while position < args.seconds * RATE:
        gap = int(rng.uniform(0.2, 2.0) * RATE)
        pieces.append(np.zeros(gap, dtype=np.float32))
        gaps.append([position, position + gap])
        position += gap
        text = " ".join(rng.choice(DIGITS, int(rng.integers(2, 7))))
        utterance = trimmed(espeak(text, int(rng.integers(140, 181))))
        pieces.append(utterance)
        spans.append({"start": position, "end": position + len(utterance), "text": text})
        position += len(utterance)
    gap = int(rng.uniform(0.2, 2.0) * RATE)
    pieces.append(np.zeros(gap, dtype=np.float32))
    gaps.append([position, position + gap])
    clean = np.concatenate(pieces).astype(np.float64)
    clean *= 0.3 / np.max(np.abs(clean))
    n = len(clean)

    in_speech = np.zeros(n, dtype=bool)
    for span in spans:
        in_speech[span["start"]:span["end"]] = True
    speech_power = np.mean(clean[in_speech] ** 2)
    frames = n // FRAME
    frame_power = np.mean(clean[:frames * FRAME].reshape(frames, FRAME) ** 2, axis=1)
    labels = (frame_power > speech_power * 10 ** (-35 / 10)).astype(int)

    write_wav(os.path.join(args.out, "clean.wav"), clean)
    noises = {"white": rng.standard_normal(n), "pink": pink(n, rng), "babble": babble(n, rng)}
    for name, noise in noises.items():
        noise = noise / np.sqrt(np.mean(noise ** 2))
        for snr in (20, 10, 5):
            mix = clean + noise * np.sqrt(speech_power / 10 ** (snr / 10))
            peak = np.max(np.abs(mix))
            if peak > 0.99:
                mix *= 0.99 / peak
            write_wav(os.path.join(args.out, f"{name}_{snr}dB.wav"), mix)
    with open(os.path.join(args.out, "truth.json"), "w") as f:
        json.dump({"rate": RATE, "frame": FRAME, "samples": n, "utterances": spans, "silences": gaps,
                   "frame_labels": labels.tolist()}, f)
    print(f"{args.out}: {n / RATE:.1f} s, {len(spans)} utterances, {len(gaps)} silences, "
          f"{labels.mean() * 100:.1f}% speech frames; 9 noisy mixtures")


if __name__ == "__main__":
    main()
