"""Several threads at once, and forked worker processes (torch's DataLoader workers), get the
samples of a single serial call."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import audioprep
from conftest import FIXTURES, identical

INPUTS = [FIXTURES / name for name in ("speech.flac", "stereo44k.wav", "speech.mp3", "speech.ogg")]


def test_eight_threads_load_identical_arrays():
    serial = [audioprep.load(path) for path in INPUTS]
    jobs = [INPUTS[index % len(INPUTS)] for index in range(16)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(audioprep.load, jobs))
    for index, result in enumerate(results):
        assert identical(result, serial[index % len(INPUTS)])


def test_eight_threads_on_one_file():
    path = FIXTURES / "stereo44k.wav"
    serial = audioprep.load(path, keep_channels=True)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: audioprep.load(path, keep_channels=True), range(8)))
    assert all(identical(result, serial) for result in results)


def _load_in_child(path: str) -> bytes:
    return audioprep.load(path).tobytes()


def test_forked_workers_after_the_parent_loaded():
    # The parent has used the library (its resampling threads exist) before it forks, as a
    # training script does before its DataLoader starts workers.
    serial = [audioprep.load(path) for path in INPUTS]
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        children = pool.map_async(_load_in_child, [str(path) for path in INPUTS]).get(timeout=60)
    for child, expected in zip(children, serial):
        assert identical(np.frombuffer(child, dtype=np.float32), expected)
