"""``stream`` gives ``load``'s samples in chunks."""

from __future__ import annotations

import numpy as np
import pytest

import audioprep
from conftest import FIXTURES, identical


@pytest.mark.parametrize("name", ["speech.flac", "speech.mp3", "stereo44k.wav"])
def test_stream_concatenated_equals_load(name):
    path = FIXTURES / name
    chunks = list(audioprep.stream(path))
    assert all(len(chunk) == 1600 for chunk in chunks[:-1])
    assert 0 < len(chunks[-1]) <= 1600
    assert identical(np.concatenate(chunks), audioprep.load(path))


def test_stream_keeps_channels_and_options():
    path = FIXTURES / "stereo44k.wav"
    chunks = list(audioprep.stream(path, chunk_ms=250, sr=8000, keep_channels=True, converter="best"))
    assert all(chunk.shape == (2, 2000) for chunk in chunks[:-1])
    assert identical(np.concatenate(chunks, axis=1), audioprep.load(path, sr=8000, keep_channels=True, converter="best"))


def test_leaving_early_stops_the_stream():
    path = FIXTURES / "speech.flac"
    for index, _ in enumerate(audioprep.stream(path, chunk_ms=10)):
        if index == 2:
            break
    assert identical(np.concatenate(list(audioprep.stream(path))), audioprep.load(path))
