"""Recognise spoken digits with pocketsphinx and a digits grammar, and judge the result.

Reads 16-bit mono audio from standard input: raw s16le at --rate Hz (the default), or with
--wav a WAV stream, whose header is parsed by Python's `wave` module (audioprep's streaming
header has RIFF and data sizes 0xFFFFFFFF; `wave` then reports a bogus frame count but reads
to the end of the pipe, so the count is ignored here). Decodes it with pocketsphinx's bundled
US English acoustic model and `digits.gram`, as one utterance after the whole input has been
read (full-utterance cepstral mean normalisation: the result does not depend on how the pipe
split the bytes, and is not skewed by the live normaliser's warm-up on a 3-second clip).

Metric: word errors = the edit distance (substitutions + deletions + insertions) between the
expected and the recognised digit sequence. PASS when they are at most --max-errors (default
2, i.e. at least 6 of 8 digits right, in order, with nothing extra: word accuracy >= 75 %).
With --expect-fail the verdict is inverted: the audio was made wrong on purpose and must NOT
reach that threshold.

Prints one line, `PASS: …` or `FAIL: …`, and exits 0 or 1.
"""

import argparse
import os
import sys
import wave

from pocketsphinx import Decoder

GRAMMAR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits.gram")


def edit_distance(ref, hyp):
    """Word-level Levenshtein distance: substitutions + deletions + insertions."""
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def in_order(ref, hyp):
    """How many expected digits were recognised in order (longest common subsequence)."""
    row = [0] * (len(hyp) + 1)
    for r in ref:
        prev = 0
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], prev + 1 if r == h else max(row[j], row[j - 1])
    return row[-1]


def read_input(as_wav, rate):
    """Returns (s16le mono bytes, sample rate)."""
    if not as_wav:
        return sys.stdin.buffer.read(), rate
    with wave.open(sys.stdin.buffer, "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            sys.exit(f"recognize_digits: want 16-bit mono WAV, got {w.getnchannels()} ch, "
                     f"{8 * w.getsampwidth()} bit")
        blocks = []
        while block := w.readframes(65536):
            blocks.append(block)
        return b"".join(blocks), w.getframerate()


def recognise(pcm, rate):
    decoder = Decoder(samprate=rate, jsgf=GRAMMAR, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(pcm, False, True)  # full_utt: the whole utterance at once
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr.split() if hyp is not None else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expect", required=True, help='the spoken digits, e.g. "three seven one"')
    parser.add_argument("--rate", type=int, default=16000,
                        help="sample rate the decoder assumes for raw input (default 16000)")
    parser.add_argument("--wav", action="store_true", help="the input is a WAV stream, not raw")
    parser.add_argument("--max-errors", type=int, default=2, help="word errors allowed for a PASS")
    parser.add_argument("--expect-fail", action="store_true", help="the audio is wrong on purpose")
    parser.add_argument("--label", default="digits", help="name printed on the verdict line")
    args = parser.parse_args()

    pcm, rate = read_input(args.wav, args.rate)
    ref = args.expect.split()
    samples = len(pcm) // 2
    hyp = recognise(pcm, rate) if samples else []
    errors = edit_distance(ref, hyp)
    recognised = samples > 0 and errors <= args.max_errors
    ok = samples > 0 and recognised != args.expect_fail
    wanted = f"{'more than' if args.expect_fail else 'at most'} {args.max_errors} word errors"
    print(
        f"{'PASS' if ok else 'FAIL'}: {args.label}: recognised \"{' '.join(hyp)}\"; "
        f"{in_order(ref, hyp)}/{len(ref)} digits in order, {errors} word errors "
        f"(wanted {wanted}); {samples / rate:.2f} s decoded at {rate} Hz"
        + ("" if samples else "; NO AUDIO on the input")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
