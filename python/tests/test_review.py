"""The hostile review of the Python door (stop 18): arrays in another layout or dtype, NUL in
a path, option values that are not plain strings, a stream read across a fork; process's
rate, file objects' names in messages, "-", help."""

from __future__ import annotations

import decimal
import errno
import gc
import io
import math
import os
import threading
import warnings

import numpy as np
import pytest
import soundfile

import audioprep
from conftest import FIXTURES, cli_error_line, identical


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


@pytest.mark.parametrize("source", ["BytesIO", "pipe"])
@pytest.mark.parametrize("left", ["next", "close", "del"])
def test_a_file_objects_stream_begun_before_a_fork_leaves_the_childs_descriptors_alone(source, left, tmp_path):
    """The child closed the feeding pipe's copies at the fork; the stream's cleanup in the child
    then closed the same numbers again, which by then were the child's own files: its log's
    lines landed in the next file it opened, and next() raised EBADF instead of the RuntimeError
    (hostile review 31p, H1)."""
    data = (FIXTURES / "speech.flac").read_bytes()
    if source == "BytesIO":
        chunks = audioprep.stream(io.BytesIO(data))
    else:
        read_end, write_end = os.pipe()
        writer = threading.Thread(target=lambda: (os.write(write_end, data), os.close(write_end)))
        writer.start()
        chunks = audioprep.stream(os.fdopen(read_end, "rb"))
    next(chunks)
    child = os.fork()
    if child == 0:
        code = 0
        try:
            log = open(tmp_path / "log.txt", "w")
            if left == "next":
                try:
                    next(chunks)
                    code = 3
                except RuntimeError:
                    pass
                except BaseException:
                    code = 4
            elif left == "close":
                chunks.close()
            else:
                del chunks
                gc.collect()
            other = open(tmp_path / "other.txt", "w")
            log.write("log\n")
            log.close()
            other.write("other\n")
            other.close()
        except BaseException:
            code = 5
        os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert ((tmp_path / "log.txt").read_text(), (tmp_path / "other.txt").read_text()) == ("log\n", "other\n")
    assert sum(len(chunk) for chunk in chunks) > 0, "the parent's stream goes on"
    if source == "pipe":
        writer.join()


def test_a_missing_file_is_a_file_not_found_error():
    with pytest.raises(FileNotFoundError):
        audioprep.load(FIXTURES / "no-such-file.wav")


def test_sr_and_rate_together_are_refused():
    with pytest.raises(audioprep.UsageError, match="once"):
        audioprep.load(FIXTURES / "speech.flac", sr=8000, rate=22050)
    with pytest.raises(audioprep.UsageError, match="once"):
        next(audioprep.stream(FIXTURES / "speech.flac", sr=8000, rate=22050))


@pytest.mark.parametrize("sr", ["22.05k", None, math.nan, math.inf, 10**12, 2**32 + 16000, 0, -16000, 16000.5, True])
def test_process_refuses_a_rate_that_is_not_a_whole_number_of_hz_naming_sr(sr):
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.process(np.zeros(1000, dtype=np.float32), sr)
    assert raised.value.code == 64
    assert raised.value.message.startswith("audioprep: sr: ")
    assert repr(sr) in raised.value.message


def test_process_takes_whole_rates_of_any_number_type():
    samples = np.zeros(4410, dtype=np.float32)
    expected = audioprep.process(samples, 44100)
    for sr in (44100.0, np.int64(44100), np.float32(44100)):
        assert identical(audioprep.process(samples, sr), expected)


def test_a_rate_no_resampler_converts_is_the_callers_usage_error():
    with pytest.raises(audioprep.UsageError, match="the samples' rate is 1 Hz"):
        audioprep.process(np.zeros(1000, dtype=np.float32), 1)


def test_a_file_objects_errors_name_it(scratch):
    junk = scratch / "junk.mp3"
    junk.write_bytes(os.urandom(4000))
    with open(junk, "rb") as file, pytest.raises(audioprep.DecodeError) as raised:
        audioprep.load(file)
    assert raised.value.message.startswith(f"audioprep: {junk}: ")
    assert "audioprep-" not in raised.value.message
    with pytest.raises(audioprep.DecodeError) as raised:
        audioprep.load(io.BytesIO(junk.read_bytes()))
    assert raised.value.message.startswith("audioprep: <file object>: ")


def test_a_text_file_object_is_refused_asking_for_binary_mode(scratch):
    for encoding in ("latin-1", "utf-8"):  # utf-8: the bytes do not even decode
        with open(FIXTURES / "speech.flac", encoding=encoding) as file, pytest.raises(audioprep.UsageError, match="'rb'"):
            audioprep.load(file)
    with pytest.raises(audioprep.UsageError, match="binary mode"):
        audioprep.load(io.StringIO("RIFF"))


def test_dash_is_refused_not_read_from_standard_input(scratch, monkeypatch):
    monkeypatch.chdir(scratch)
    (scratch / "-").write_bytes((FIXTURES / "speech.flac").read_bytes())
    for call in (lambda: audioprep.load("-"), lambda: next(audioprep.stream("-")), lambda: audioprep.info("-"),
                 lambda: audioprep.load(b"-")):
        with pytest.raises(audioprep.UsageError, match="standard input") as raised:
            call()
        assert raised.value.code == 64
    assert identical(audioprep.load("./-"), audioprep.load(FIXTURES / "speech.flac"))


@pytest.mark.parametrize("option", ["help", "version"])
def test_help_is_refused_not_returned_as_a_line(option):
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.load(FIXTURES / "speech.flac", **{option: True})
    assert "USAGE" not in raised.value.message and "library_request" not in raised.value.message
    assert "\n" not in raised.value.message
    assert "docs/python.md" in raised.value.message


# Second hostile review of #23 (W6, W7, W9, C1, C2): what a Python caller is told and accepts.


def test_info_reads_a_fifo_as_load_does(tmp_path):
    # It said "…; to describe what it holds: audioprep info - < fifo", a command line's form.
    fifo = tmp_path / "live.flac"
    os.mkfifo(fifo)
    data = (FIXTURES / "speech.flac").read_bytes()

    def writer():
        with open(fifo, "wb") as pipe:
            pipe.write(data)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        described = audioprep.info(fifo)
    finally:
        if thread.is_alive():  # info refused the FIFO unopened: a reader lets the writer go
            with open(fifo, "rb") as pipe:
                pipe.read()
        thread.join()
    assert (described.path, described.frames) == (str(fifo), audioprep.info(FIXTURES / "speech.flac").frames)


@pytest.mark.parametrize("option", [{"help": True}, {"version": True}, {"output": "x.wav"}, {"encoding": "s16"}])
def test_info_refuses_the_command_lines_own_options_by_name(option):
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.info(FIXTURES / "speech.flac", **option)
    assert "not for the library" in raised.value.message
    assert "\n" not in raised.value.message and "OVERVIEW" not in raised.value.message


def test_info_takes_sr_as_load_does():
    assert audioprep.info(FIXTURES / "speech.flac", sr=8000).output_sample_rate == 8000
    with pytest.raises(audioprep.UsageError, match="once"):
        audioprep.info(FIXTURES / "speech.flac", sr=8000, rate=8000)


def test_dash_names_the_python_way_to_read_standard_input():
    with pytest.raises(audioprep.UsageError, match=r"sys\.stdin\.buffer"):
        audioprep.load("-")


def test_a_message_is_one_line():
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.load(FIXTURES / "speech.flac", foo=1, bar=2)
    message = raised.value.message
    assert "\n" not in message
    assert "'--foo'" in message and "'--bar'" in message and message.count("audioprep: ") == 1
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.info(FIXTURES / "speech.s16le.raw", in_rate=22050, in_channels=1, in_encoding="s16")
    assert "\n" not in raised.value.message


def test_a_path_that_is_not_utf8_is_named_as_python_spells_it(tmp_path):
    missing = os.fsencode(tmp_path) + b"/\xff.wav"
    with pytest.raises(audioprep.NoInputError) as raised:
        audioprep.load(missing)
    # The byte the user's path holds, as os.fsdecode spells it (it was U+EFFF, another name).
    assert os.fsdecode(missing) in raised.value.message
    assert missing in os.fsencode(raised.value.message)
    present = os.fsencode(tmp_path) + b"/\xfe.flac"
    with open(present, "wb") as file:
        file.write((FIXTURES / "speech.flac").read_bytes()[:30000])
    with pytest.warns(audioprep.AudioprepWarning) as seen:
        described = audioprep.info(present)
    assert described.path == os.fsdecode(present) and os.fsdecode(present) in str(seen[0].message)


def test_a_nul_in_an_option_value_is_refused_not_cut():
    # gain="2\0junk" was taken as gain=2.
    with pytest.raises(audioprep.UsageError, match="--gain: '2\\\\x00junk' holds a NUL character"):
        audioprep.load(FIXTURES / "speech.flac", gain="2\0junk")


@pytest.mark.parametrize("value", [1e-05, 5e-05, np.float64(5e-05), np.float32(0.25), decimal.Decimal("1E-5")])
def test_a_float_is_given_as_its_value_not_in_exponent_notation(value):
    # "--start: '1e-05' is not a duration": str(1e-05) is what the command line was given.
    expected = audioprep.load(FIXTURES / "speech.flac", start=np.format_float_positional(float(value), trim="-"))
    assert identical(audioprep.load(FIXTURES / "speech.flac", start=value), expected)


def test_a_huge_float_is_given_whole():
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.load(FIXTURES / "speech.flac", start=2e16)
    assert "e+16" not in raised.value.message and "20000000000000000" in raised.value.message


def test_live_is_refused_where_every_sample_is_returned():
    # load(live=True) dropped chunks (56100 or 57700 frames from run to run); process ignored it.
    with pytest.raises(audioprep.UsageError, match="--live: not for load"):
        audioprep.load(FIXTURES / "speech.flac", live=True)
    with pytest.raises(audioprep.UsageError, match="--live: not for process"):
        audioprep.process(np.zeros(1000, np.float32), 16000, live=True)


def test_float64_beyond_float32s_range_is_clamped_as_a_float32_is():
    # 1e300 overflowed in NumPy's cast (a RuntimeWarning) and came out as "NaN or infinite
    # samples replaced by 0"; the same intent in float32 (1e30) is clamped.
    wide = np.full(16000, 1e300)
    narrow = np.full(16000, 1e30, dtype=np.float32)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = audioprep.process(wide, 16000)
    assert [w.category for w in seen] == [audioprep.AudioprepWarning], [str(w.message) for w in seen]
    assert "clamped" in str(seen[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert identical(result, audioprep.process(narrow, 16000))


def test_a_stream_takes_chunk_samples_alone():
    # chunk_ms defaulted to 100, so chunk_samples alone was "--chunk-ms and --chunk-samples
    # exclude each other" (hostile review 31p, W4).
    path = FIXTURES / "speech.flac"
    chunks = list(audioprep.stream(path, chunk_samples=1000))
    assert {len(chunk) for chunk in chunks[:-1]} == {1000}
    assert identical(np.concatenate(chunks), audioprep.load(path))
    assert {len(chunk) for chunk in list(audioprep.stream(path))[:-1]} == {1600}  # 100 ms, as before


@pytest.mark.parametrize("context", ["fork", "spawn"])
def test_a_no_input_error_keeps_its_errno_across_processes(context, tmp_path):
    # A DataLoader worker's error reaches the parent pickled: errno and filename were None
    # there (hostile review 31p, W5); Python's own FileNotFoundError keeps them.
    import multiprocessing
    import pickle

    missing = str(tmp_path / "missing.wav")
    with pytest.raises(audioprep.NoInputError) as raised:
        audioprep.load(missing)
    again = pickle.loads(pickle.dumps(raised.value))
    assert (type(again), again.message, again.code, again.errno, again.strerror, again.filename) == (
        type(raised.value), raised.value.message, 66, errno.ENOENT, os.strerror(errno.ENOENT), missing)
    with multiprocessing.get_context(context).Pool(1) as pool:
        with pytest.raises(audioprep.NoInputError) as remote:
            pool.apply(audioprep.load, (missing,))
    assert (remote.value.errno, remote.value.filename, str(remote.value)) == (errno.ENOENT, missing, raised.value.message)


def test_an_empty_path_is_a_usage_error_as_on_the_command_line():
    # load("") was NoInputError 66 "audioprep: : No such file or directory"; the command line
    # says 64 that an input needs a path (hostile review 31p, W6).
    code, line = cli_error_line("")
    assert code == 64
    for call in (lambda: audioprep.load(""), lambda: list(audioprep.stream("")), lambda: audioprep.info("")):
        with pytest.raises(audioprep.UsageError) as raised:
            call()
        assert line.startswith(raised.value.message), (line, raised.value.message)


def test_samples_are_named_as_samples():
    # process's messages said "audioprep: (memory): …" (hostile review 30p and 31p, C1).
    with pytest.raises(audioprep.UsageError) as raised:
        audioprep.process(np.zeros(100, np.float32), 1)
    assert raised.value.message.startswith("audioprep: <samples>: "), raised.value.message


def test_a_file_object_with_an_empty_name_is_a_file_object():
    # A GzipFile over a BytesIO has the name "": messages said "audioprep: : …" (review 31p, C2).
    import gzip

    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb") as writer:
        writer.write(b"not audio at all\n" * 100)
    packed.seek(0)
    with pytest.raises(audioprep.DecodeError) as raised:
        audioprep.load(gzip.GzipFile(fileobj=packed, mode="rb"))
    assert raised.value.message.startswith("audioprep: <file object>: "), raised.value.message


def test_a_read_that_returns_an_array_is_said_to():
    # read() returning a NumPy array raised "truth value … is ambiguous" (review 31p, C4).
    class ArrayReader(io.RawIOBase):
        def readable(self):
            return True

        def read(self, size=-1):
            return np.zeros(16, np.uint8)

    with pytest.raises(audioprep.UsageError, match="read\\(\\) returned ndarray, not bytes"):
        audioprep.load(ArrayReader())


def test_keep_channels_takes_0_and_1_and_refuses_other_values():
    # keep_channels=0 was "--keep-channels=0": "does not take any value" (review 31p, C5).
    path = FIXTURES / "stereo44k.wav"
    assert identical(audioprep.load(path, keep_channels=1), audioprep.load(path, keep_channels=True))
    assert identical(audioprep.load(path, keep_channels=0), audioprep.load(path))
    with pytest.raises(audioprep.UsageError, match="keep_channels: True or False, got 'yes'"):
        audioprep.load(path, keep_channels="yes")


def test_a_seek_that_fails_is_a_read_error():
    # seekable() says yes, seek() raises: a bare OSError [Errno 29] escaped (review 31p, C3).
    class SeekFails(io.RawIOBase):
        def __init__(self):
            self.data = io.BytesIO((FIXTURES / "speech.flac").read_bytes())

        def readable(self):
            return True

        def seekable(self):
            return True

        def tell(self):
            return 0

        def readinto(self, buffer):
            return self.data.readinto(buffer)

        def seek(self, *arguments):
            raise OSError(errno.ESPIPE, "Illegal seek")

    with pytest.raises(audioprep.ReadError) as raised:
        audioprep.load(SeekFails())
    assert raised.value.message == "audioprep: <file object>: Illegal seek"


def test_results_of_every_length_leave_no_type_behind():
    # Each new output length left a ctypes array type (and its pointer type) for good: 5.7 KB
    # each, 0.5 GB for a DataLoader worker that sees 100k lengths (hostile review 31q, H1).
    import ctypes

    def array_types():
        gc.collect()
        return sum(1 for thing in gc.get_objects() if isinstance(thing, type) and issubclass(thing, ctypes.Array))

    audioprep.process(np.zeros(1000, np.float32), 16000)
    before = array_types()
    for length in range(2000, 2100):
        audioprep.process(np.zeros(length, np.float32), 16000)
    assert array_types() - before < 5


class _Xor:
    """Bytes that are the file's XOR 0x55: what a decrypting file class gives."""

    @staticmethod
    def scrambled(tmp_path):
        path = tmp_path / "speech.xor"
        path.write_bytes(bytes(byte ^ 0x55 for byte in (FIXTURES / "speech.wav").read_bytes()))
        return path


def test_a_file_class_of_the_callers_is_read_through_its_own_read(tmp_path):
    # A BufferedReader over a FileIO subclass was read through its descriptor, round the
    # subclass's readinto (review 31q, H2); a BufferedReader subclass overriding only read was
    # read through read1, round its read (W1). Both gave other samples without a word.
    class XorFileIO(io.FileIO):
        def readinto(self, buffer):
            count = super().readinto(buffer)
            view = memoryview(buffer).cast("B")
            for index in range(count or 0):
                view[index] ^= 0x55
            return count

    class XorReader(io.BufferedReader):
        def read(self, size=-1):
            return bytes(byte ^ 0x55 for byte in super().read(size))

    expected = audioprep.load(FIXTURES / "speech.wav")
    scrambled = _Xor.scrambled(tmp_path)
    assert identical(audioprep.load(io.BufferedReader(XorFileIO(scrambled))), expected)
    assert identical(audioprep.load(XorReader(io.FileIO(scrambled))), expected)
