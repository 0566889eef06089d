"""The command line's warnings come as ``AudioprepWarning``s, one per line it prints, from
``load``, ``process`` and ``stream``."""

from __future__ import annotations

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
    assert caught(lambda: audioprep.process(samples, rate)) == [expected[0].replace(str(path), "(memory)")]


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
