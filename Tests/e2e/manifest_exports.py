"""`audioprep manifest export` read back by the consumers' own readers, and `info DIR` against
Python's own reading of the files' headers.

Usage: manifest_exports.py AUDIOPREP FIXTURES
  run by `make test-manifests` with the .build-e2e venv's Python (kaldi-native-io, lhotse,
  soundfile; torch replaced by Tests/e2e/torch_stub, see there).

A corpus of mixed formats (FLAC, WAV mono and stereo 44.1 kHz, MP3, Ogg, AIFF, with transcripts
and a note) is processed by `batch --segment 1s` as two shards, shard 0 run twice (the second
run resumes: it skips what is done and redoes a deleted output), and once whole. Then:
- Kaldi: wav.scp read by Kaldi's WAV reader (kaldi-native-io), pipes included; with
  `--segments offsets` each segment cut from the pipe's whole processed input as Kaldi's
  extract-segments cuts it equals the segment file audioprep wrote, sample for sample; every
  file sorted as `LC_ALL=C sort`, utt2spk/spk2utt consistent as validate_data_dir.sh checks.
- Lhotse: RecordingSet/SupervisionSet.from_file, validate_recordings_and_supervisions,
  CutSet.from_manifests, and each cut's audio loaded by Lhotse has the length it claims.
- NeMo: field by field against NeMo's documented ASR manifest (nemo-toolkit, with torch and
  its CUDA wheels, is too heavy to install in a test).
- Hugging Face audiofolder: field by field against its documentation (datasets 5 needs torch
  and torchcodec to build even an undecoded Audio column).
- CSV through Python's csv module; errors: 66, 65, 73 with one line each.
- info over a 1,000-file tree: totals equal Python's sums over the headers (wave module for
  WAV, soundfile for FLAC and Ogg Vorbis).
Prints PASS/FAIL per check, then `manifests: N passed, M failed`; exits 1 if any failed.
"""

import csv
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "torch_stub"))

import kaldi_native_io  # noqa: E402
import numpy as np  # noqa: E402
import soundfile  # noqa: E402
from lhotse import CutSet, RecordingSet, SupervisionSet, validate_recordings_and_supervisions  # noqa: E402

AUDIOPREP = os.path.abspath(sys.argv[1])
FIXTURES = os.path.abspath(sys.argv[2])
passed = failed = 0


def check(label, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS: {label}")
    else:
        failed += 1
        print(f"FAIL: {label}{': ' + str(detail) if detail else ''}")


def audioprep(*args, expect=0):
    result = subprocess.run([AUDIOPREP, *args], capture_output=True, text=True)
    if result.returncode != expect:
        raise RuntimeError(f"audioprep {' '.join(args)}: exit {result.returncode}, expected {expect}: {result.stderr}")
    return result


def lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def c_sorted(path):
    return subprocess.run(["sort", "-c", "-k1,1", path], env={**os.environ, "LC_ALL": "C"}).returncode == 0


def make_corpus(root):
    layout = {
        "spkA/a1.flac": "speech.flac", "spkA/a2.wav": "speech.wav", "spkB/b1.wav": "stereo44k.wav",
        "spkB/b2.mp3": "speech.mp3", "spkC/c1.ogg": "speech.ogg", "spkC/sub/c2.aiff": "speech.aiff",
    }
    for relative, fixture in layout.items():
        os.makedirs(os.path.dirname(os.path.join(root, relative)), exist_ok=True)
        shutil.copy(os.path.join(FIXTURES, fixture), os.path.join(root, relative))
    transcripts = {"spkA/a1.txt": "ONE TWO\nTHREE\n", "spkB/b1.txt": "stereo, \"quoted\" words"}
    for relative, text in transcripts.items():
        with open(os.path.join(root, relative), "w") as f:
            f.write(text)
    with open(os.path.join(root, "NOTES.md"), "w") as f:
        f.write("not audio\n")
    return layout, {k[:-4]: " ".join(v.split()) for k, v in transcripts.items()}


def kaldi_checks(tmp, data, segment_files):
    files = sorted(os.listdir(data))
    # text holds the ids alone: a whole input's transcript cannot be split among its segments,
    # and Lhotse's Kaldi importer needs text beside segments (review33n W3).
    check("kaldi offsets: the data directory's files", files == ["segments", "spk2utt", "text", "utt2dur", "utt2spk", "wav.scp"], files)
    with open(os.path.join(data, "text"), encoding="utf-8") as f:
        check("kaldi offsets: text holds each utterance's id alone", all(len(line.split()) == 1 for line in f), "")
    check("kaldi offsets: every file sorted as LC_ALL=C sort", all(c_sorted(os.path.join(data, f)) for f in files))
    utt2spk = [l.split() for l in lines(os.path.join(data, "utt2spk"))]
    by_speaker = sorted(utt2spk, key=lambda p: p[1].encode())  # stable: utterance order kept within a speaker
    check("kaldi offsets: utt2spk in speaker order too (speaker-id prefix)", by_speaker == utt2spk)
    check("kaldi offsets: speakers from the first directory", {s for _, s in utt2spk} == {"spkA", "spkB", "spkC"})
    spk2utt = {l.split()[0]: l.split()[1:] for l in lines(os.path.join(data, "spk2utt"))}
    inverted = {}
    for u, s in utt2spk:
        inverted.setdefault(s, []).append(u)
    check("kaldi offsets: spk2utt is utt2spk inverted", spk2utt == inverted)
    segments = {l.split()[0]: (l.split()[1], float(l.split()[2]), float(l.split()[3])) for l in lines(os.path.join(data, "segments"))}
    utt2dur = {l.split()[0]: float(l.split()[1]) for l in lines(os.path.join(data, "utt2dur"))}
    check("kaldi offsets: one utterance per segment file", len(segments) == len(segment_files) == len(utt2dur), (len(segments), len(segment_files)))
    # Kaldi's own WAV reader runs each pipe; extract-segments' cut of it is the segment file.
    whole = {}
    with kaldi_native_io.SequentialWaveReader(f"scp:{data}/wav.scp") as reader:
        for key, w in reader:
            whole[key] = (w.sample_freq, w.data.numpy().copy())  # the reader reuses its buffer
    check("kaldi offsets: Kaldi's reader reads every wav.scp pipe", len(whole) == 6, sorted(whole))
    mismatched = []
    for utt, (rec, start, end) in sorted(segments.items()):
        rate, samples = whole[rec]
        cut = samples[0, int(round(start * rate)):int(round(end * rate))]
        wrote = segment_files[utt]
        if rate != 16000 or not np.array_equal(cut, wrote) or abs(utt2dur[utt] - (end - start)) > 1e-6:
            difference = np.abs(cut - wrote).max() if cut.shape == wrote.shape else None
            mismatched.append((utt, cut.shape, wrote.shape, difference))
    check("kaldi offsets: each segment cut from the pipe equals its segment file, sample for sample", not mismatched, mismatched[:3])


def main():
    tmp = tempfile.mkdtemp(prefix="audioprep-manifests.")
    try:
        run(tmp)
    finally:
        if not os.environ.get("KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"manifests: {passed} passed, {failed} failed")
    return 1 if failed else 0


def run(tmp):
    os.chdir(tmp)
    layout, transcripts = make_corpus("corpus")
    # Two shards of a segmented batch; shard 0 again after one of its outputs was deleted.
    for k in (0, 1):
        audioprep("batch", "corpus", "--out-dir", "seg", "--segment", "1s", "--shard", f"{k}/2", "-j", "2", "-q")
    shard0 = [json.loads(l) for l in lines("seg/manifest.0-of-2.jsonl")]
    redo = shard0[0]["output"]
    os.remove(redo)
    audioprep("batch", "corpus", "--out-dir", "seg", "--segment", "1s", "--shard", "0/2", "-j", "2", "-q")
    statuses = sorted(json.loads(l)["status"] for l in lines("seg/manifest.0-of-2.jsonl"))
    check("the resumed shard skipped what was done and redid the deleted output",
          statuses.count("ok") == 1 and statuses.count("skipped") == len(statuses) - 1, statuses)
    manifests = ["seg/manifest.0-of-2.jsonl", "seg/manifest.1-of-2.jsonl"]
    # Extra copies of the same records (the first run's lines kept, a manifest given twice) must not duplicate.
    with open("seg/manifest.0-of-2.jsonl") as f, open("seg/runs.jsonl", "w") as g:
        g.write("\n".join(json.dumps(r) for r in shard0) + "\n" + f.read())
    audioprep("batch", "corpus", "--out-dir", "whole", "-j", "2", "-q")

    # The segment files audioprep wrote, by the utterance ids the export gives them.
    segment_files = {}
    for relative in layout:
        stem = os.path.splitext(relative)[0]
        for line in lines(f"seg/{stem}.segments.jsonl"):
            s = json.loads(line)
            utt = f"{relative.split('/')[0]}-{stem.replace('/', '_')}-{s['index']:04d}"
            with wave.open(os.path.join("seg", os.path.dirname(relative), s["file"])) as w:
                segment_files[utt] = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)

    # Kaldi, segments as offsets into the inputs, processed through audioprep in wav.scp's pipes.
    audioprep("manifest", "export", "--to", "kaldi", "seg/runs.jsonl", manifests[1], "-o", "data/kaldi",
              "--segments", "offsets", "--speaker-from", "1", "--audioprep-command", AUDIOPREP, "-q")
    kaldi_checks(tmp, "data/kaldi", segment_files)

    # Kaldi, segment files as recordings: Kaldi's reader reads each, at the length utt2dur says.
    audioprep("manifest", "export", "--to", "kaldi", *manifests, "-o", "data/kaldi-files", "--speaker-from", "parent", "-q")
    utt2dur = {l.split()[0]: float(l.split()[1]) for l in lines("data/kaldi-files/utt2dur")}
    lengths = {}
    with kaldi_native_io.SequentialWaveReader("scp:data/kaldi-files/wav.scp") as reader:
        for key, w in reader:
            lengths[key] = w.data.numpy().shape[1] / w.sample_freq
    check("kaldi files: no segments file", not os.path.exists("data/kaldi-files/segments"))
    # FLAC outputs, which Kaldi cannot read: wav.scp decodes them in a pipe, to the same samples.
    audioprep("batch", "corpus", "--out-dir", "flac", "--format", "flac", "-j", "2", "-q")
    audioprep("manifest", "export", "--to", "kaldi", "flac/manifest.jsonl", "-o", "data/kaldi-flac",
              "--audioprep-command", AUDIOPREP, "-q")
    same = []
    with kaldi_native_io.SequentialWaveReader("scp:data/kaldi-flac/wav.scp") as reader:
        for key, w in reader:
            stems = {os.path.splitext(r)[0].replace("/", "_"): os.path.splitext(r)[0] for r in layout}
            path = os.path.join("flac", stems[key] + ".flac")
            samples, rate = soundfile.read(path, dtype="int16")
            same.append(rate == w.sample_freq and np.array_equal(w.data.numpy()[0], samples.astype(np.float32)))
    check("kaldi flac outputs: Kaldi's reader gets each FLAC's samples through its wav.scp pipe", len(same) == len(layout) and all(same), same)
    check("kaldi files: Kaldi's reader reads every segment file at its utt2dur",
          len(lengths) == len(segment_files) and all(abs(lengths[k] - utt2dur[k]) < 1e-6 for k in lengths), (len(lengths), len(segment_files)))

    # Lhotse: its own readers and validator, and its audio loading.
    for style in ("files", "offsets"):
        dest = f"data/lhotse-{style}"
        audioprep("manifest", "export", "--to", "lhotse", "seg/runs.jsonl", manifests[1], "-o", dest, "--segments", style, "-q")
        recordings = RecordingSet.from_file(f"{dest}/recordings.jsonl.gz")
        supervisions = SupervisionSet.from_file(f"{dest}/supervisions.jsonl.gz")
        try:
            validate_recordings_and_supervisions(recordings, supervisions)
            valid = True
        except Exception as error:  # noqa: BLE001
            valid = error
        check(f"lhotse {style}: validate_recordings_and_supervisions", valid is True, valid)
        expected = (len(segment_files), len(segment_files)) if style == "files" else (len(layout), len(segment_files))
        check(f"lhotse {style}: {expected[0]} recordings, {expected[1]} supervisions", (len(recordings), len(supervisions)) == expected,
              (len(recordings), len(supervisions)))
        cuts = CutSet.from_manifests(recordings=recordings, supervisions=supervisions)
        bad = []
        for recording in recordings:
            audio = recording.load_audio()
            if audio.shape != (recording.num_channels, recording.num_samples):
                bad.append((recording.id, audio.shape, recording.num_samples))
        check(f"lhotse {style}: every recording loads at the length it claims", not bad, bad[:3])
        trimmed = cuts.trim_to_supervisions(keep_overlapping=False).to_eager()
        check(f"lhotse {style}: the cuts trim to one per supervision", len(trimmed) == len(segment_files), len(trimmed))
        if style == "offsets":
            lengths_ok = all(abs(c.load_audio().shape[1] / c.sampling_rate - c.duration) < 1e-3 for c in trimmed)
            check("lhotse offsets: each trimmed cut loads its segment's length from the input", lengths_ok)

    # Lhotse offsets of a stereo input a batch made of its channel 1 (--channel 1): each
    # supervision is that channel alone, so each trimmed cut loads the file's channel 1, the
    # audio the segments were made of (review31m W9: [0,1], both channels).
    os.makedirs("stereo", exist_ok=True)
    shutil.copy(os.path.join(FIXTURES, "stereo44k.wav"), "stereo/s.wav")
    audioprep("batch", "stereo", "--out-dir", "stereo-out", "--segment", "1s", "--channel", "1", "-q")
    audioprep("manifest", "export", "--to", "lhotse", "stereo-out/manifest.jsonl", "-o", "data/lhotse-channel1", "--segments", "offsets", "-q")
    recordings = RecordingSet.from_file("data/lhotse-channel1/recordings.jsonl.gz")
    supervisions = SupervisionSet.from_file("data/lhotse-channel1/supervisions.jsonl.gz")
    validate_recordings_and_supervisions(recordings, supervisions)
    trimmed = CutSet.from_manifests(recordings=recordings, supervisions=supervisions).trim_to_supervisions(keep_overlapping=False).to_eager()
    stereo, _ = soundfile.read("stereo/s.wav", dtype="float32", always_2d=True)
    wrong = []
    for cut in trimmed:
        audio = cut.load_audio()
        start = round(cut.start * cut.sampling_rate)
        if cut.channel != 1 or audio.shape[0] != 1 or not np.allclose(audio[0], stereo[start:start + audio.shape[1], 1], atol=1e-4):
            wrong.append((cut.id, cut.channel, audio.shape))
    check("lhotse offsets, --channel 1: every cut is the input's channel 1 alone", trimmed and not wrong, wrong[:3])

    # NeMo (field by field: https://docs.nvidia.com/nemo-framework/ asr datasets: one JSON object a
    # line with audio_filepath, duration in seconds, text; offset in seconds into the file).
    audioprep("manifest", "export", "--to", "nemo", "whole/manifest.jsonl", "-o", "data/nemo.json", "-q")
    nemo = [json.loads(l) for l in lines("data/nemo.json")]
    check("nemo: one line per input", len(nemo) == len(layout), len(nemo))
    problems = []
    for entry in nemo:
        info = soundfile.info(entry["audio_filepath"])
        stem = os.path.relpath(os.path.splitext(entry["audio_filepath"])[0], os.path.join(tmp, "whole"))
        if set(entry) != {"audio_filepath", "duration", "text"} or not os.path.isabs(entry["audio_filepath"]):
            problems.append(("keys", entry))
        if abs(entry["duration"] - info.frames / info.samplerate) > 1e-6 or info.samplerate != 16000:
            problems.append(("duration", entry, info.frames))
        if entry["text"] != transcripts.get(stem, ""):
            problems.append(("text", entry))
    check("nemo: absolute audio_filepath, duration of the file, text from STEM.txt or empty", not problems, problems[:3])
    audioprep("manifest", "export", "--to", "nemo", *manifests, "-o", "data/nemo-offsets.json", "--segments", "offsets", "-q")
    offsets = [json.loads(l) for l in lines("data/nemo-offsets.json")]
    inside = all(set(e) == {"audio_filepath", "duration", "offset", "text"}
                 and e["offset"] + e["duration"] <= soundfile.info(e["audio_filepath"]).duration + 1e-6 for e in offsets)
    check("nemo offsets: one line per segment, each within its input", len(offsets) == len(segment_files) and inside)

    # Hugging Face audiofolder (field by field: metadata.csv beside the audio, a file_name column
    # with paths relative to it, other columns are features).
    audioprep("manifest", "export", "--to", "hf", "whole/manifest.jsonl", "-o", "whole", "--metadata", "csv", "-q")
    with open("whole/metadata.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    check("hf: metadata.csv columns", list(rows[0]) == ["file_name", "transcription", "duration", "speaker_id"], list(rows[0]))
    ok = len(rows) == len(layout) and all(
        not os.path.isabs(r["file_name"]) and os.path.isfile(os.path.join("whole", r["file_name"]))
        and r["transcription"] == transcripts.get(os.path.splitext(r["file_name"])[0], "") for r in rows)
    check("hf: every file_name relative to the metadata and there, transcriptions from STEM.txt", ok)
    result = audioprep("manifest", "export", "--to", "hf", "whole/manifest.jsonl", "-o", "data/elsewhere", expect=64)
    check("hf: audio outside the folder is refused (64, one line)", len(result.stderr.splitlines()) == 1, result.stderr)

    # CSV, and one record per input whatever the runs and shards.
    audioprep("manifest", "export", "--to", "csv", "seg/runs.jsonl", *manifests, "-o", "data/all.csv", "--segments", "offsets")
    with open("data/all.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    check("csv: shards and runs give one row per segment", len(rows) == len(segment_files) and len({r["id"] for r in rows}) == len(rows), len(rows))

    # Errors: one line each, documented codes; nothing replaced without --force.
    result = audioprep("manifest", "export", "--to", "csv", "nope.jsonl", "-o", "data/x.csv", expect=66)
    check("a missing manifest: 66, one line naming it", result.stderr.startswith("audioprep: nope.jsonl: ") and len(result.stderr.splitlines()) == 1, result.stderr)
    with open("bad.jsonl", "w") as f:
        f.write("{\"not\": \"a record\"}\n")
    result = audioprep("manifest", "export", "--to", "csv", "bad.jsonl", "-o", "data/x.csv", expect=65)
    check("a bad manifest: 65, one line naming it", result.stderr == "audioprep: bad.jsonl: is not a manifest: its one line is not a manifest record\n", result.stderr)
    before = open("data/kaldi/wav.scp", "rb").read()
    result = audioprep("manifest", "export", "--to", "kaldi", *manifests, "-o", "data/kaldi", expect=73)
    check("an existing export: 73 without --force, left as it was",
          open("data/kaldi/wav.scp", "rb").read() == before and not [n for n in os.listdir("data/kaldi") if n.startswith(".")], result.stderr)
    audioprep("manifest", "export", "--to", "kaldi", *manifests, "-o", "data/kaldi", "--force", "-q")
    check("--force replaces it", open("data/kaldi/wav.scp", "rb").read() != before)

    byte_name_checks()
    info_checks()


def byte_name_checks():
    """A corpus whose file names and transcript are Latin-1, not UTF-8: every export names
    the files so that its consumer opens them (Kaldi's reader, json.loads + open, Lhotse)."""
    os.makedirs(b"latin/spk", exist_ok=True)
    shutil.copy(os.path.join(FIXTURES, "speech.wav"), b"latin/spk/caf\xe9.wav")
    with open(b"latin/spk/caf\xe9.txt", "wb") as f:
        f.write(b"caf\xe9 au lait\n")
    audioprep("batch", "latin", "--out-dir", "latin-out", "--segment", "1s", "-q")
    audioprep("manifest", "export", "--to", "kaldi", "--segments", "offsets", "latin-out/manifest.jsonl", "-o", "latin-kaldi",
              "--audioprep-command", AUDIOPREP, "-q")
    scp = open("latin-kaldi/wav.scp", "rb").read()
    check("bytes: wav.scp holds the name's own bytes", b"caf\xe9.wav" in scp, scp)
    with kaldi_native_io.SequentialWaveReader("scp:latin-kaldi/wav.scp") as reader:
        read = [key for key, _ in reader]
    check("bytes: Kaldi's reader runs the Latin-1 name's pipe", len(read) == 1, read)
    audioprep("manifest", "export", "--to", "nemo", "latin-out/manifest.jsonl", "--segments", "offsets", "-o", "latin.nemo.json", "-q")
    nemo = [json.loads(l) for l in open("latin.nemo.json", encoding="utf-8")]
    check("bytes: NeMo's audio_filepath opens after json.loads",
          all(os.path.exists(r["audio_filepath"]) for r in nemo) and nemo[0]["audio_filepath"].endswith("caf\udce9.wav"), nemo[:1])
    audioprep("manifest", "export", "--to", "lhotse", "latin-out/manifest.jsonl", "-o", "latin-lhotse", "-q")
    # Lhotse reads the names back; its soundfile backend cannot open a name that is not UTF-8
    # (soundfile encodes str paths strictly), so only the names are checked here.
    recordings = RecordingSet.from_file("latin-lhotse/recordings.jsonl.gz")
    sources = [r.sources[0].source for r in recordings]
    check("bytes: Lhotse's recordings name the Latin-1 files", len(sources) == 4 and all(map(os.path.exists, sources)), sources[:1])
    audioprep("manifest", "export", "--to", "csv", "latin-out/manifest.jsonl", "-o", "latin.csv", "-q")
    with open("latin.csv", newline="", encoding="utf-8", errors="surrogateescape") as f:
        rows = list(csv.DictReader(f))
    check("bytes: the CSV's audio_path is the file's bytes", all(os.path.exists(r["audio_path"]) for r in rows) and len(rows) == 4, rows[:1])


def info_checks():
    """info over a 1,000-file tree against Python's reading of each file's header."""
    random.seed(19)
    rates, expected_seconds, by_rate, by_channels, by_format = [8000, 16000, 22050, 44100, 48000], 0.0, {}, {}, {}
    for n in range(1000):
        directory = f"tree/d{n % 7}/e{n % 13}"
        os.makedirs(directory, exist_ok=True)
        rate, channels, frames = random.choice(rates), random.choice([1, 2]), random.randint(0, 4000)
        if n % 10 == 0:
            path = f"{directory}/f{n}.flac"
            soundfile.write(path, np.zeros((frames, channels), dtype=np.int16), rate, subtype="PCM_16")
        elif n % 10 == 5:  # Ogg Vorbis: info reads its length from the last page, not the decoder
            path = f"{directory}/f{n}.ogg"
            noise = np.random.default_rng(n).uniform(-0.5, 0.5, (frames + 1000, channels))
            soundfile.write(path, noise, rate, format="OGG", subtype="VORBIS")
        else:
            path = f"{directory}/f{n}.wav"
            with wave.open(path, "wb") as w:
                w.setnchannels(channels)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(b"\0" * (2 * channels * frames))
    for n in range(20):
        with open(f"tree/d{n % 7}/t{n}.txt", "w") as f:
            f.write("a transcript\n")
    with open("tree/d0/broken.wav", "wb") as f:
        f.write(b"RIFF\x10\0\0\0WAVEjunkjunk")
    # Python's own reading of the headers: the wave module for WAV, soundfile for FLAC and Ogg.
    for root, _, names in os.walk("tree"):
        for name in names:
            path = os.path.join(root, name)
            if name.endswith(".wav") and name != "broken.wav":
                with wave.open(path) as w:
                    rate, channels, frames, container = w.getframerate(), w.getnchannels(), w.getnframes(), "WAV"
            elif name.endswith(".flac") or name.endswith(".ogg"):
                info = soundfile.info(path)
                container = "FLAC" if name.endswith(".flac") else "OGG"
                rate, channels, frames = info.samplerate, info.channels, info.frames
            else:
                continue
            expected_seconds += frames / rate
            by_rate[str(rate)] = by_rate.get(str(rate), 0) + 1
            by_channels[str(channels)] = by_channels.get(str(channels), 0) + 1
            by_format[container] = by_format.get(container, 0) + 1
    result = audioprep("info", "tree", "--json", expect=65)
    out = result.stdout.splitlines()
    totals = json.loads(out[-1])["totals"]
    files = [json.loads(l) for l in out[:-1]]
    check("info: one line per recording, 1,000 of them", len(files) == 1000 and totals["files"] == 1000, len(files))
    check("info: hours equal Python's sum over the headers", abs(totals["seconds"] - expected_seconds) < 1e-6,
          (totals["seconds"], expected_seconds))
    check("info: counts by rate and channels", totals["by_rate"] == by_rate and totals["by_channels"] == by_channels,
          (totals["by_rate"], by_rate))
    formats = {k.split(" ")[0]: v for k, v in totals["by_format"].items()}
    check("info: counts by format", formats == by_format, (totals["by_format"], by_format))
    check("info: the undecodable file named, transcripts skipped and counted",
          totals["undecodable"] == ["tree/d0/broken.wav"] and totals["skipped_files"] == 20,
          (totals["undecodable"], totals["skipped_files"]))
    check("info: the undecodable file's one error line", result.stderr.startswith("audioprep: tree/d0/broken.wav: ")
          and len(result.stderr.splitlines()) == 1, result.stderr)


if __name__ == "__main__":
    sys.exit(main())
