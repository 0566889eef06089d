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

    def __reduce__(self) -> tuple:
        # Whole across processes (a DataLoader worker's error, pickled to the parent): the
        # message, the code, and a NoInputError's errno, strerror and filename, which OSError's
        # own pickling dropped (hostile review 31p, W5).
        state = dict(self.__dict__)
        if isinstance(self, OSError):
            state.update(errno=self.errno, strerror=self.strerror, filename=self.filename)
        return type(self), (self.message, self.code), state

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, value)


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
        errno.ENOENT, errno.EACCES, errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG, errno.EISDIR, errno.ENXIO)},
    "is a directory, not an audio file": errno.EISDIR,
}


class _NoInputIsADirectoryError(NoInputError, IsADirectoryError):
    """A ``NoInputError`` for a directory, also an ``IsADirectoryError`` as ``open()``'s is."""


class _NoInputNotADirectoryError(NoInputError, NotADirectoryError):
    """A ``NoInputError`` for a path through a file, also a ``NotADirectoryError``."""


class _NoInputPermissionError(NoInputError, PermissionError):
    """A ``NoInputError`` for a file it may not read, also a ``PermissionError``."""


#: The ``NoInputError`` of an errno whose ``open()`` error is a subclass of its own: an
#: ``except IsADirectoryError`` catches it as it catches ``open()``'s (hostile review 30p, W6).
_NO_INPUT_BY_ERRNO: dict[int, type[NoInputError]] = {
    errno.EISDIR: _NoInputIsADirectoryError, errno.ENOTDIR: _NoInputNotADirectoryError,
    errno.EACCES: _NoInputPermissionError,
}


def error_for(code: int, message: str) -> AudioprepError:
    """The exception for the C interface's exit ``code`` and line; a ``NoInputError`` with
    the ``errno``, ``strerror`` and ``filename`` ``open()``'s would carry, when its line
    ("audioprep: PATH: REASON") ends with one of those reasons, and of the class of ``open()``'s
    for that errno too."""
    cls = _BY_CODE.get(code, AudioprepError)
    found = None
    if cls is NoInputError and message.startswith("audioprep: "):
        found = next(((reason, number) for reason, number in _ERRNO_BY_REASON.items() if message.endswith(": " + reason)), None)
    if found is None:
        return cls(message, code)
    reason, number = found
    error = _NO_INPUT_BY_ERRNO.get(number, NoInputError)(message, code)
    error.errno, error.strerror = number, os.strerror(number)
    error.filename = message[len("audioprep: "):-len(": " + reason)]
    return error
