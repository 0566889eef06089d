"""audioprep from Python: the command line's chain (decode, downmix, resample, high-pass,
gain) on files and arrays, with the same samples, options and messages.

Options are the command line's, as keyword arguments: ``highpass=100`` is ``--highpass 100``,
``keep_channels=True`` is ``--keep-channels``, ``converter="best"`` is ``--converter best``
(``_`` for ``-``; True gives a flag, False and None leave the option out). See
``audioprep process --help`` for every option, and docs/python.md. The command line's warnings
(a truncated input, NaN samples replaced, ...) come as ``warnings.warn`` of an
``AudioprepWarning``, one per line.

Every function may be called from several threads at once (each call runs its own pipeline;
ctypes releases the GIL during the call) and in forked worker processes.
"""

from __future__ import annotations

import ctypes
import dataclasses
import decimal
import json
import math
import numbers
import os
import sys
import threading
import warnings
from dataclasses import dataclass, field
from typing import IO, Any, Iterator, Optional, Union

import numpy as np

from ._calls import Cancellation, interruptible
from ._fifo import let_go
from ._file_input import FileInput, file_input
from ._library import _c_float_p, c_strings, foreign_libsndfile, lib, take_string
from .errors import (
    AudioprepError,
    AudioprepWarning,
    DecodeError,
    InternalError,
    NoInputError,
    ReadError,
    UsageError,
    error_for,
)

__all__ = [
    "load", "process", "stream", "info", "Info", "version",
    "AudioprepError", "UsageError", "DecodeError", "NoInputError", "InternalError", "ReadError",
    "AudioprepWarning",
]

_foreign = foreign_libsndfile()
if _foreign is not None:
    warnings.warn(
        f"audioprep: libsndfile is {_foreign}, loaded before audioprep (by soundfile?), not the system's: "
        "some formats (Ogg Vorbis) may decode to other samples than the command line's; import audioprep first",
        RuntimeWarning,
        stacklevel=2,
    )

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


def _options(chain: dict[str, Any]) -> list[bytes]:
    """Keyword arguments as the command line's options."""
    arguments: list[bytes] = []
    for name, value in chain.items():
        option = "--" + name.replace("_", "-")
        if value is None:
            continue
        if isinstance(value, (bool, np.bool_)):
            if value:
                arguments.append(option.encode())
            continue
        text = _value_text(value)
        if "\0" in text:  # the C string would end there: "2\0junk" would be taken as 2
            raise UsageError(f"audioprep: {option}: {value!r} holds a NUL character, which no value can", 64)
        # One argument, "--name=value": a value is never read as an option ("--gain=100").
        arguments.append(os.fsencode(f"{option}={text}"))
    return arguments


def _value_text(value: Any) -> str:
    """An option's value as the command line would be given it: a float in positional notation
    (``str(1e-05)`` is "1e-05", which no duration or gain parser takes), bytes as text."""
    if isinstance(value, (float, np.floating)) and math.isfinite(value):
        return np.format_float_positional(value, trim="-")
    if isinstance(value, decimal.Decimal) and value.is_finite():
        return format(value, "f")
    if isinstance(value, (bytes, bytearray)):
        return os.fsdecode(bytes(value))
    return str(value)


def _flag(value: Any, name: str) -> bool:
    """A parameter of these functions that is True or False (``keep_channels``): a bool, or 0
    or 1 as Python code often spells one; anything else is refused rather than guessed at (0 was
    "--keep-channels=0", which the parser said "does not take any value": review 31p, C5)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    raise UsageError(f"audioprep: {name}: True or False, got {value!r}", 64)


def _reads_twice(chain: dict[str, Any]) -> bool:
    """Whether the options read the input twice (a first pass sets the gain)."""
    return any(chain.get(name) not in (None, False) for name in ("loudness", "peak"))


def _for_every_sample(chain: dict[str, Any], function: str) -> None:
    """``live`` lets a slow writer drop chunks; ``load`` and ``process`` return every sample."""
    if chain.get("live"):
        raise UsageError(
            f"audioprep: --live: not for {function}, which returns every sample; --live drops chunks a slow reader "
            "cannot take (stream(..., live=True) keeps up with a live source)", 64)


def _output_rate(rate: Any, name: str) -> None:
    """``load``, ``stream`` and ``process`` give samples at a rate the caller names: ``None``,
    which is librosa's "the file's own rate", gave 16 kHz without a word (hostile review 23c,
    W2). A bool is no rate (``_rate_value``)."""
    _rate_value(rate, name)
    if rate is None:
        keep = "the samples' rate: rate=sr" if name == "rate" else "the file's own rate: sr=audioprep.info(path).sample_rate"
        raise UsageError(f"audioprep: {name}=None: give the output rate in Hz (16000 by default); to keep {keep}", 64)


def _rate_value(rate: Any, name: str) -> None:
    """A bool given for a rate was taken for a flag: ``sr=True`` gave messages about other
    arguments, ``sr=False`` a silent 16 kHz (hostile review 30p, W3)."""
    if isinstance(rate, (bool, np.bool_)):
        raise UsageError(f"audioprep: {name}={rate!r}: give the output rate in Hz, e.g. {name}=16000", 64)


def _not_a_path(path_or_file: Any) -> None:
    """Audio bytes, or a socket, given where a path or a file object goes: said with the way to
    pass them (the bytes of ``requests.get(url).content`` said "embedded null byte"; a
    bytearray, memoryview or socket a path's TypeError: hostile review 30p, W5)."""
    import socket

    if isinstance(path_or_file, socket.socket):
        raise UsageError('audioprep: a socket: pass a file object over it, sock.makefile("rb")', 64)
    data = isinstance(path_or_file, (bytearray, memoryview)) or (isinstance(path_or_file, bytes) and b"\0" in path_or_file)
    if data:
        raise UsageError(
            f"audioprep: {len(memoryview(path_or_file).cast('B'))} bytes of data where a path or a file object goes: "
            "pass io.BytesIO(data)", 64)


def _one_rate(chain: dict[str, Any]) -> None:
    """``sr`` is the output rate of ``load`` and ``stream``: a ``rate`` beside it would be a
    second one, of which the last silently won."""
    if "rate" in chain:
        raise UsageError("audioprep: give the output rate once, as sr= (rate= is --rate's other name)", 64)


def _check(code: int, error: ctypes.c_void_p, warned: ctypes.c_void_p | None = None) -> list[str]:
    """Raises the call's error, or returns its warnings, one a line."""
    message = take_string(error)
    lines = take_string(warned) if warned is not None else None
    if code != 0:
        raise error_for(code, _one_line(message or f"audioprep: failed with exit code {code}"))
    return (lines or "").splitlines()


def _one_line(message: str) -> str:
    """The command line's lines for one failure (an unknown option on each) as one line:
    "audioprep: A; B (see …)"."""
    lines = [line for line in message.splitlines() if line.strip()]
    return "; ".join([lines[0]] + [line.removeprefix("audioprep: ") for line in lines[1:]]) if lines else message


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _warn(lines: list[str]) -> None:
    """Each line as an ``AudioprepWarning``, attributed to the first caller outside this
    package (so ``module=`` filters and the printed location are the caller's, whichever
    function, generator or file object path warns)."""
    if not lines:
        return
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    for line in lines:
        warnings.warn(line, AudioprepWarning, stacklevel=level)


def _sample_rate(value: Any, name: str) -> int:
    """``value`` as a rate in Hz for the C interface's int32: a whole number from 1 to 10 MHz,
    as ``--in-rate`` takes (no wrap at 2**31, no string parsed by ``int``)."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]  # a 0-d array: its number (hostile review 30p, W4)
    number = isinstance(value, (numbers.Real, decimal.Decimal)) and not isinstance(value, (bool, np.bool_))
    whole = number and math.isfinite(value) and float(value).is_integer()
    if not whole or not 1 <= value <= 10_000_000:
        raise UsageError(
            f"audioprep: {name}: the samples' rate is a whole number of Hz from 1 to 10000000, got {value!r}", 64)
    return int(value)


def _samples(pointer: Any, frames: int, channels: int, keep_channels: bool) -> np.ndarray:
    """The C buffer as a float32 array (freed): ``(frames,)`` mono, ``(channels, frames)``
    with ``keep_channels``."""
    try:
        count = frames * channels
        # One copy into an array of NumPy's, no ctypes type: np.ctypeslib.as_array made a ctypes
        # array type for each length, which ctypes keeps for good (5.7 KB each: 0.5 GB for a
        # worker that sees 100k utterance lengths; review 31q, H1).
        flat = np.empty(count, dtype=np.float32)
        if count:
            ctypes.memmove(flat.ctypes.data, pointer, count * 4)
    finally:
        lib.audioprep_free(ctypes.cast(pointer, ctypes.c_void_p))
    if not keep_channels and channels == 1:
        return flat
    return np.ascontiguousarray(flat.reshape(frames, channels).T)


def _path_bytes(path: PathLike) -> bytes:
    encoded = os.fsencode(path)
    if b"\0" in encoded:
        raise ValueError("embedded null byte")  # as open() says: the C path would end there
    return encoded


def load(path_or_file: Union[PathLike, IO[bytes]], sr: int = 16000, keep_channels: bool = False, **chain: Any) -> np.ndarray:
    """Decodes and processes a recording, as ``audioprep IN -o OUT --encoding f32`` does.

    Args:
        path_or_file: a path, or a binary file object: a file opened with ``open(path, "rb")``
            is read as its path is; any other (``BytesIO``, a pipe, a socket, ``gzip.open``)
            is read once, from where it is, as the command line reads standard input (an MP4,
            and ``loudness``/``peak``, which read the input twice, from a copy in memory when
            it can seek; refused from a pipe or socket). Messages name it by its ``name``, or
            ``<file object>``. ``"-"`` is refused: pass ``sys.stdin.buffer``
            to read standard input (``"./-"`` names a file called -).
        sr: the output rate in Hz (``--rate``).
        keep_channels: keep every channel (``--keep-channels``) instead of averaging to mono.
        **chain: the command line's options, e.g. ``highpass=0``, ``gain="-3dB"``,
            ``converter="best"``, ``resampler="soxr"``, ``loudness=-23``, ``denoise="moderate"``,
            ``start=1.5``, ``duration="10s"``, ``trim_silence=True``; headerless PCM takes
            ``in_rate``, ``in_channels`` and ``in_encoding``.

    Returns:
        float32 samples at ``sr``: ``(frames,)``, or ``(channels, frames)`` with
        ``keep_channels``.

    Raises:
        UsageError, DecodeError, NoInputError, ...: with the command line's one-line message.
        KeyboardInterrupt: at once on Ctrl-C (the work under way is dropped).

    Warns:
        AudioprepWarning: each line the command line would warn with.
    """
    _for_every_sample(chain, "load")
    _output_rate(sr, "sr")
    _one_rate(chain)
    _not_a_path(path_or_file)
    keep_channels = _flag(keep_channels, "keep_channels")
    arguments = _options({"rate": sr, "keep_channels": keep_channels, **chain})
    if hasattr(path_or_file, "read"):
        file: IO[bytes] = path_or_file  # type: ignore[assignment]

        def from_file(cancellation: Cancellation) -> tuple[np.ndarray, list[str]]:
            with file_input(file, "load", _reads_twice(chain)) as opened:
                if opened.feeder is not None:
                    cancellation.on_cancel(opened.feeder.stop)
                samples, lines = _load(opened.path, arguments, keep_channels)
                opened.check()
            return samples, [opened.named(line) for line in lines]

        samples, lines = interruptible(from_file)
    else:
        path = _path_bytes(path_or_file)  # type: ignore[arg-type]

        def from_path(cancellation: Cancellation) -> tuple[np.ndarray, list[str]]:
            cancellation.on_cancel(lambda: let_go(path))
            return _load(path, arguments, keep_channels)

        samples, lines = interruptible(from_path)
    _warn(lines)
    return samples


def _load(path: PathLike, arguments: list[bytes], keep_channels: bool) -> tuple[np.ndarray, list[str]]:
    """``load``'s samples and warnings."""
    samples, frames, channels, rate = _c_float_p(), ctypes.c_int64(), ctypes.c_int32(), ctypes.c_int32()
    error, warned = ctypes.c_void_p(), ctypes.c_void_p()
    code = lib.audioprep_load(
        _path_bytes(path), c_strings(arguments), len(arguments),
        ctypes.byref(samples), ctypes.byref(frames), ctypes.byref(channels), ctypes.byref(rate),
        ctypes.byref(warned), ctypes.byref(error),
    )
    lines = _check(code, error, warned)
    return _samples(samples, frames.value, channels.value, keep_channels), lines


def _frames(samples: Any) -> tuple[np.ndarray, int, int]:
    """``process``'s samples as interleaved float32 frames, with their count and channels; a
    usage error for what is not ``(frames,)`` or ``(channels, frames)`` floats."""
    array = np.asarray(samples)
    if np.issubdtype(array.dtype, np.complexfloating):
        raise UsageError(f"audioprep: samples are {array.dtype}: give real float samples in [-1, 1] (np.real(samples))", 64)
    if not np.issubdtype(array.dtype, np.floating):
        raise UsageError(
            f"audioprep: samples are {array.dtype}: give float samples in [-1, 1] (int16: samples / 32768)", 64)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise UsageError(f"audioprep: samples must be (frames,) or (channels, frames), got shape {np.shape(samples)}", 64)
    channels, frames = array.shape
    if channels > frames > 0:
        raise UsageError(
            f"audioprep: samples of shape {array.shape} look like (frames, channels), as soundfile reads them;"
            " process takes (channels, frames): pass samples.T", 64)
    if array.dtype.itemsize > 4:
        # A finite value beyond float32's range is a value the chain clamps, as a float32 one
        # of 1e30 is, not an overflow to infinity (NumPy's RuntimeWarning, then "NaN or
        # infinite samples replaced by 0").
        largest = np.finfo(np.float32).max
        array = np.clip(array, -largest, largest)
    return np.ascontiguousarray(array.T, dtype=np.float32), frames, channels


def process(samples: np.ndarray, sr: int, keep_channels: bool = False, rate: int = 16000, **chain: Any) -> np.ndarray:
    """Processes samples already in memory as ``load`` processes a file.

    Args:
        samples: ``(frames,)`` mono or ``(channels, frames)`` (soundfile's ``(frames,
            channels)``: pass ``.T``), floats in [-1, 1] of any width (converted to float32);
            integers are refused rather than guessed at.
        sr: the samples' rate in Hz, a whole number (1 to 10000000).
        keep_channels: keep every channel instead of averaging to mono.
        rate: the output rate in Hz (``--rate``; ``load`` calls it ``sr``).
        **chain: the command line's options, as for ``load``.

    Returns:
        float32 samples at ``rate``, shaped as ``load`` shapes them.
    """
    _for_every_sample(chain, "process")
    _output_rate(rate, "rate")
    in_rate = _sample_rate(sr, "sr")
    keep_channels = _flag(keep_channels, "keep_channels")
    arguments = _options({"rate": rate, "keep_channels": keep_channels, **chain})

    def run(_: Cancellation) -> tuple[np.ndarray, list[str]]:
        # The conversion to float32 frames copies the whole array (seconds for an hour of
        # stereo): on the worker, so that Ctrl-C interrupts it (hostile review 30p, W2).
        interleaved, frames, channels = _frames(samples)
        out, out_frames, out_channels, out_rate = _c_float_p(), ctypes.c_int64(), ctypes.c_int32(), ctypes.c_int32()
        error, warned = ctypes.c_void_p(), ctypes.c_void_p()
        code = lib.audioprep_process(
            interleaved.ctypes.data_as(_c_float_p), frames, channels, in_rate, c_strings(arguments), len(arguments),
            ctypes.byref(out), ctypes.byref(out_frames), ctypes.byref(out_channels), ctypes.byref(out_rate),
            ctypes.byref(warned), ctypes.byref(error),
        )
        lines = _check(code, error, warned)
        return _samples(out, out_frames.value, out_channels.value, keep_channels), lines  # frees the buffer

    result, lines = interruptible(run)
    _warn(lines)  # may raise (warnings as errors): after the buffer is freed
    return result


def stream(
    path_or_file: Union[PathLike, IO[bytes]], chunk_ms: Optional[float] = None, sr: int = 16000, keep_channels: bool = False,
    **chain: Any,
) -> Iterator[np.ndarray]:
    """The processed recording in chunks of ``chunk_ms`` at ``sr`` (100 ms unless
    ``chunk_ms`` or ``chunk_samples`` says otherwise, as on the command line), in constant
    memory (the last chunk may be short); concatenated, they are ``load``'s samples.

    ``path_or_file`` is a path or a binary file object, as for ``load``: a file object other
    than a plain file is read as it comes (a pipe or socket that stays open streams live, each
    chunk about 0.3 s after its audio has arrived). Processing runs ahead on audioprep's own
    threads by at most its buffer (``buffer_chunks``, 10 by default). Leaving the loop early
    stops it. The options' warnings come at the first chunk, the run's (a truncated input) at
    the end.
    """
    _not_a_path(path_or_file)
    if hasattr(path_or_file, "read"):
        with file_input(path_or_file, "stream", _reads_twice(chain)) as opened:  # type: ignore[arg-type]
            yield from _stream(opened.path, chunk_ms, sr, keep_channels, chain, opened)
        return
    yield from _stream(path_or_file, chunk_ms, sr, keep_channels, chain)  # type: ignore[arg-type]


def _stream(
    path: PathLike, chunk_ms: Optional[float], sr: int, keep_channels: bool, chain: dict[str, Any],
    opened: Optional[FileInput] = None,
) -> Iterator[np.ndarray]:
    """``stream`` of a path; ``opened``: the file object the path reads, which messages name."""

    def named(lines: list[str]) -> list[str]:
        return [opened.named(line) for line in lines] if opened else lines

    _output_rate(sr, "sr")
    _one_rate(chain)
    keep_channels = _flag(keep_channels, "keep_channels")
    arguments = _options({"rate": sr, "chunk_ms": chunk_ms, "keep_channels": keep_channels, **chain})
    encoded = _path_bytes(path)

    def open_stream(cancellation: Cancellation) -> tuple[ctypes.c_void_p, list[str]]:
        if opened is None:
            cancellation.on_cancel(lambda: let_go(encoded))
        handle, error, warned = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
        code = lib.audioprep_stream_open(
            encoded, c_strings(arguments), len(arguments), ctypes.byref(handle), ctypes.byref(warned),
            ctypes.byref(error))
        return handle, _check(code, error, warned)

    if opened is not None and opened.feeder is not None:
        # Not abandoned on Ctrl-C: its pipe is closed when this generator ends, and a stream
        # left opening could then open whatever file took the descriptor's number.
        handle, lines = open_stream(Cancellation())
    else:
        handle, lines = interruptible(open_stream, discard=lambda result: lib.audioprep_stream_close(result[0]))
    chunks = _OpenStream(handle, keep_channels, on_cancel=opened.feeder.end_input if opened and opened.feeder else None)
    owner = os.getpid()
    try:
        _warn(named(lines))  # may raise (warnings as errors): inside the try that closes the stream
        while True:
            if os.getpid() != owner:
                # A fork copies the stream's state but not the threads that fill it.
                raise RuntimeError("audioprep: a stream begun before a fork cannot be read in the child; open it there")
            samples, lines = chunks.next()
            if samples is None and opened:
                opened.check()  # a read() that failed ended the input: that, not a truncation
            _warn(named(lines))
            if samples is None:
                return
            yield samples
    finally:
        if os.getpid() == owner:
            if opened is not None and opened.feeder is not None:
                opened.feeder.end_input()  # a quiet live source would hold the close
            chunks.close()


class _OpenStream:
    """A stream of the library (its handle), a chunk a call. Each call can be interrupted by
    Ctrl-C, as ``load`` can (``interruptible``): waiting for a quiet live source, the main thread
    sat inside the library, where Python runs no signal handler, until the source spoke (hostile
    review 23c, H3). A call Ctrl-C abandoned finishes on its worker (``on_cancel`` makes it end
    sooner: a file object's feeder gives the library its end); the stream is closed after it,
    by whichever of the call and ``close`` comes last."""

    def __init__(self, handle: ctypes.c_void_p, keep_channels: bool, on_cancel: Optional[Any] = None) -> None:
        self._handle = handle
        self._keep_channels = keep_channels
        self._on_cancel = on_cancel
        self._lock = threading.Lock()
        self._calling = False
        self._close_asked = False
        self._closed = False

    def next(self) -> tuple[Optional[np.ndarray], list[str]]:
        """The next chunk (None at the end) and the warnings that came with it."""

        def call(cancellation: Cancellation) -> tuple[Optional[np.ndarray], list[str]]:
            if self._on_cancel is not None:
                cancellation.on_cancel(self._on_cancel)
            try:
                samples, frames, channels = _c_float_p(), ctypes.c_int64(), ctypes.c_int32()
                error, warned = ctypes.c_void_p(), ctypes.c_void_p()
                code = lib.audioprep_stream_next(
                    self._handle, ctypes.byref(samples), ctypes.byref(frames), ctypes.byref(channels),
                    ctypes.byref(warned), ctypes.byref(error))
                lines = _check(code, error, warned)
                if frames.value == 0:
                    return None, lines
                return _samples(samples, frames.value, channels.value, self._keep_channels), lines  # frees the buffer
            finally:
                with self._lock:
                    self._calling = False
                    close_now = self._close_asked and not self._closed
                    self._closed = self._closed or close_now
                if close_now:
                    lib.audioprep_stream_close(self._handle)

        with self._lock:
            self._calling = True
        return interruptible(call)

    def close(self) -> None:
        """Closes the stream now, or, while a call abandoned by Ctrl-C still runs, when it ends."""
        with self._lock:
            if self._closed:
                return
            self._close_asked = True
            if self._calling:
                return
            self._closed = True
        lib.audioprep_stream_close(self._handle)


@dataclass(frozen=True)
class Info:
    """What ``audioprep info PATH --json`` says of a recording (``raw`` holds every field)."""

    path: str
    format: str
    decoder: str
    sample_rate: int
    channels: int
    frames: int
    seconds: float
    peak_dbfs: float | None
    rms_dbfs: float | None
    chain: list[str]
    output_sample_rate: int
    output_channels: int
    output_frames: int
    #: What the decoder found wrong with the input (``truncated: …``, ``damaged: …``), or None.
    truncation: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


def info(path_or_file: Union[PathLike, IO[bytes]], sr: Optional[int] = None, **chain: Any) -> Info:
    """Describes a recording (format, rate, channels, length, levels) and the chain the
    options would build for it, as ``audioprep info PATH --json`` does; it decodes the file
    for its levels. ``path_or_file`` is a path or a binary file object, as for ``load``;
    ``sr`` (or ``rate``, the command line's name) is the output rate of the chain described
    (16000 when not given).

    Warns:
        AudioprepWarning: what the decoder found wrong with the input (truncated, damaged),
        as ``audioprep: PATH: truncated: …``; ``Info.truncation`` holds it too.
    """
    _rate_value(sr, "sr")
    _not_a_path(path_or_file)
    if sr is not None:
        _one_rate(chain)  # info also takes rate=, the command line's name
    arguments = _options({"rate": sr, **chain})
    if hasattr(path_or_file, "read"):
        file: IO[bytes] = path_or_file  # type: ignore[assignment]

        def from_file(cancellation: Cancellation) -> Info:
            with file_input(file, "info", _reads_twice(chain)) as opened:
                if opened.feeder is not None:
                    cancellation.on_cancel(opened.feeder.stop)
                described = _info(opened.path, arguments)
                opened.check()
            return _with_path(described, opened.shown)

        described = interruptible(from_file)
    else:
        path = _path_bytes(path_or_file)  # type: ignore[arg-type]

        def from_path(cancellation: Cancellation) -> Info:
            cancellation.on_cancel(lambda: let_go(path))
            return _info(path, arguments)

        described = interruptible(from_path)
    if described.truncation:
        _warn([f"audioprep: {described.path}: {described.truncation}"])
    return described


def _info(path: PathLike, arguments: list[bytes]) -> Info:
    text, error = ctypes.c_void_p(), ctypes.c_void_p()
    code = lib.audioprep_info(_path_bytes(path), c_strings(arguments), len(arguments), ctypes.byref(text), ctypes.byref(error))
    _check(code, error)
    fields = json.loads(take_string(text) or "{}")
    output = fields.get("output", {})
    described = Info(
        path=fields["path"], format=fields["format"], decoder=fields["decoder"], sample_rate=fields["sample_rate"],
        channels=fields["channels"], frames=fields["frames"], seconds=fields["seconds"],
        peak_dbfs=fields.get("peak_dbfs"), rms_dbfs=fields.get("rms_dbfs"), chain=list(fields.get("chain", [])),
        output_sample_rate=output.get("sample_rate"), output_channels=output.get("channels"),
        output_frames=output.get("frames"), truncation=fields.get("truncation"), raw=fields,
    )
    return described


def _with_path(described: Info, shown: str) -> Info:
    """``described`` of a copy, naming the file object instead."""
    raw = dict(described.raw, path=shown)
    return dataclasses.replace(described, path=shown, raw=raw)


def version() -> str:
    """audioprep's version line, as ``audioprep --version`` prints it."""
    return lib.audioprep_version().decode()
