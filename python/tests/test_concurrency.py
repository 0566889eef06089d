"""Several threads at once, and forked worker processes (torch's DataLoader workers), get the
samples of a single serial call."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
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


def _child_loads(path: str, seconds: float = 20) -> str:
    """Forks a child that loads ``path`` and exits; "loaded", "failed", or "hung" when it has
    not exited after ``seconds`` (then it is killed)."""
    pid = os.fork()
    if pid == 0:
        try:
            audioprep.load(path)
            os._exit(0)
        except BaseException:
            os._exit(1)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "loaded" if os.waitstatus_to_exitcode(status) == 0 else "failed"
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return "hung"


def test_a_fork_while_another_thread_opens_a_file_leaves_the_child_working(tmp_path):
    # A thread of the parent is inside libsndfile's open of a FIFO, under the lock every open
    # takes, waiting for the header's bytes; a fork then copies that lock held, and the child's
    # own open waited for ever (hostile review of #23, H3: 2 of 50-80 forks of a busy parent).
    fifo = tmp_path / "slow.ogg"
    os.mkfifo(fifo)
    data = (FIXTURES / "speech.ogg").read_bytes()
    opened = threading.Event()

    def writer():
        with open(fifo, "wb", buffering=0) as pipe:
            # The 4096 bytes audioprep reads before libsndfile's open; the Vorbis headers go on
            # past them, and libsndfile's open waits for them holding its lock.
            pipe.write(data[:4096])
            opened.wait(30)
            pipe.write(data[4096:])

    threads = [threading.Thread(target=writer), threading.Thread(target=lambda: audioprep.load(fifo))]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.3)  # the loading thread reaches the header read (it waits there for the rest)
        assert _child_loads(str(FIXTURES / "speech.flac")) == "loaded"
    finally:
        opened.set()
        for thread in threads:
            thread.join()


def test_forks_while_threads_load_leave_every_child_working():
    stop = threading.Event()

    def busy(path):
        while not stop.is_set():
            audioprep.load(path, threads=1)

    threads = [threading.Thread(target=busy, args=(path,)) for path in INPUTS[:3]]
    for thread in threads:
        thread.start()
    try:
        outcomes = [_child_loads(str(INPUTS[index % len(INPUTS)])) for index in range(20)]
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert outcomes == ["loaded"] * 20
