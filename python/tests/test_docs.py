"""The Python examples of docs/python.md and the README run as written."""

from __future__ import annotations

import os
import re
import shutil

from conftest import FIXTURES, REPOSITORY


def python_blocks(name: str) -> list[str]:
    """The ```python blocks of ``name``, but those marked ``<!-- not run: WHY -->``."""
    text = (REPOSITORY / name).read_text()
    return [m.group(2) for m in re.finditer(r"(<!-- not run:[^\n]*-->\n)?```python\n(.*?)```", text, re.S) if not m.group(1)]


def test_the_python_page_runs(monkeypatch, capsys):
    monkeypatch.chdir(REPOSITORY)
    names: dict = {}
    for block in python_blocks("docs/python.md"):
        exec(compile(block, "docs/python.md", "exec"), names)
    # What the comments say.
    assert names["samples"].shape == (57700,)
    assert names["wide"].shape == (2, 16000)
    assert names["part"].shape == (20000,)
    assert names["raw"].shape == names["samples"].shape
    assert (names["about"].sample_rate, names["about"].channels) == (22050, 1)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "float32 (57700,)"
    assert printed[-1].startswith("64 audioprep: --converter: 'bogus' is not one of")


def test_the_readme_example_runs(tmp_path, monkeypatch):
    shutil.copy(FIXTURES / "speech.flac", tmp_path / "talk.flac")
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    (block,) = python_blocks("README.md")
    exec(compile(block, "README.md", "exec"), names)
    assert names["samples"].shape == (57700,)
