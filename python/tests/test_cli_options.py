"""The command line's options for the part written (``--start``, ``--end``, ``--duration``,
``--trim-silence``) and for headerless input (``--in-rate``, ``--in-channels``,
``--in-encoding``) work from Python, with the command line's samples; the options about
writing files or its own reports are refused by name."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import soundfile

import audioprep
from conftest import FIXTURES, cli_error_line, cli_samples, identical

RAW = FIXTURES / "speech.s16le.raw"
RAW_FORMAT = {"in_rate": 22050, "in_channels": 1, "in_encoding": "s16"}
RAW_FLAGS = ["--in-rate", "22050", "--in-channels", "1", "--in-encoding", "s16"]

PARTS = [
    ({"start": 0.5, "duration": 1.25}, ["--start", "0.5", "--duration", "1.25"]),
    ({"start": "250ms", "end": "2s"}, ["--start", "250ms", "--end", "2s"]),
    ({"end": 1}, ["--end", "1"]),
    ({"trim_silence": True}, ["--trim-silence"]),
    ({"trim_silence": True, "speech_pad": "100ms", "vad_mode": 1}, ["--trim-silence", "--speech-pad", "100ms", "--vad-mode", "1"]),
]


@pytest.mark.parametrize("options, flags", PARTS)
@pytest.mark.parametrize("name", ["speech.flac", "stereo44k.wav"])
def test_a_part_loads_the_command_lines_samples(name, options, flags, scratch):
    path = FIXTURES / name
    assert identical(audioprep.load(path, **options), cli_samples(path, scratch, *flags))


@pytest.mark.parametrize("options, flags", PARTS)
def test_a_part_streams_the_command_lines_samples(options, flags, scratch):
    path = FIXTURES / "speech.flac"
    chunks = list(audioprep.stream(path, chunk_ms=100, **options))
    assert identical(np.concatenate(chunks), cli_samples(path, scratch, *flags))


@pytest.mark.parametrize("options, flags", PARTS)
def test_a_part_of_an_array_is_the_part_of_its_file(options, flags, scratch):
    samples, rate = soundfile.read(FIXTURES / "speech.wav", dtype="float32")
    assert identical(audioprep.process(samples, rate, **options), cli_samples(FIXTURES / "speech.wav", scratch, *flags))


def test_keep_channels_with_a_part(scratch):
    path = FIXTURES / "stereo44k.wav"
    assert identical(
        audioprep.load(path, keep_channels=True, start=0.25, duration=0.5),
        cli_samples(path, scratch, "--keep-channels", "--start", "0.25", "--duration", "0.5"))


def test_raw_input_loads_and_streams_the_command_lines_samples(scratch):
    expected = cli_samples(RAW, scratch, *RAW_FLAGS)
    assert identical(audioprep.load(RAW, **RAW_FORMAT), expected)
    assert identical(np.concatenate(list(audioprep.stream(RAW, **RAW_FORMAT))), expected)
    # The options make any name raw, as on the command line.
    other = scratch / "speech.bin"
    shutil.copy(RAW, other)
    assert identical(audioprep.load(other, **RAW_FORMAT), cli_samples(other, scratch, *RAW_FLAGS))


def test_raw_input_without_its_format_is_the_command_lines_usage_error(scratch):
    code, line = cli_error_line(RAW, "-o", scratch / "out.wav")
    assert code == 64
    for call in (lambda: audioprep.load(RAW), lambda: next(audioprep.stream(RAW)),
                 lambda: audioprep.load(RAW, in_rate=22050)):
        with pytest.raises(audioprep.UsageError) as raised:
            call()
        assert raised.value.code == 64
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.load(RAW)
    assert raised.value.message == line
    pcm = scratch / "speech.pcm"
    shutil.copy(RAW, pcm)
    code, line = cli_error_line(pcm, "-o", scratch / "out.wav")
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.load(pcm)
    assert (raised.value.code, raised.value.message) == (code, line)


def test_raw_format_options_are_refused_for_an_array():
    with pytest.raises(audioprep.UsageError, match="headerless"):
        audioprep.process(np.zeros(100, dtype=np.float32), 16000, in_rate=16000)


def test_range_errors_read_as_on_the_command_line(scratch):
    path = FIXTURES / "speech.flac"
    for options, flags in (({"end": 1, "duration": 1}, ["--end", "1", "--duration", "1"]),
                           ({"start": 2, "end": 1}, ["--start", "2", "--end", "1"]),
                           ({"trim_silence": True, "start": 1}, ["--trim-silence", "--start", "1"]),
                           ({"vad_mode": 2}, ["--vad-mode", "2"])):
        code, line = cli_error_line(path, "-o", scratch / "out.wav", *flags)
        with pytest.raises(audioprep.UsageError) as raised:
            audioprep.load(path, **options)
        assert (raised.value.code, raised.value.message) == (code, line)


@pytest.mark.parametrize(
    "option, value",
    [("encoding", "f32"), ("format", "wav"), ("segment", "1s"), ("utterances", True), ("quiet", True),
     ("stats", True), ("summary", True), ("golden", "x.wav"), ("output", "x.wav"), ("force", True)],
)
def test_options_about_files_and_reports_are_refused_by_name(option, value):
    flag = "--" + option.replace("_", "-")
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.load(FIXTURES / "speech.flac", **{option: value})
    assert raised.value.message.startswith(f"audioprep: {flag}: not for the library: {flag} ")
    assert "Unknown option" not in raised.value.message
