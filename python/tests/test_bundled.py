"""The package carries what it needs beyond Debian's libsndfile, libsamplerate and FFmpeg (and
the C and C++ runtimes): the Swift runtime it was built against and libsoxr, libebur128 and
WebRTC's audio processing, found beside the library (its run path is ``$ORIGIN`` alone), so
that it runs, and a wheel of it installs, on a machine without a Swift toolchain (issue 23:
"Wheels bundle what they need")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES

import audioprep

PACKAGE = Path(audioprep.__file__).resolve().parent
BUNDLED = ("libswift", "libFoundation", "libdispatch", "libBlocksRuntime", "libsoxr", "libebur128",
           "libwebrtc_audio_processing", "libgomp")

MAPPED = """
import audioprep
print("\\n".join(sorted({line.split()[-1] for line in open("/proc/self/maps") if ".so" in line and "/" in line})))
"""


@pytest.mark.parametrize("library_path", [None, "the toolchain's runtime"])
def test_the_swift_runtime_and_the_other_libraries_load_from_the_package(library_path):
    """Also with LD_LIBRARY_PATH naming another runtime, which a run path ($ORIGIN as
    DT_RUNPATH) gives way to: the library's was searched after it (hostile review 30p, H3)."""
    env = dict(os.environ)
    if library_path:
        env["LD_LIBRARY_PATH"] = str(Path(shutil.which("swift")).resolve().parents[1] / "lib" / "swift" / "linux")
    result = subprocess.run([sys.executable, "-c", MAPPED], capture_output=True, text=True, timeout=60, cwd="/", env=env)
    assert result.returncode == 0, result.stderr
    mapped = [Path(line) for line in result.stdout.split()]
    ours = [path for path in mapped if path.name.startswith(BUNDLED)]
    assert any(path.name.startswith("libswiftCore") for path in ours), mapped
    assert all(path.parent == PACKAGE for path in ours), [str(path) for path in ours if path.parent != PACKAGE]


def test_the_library_looks_for_its_libraries_beside_itself_only():
    dynamic = subprocess.run(["readelf", "-d", str(PACKAGE / "libAudioPrepC.so")], capture_output=True, text=True).stdout
    paths = [line.split("[", 1)[1].rstrip("]") for line in dynamic.splitlines() if "RUNPATH" in line or "RPATH" in line]
    assert paths == ["$ORIGIN"], paths


# Run where the Swift toolchain's runtime folder is hidden (an empty tmpfs over it, in a mount
# namespace of its own): what a machine without Swift has.
WITHOUT_SWIFT = """
set -e
mount -t tmpfs none "$1"
[ -z "$(ls -A "$1")" ]
cd /
PYTHONPATH="$2" "$3" -c '
import sys, audioprep
print(audioprep.__file__)
print(audioprep.load(sys.argv[1]).shape, audioprep.load(sys.argv[1], resampler="soxr", loudness=-23).shape)
' "$4"
"""


def test_a_wheel_is_platform_specific_and_runs_without_the_swift_toolchain(tmp_path):
    repository = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                             "-w", str(tmp_path), str(repository / "python")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    wheels = list(tmp_path.glob("audioprep-*.whl"))
    assert len(wheels) == 1 and wheels[0].name.endswith("-py3-none-linux_x86_64.whl"), wheels
    names = {Path(name).name for name in zipfile.ZipFile(wheels[0]).namelist()}
    assert "libAudioPrepC.so" in names
    for prefix in ("libswiftCore", "libFoundationEssentials", "libsoxr", "libebur128", "libwebrtc_audio_processing"):
        assert any(name.startswith(prefix) for name in names), (prefix, sorted(names))

    installed = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(installed),
                             str(wheels[0])], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    runtime = Path(shutil.which("swift")).resolve().parents[1] / "lib" / "swift"
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("no mount namespace here (unshare -m) to hide the Swift toolchain in")
    result = subprocess.run(["unshare", "-m", "bash", "-c", WITHOUT_SWIFT, "-", str(runtime), str(installed),
                             sys.executable, str(FIXTURES / "speech.flac")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [str(installed / "audioprep" / "__init__.py"), "(57700,) (57700,)"], result.stdout


def test_bundling_does_not_depend_on_how_fast_the_loader_cache_is_read(tmp_path):
    """python/bundle-libraries finds the lazily loaded libraries in ``ldconfig -p``'s output and
    stopped reading at the first match: under ``pipefail`` a long cache listing, still being
    written, ended ldconfig with SIGPIPE and the bundling (and `make test`) with 141, at random
    (stop 35's CI). A stand-in ldconfig writes the real listing and a megabyte more."""
    repository = Path(__file__).resolve().parents[2]
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "ldconfig").write_text(f'#!/bin/sh\n{shutil.which("ldconfig") or "/sbin/ldconfig"} "$@"\n'
                                   'yes "\tlibfiller.so.0 (libc6,x86-64) => /nowhere/libfiller.so.0" | head -c 1048576\n')
    (fake / "ldconfig").chmod(0o755)
    folder = tmp_path / "package"
    folder.mkdir()
    shutil.copy(PACKAGE / "libAudioPrepC.so", folder / "libAudioPrepC.so")
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
    result = subprocess.run([str(repository / "python" / "bundle-libraries"), str(folder / "libAudioPrepC.so")],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, (result.returncode, result.stderr)
    names = {path.name for path in folder.iterdir()}
    for prefix in ("libsoxr", "libebur128", "libwebrtc_audio_processing"):
        assert any(name.startswith(prefix) for name in names), (prefix, sorted(names))
