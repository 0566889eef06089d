"""Errors raise the class of the command line's exit code, with its one line."""

from __future__ import annotations

import errno

import numpy as np
import pytest

import audioprep
from conftest import FIXTURES, cli_error_line


def test_missing_file(scratch):
    path = scratch / "missing.wav"
    code, line = cli_error_line(path, "-o", scratch / "out.wav")
    with pytest.raises(audioprep.NoInputError) as raised:
        audioprep.load(path)
    assert (raised.value.code, raised.value.message) == (code, line) == (66, line)
    assert isinstance(raised.value, audioprep.AudioprepError)


def test_directory(scratch):
    # The command line's code and line, without its advice to run 'audioprep batch DIR' (review
    # of #23, W6; the words before it differed too: review30p, W9), and open()'s errno.
    code, line = cli_error_line(scratch, "-o", scratch / "out.wav")
    with pytest.raises(audioprep.NoInputError) as raised:
        audioprep.load(scratch)
    assert raised.value.code == code == 66
    assert raised.value.message == f"audioprep: {scratch}: is a directory, not an audio file"
    assert line.startswith(raised.value.message + "; for a whole directory use 'audioprep batch "), line
    assert (raised.value.errno, raised.value.filename) == (errno.EISDIR, str(scratch))


def test_a_missing_file_named_like_a_command_is_a_missing_file(scratch, monkeypatch):
    monkeypatch.chdir(scratch)
    with pytest.raises(audioprep.NoInputError) as raised:
        audioprep.load("batch")
    assert raised.value.message == "audioprep: batch: No such file or directory"  # not "did you mean 'audioprep batch'"
    assert (raised.value.errno, raised.value.filename) == (errno.ENOENT, "batch")


def test_not_audio(scratch):
    path = scratch / "notes.wav"
    path.write_text("not audio at all\n" * 20)
    code, line = cli_error_line(path, "-o", scratch / "out.wav")
    with pytest.raises(audioprep.DecodeError) as raised:
        audioprep.load(path)
    assert (raised.value.code, raised.value.message) == (code, line) == (65, line)


@pytest.mark.parametrize(
    "options, flags",
    [
        ({"converter": "bogus"}, ["--converter", "bogus"]),
        ({"highpass": -5}, ["--highpass", "-5"]),
        ({"sr": 10}, ["--rate", "10"]),
        ({"frobnicate": 1}, ["--frobnicate", "1"]),
        ({"loudness": -23, "gain": 2}, ["--loudness", "-23", "--gain", "2"]),
    ],
)
def test_usage_errors_read_as_on_the_command_line(options, flags, scratch):
    path = FIXTURES / "speech.wav"
    code, line = cli_error_line(path, *flags)
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.load(path, **options)
    assert raised.value.code == code == 64
    assert raised.value.message == line
    assert isinstance(raised.value, ValueError)


def test_denoise_needs_a_webrtc_rate():
    samples = audioprep.load(FIXTURES / "speech.wav")
    with pytest.raises(audioprep.UsageError, match="--denoise"):
        audioprep.process(samples, 16000, rate=22050, denoise="moderate")


def test_errors_in_a_stream(scratch):
    with pytest.raises(audioprep.NoInputError):
        next(iter(audioprep.stream(scratch / "missing.flac")))
    with pytest.raises(audioprep.UsageError):
        next(iter(audioprep.stream(FIXTURES / "speech.wav", converter="bogus")))


def test_info_errors(scratch):
    with pytest.raises(audioprep.NoInputError):
        audioprep.info(scratch / "missing.flac")


@pytest.mark.parametrize("call", ["load", "stream", "process"])
def test_no_output_rate_is_refused_not_taken_for_16_khz(call):
    """librosa's ``sr=None`` keeps the file's own rate; audioprep's gave 16 kHz without a word
    (hostile review 23c, W2). Refused, naming how to keep a rate."""
    path = FIXTURES / "stereo44k.wav"
    with pytest.raises(audioprep.UsageError) as raised:
        if call == "load":
            audioprep.load(path, sr=None)
        elif call == "stream":
            list(audioprep.stream(path, sr=None))
        else:
            audioprep.process(np.zeros(4410, dtype=np.float32), sr=44100, rate=None)
    name = "rate" if call == "process" else "sr"
    assert raised.value.message.startswith(f"audioprep: {name}=None: ")
    assert raised.value.code == 64


@pytest.mark.parametrize("value", [True, False, np.True_])
@pytest.mark.parametrize("call", ["load", "stream", "info"])
def test_a_bool_for_a_rate_is_refused_naming_it(call, value):
    """``sr=True`` was read as a flag: messages about '--chunk-ms=100' or '--', or a silent
    16 kHz for False (hostile review 30p, W3)."""
    path = FIXTURES / "speech.flac"
    with pytest.raises(audioprep.UsageError) as raised:
        if call == "load":
            audioprep.load(path, sr=value)
        elif call == "stream":
            list(audioprep.stream(path, sr=value))
        else:
            audioprep.info(path, sr=value)
    assert raised.value.message.startswith(f"audioprep: sr={value!r}: "), raised.value.message


@pytest.mark.parametrize("rate", [__import__("decimal").Decimal(22050), np.array(22050), __import__("fractions").Fraction(22050)])
def test_process_takes_a_rate_of_any_number_type(rate):
    """Decimal and a 0-d array were refused as ``sr`` where load takes them (review 30p, W4)."""
    samples = np.zeros(22050, dtype=np.float32)
    assert audioprep.process(samples, sr=rate).shape == audioprep.process(samples, sr=22050).shape


@pytest.mark.parametrize("call", ["load", "stream", "info"])
@pytest.mark.parametrize("kind", ["bytes", "bytearray", "memoryview", "socket"])
def test_audio_bytes_or_a_socket_where_a_path_goes_say_how_to_pass_them(call, kind):
    """``load(requests.get(url).content)`` said "embedded null byte"; a bytearray, memoryview or
    socket a path TypeError (hostile review 30p, W5)."""
    import socket

    data = (FIXTURES / "speech.wav").read_bytes()
    ours, peer = socket.socketpair()
    given = {"bytes": data, "bytearray": bytearray(data), "memoryview": memoryview(data), "socket": ours}[kind]
    function = {"load": audioprep.load, "stream": lambda x: list(audioprep.stream(x)), "info": audioprep.info}[call]
    try:
        with pytest.raises(audioprep.UsageError) as raised:
            function(given)
    finally:
        ours.close()
        peer.close()
    hint = "makefile(\"rb\")" if kind == "socket" else "io.BytesIO("
    assert hint in raised.value.message, raised.value.message


@pytest.mark.parametrize("kind", ["directory", "not a directory", "missing"])
def test_a_missing_input_is_the_oserror_subclass_open_would_raise(kind, tmp_path):
    """NoInputError was always a FileNotFoundError: ``except IsADirectoryError`` or
    ``NotADirectoryError`` never caught one, as it catches open()'s (hostile review 30p, W6)."""
    (tmp_path / "file").write_bytes(b"x")
    path = {"directory": tmp_path, "not a directory": tmp_path / "file" / "a.wav", "missing": tmp_path / "a.wav"}[kind]
    with pytest.raises(OSError) as expected:
        open(path, "rb")
    with pytest.raises(audioprep.NoInputError) as raised:
        audioprep.load(path)
    assert type(expected.value) in type(raised.value).__mro__, (type(raised.value).__mro__, type(expected.value))
    assert raised.value.errno == expected.value.errno


def test_complex_samples_are_refused_as_complex_not_as_integers():
    """The hint for integers (``samples / 32768``) was given for complex samples too (review
    30p, C2)."""
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.process(np.zeros(1000, dtype=np.complex64), sr=16000)
    assert "complex" in raised.value.message and "32768" not in raised.value.message, raised.value.message
