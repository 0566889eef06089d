"""``load`` gives exactly the samples of ``audioprep IN -o OUT --encoding f32``."""

from __future__ import annotations

import io

import pytest

import audioprep
from conftest import FIXTURES, cli_samples, identical

FORMATS = ["speech.wav", "speech.flac", "speech.mp3", "speech.ogg", "stereo44k.wav", "speech.m4a", "speech.webm"]


def input_path(name: str, made_inputs: dict) -> object:
    if name in made_inputs:
        return made_inputs[name]
    if (FIXTURES / name).is_file():
        return FIXTURES / name
    pytest.skip(f"{name}: ffmpeg could not make it")


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("options", [{}, {"converter": "fastest"}, {"resampler": "soxr"}], ids=["default", "fastest", "soxr"])
def test_load_equals_the_command_line(name, options, made_inputs, scratch):
    path = input_path(name, made_inputs)
    flags = [f for key, value in options.items() for f in (f"--{key}", value)]
    assert identical(audioprep.load(path, **options), cli_samples(path, scratch, *flags))


@pytest.mark.parametrize("converter", ["best", "medium", "fastest", "zoh", "linear"])
def test_every_converter(converter, scratch):
    path = FIXTURES / "speech.flac"
    assert identical(audioprep.load(path, converter=converter), cli_samples(path, scratch, "--converter", converter))


def test_options_as_on_the_command_line(scratch):
    path = FIXTURES / "stereo44k.wav"
    loaded = audioprep.load(path, sr=8000, keep_channels=True, highpass="120Hz", gain="-3dB", q_linear=0.7071)
    expected = cli_samples(path, scratch, "--rate", "8k", "--keep-channels", "--highpass", "120Hz", "--gain", "-3dB", "--q-linear", "0.7071")
    assert loaded.shape == (2, 16000)
    assert identical(loaded, expected)


def test_loudness_normalisation(scratch):
    path = FIXTURES / "speech.wav"
    assert identical(audioprep.load(path, loudness=-23), cli_samples(path, scratch, "--loudness", "-23"))


def test_file_object_equals_path():
    path = FIXTURES / "speech.flac"
    with open(path, "rb") as file:
        from_file = audioprep.load(file)
    assert identical(from_file, audioprep.load(path))
    assert identical(audioprep.load(io.BytesIO(path.read_bytes())), audioprep.load(str(path)))
