"""Cuts at speech checked by a recogniser (#18): pocketsphinx's transcripts of the utterance
files, joined, make no more word errors against what was spoken than its transcript of the
whole recording; and so do the `--segment 30s --at-pauses` windows of a recording longer than
two minutes. (Equality with the whole recording's transcript is not the test: pocketsphinx
errs on the whole recording too, where the pieces are right — a "six eight" heard as "six
six" — so each is scored against the spoken digits.)

Usage: speech_cuts.py AUDIOPREP   (run by Tests/e2e/run.sh, so by make test-e2e)

The recording: groups of two to four digits spoken by espeak-ng (the voice run.sh uses),
separated by silences of 0.4 to 1.5 s (a fixed seed), at espeak-ng's 22050 Hz. Each file is
recognised on its own with the digits grammar (recognize_digits.recognise). Prints one PASS/FAIL
line per check; exits 1 if any failed.
"""

import os
import random
import subprocess
import sys
import tempfile
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from recognize_digits import edit_distance, recognise  # noqa: E402

AUDIOPREP = sys.argv[1]
WORDS = "zero one two three four five six seven eight nine".split()
SPEAK = ["espeak-ng", "-v", "en-us+f2", "-s", "150", "-p", "50", "-a", "100"]
failed = 0


def spoken(text, path):
    subprocess.run(SPEAK + ["-w", path, text], check=True)
    with wave.open(path) as w:
        return w.readframes(w.getnframes())


def recording(path, groups, seed, scratch):
    """Writes the recording; returns the digits spoken, in order."""
    rng = random.Random(seed)
    pcm, digits = bytearray(), []
    for number in range(groups):
        group = [rng.choice(WORDS) for _ in range(rng.randint(2, 4))]
        digits += group
        pcm += spoken(" ".join(group), os.path.join(scratch, "g.wav"))
        pcm += bytes(2 * int(22050 * rng.uniform(0.4, 1.5)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(bytes(pcm))
    return digits


def words(path):
    with wave.open(path) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2), path
        return recognise(w.readframes(w.getnframes()), 16000)


def check(label, ok, detail):
    global failed
    failed += not ok
    print(f"{'PASS' if ok else 'FAIL'}: {label}: {detail}")


def cut(label, source, arguments, scratch, minimum_pieces):
    out = os.path.join(scratch, label)
    os.mkdir(out)
    subprocess.run([AUDIOPREP, source, "-o", os.path.join(out, "piece_%04d.wav"), "-q"] + arguments, check=True)
    pieces = sorted(p for p in os.listdir(out) if p.endswith(".wav"))
    joined = [w for p in pieces for w in words(os.path.join(out, p))]
    return pieces, joined


def main():
    with tempfile.TemporaryDirectory(prefix="audioprep-speech-") as scratch:
        short = os.path.join(scratch, "short.wav")
        spoken_digits = recording(short, 8, seed=18, scratch=scratch)
        whole = os.path.join(scratch, "short.16k.wav")
        subprocess.run([AUDIOPREP, short, "-o", whole, "-q"], check=True)
        reference = words(whole)
        pieces, joined = cut("utterances", short, ["--utterances"], scratch, 8)
        joined_errors, whole_errors = edit_distance(spoken_digits, joined), edit_distance(spoken_digits, reference)
        check("utterances: the files' transcripts joined err no more than the whole recording's",
              joined_errors <= whole_errors and len(pieces) >= 4,
              f"{len(pieces)} files, {joined_errors} word errors joined, {whole_errors} whole; "
              f"joined \"{' '.join(joined)}\"; whole \"{' '.join(reference)}\" "
              f"(spoken \"{' '.join(spoken_digits)}\")")

        long = os.path.join(scratch, "long.wav")
        spoken_digits = recording(long, 52, seed=30, scratch=scratch)
        with wave.open(long) as w:
            seconds = w.getnframes() / w.getframerate()
        whole = os.path.join(scratch, "long.16k.wav")
        subprocess.run([AUDIOPREP, long, "-o", whole, "-q"], check=True)
        reference = words(whole)
        pieces, joined = cut("windows", long, ["--segment", "30s", "--at-pauses"], scratch, 5)
        joined_errors, whole_errors = edit_distance(spoken_digits, joined), edit_distance(spoken_digits, reference)
        check("--segment 30s --at-pauses: the windows' transcripts joined err no more than the whole recording's",
              joined_errors <= whole_errors and seconds > 120 and len(pieces) >= 5,
              f"{seconds:.1f} s in {len(pieces)} windows; {len(spoken_digits)} digits spoken; "
              f"{joined_errors} word errors joined, {whole_errors} whole")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
