"""``stream`` runs in constant memory: over a 60-minute file the peak stays where it was after
the first minute (``load`` would hold 230 MB of samples)."""

from __future__ import annotations

import subprocess
import sys
import wave

import numpy as np

MEASURE = """
import sys
import audioprep

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024

frames = 0
after_one_minute = None
for chunk in audioprep.stream(sys.argv[1]):
    frames += len(chunk)
    if after_one_minute is None and frames >= 16000 * 60:
        after_one_minute = peak_mb()
print(frames, after_one_minute, peak_mb())
"""


def test_sixty_minutes_in_constant_memory(tmp_path):
    path = tmp_path / "hour.wav"
    minute = (np.sin(2 * np.pi * 440 * np.arange(8000 * 60) / 8000) * 8000).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(8000)
        for _ in range(60):
            file.writeframes(minute)
    result = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    frames, after_one_minute, at_the_end = result.stdout.split()
    assert int(frames) == 16000 * 3600
    # The hour's samples alone would be 230 MB; the peak grows by less than 8 MB after minute one.
    assert float(at_the_end) - float(after_one_minute) < 8, result.stdout
