"""Finding and binding libAudioPrepC.so, audioprep's C interface (Sources/AudioPrepC/audioprep.h).

ctypes releases the GIL for the length of every foreign call (``ctypes.CDLL``, not
``PyDLL``), so other Python threads run while audioprep decodes and resamples.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path
from typing import Optional, Sequence

LIBRARY_NAME = "libAudioPrepC.so"

_c_float_p = ctypes.POINTER(ctypes.c_float)
_c_char_pp = ctypes.POINTER(ctypes.c_char_p)
_out_float_p = ctypes.POINTER(_c_float_p)
_out_char_p = ctypes.POINTER(ctypes.c_void_p)


def library_candidates() -> list[Path]:
    """Where the library is looked for, in order: ``$AUDIOPREP_LIBRARY``; beside this package
    (``make python`` installs it there); the repository's release build folder, when the
    package runs from the source tree."""
    candidates = []
    if os.environ.get("AUDIOPREP_LIBRARY"):
        candidates.append(Path(os.environ["AUDIOPREP_LIBRARY"]))
    here = Path(__file__).resolve().parent
    candidates.append(here / LIBRARY_NAME)
    candidates.append(here.parent.parent / ".build" / "release" / LIBRARY_NAME)
    return candidates


def _load() -> ctypes.CDLL:
    tried = library_candidates()
    explicit = os.environ.get("AUDIOPREP_LIBRARY")
    for path in tried:
        if path.is_file():
            return ctypes.CDLL(str(path))
        if explicit and path == Path(explicit):
            raise OSError(f"AUDIOPREP_LIBRARY={explicit}: no such file")
    raise OSError(
        f"{LIBRARY_NAME} not found (looked at {', '.join(map(str, tried))}); "
        "build it with 'make python', or set AUDIOPREP_LIBRARY to its path"
    )


def foreign_libsndfile() -> Optional[str]:
    """The libsndfile the library got when it is not a system one: a package loaded before
    audioprep (soundfile's wheel bundles one) holds the soname ``libsndfile.so.1``, and the
    dynamic loader hands audioprep that copy, whose decoders (Ogg Vorbis) may give other
    samples than the command line's. None when it is the system's, or cannot be told."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "libsndfile" in line and "/" in line}
    except OSError:
        return None
    system = [path for path in paths if path.startswith(("/usr/lib", "/lib"))]
    return None if system or not paths else sorted(paths)[0]


lib = _load()

lib.audioprep_load.restype = ctypes.c_int32
lib.audioprep_load.argtypes = [
    ctypes.c_char_p, _c_char_pp, ctypes.c_int32,
    _out_float_p, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_int32),
    _out_char_p, _out_char_p,
]
lib.audioprep_process.restype = ctypes.c_int32
lib.audioprep_process.argtypes = [
    _c_float_p, ctypes.c_int64, ctypes.c_int32, ctypes.c_int32, _c_char_pp, ctypes.c_int32,
    _out_float_p, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_int32),
    _out_char_p, _out_char_p,
]
lib.audioprep_stream_open.restype = ctypes.c_int32
lib.audioprep_stream_open.argtypes = [
    ctypes.c_char_p, _c_char_pp, ctypes.c_int32, ctypes.POINTER(ctypes.c_void_p), _out_char_p, _out_char_p,
]
lib.audioprep_stream_next.restype = ctypes.c_int32
lib.audioprep_stream_next.argtypes = [
    ctypes.c_void_p, _out_float_p, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int32), _out_char_p, _out_char_p,
]
lib.audioprep_stream_close.restype = None
lib.audioprep_stream_close.argtypes = [ctypes.c_void_p]
lib.audioprep_info.restype = ctypes.c_int32
lib.audioprep_info.argtypes = [ctypes.c_char_p, _c_char_pp, ctypes.c_int32, _out_char_p, _out_char_p]
lib.audioprep_version.restype = ctypes.c_char_p
lib.audioprep_version.argtypes = []
lib.audioprep_free.restype = None
lib.audioprep_free.argtypes = [ctypes.c_void_p]


def c_strings(values: Sequence[bytes]) -> "ctypes.Array[ctypes.c_char_p]":
    """``values`` as a C array of strings."""
    return (ctypes.c_char_p * max(1, len(values)))(*values)


def take_string(pointer: ctypes.c_void_p) -> Optional[str]:
    """The malloc'd C string at ``pointer``, freed (None for NULL), as ``path_text`` reads it."""
    if not pointer.value:
        return None
    try:
        return path_text(ctypes.string_at(pointer.value))
    finally:
        lib.audioprep_free(pointer.value)


def path_text(text: bytes) -> str:
    """A line of the library's as Python spells paths: the library writes a path byte that is
    not UTF-8 as the character U+EF00 + byte (U+EF80 to U+EFFF, its ``PathBytes``), here the
    byte again, then decoded as ``os.fsdecode`` decodes a path (``surrogateescape``: b"\\xff"
    is "\\udcff", which ``os.fsencode`` turns back into the byte the user's path holds)."""
    decoded = text.decode("utf-8", "replace")
    if not any("\uef80" <= character <= "\uefff" for character in decoded):
        return decoded
    raw = b"".join(
        bytes([ord(character) - 0xEF00]) if "\uef80" <= character <= "\uefff" else character.encode("utf-8", "surrogatepass")
        for character in decoded)
    return raw.decode("utf-8", "surrogateescape")
