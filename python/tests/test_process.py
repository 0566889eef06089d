"""``process`` on an array equals ``load`` on the file the array was read from."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

import audioprep
from conftest import FIXTURES, identical


def test_mono_array_equals_load():
    samples, rate = soundfile.read(FIXTURES / "speech.wav", dtype="float32")
    assert identical(audioprep.process(samples, rate), audioprep.load(FIXTURES / "speech.wav"))


def test_stereo_array_equals_load():
    samples, rate = soundfile.read(FIXTURES / "stereo44k.wav", dtype="float32")
    path = FIXTURES / "stereo44k.wav"
    assert identical(audioprep.process(samples.T, rate), audioprep.load(path))
    assert identical(audioprep.process(samples.T, rate, keep_channels=True), audioprep.load(path, keep_channels=True))


def test_options_and_normalisation_equal_load():
    samples, rate = soundfile.read(FIXTURES / "speech.flac", dtype="float32")
    path = FIXTURES / "speech.flac"
    assert identical(audioprep.process(samples, rate, rate=8000, converter="best"), audioprep.load(path, sr=8000, converter="best"))
    with pytest.warns(audioprep.AudioprepWarning, match="not reached"):  # as the command line warns
        assert identical(audioprep.process(samples, rate, peak=-1), audioprep.load(path, peak=-1))


def test_float64_input_is_converted():
    samples, rate = soundfile.read(FIXTURES / "speech.wav", dtype="float64")
    assert identical(audioprep.process(samples, rate), audioprep.load(FIXTURES / "speech.wav"))


def test_empty_array():
    assert audioprep.process(np.zeros(0, dtype=np.float32), 44100).shape == (0,)
