"""What the tests share: the command line binary (the independent reference: its output is
read back with soundfile), the fixtures, and inputs ffmpeg makes (M4A, WebM)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

# Before soundfile: its wheel bundles a libsndfile of the same soname, and a library loaded
# first is the one audioprep's library would get (another version: other Vorbis samples).
import audioprep  # noqa: F401  (isort: skip)
import soundfile

REPOSITORY = Path(__file__).resolve().parents[2]
FIXTURES = REPOSITORY / "Fixtures"
BINARY = Path(os.environ.get("AUDIOPREP_TEST_BINARY", REPOSITORY / ".build" / "release" / "audioprep"))


def run_cli(*arguments: str | os.PathLike) -> subprocess.CompletedProcess:
    """``audioprep ARGUMENTS…``, its output captured."""
    return subprocess.run([str(BINARY), *map(str, arguments)], capture_output=True, text=True, timeout=120)


def cli_samples(path: os.PathLike, scratch: Path, *options: str) -> np.ndarray:
    """The samples of ``audioprep PATH -o OUT.wav --encoding f32 OPTIONS…``, read by
    soundfile: ``(frames,)`` for mono, ``(channels, frames)`` otherwise."""
    out = scratch / f"cli-{len(list(scratch.iterdir()))}.wav"
    result = run_cli(path, "-o", out, "--encoding", "f32", *options)
    assert result.returncode == 0, result.stderr
    samples, _ = soundfile.read(out, dtype="float32", always_2d=True)
    return samples[:, 0].copy() if samples.shape[1] == 1 else np.ascontiguousarray(samples.T)


def cli_error_line(*arguments: str | os.PathLike) -> tuple[int, str]:
    """The exit code and the one line the command line prints for a failing run."""
    result = run_cli(*arguments)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return result.returncode, lines[0]


def identical(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit for bit: same shape, dtype float32, same bits in every sample."""
    return a.dtype == b.dtype == np.float32 and a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


@pytest.fixture(scope="session")
def made_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """M4A (AAC) and WebM (Opus) made by ffmpeg from the speech fixture; none when ffmpeg is
    missing."""
    made: dict[str, Path] = {}
    if shutil.which("ffmpeg") is None:
        return made
    folder = tmp_path_factory.mktemp("made")
    for name, codec in (("speech.m4a", "aac"), ("speech.webm", "libopus")):
        out = folder / name
        result = subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(FIXTURES / "speech.wav"), "-c:a", codec, str(out)], capture_output=True
        )
        if result.returncode == 0:
            made[name] = out
    return made


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    return tmp_path


def pytest_configure(config: pytest.Config) -> None:
    if not BINARY.is_file():
        raise pytest.UsageError(f"{BINARY} is missing: build it first (make build), or set AUDIOPREP_TEST_BINARY")
