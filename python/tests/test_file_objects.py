"""File objects are read as they come, as the command line reads standard input: no copy in
``$TMPDIR``, the first chunk before the object ends, a never-ending object streamed in constant
memory, and messages that name the object and what went wrong with it (hostile review of #23:
H4, W2, W3, W4)."""

from __future__ import annotations

import io
import os
import struct
import tempfile
import threading

import numpy as np
import pytest
from conftest import FIXTURES, identical

import audioprep

#: A file object read past this before its first chunk is being copied, not streamed.
EXHAUSTED = 64 << 20


def wav_header(rate: int, frames: int) -> bytes:
    """A 16-bit mono WAV header announcing ``frames`` (0x7FFFFFFF bytes: one that never ends)."""
    data = min(frames * 2, 0x7FFFFFF0)
    return (b"RIFF" + struct.pack("<I", data + 36) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
            + b"data" + struct.pack("<I", data))


def tone(rate: int, seconds: float) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    return (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes()


class Source:
    """A file object with ``read`` alone (no ``name``, ``fileno``, ``seek``), serving ``data``
    and then, when ``endless``, one second of tone after another for ever; it counts what it
    gave, and refuses to give more than ``EXHAUSTED`` (so a copy fails instead of filling the
    disk)."""

    def __init__(self, data: bytes, endless: bool = False, rate: int = 16000) -> None:
        self.data = data
        self.endless = endless
        self.second = tone(rate, 1)
        self.given = 0

    def read(self, size: int = -1) -> bytes:
        if self.given >= EXHAUSTED:
            raise RuntimeError(f"read {self.given} bytes of the file object before its first chunk")
        size = 1 << 16 if size is None or size < 0 else min(size, 1 << 16)
        if self.given < len(self.data):
            block = self.data[self.given:self.given + size]
        elif self.endless:
            offset = (self.given - len(self.data)) % len(self.second)
            block = self.second[offset:offset + size]
        else:
            block = b""
        self.given += len(block)
        return block


@pytest.fixture
def private_tmpdir(tmp_path, monkeypatch):
    """``$TMPDIR`` (and ``tempfile``'s) pointing at an empty folder of the test's own."""
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_file_object_streams_its_first_chunks_before_it_ends_and_copies_nothing(scratch, private_tmpdir):
    path = scratch / "three-minutes.wav"
    path.write_bytes(wav_header(16000, 180 * 16000) + tone(16000, 180))
    source = Source(path.read_bytes())
    chunks = []
    for chunk in audioprep.stream(source, highpass=0, gain=1):
        chunks.append(chunk)
        if len(chunks) == 5:
            given_at_five = source.given
            left_in_tmpdir = os.listdir(private_tmpdir)
    assert given_at_five < 1 << 20, given_at_five  # of 5.76 MB; a copy had read all of it
    assert left_in_tmpdir == [] and os.listdir(private_tmpdir) == []
    assert identical(np.concatenate(chunks), audioprep.load(path, highpass=0, gain=1))


def test_a_never_ending_file_object_streams_in_constant_memory():
    source = Source(wav_header(16000, 1 << 40), endless=True)
    threads = threading.active_count()
    stream = audioprep.stream(source, chunk_ms=100)
    first = [next(stream) for _ in range(20)]
    stream.close()
    assert [len(chunk) for chunk in first] == [1600] * 20
    assert source.given < 4 << 20, source.given
    # The same beginning, from a file of it, gives the same samples.
    beginning = wav_header(16000, 16000 * 10) + tone(16000, 10)
    assert identical(np.concatenate(first), audioprep.load(io.BytesIO(beginning))[:32000])
    assert threading.active_count() <= threads + 1  # the feeder ends with the stream (or is ending)


def test_a_never_ending_object_that_is_no_audio_is_refused_at_once():
    zeros = Source(b"", endless=True)
    zeros.second = bytes(1 << 16)
    with pytest.raises(audioprep.DecodeError, match=r"^audioprep: <file object>: ") as raised:
        audioprep.load(zeros)
    assert "/proc/self/fd" not in raised.value.message
    assert zeros.given < 16 << 20, zeros.given  # the command line's standard input: 0.25 s, no copy


def test_a_live_pipe_streams_before_its_writer_closes(scratch):
    read_end, write_end = os.pipe()
    first_chunk = threading.Event()
    closed_before_first_chunk = []

    def writer():
        os.write(write_end, wav_header(16000, 1 << 40) + tone(16000, 2))
        first_chunk.wait(20)  # a stream that copied first waits for the close; this guard ends it
        closed_before_first_chunk.append(not first_chunk.is_set())
        os.close(write_end)

    thread = threading.Thread(target=writer)
    thread.start()
    with open(read_end, "rb") as pipe:
        stream = audioprep.stream(pipe)
        next(stream)
        first_chunk.set()
        stream.close()
    thread.join()
    assert closed_before_first_chunk == [False]


@pytest.mark.parametrize("name", ["speech.flac", "speech.wav", "speech.mp3", "speech.ogg"])
def test_file_objects_of_every_kind_give_the_paths_samples(name):
    path = FIXTURES / name
    expected = audioprep.load(path)
    with open(path, "rb") as file:
        assert identical(audioprep.load(file), expected)
    assert identical(audioprep.load(io.BytesIO(path.read_bytes())), expected)
    assert identical(audioprep.load(Source(path.read_bytes())), expected)
    assert identical(np.concatenate(list(audioprep.stream(io.BytesIO(path.read_bytes())))), expected)
    assert audioprep.info(io.BytesIO(path.read_bytes())).frames == audioprep.info(path).frames


def test_a_plain_file_object_is_read_as_its_path_so_a_second_call_reads_it_again():
    with open(FIXTURES / "speech.flac", "rb") as file:
        described = audioprep.info(file)
        assert described.path == str(FIXTURES / "speech.flac")
        # loudness reads the input twice: a plain file, read through its descriptor, can be.
        assert identical(audioprep.load(file, loudness=-23), audioprep.load(FIXTURES / "speech.flac", loudness=-23))


def test_a_file_object_already_read_says_so_not_that_the_input_is_empty():
    data = (FIXTURES / "speech.flac").read_bytes()
    for file in (io.BytesIO(data), open(FIXTURES / "speech.flac", "rb")):
        with file:
            file.read()
            with pytest.raises(audioprep.DecodeError) as raised:
                audioprep.load(file)
            assert "nothing left to read" in raised.value.message
            assert f"at byte {len(data)}, its end (seek(0)" in raised.value.message
            assert "empty (0 bytes)" not in raised.value.message
            file.seek(0)
            assert audioprep.load(file).shape == (57700,)


def test_a_file_object_read_part_way_says_where_it_began():
    file = io.BytesIO((FIXTURES / "speech.flac").read_bytes())
    file.read(100)
    with pytest.raises(audioprep.DecodeError, match=r"read from byte 100, where the file object was; seek\(0\)"):
        audioprep.load(file)


def test_a_non_blocking_file_object_is_named_as_such_not_as_text():
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    try:
        with open(read_end, "rb", buffering=0) as file, pytest.raises(audioprep.UsageError) as raised:
            audioprep.load(file)
        assert "a non-blocking stream" in raised.value.message
        assert "binary mode" not in raised.value.message
    finally:
        os.close(write_end)


def test_a_buffered_non_blocking_file_object_is_refused_not_cut_short():
    """``open(r, "rb")`` of a non-blocking pipe answers "nothing yet" with ``b""`` (its
    ``read1``), which was taken for the end: 7241 of 57700 frames with a warning blaming the
    file (hostile review 23c, H4)."""
    read_end, write_end = os.pipe()
    os.write(write_end, open(FIXTURES / "speech.wav", "rb").read()[:20000])
    os.set_blocking(read_end, False)
    try:
        with open(read_end, "rb") as file, pytest.raises(audioprep.UsageError) as raised:
            audioprep.load(file)
        assert "non-blocking" in raised.value.message
    finally:
        os.close(write_end)


def test_a_fork_does_not_hold_the_parents_file_object_open():
    """A child forked while the parent streams a file object (a DataLoader worker started
    then) kept the feeding pipe's write end: the parent's load waited until the child exited
    (hostile review 23c, H1). The load now ends while the child still lives."""
    data = open(FIXTURES / "speech.wav", "rb").read()
    started = threading.Event()

    class Slow:
        def __init__(self) -> None:
            self.at = 0

        def read(self, size: int = -1) -> bytes:
            started.set()
            threading.Event().wait(0.01)
            block = data[self.at:self.at + 4096]
            self.at += len(block)
            return block

    result = {}
    loader = threading.Thread(target=lambda: result.setdefault("samples", audioprep.load(Slow())))
    loader.start()
    assert started.wait(20)
    child = os.fork()
    if child == 0:
        threading.Event().wait(60)
        os._exit(0)
    try:
        loader.join(50)  # a hang guard: the child lives 60 s
        assert not loader.is_alive(), "the load waited for the forked child"
        assert os.waitpid(child, os.WNOHANG) == (0, 0), "the child was expected to be alive still"
        assert identical(result["samples"], audioprep.load(str(FIXTURES / "speech.wav")))
    finally:
        os.kill(child, 9)
        os.waitpid(child, 0)
        loader.join()


def test_leaving_a_stream_of_a_quiet_live_source_returns_at_once():
    """A socket that sent a second of audio and then says nothing (but stays open): leaving
    the stream waited until the peer spoke or closed (hostile review 23c, H2)."""
    import socket

    ours, peer = socket.socketpair()
    peer.sendall(wav_header(16000, 1 << 40) + tone(16000, 1))  # a header that never ends
    chunks = audioprep.stream(ours.makefile("rb"), chunk_ms=100)
    try:
        assert next(chunks).shape == (1600,)
        closer = threading.Thread(target=chunks.close)
        closer.start()
        closer.join(20)  # a hang guard: the peer never speaks again while it is open
        assert not closer.is_alive(), "leaving the stream waited for the quiet source"
    finally:
        peer.close()
        ours.close()


def test_a_read_that_returns_no_bytes_is_named():
    class Listed:
        def read(self, size: int = -1):
            return [1, 2, 3]

    with pytest.raises(audioprep.UsageError, match=r"<file object>: read\(\) returned list, not bytes"):
        audioprep.load(Listed())


def test_a_read_that_fails_is_a_read_error_naming_the_object():
    class Failing(Source):
        name = "mic.wav"

        def read(self, size: int = -1) -> bytes:
            if self.given > 10000:
                raise OSError(5, "Input/output error")
            return super().read(min(size, 4096))

    with pytest.raises(audioprep.ReadError, match=r"^audioprep: mic.wav: Input/output error$") as raised:
        audioprep.load(Failing((FIXTURES / "speech.wav").read_bytes()))
    assert raised.value.code == 74


@pytest.mark.parametrize("name", ["a." + "x" * 300, "a.\0wav", "https://host/a.wav?sig=abc.def"])
def test_any_name_is_only_shown(name):
    data = (FIXTURES / "speech.flac").read_bytes()
    file = io.BytesIO(data)
    file.name = name
    assert identical(audioprep.load(file), audioprep.load(FIXTURES / "speech.flac"))
    junk = io.BytesIO(b"\1" * 5000)
    junk.name = name
    with pytest.raises(audioprep.DecodeError) as raised:
        audioprep.load(junk)
    assert raised.value.message.startswith(f"audioprep: {name}: ")


def test_a_stream_needing_two_passes_asks_for_a_path():
    with pytest.raises(audioprep.UsageError, match="needs a file, not a stream") as raised:
        audioprep.load(Source((FIXTURES / "speech.flac").read_bytes()), loudness=-23)
    assert raised.value.message.startswith("audioprep: <file object>: ")


def test_what_a_stream_cannot_give_a_seekable_object_gives_from_memory(made_inputs, private_tmpdir):
    # An M4A whose index (moov) follows its audio (ffmpeg's default), and loudness, which reads
    # the input twice: a pipe cannot give them; a BytesIO is read from a copy in memory.
    path = FIXTURES / "speech.flac"
    assert identical(audioprep.load(io.BytesIO(path.read_bytes()), loudness=-23), audioprep.load(path, loudness=-23))
    assert identical(np.concatenate(list(audioprep.stream(io.BytesIO(path.read_bytes()), peak=-6))),
                     audioprep.load(path, peak=-6))
    if "speech.m4a" in made_inputs:
        m4a = made_inputs["speech.m4a"]
        assert identical(audioprep.load(io.BytesIO(m4a.read_bytes())), audioprep.load(m4a))
        with pytest.raises(audioprep.DecodeError, match=r"index \(moov\) comes after its audio cannot be read from a pipe"):
            audioprep.load(Source(m4a.read_bytes()))  # no seek: read as a stream, as the command line's
    assert os.listdir(private_tmpdir) == []


@pytest.mark.parametrize("where", ["part way", "at its end"])
@pytest.mark.parametrize("call", ["load", "stream", "info"])
def test_a_bad_option_on_a_file_object_not_at_byte_0_is_the_options_message_alone(where, call):
    """The option's error, as for a path: not "nothing left to read" (an object at its end),
    nor a note on where the object was read from (hostile review 23c, W1)."""
    data = (FIXTURES / "speech.flac").read_bytes()
    file = io.BytesIO(data)
    file.seek(100 if where == "part way" else len(data))
    function = {"load": audioprep.load, "stream": lambda f, **o: list(audioprep.stream(f, **o)),
                "info": audioprep.info}[call]
    with pytest.raises(audioprep.UsageError) as from_object:
        function(file, gain="loud")
    with pytest.raises(audioprep.UsageError) as from_path:
        function(FIXTURES / "speech.flac", gain="loud")
    assert from_object.value.message == from_path.value.message
    assert from_object.value.code == 64


def test_a_socket_that_times_out_is_named_as_a_timeout():
    """A socket with a timeout whose peer went quiet: "Input/output error" named no cause
    (hostile review 23c, W3)."""
    import socket

    ours, peer = socket.socketpair()
    ours.settimeout(0.5)
    peer.sendall((FIXTURES / "speech.wav").read_bytes()[:20000])
    try:
        with pytest.raises(audioprep.ReadError) as raised:
            audioprep.load(ours.makefile("rb"))
    finally:
        peer.close()
        ours.close()
    assert "timed out" in raised.value.message
    assert "0.5 s" in raised.value.message
    assert "Input/output error" not in raised.value.message
    assert raised.value.code == 74


def test_the_library_keeps_no_file_object_after_the_call():
    """The idle worker held the last call's object until the next call: a 200 MB BytesIO stayed
    in memory (hostile review 30p, W7)."""
    import gc
    import weakref

    class Named(io.BytesIO):
        pass

    for options in ({}, {"converter": "bogus"}):
        file = Named((FIXTURES / "speech.flac").read_bytes())
        watched = weakref.ref(file)
        try:
            audioprep.load(file, **options)
        except audioprep.UsageError:
            pass
        del file
        gc.collect()
        assert watched() is None, options


def test_a_tiny_socket_timeout_is_written_plainly():
    import socket

    ours, peer = socket.socketpair()
    ours.settimeout(0.000001)
    try:
        with pytest.raises(audioprep.ReadError) as raised:
            audioprep.load(ours.makefile("rb"))
    finally:
        peer.close()
        ours.close()
    assert "timed out after 0.000001 s" in raised.value.message, raised.value.message


@pytest.mark.parametrize("kind", ["socket", "pipe", "socket, peeked first"])
def test_a_quiet_live_object_can_be_closed_after_leaving_its_stream(kind):
    """Leaving the stream of a buffered object over a live source that stays quiet, then closing
    the object (a ``with`` block's end): the feeding thread waited in the object's ``read``,
    holding its lock, and ``close`` waited for it until the source spoke (hostile review 30p,
    H1). Also when the caller peeked at the object first: its buffer then holds what the
    source sent, and its descriptor has nothing more to read."""
    import socket

    sent = wav_header(16000, 1 << 40) + tone(16000, 1)  # a header that never ends
    if kind == "pipe":
        read_end, write_end = os.pipe()
        os.write(write_end, sent)
        file, keep = open(read_end, "rb"), write_end
    else:
        ours, peer = socket.socketpair()
        peer.sendall(sent)
        file, keep = ours.makefile("rb"), peer
    if kind == "socket, peeked first":
        assert file.peek(4)[:4] == b"RIFF"
    chunks = audioprep.stream(file, chunk_ms=100)
    try:
        assert next(chunks).shape == (1600,)
        chunks.close()
        closer = threading.Thread(target=file.close)
        closer.start()
        closer.join(20)  # a hang guard: the source never speaks again while it is open
        assert not closer.is_alive(), "closing the object waited for the quiet source"
    finally:
        if kind == "pipe":
            os.close(keep)
        else:
            keep.close()
