"""Ctrl-C stops a call at once, as it stops the command line (hostile review of #23, W8: load
of a long file ignored it until the whole file was done)."""

from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES

# load reads a FIFO whose writer stalls after the first 4096 bytes until the main thread has
# its KeyboardInterrupt (at most 20 s): the interrupt came at once when the writer is still
# stalled then; a call that kept the main thread returned only after the writer gave up.
INTERRUPTED = """
import os, signal, sys, tempfile, threading
import audioprep

fifo = os.path.join(tempfile.mkdtemp(), "slow.ogg")
os.mkfifo(fifo)
data = open(sys.argv[1], "rb").read()
caught = threading.Event()
stalled = []

def writer():
    with open(fifo, "wb", buffering=0) as pipe:
        pipe.write(data[:4096])
        stalled.append(not caught.wait(20))
        try:
            pipe.write(data[4096:])
        except BrokenPipeError:
            pass

thread = threading.Thread(target=writer)
thread.start()
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
try:
    audioprep.load(fifo)
    print("no interrupt")
except KeyboardInterrupt:
    caught.set()
    thread.join()
    print("at once" if stalled == [False] else "after the call")
print(audioprep.load(sys.argv[1]).shape)  # the library still works
"""


def test_ctrl_c_interrupts_a_load_at_once():
    result = subprocess.run([sys.executable, "-c", INTERRUPTED, str(FIXTURES / "speech.ogg")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["at once", "(57700,)"], result.stdout + result.stderr
