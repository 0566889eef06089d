"""``info`` describes a file as soundfile reads its header and as ``audioprep info --json`` does."""

from __future__ import annotations

import json
import re

import soundfile

import audioprep
from conftest import FIXTURES, run_cli


def test_info_matches_soundfile_and_the_command_line():
    path = FIXTURES / "stereo44k.wav"
    described = audioprep.info(path)
    header = soundfile.info(str(path))
    assert (described.sample_rate, described.channels, described.frames) == (header.samplerate, header.channels, header.frames)
    assert (described.output_sample_rate, described.output_channels) == (16000, 1)
    assert described.decoder == "libsndfile"
    line = json.loads(run_cli("info", path, "--json").stdout)
    # Every field as the command line gives it; the chain's lines up to their timing (how long
    # the resampler's table took to read differs from run to run).
    assert {k: v for k, v in described.raw.items() if k != "chain"} == {k: v for k, v in line.items() if k != "chain"}
    # Untimed, and whether the resampler's table was measured or read from the cache (on a new
    # machine the first call measures it, the command line then reads it).
    untimed = lambda entry: re.sub(r" (measured|read from the table cache) in .*", "", entry)  # noqa: E731
    assert [untimed(entry) for entry in described.chain] == [untimed(entry) for entry in line["chain"]]


def test_info_takes_chain_options():
    described = audioprep.info(FIXTURES / "stereo44k.wav", rate=8000, keep_channels=True)
    assert (described.output_sample_rate, described.output_channels) == (8000, 2)


def test_version():
    assert audioprep.version() == run_cli("--version").stdout.strip()


def test_a_libsndfile_loaded_before_audioprep_is_named(tmp_path):
    # soundfile's wheel bundles its own libsndfile; imported first, it is the one audioprep's
    # library gets: a warning says so. Imported after, audioprep has the system's.
    import subprocess
    import sys

    script = "import warnings; warnings.simplefilter('error'); {}; import audioprep; print(audioprep.version())"
    first = subprocess.run([sys.executable, "-c", script.format("import soundfile")], capture_output=True, text=True)
    assert first.returncode != 0 and "RuntimeWarning: audioprep: libsndfile is" in first.stderr
    after = subprocess.run([sys.executable, "-c", script.format("pass") + "; import soundfile"], capture_output=True, text=True)
    assert after.returncode == 0, after.stderr
    assert after.stdout.strip() == run_cli("--version").stdout.strip()


def test_a_file_named_like_an_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "--json").write_bytes((FIXTURES / "speech.wav").read_bytes())
    assert audioprep.info("--json").frames == audioprep.info(FIXTURES / "speech.wav").frames
    assert audioprep.load("--json").shape == audioprep.load(FIXTURES / "speech.wav").shape
