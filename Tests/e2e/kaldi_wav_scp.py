"""Reads a Kaldi wav.scp whose entries are pipes through Kaldi's own WAV reader, and checks lengths.

Usage: kaldi_wav_scp.py WAV_SCP KEY=FRAMES…

kaldi-native-io (PyPI) carries Kaldi's `feat/wave-reader.cc` and `scp:` rspecifier handling, so
`utt audioprep f.flac -o - --format wav |` is run by a shell and its standard output parsed as
Kaldi would parse it. Each utterance must come out at 16 kHz, mono, with the expected number of
frames (the length audioprep writes as raw s16le). Prints one PASS/FAIL line per utterance and
exits 1 if any failed.
"""

import sys

import kaldi_native_io


def main():
    scp, expected = sys.argv[1], dict(a.split("=") for a in sys.argv[2:])
    failed = 0
    seen = set()
    with kaldi_native_io.SequentialWaveReader(f"scp:{scp}") as reader:
        for key, wave in reader:
            seen.add(key)
            channels, frames = wave.data.numpy().shape
            ok = wave.sample_freq == 16000 and channels == 1 and frames == int(expected[key])
            failed += not ok
            print(f"{'PASS' if ok else 'FAIL'}: kaldi wav.scp {key}: {wave.sample_freq:g} Hz, "
                  f"{channels} ch, {frames} frames (expected 16000 Hz, 1 ch, {expected[key]})")
    for key in sorted(set(expected) - seen):
        failed += 1
        print(f"FAIL: kaldi wav.scp {key}: not read")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
