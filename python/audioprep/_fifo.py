"""A FIFO's open, let go when Ctrl-C abandons the call waiting in it."""

from __future__ import annotations

import os
import stat


def let_go(path: bytes) -> None:
    """When ``path`` is a FIFO whose reader (an abandoned call of the library) waits in its
    open for a writer: opens it for writing and closes it at once, so that the open returns
    and the call reads the FIFO's end and stops. Left waiting, it took the bytes of the next
    writer, which the caller's retry was waiting for (the retry then failed or got part of
    them: hostile review 30p, H2). Run when the call is abandoned, before the caller can retry;
    with no reader waiting (the library had not opened it yet) it does nothing."""
    try:
        if not stat.S_ISFIFO(os.stat(path).st_mode):
            return
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return  # ENXIO: no reader waits
    os.close(descriptor)
