"""The exceptions audioprep raises, one class per exit code of the command line, and the
category of its warnings."""

from __future__ import annotations

import errno
import os


class AudioprepError(Exception):
    """Any failure of audioprep: ``message`` is the line ``audioprep`` prints for it,
    ``code`` the command line's exit code."""

    code: int = 1

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message  # not OSError's "[Errno 2] …" for a NoInputError with an errno


class UsageError(AudioprepError, ValueError):
    """A bad option or value, or one the input cannot satisfy (exit code 64)."""

    code = 64


class DecodeError(AudioprepError):
    """The input is not audio audioprep can decode, or is damaged (exit code 65)."""

    code = 65


class NoInputError(AudioprepError, FileNotFoundError):
    """The input cannot be opened: missing, a directory, no permission (exit code 66); an
    ``except FileNotFoundError`` (or ``OSError``) catches it, as it catches ``open()``'s."""

    code = 66


class InternalError(AudioprepError):
    """A library failed at run time (exit code 70)."""

    code = 70


class ReadError(AudioprepError):
    """An I/O error while reading (exit code 74)."""

    code = 74


class AudioprepWarning(UserWarning):
    """A warning the command line prints on standard error (a truncated or damaged input, NaN
    samples replaced, a loudness or peak not reached, ...): one per line, its text the line.
    ``warnings.simplefilter("error", audioprep.AudioprepWarning)`` makes them errors."""


_BY_CODE: dict[int, type[AudioprepError]] = {
    cls.code: cls for cls in (UsageError, DecodeError, NoInputError, InternalError, ReadError)
}


#: The reasons a ``NoInputError`` line ends with, and the errno ``open()`` would have set.
_ERRNO_BY_REASON = {
    **{os.strerror(number): number for number in (
        errno.ENOENT, errno.EACCES, errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG, errno.EISDIR)},
    "is a directory, not an audio file": errno.EISDIR,
}


def error_for(code: int, message: str) -> AudioprepError:
    """The exception for the C interface's exit ``code`` and line; a ``NoInputError`` with
    the ``errno``, ``strerror`` and ``filename`` ``open()``'s would carry, when its line
    ("audioprep: PATH: REASON") ends with one of those reasons."""
    error = _BY_CODE.get(code, AudioprepError)(message, code)
    if isinstance(error, NoInputError) and message.startswith("audioprep: "):
        for reason, number in _ERRNO_BY_REASON.items():
            if message.endswith(": " + reason):
                error.errno, error.strerror = number, os.strerror(number)
                error.filename = message[len("audioprep: "):-len(": " + reason)]
                break
    return error
