"""Calls into the library that Ctrl-C can interrupt.

Python runs its signal handlers (``KeyboardInterrupt``) in the main thread, between bytecodes:
never while that thread is inside a foreign call, which for ``load`` of a long file takes
seconds. From the main thread, a call therefore runs on a worker thread while the main thread
waits (a wait Ctrl-C ends): the ``KeyboardInterrupt`` comes at once, and the abandoned call
finishes on the worker (told to stop early where it can: a file object stops being fed), its
result dropped and freed. From any other thread (which gets no signal) a call runs where it is.

The worker is kept between calls (the library keeps each thread's parsed options), one at a
time; a worker whose call was abandoned ends when it is done, unless none other is kept. A forked
child starts its own.
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Any, Callable, List, Optional, TypeVar

T = TypeVar("T")


class Cancellation:
    """What makes an abandoned call end sooner (``on_cancel``), run when Ctrl-C abandons it."""

    def __init__(self) -> None:
        self._actions: List[Callable[[], None]] = []
        self.cancelled = False

    def on_cancel(self, action: Callable[[], None]) -> None:
        self._actions.append(action)
        if self.cancelled:
            action()

    def cancel(self) -> None:
        self.cancelled = True
        for action in list(self._actions):
            action()


class _Job:
    def __init__(self, body: Callable[[Cancellation], Any], discard: Optional[Callable[[Any], None]]) -> None:
        self.body = body
        self.discard = discard
        self.cancellation = Cancellation()
        self.done = threading.Event()
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.abandoned = False
        self.lock = threading.Lock()


class _Worker(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="audioprep-call", daemon=True)
        self.jobs: "queue.SimpleQueue[_Job]" = queue.SimpleQueue()

    def run(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                job.result = job.body(job.cancellation)
            except BaseException as error:  # handed to the caller
                job.error = error
            with job.lock:
                abandoned = job.abandoned
                if not abandoned:
                    _idle.append(self)  # before the caller returns: its next call finds it
                job.done.set()
            if abandoned:
                if job.discard is not None and job.error is None:
                    job.discard(job.result)
                job.result = job.error = None
                if _idle:
                    # Another worker waits already: this one ends, with its thread's memory
                    # (a burst of Ctrl-Cs left 67 idle threads and 400 MB: review 31p, W2).
                    return
                _idle.append(self)
            # Nothing of the call stays with the idle worker: its body held the caller's file
            # object (a 200 MB BytesIO) until the next call (hostile review 30p, W7).
            job.body = job.discard = None
            job.cancellation = None  # type: ignore[assignment]
            del job


_idle: List[_Worker] = []


def _forget_workers() -> None:
    _idle.clear()  # their threads are the parent's


os.register_at_fork(after_in_child=_forget_workers)


#: How often a main thread waiting for a call looks for a signal another thread received.
_SIGNAL_CHECK_SECONDS = 0.05


def interruptible(body: Callable[[Cancellation], T], discard: Optional[Callable[[T], None]] = None) -> T:
    """``body(cancellation)``'s result; from the main thread, run on a worker so that Ctrl-C
    raises ``KeyboardInterrupt`` at once (``cancellation`` is then cancelled, and ``discard``
    given the result when it comes)."""
    if threading.current_thread() is not threading.main_thread():
        return body(Cancellation())
    try:
        worker = _idle.pop()
    except IndexError:
        worker = _Worker()
        try:
            worker.start()
        except RuntimeError:  # no new thread (the interpreter shutting down): run it here
            return body(Cancellation())
    job = _Job(body, discard)
    worker.jobs.put(job)
    try:
        # In short waits: a SIGINT the kernel hands to another thread (the worker's, the
        # library's; Ctrl-C goes to the process) sets Python's flag without waking a wait on a
        # lock, and the KeyboardInterrupt came only when the call ended (CI, stop 21). Between two
        # waits the main thread runs the handler.
        while not job.done.wait(_SIGNAL_CHECK_SECONDS):
            pass
    except BaseException:
        with job.lock:
            finished = job.done.is_set()
            job.abandoned = not finished
        if not finished:
            job.cancellation.cancel()
            raise
        # Finished as the interrupt came: its result is freed as any other's would be.
        if job.error is None and discard is not None:
            discard(job.result)
        raise
    if job.error is not None:
        error, job.error = job.error, None
        raise error
    return job.result
