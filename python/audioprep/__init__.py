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

import contextlib
import ctypes
import io
import json
import math
import numbers
import os
import tempfile
import warnings
import dataclasses
from dataclasses import dataclass, field
from typing import IO, Any, Iterator, Union

import numpy as np

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
        # One argument, "--name=value": a value is never read as an option ("--gain=100").
        arguments.append(f"{option}={value}".encode())
    return arguments


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
        raise error_for(code, message or f"audioprep: failed with exit code {code}")
    return (lines or "").splitlines()


def _warn(lines: list[str], stacklevel: int = 3) -> None:
    """Each line as an ``AudioprepWarning`` (``stacklevel`` 3: the caller of the public
    function that calls this)."""
    for line in lines:
        warnings.warn(line, AudioprepWarning, stacklevel=stacklevel)


def _sample_rate(value: Any, name: str) -> int:
    """``value`` as a rate in Hz for the C interface's int32: a whole number from 1 to 10 MHz,
    as ``--in-rate`` takes (no wrap at 2**31, no string parsed by ``int``)."""
    whole = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) \
        and math.isfinite(value) and float(value).is_integer()
    if not whole or not 1 <= value <= 10_000_000:
        raise UsageError(
            f"audioprep: {name}: the samples' rate is a whole number of Hz from 1 to 10000000, got {value!r}", 64)
    return int(value)


def _samples(pointer: Any, frames: int, channels: int, keep_channels: bool) -> np.ndarray:
    """The C buffer as a float32 array (freed): ``(frames,)`` mono, ``(channels, frames)``
    with ``keep_channels``."""
    try:
        count = frames * channels
        if count == 0:
            flat = np.zeros(0, dtype=np.float32)
        else:
            flat = np.ctypeslib.as_array(pointer, shape=(count,)).copy()
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
        path_or_file: a path, or a binary file object (read whole into a temporary file;
            messages name it by its ``name``, or ``<file object>``). ``"-"`` is refused: pass
            ``sys.stdin.buffer`` to read standard input (``"./-"`` names a file called -).
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

    Warns:
        AudioprepWarning: each line the command line would warn with.
    """
    samples, lines = _load(path_or_file, sr, keep_channels, chain)
    _warn(lines)
    return samples


def _load(path_or_file: Union[PathLike, IO[bytes]], sr: Any, keep_channels: bool, chain: dict[str, Any]) -> tuple[np.ndarray, list[str]]:
    """``load``'s samples and warnings."""
    if hasattr(path_or_file, "read"):
        return _load_file_object(path_or_file, sr, keep_channels, chain)  # type: ignore[arg-type]
    _one_rate(chain)
    arguments = _options({"rate": sr, "keep_channels": keep_channels, **chain})
    samples, frames, channels, rate = _c_float_p(), ctypes.c_int64(), ctypes.c_int32(), ctypes.c_int32()
    error, warned = ctypes.c_void_p(), ctypes.c_void_p()
    code = lib.audioprep_load(
        _path_bytes(path_or_file), c_strings(arguments), len(arguments),
        ctypes.byref(samples), ctypes.byref(frames), ctypes.byref(channels), ctypes.byref(rate),
        ctypes.byref(warned), ctypes.byref(error),
    )
    lines = _check(code, error, warned)
    return _samples(samples, frames.value, channels.value, keep_channels), lines


def _load_file_object(file: IO[bytes], sr: Any, keep_channels: bool, chain: dict[str, Any]) -> tuple[np.ndarray, list[str]]:
    """``load`` of a binary file object, through a copy in a temporary file."""
    with _copy_of(file, "load") as (copy, shown):
        samples, lines = _load(copy, sr, keep_channels, chain)
    return samples, [line.replace(copy, shown) for line in lines]


@contextlib.contextmanager
def _copy_of(file: IO[bytes], verb: str) -> Iterator[tuple[str, str]]:
    """A binary file object's bytes copied, 1 MiB at a time, to a temporary file (libsndfile
    and FFmpeg read a path), and the name messages call it by: its ``name``, or ``<file
    object>``. Errors raised meanwhile name the file object, not the copy, which is removed
    at the end."""
    name = getattr(file, "name", None)
    shown = os.fsdecode(name) if isinstance(name, (str, bytes)) else "<file object>"
    binary = f"audioprep: {shown}: {verb} reads audio bytes: open the file in binary mode ('rb')"
    if isinstance(file, io.TextIOBase):
        raise UsageError(binary, 64)
    suffix = os.path.splitext(shown)[1] if shown != "<file object>" else ""
    with tempfile.NamedTemporaryFile(prefix="audioprep-", suffix=suffix) as copy:
        while True:
            block = file.read(1 << 20)
            if not isinstance(block, (bytes, bytearray, memoryview)):
                raise UsageError(binary, 64)
            if not block:
                break
            copy.write(block)
        copy.flush()
        try:
            yield copy.name, shown
        except AudioprepError as error:
            raise type(error)(error.message.replace(copy.name, shown), error.code) from None


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
    array = np.asarray(samples)
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
    in_rate = _sample_rate(sr, "sr")
    interleaved = np.ascontiguousarray(array.T, dtype=np.float32)
    arguments = _options({"rate": rate, "keep_channels": keep_channels, **chain})
    out, out_frames, out_channels, out_rate = _c_float_p(), ctypes.c_int64(), ctypes.c_int32(), ctypes.c_int32()
    error, warned = ctypes.c_void_p(), ctypes.c_void_p()
    code = lib.audioprep_process(
        interleaved.ctypes.data_as(_c_float_p), frames, channels, in_rate, c_strings(arguments), len(arguments),
        ctypes.byref(out), ctypes.byref(out_frames), ctypes.byref(out_channels), ctypes.byref(out_rate),
        ctypes.byref(warned), ctypes.byref(error),
    )
    lines = _check(code, error, warned)
    result = _samples(out, out_frames.value, out_channels.value, keep_channels)  # frees the buffer
    _warn(lines)  # may raise (warnings as errors): after the buffer is freed
    return result


def stream(
    path_or_file: Union[PathLike, IO[bytes]], chunk_ms: float = 100, sr: int = 16000, keep_channels: bool = False,
    **chain: Any,
) -> Iterator[np.ndarray]:
    """The processed recording in chunks of ``chunk_ms`` at ``sr``, in constant memory (the
    last chunk may be short); concatenated, they are ``load``'s samples.

    ``path_or_file`` is a path or a binary file object, as for ``load`` (a file object is
    copied to a temporary file 1 MiB at a time, removed when the stream ends). Processing runs
    ahead on audioprep's own threads by at most its buffer (``buffer_chunks``, 10 by default).
    Leaving the loop early stops it. The options' warnings come at the first chunk, the run's
    (a truncated input) at the end.
    """
    if hasattr(path_or_file, "read"):
        with _copy_of(path_or_file, "stream") as (copy, shown):  # type: ignore[arg-type]
            yield from _stream(copy, chunk_ms, sr, keep_channels, chain, shown=(copy, shown))
        return
    yield from _stream(path_or_file, chunk_ms, sr, keep_channels, chain)  # type: ignore[arg-type]


def _stream(
    path: PathLike, chunk_ms: float, sr: int, keep_channels: bool, chain: dict[str, Any],
    shown: tuple[str, str] | None = None,
) -> Iterator[np.ndarray]:
    """``stream`` of a path; ``shown``: (the copy's name, the name its warnings give instead)."""

    def warn(lines: list[str]) -> None:
        _warn([line.replace(*shown) for line in lines] if shown else lines, stacklevel=4)

    _one_rate(chain)
    arguments = _options({"rate": sr, "chunk_ms": chunk_ms, "keep_channels": keep_channels, **chain})
    handle, error, warned = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
    code = lib.audioprep_stream_open(
        _path_bytes(path), c_strings(arguments), len(arguments), ctypes.byref(handle), ctypes.byref(warned),
        ctypes.byref(error))
    lines = _check(code, error, warned)
    owner = os.getpid()
    try:
        warn(lines)  # may raise (warnings as errors): inside the try that closes the stream
        while True:
            if os.getpid() != owner:
                # A fork copies the stream's state but not the threads that fill it.
                raise RuntimeError("audioprep: a stream begun before a fork cannot be read in the child; open it there")
            samples, frames, channels = _c_float_p(), ctypes.c_int64(), ctypes.c_int32()
            code = lib.audioprep_stream_next(
                handle, ctypes.byref(samples), ctypes.byref(frames), ctypes.byref(channels), ctypes.byref(warned),
                ctypes.byref(error))
            warn(_check(code, error, warned))
            if frames.value == 0:
                return
            yield _samples(samples, frames.value, channels.value, keep_channels)
    finally:
        if os.getpid() == owner:
            lib.audioprep_stream_close(handle)


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


def info(path_or_file: Union[PathLike, IO[bytes]], **chain: Any) -> Info:
    """Describes a recording (format, rate, channels, length, levels) and the chain the
    options would build for it, as ``audioprep info PATH --json`` does; it decodes the file
    for its levels. ``path_or_file`` is a path or a binary file object, as for ``load``.

    Warns:
        AudioprepWarning: what the decoder found wrong with the input (truncated, damaged),
        as ``audioprep: PATH: truncated: …``; ``Info.truncation`` holds it too.
    """
    if hasattr(path_or_file, "read"):
        with _copy_of(path_or_file, "info") as (copy, shown):  # type: ignore[arg-type]
            described = _with_path(_info(copy, chain), shown)
    else:
        described = _info(path_or_file, chain)  # type: ignore[arg-type]
    if described.truncation:
        _warn([f"audioprep: {described.path}: {described.truncation}"], stacklevel=2)
    return described


def _info(path: PathLike, chain: dict[str, Any]) -> Info:
    arguments = _options(chain)
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
