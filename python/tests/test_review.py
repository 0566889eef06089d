"""The hostile review of the Python door (stop 18): arrays in another layout or dtype, NUL in
a path, option values that are not plain strings, a stream read across a fork."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile

import audioprep
from conftest import FIXTURES, identical


def test_soundfiles_frames_by_channels_layout_is_refused_naming_the_transpose():
    samples, rate = soundfile.read(FIXTURES / "stereo44k.wav", dtype="float32")  # (frames, 2)
    with pytest.raises(audioprep.UsageError, match=r"\.T"):
        audioprep.process(samples, rate)


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.uint8, np.bool_])
def test_integer_samples_are_refused_not_taken_unscaled(dtype):
    with pytest.raises(audioprep.UsageError, match="float"):
        audioprep.process(np.ones(1000, dtype=dtype), 16000)


def test_a_nul_in_a_path_is_a_value_error_as_for_open():
    with pytest.raises(ValueError):
        audioprep.load(str(FIXTURES / "speech.flac") + "\0x")
    with pytest.raises(ValueError):
        audioprep.info(str(FIXTURES / "speech.flac") + "\0x")


def test_option_values_are_values_never_options():
    path = FIXTURES / "speech.flac"
    assert identical(audioprep.load(path, keep_channels=np.True_), audioprep.load(path, keep_channels=True))
    assert identical(audioprep.load(path, keep_channels=np.False_), audioprep.load(path))
    with pytest.raises(audioprep.UsageError):
        audioprep.load(path, converter="--gain=100")


def test_a_stream_begun_before_a_fork_is_refused_in_the_child():
    chunks = audioprep.stream(FIXTURES / "speech.flac")
    next(chunks)
    child = os.fork()
    if child == 0:
        code = 3
        try:
            next(chunks)
        except RuntimeError:
            code = 0
        except BaseException:
            code = 4
        os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert sum(len(chunk) for chunk in chunks) > 0, "the parent's stream goes on"


def test_a_missing_file_is_a_file_not_found_error():
    with pytest.raises(FileNotFoundError):
        audioprep.load(FIXTURES / "no-such-file.wav")


def test_sr_and_rate_together_are_refused():
    with pytest.raises(audioprep.UsageError, match="once"):
        audioprep.load(FIXTURES / "speech.flac", sr=8000, rate=22050)
    with pytest.raises(audioprep.UsageError, match="once"):
        next(audioprep.stream(FIXTURES / "speech.flac", sr=8000, rate=22050))
