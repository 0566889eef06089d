"""The exceptions audioprep raises, one class per exit code of the command line, and the
category of its warnings."""

from __future__ import annotations


class AudioprepError(Exception):
    """Any failure of audioprep: ``message`` is the line ``audioprep`` prints for it,
    ``code`` the command line's exit code."""

    code: int = 1

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


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


def error_for(code: int, message: str) -> AudioprepError:
    """The exception for the C interface's exit ``code`` and line."""
    return _BY_CODE.get(code, AudioprepError)(message, code)
