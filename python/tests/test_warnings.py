"""The command line's warnings come as ``AudioprepWarning``s, one per line it prints, from
``load``, ``process`` and ``stream``."""

from __future__ import annotations

import io
import json
import os
import time
import warnings

import numpy as np
import pytest
import soundfile

import audioprep
from conftest import FIXTURES, run_cli


def cli_warnings(path, scratch, *options: str) -> list[str]:
    """The lines ``audioprep PATH -o OUT --encoding f32 OPTIONS…`` warns with (it succeeds)."""
    result = run_cli(path, "-o", scratch / "cli.wav", "--encoding", "f32", "--force", *options)
    assert result.returncode == 0, result.stderr
    return result.stderr.splitlines()


def caught(call) -> list[str]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        call()
    assert all(issubclass(warning.category, audioprep.AudioprepWarning) for warning in seen), seen
    return [str(warning.message) for warning in seen]


@pytest.fixture
def truncated(scratch):
    path = scratch / "truncated.flac"
    path.write_bytes((FIXTURES / "speech.flac").read_bytes()[:30000])
    return path


@pytest.fixture
def with_nan(scratch):
    samples, rate = soundfile.read(FIXTURES / "speech.wav", dtype="float32")
    samples[[100, 2000, 3000]] = [np.nan, np.inf, -np.inf]
    path = scratch / "nan.wav"
    soundfile.write(path, samples, rate, subtype="FLOAT")
    return path, samples, rate


def test_a_truncated_file_warns_as_the_command_line(truncated, scratch):
    expected = cli_warnings(truncated, scratch)
    assert len(expected) == 1 and "truncated" in expected[0]
    assert caught(lambda: audioprep.load(truncated)) == expected
    assert caught(lambda: list(audioprep.stream(truncated))) == expected


def test_nan_samples_warn_as_the_command_line(with_nan, scratch):
    path, samples, rate = with_nan
    expected = cli_warnings(path, scratch)
    assert expected == [f"audioprep: {path}: 3 NaN or infinite samples replaced by 0"]
    assert caught(lambda: audioprep.load(path)) == expected
    assert caught(lambda: list(audioprep.stream(path))) == expected
    assert caught(lambda: audioprep.process(samples, rate)) == [expected[0].replace(str(path), "<samples>")]


def test_a_level_not_reached_warns_as_the_command_line(scratch):
    path = FIXTURES / "speech.flac"
    expected = cli_warnings(path, scratch, "--peak", "-0.1")
    assert len(expected) == 1 and "not reached" in expected[0]
    assert caught(lambda: audioprep.load(path, peak=-0.1)) == expected


def test_each_line_is_one_warning(with_nan, scratch):
    path, _, _ = with_nan
    expected = cli_warnings(path, scratch, "--start", "10")
    assert len(expected) == 2
    assert caught(lambda: audioprep.load(path, start=10)) == expected


def test_option_warnings_come_too(scratch):
    path = FIXTURES / "speech.flac"
    expected = cli_warnings(path, scratch, "--trim-silence", "--min-speech", "20")
    assert any("bare number is seconds" in line for line in expected)
    assert caught(lambda: audioprep.load(path, trim_silence=True, min_speech=20)) == expected


def test_a_clean_run_warns_nothing():
    path = FIXTURES / "speech.flac"
    assert caught(lambda: audioprep.load(path)) == []
    assert caught(lambda: list(audioprep.stream(path))) == []


def test_warnings_can_be_made_errors(truncated):
    with warnings.catch_warnings():
        warnings.simplefilter("error", audioprep.AudioprepWarning)
        with pytest.raises(audioprep.AudioprepWarning, match="truncated"):
            audioprep.load(truncated)


def test_a_file_objects_warning_names_it(truncated):
    with open(truncated, "rb") as file:
        lines = caught(lambda: audioprep.load(file))
    assert lines == caught(lambda: audioprep.load(truncated))
    assert len(lines) == 1 and lines[0].startswith(f"audioprep: {truncated}: truncated")


def test_a_call_repeated_warns_each_time(scratch):
    # The parsed options are kept between calls (parsing costs as much as a short file):
    # their warnings still come with every call.
    path = FIXTURES / "speech.flac"
    first = caught(lambda: audioprep.load(path, trim_silence=True, min_speech=20))
    assert first and caught(lambda: audioprep.load(path, trim_silence=True, min_speech=20)) == first


def test_info_warns_of_a_truncated_file_as_the_command_line_records_it(truncated):
    described = None

    def call():
        nonlocal described
        described = audioprep.info(truncated)

    lines = caught(call)
    cli = json.loads(run_cli("info", truncated, "--json").stdout)
    assert described.truncation == cli["truncation"] and described.truncation.startswith("truncated")
    assert lines == [f"audioprep: {truncated}: {cli['truncation']}"]
    assert caught(lambda: audioprep.info(FIXTURES / "speech.flac")) == []


def test_file_objects_stream_and_describe_as_their_paths(truncated):
    with open(truncated, "rb") as file:
        lines = caught(lambda: list(audioprep.stream(file)))
    assert len(lines) == 1 and lines[0].startswith(f"audioprep: {truncated}: truncated")
    with open(truncated, "rb") as file:
        chunks = caught_value(lambda: list(audioprep.stream(file, chunk_ms=250)))
    assert np.array_equal(np.concatenate(chunks), caught_value(lambda: audioprep.load(truncated)))
    with open(FIXTURES / "speech.flac", "rb") as file:
        described = audioprep.info(file)
    expected = audioprep.info(FIXTURES / "speech.flac")
    assert described.path == str(FIXTURES / "speech.flac") and described.raw["path"] == described.path
    assert (described.frames, described.chain, described.peak_dbfs) == (expected.frames, expected.chain, expected.peak_dbfs)
    with open(FIXTURES / "speech.flac") as text, pytest.raises(audioprep.UsageError, match="binary mode"):
        list(audioprep.stream(text))
    with open(FIXTURES / "speech.flac") as text, pytest.raises(audioprep.UsageError, match="binary mode"):
        audioprep.info(text)


def caught_value(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


def test_a_warning_made_an_error_frees_what_the_call_holds():
    """Review of #23, H1/H2: a warning raised as an error (``-W error``, pytest's
    ``filterwarnings = error``) while a stream opens left its native stream open (2 threads and a
    descriptor a call), and ``process`` left its output buffer unfreed."""
    def threads():
        return len(os.listdir("/proc/self/task"))

    def descriptors():
        return len(os.listdir("/proc/self/fd"))

    before = (threads(), descriptors())
    samples = np.zeros(16000, dtype=np.float32)
    samples[100] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error", audioprep.AudioprepWarning)
        for _ in range(20):
            stream = audioprep.stream(FIXTURES / "speech.flac", trim_silence=True, speech_pad=10)
            with pytest.raises(audioprep.AudioprepWarning):
                next(stream)
            with pytest.raises(audioprep.AudioprepWarning):
                audioprep.process(samples, 16000)
    assert (threads(), descriptors()) == before
    # process's output, 30 s at 16 kHz (1.9 MB a call), freed even when its warning raises.
    long = np.zeros(16000 * 30, dtype=np.float32)
    long[100] = np.nan

    def resident_mb():
        return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    with warnings.catch_warnings():
        warnings.simplefilter("error", audioprep.AudioprepWarning)
        for _ in range(5):
            with pytest.raises(audioprep.AudioprepWarning):
                audioprep.process(long, 16000)
        start = resident_mb()
        for _ in range(40):
            with pytest.raises(audioprep.AudioprepWarning):
                audioprep.process(long, 16000)
    assert resident_mb() - start < 30  # 76 MB when each call's buffer stayed


def test_every_warning_is_the_callers_line(truncated):
    # Attributed to the line that called audioprep, never to audioprep's own (module= filters
    # and the printed location are the caller's): info and stream gave __init__.py's lines.
    here = os.path.abspath(__file__)
    calls = {
        "load": lambda: audioprep.load(truncated),
        "info": lambda: audioprep.info(truncated),
        "stream": lambda: [None for _ in audioprep.stream(truncated)],
        "stream of a file object": lambda: [None for _ in audioprep.stream(io.BytesIO(truncated.read_bytes()))],
        "load of a file object": lambda: audioprep.load(io.BytesIO(truncated.read_bytes())),
        "options' warning": lambda: next(audioprep.stream(truncated, trim_silence=True, speech_pad=10)),
    }
    for name, call in calls.items():
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            call()
        assert seen, name
        assert [os.path.abspath(warning.filename) for warning in seen] == [here] * len(seen), name


def test_a_path_runs_warnings_name_the_path():
    # stream(path, live=True) said "audioprep: (memory): 25 chunks dropped" (hostile review
    # 30p, C1): a run into memory named its output "(memory)"; the line names the input, as
    # every other warning of the run does. The consumer waits after its first chunk, so the
    # live stream's 10-chunk buffer fills and drops (a 3.6 s file is read in milliseconds).
    path = FIXTURES / "speech.flac"

    def slow_consumer():
        for index, _ in enumerate(audioprep.stream(path, live=True)):
            if index == 0:
                time.sleep(1)

    lines = caught(slow_consumer)
    dropped = [line for line in lines if "dropped (live mode, buffer full)" in line]
    assert dropped and all(line.startswith(f"audioprep: {path}: ") for line in dropped), lines
