"""Progress of the stages: a bar with the total, the count and the time left on a terminal
(tqdm), nothing in a log or a pipe, nothing with -q."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import struct
import subprocess
import sys
import termios

import pytest
from conftest import IAP_PAGE, ROOT, project_settings

from pipeline.stages import run_all


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    for name in ("one.txt", "two.txt"):
        shutil.copy2(IAP_PAGE, folder / name)
    return folder


def test_stages_run_progress_counts_pages_and_entries_with_time_left(two_pages, tmp_path,
                                                                       capsys):
    run_all([str(two_pages)], tmp_path / "out", project_settings(progress=True))
    bar = capsys.readouterr().err.split("\r")[-1]
    # done, elapsed < remaining, pages read of the pages given, entries extracted
    assert re.match(r"partners run: 100%\|.*\| \[\d\d:\d\d<\d\d:\d\d, page 2/2, 68 entries\]",
                    bar), bar


def test_stages_run_without_progress_says_nothing(two_pages, tmp_path, capsys):
    run_all([str(two_pages)], tmp_path / "out", project_settings(progress=False))
    assert capsys.readouterr() == ("", "")


def on_a_terminal(argv: list[str], cwd) -> str:
    """What a command writes to stderr when stderr is a terminal (a pseudo-terminal here)."""
    main, child = os.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", *argv], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=child)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and out == b""
    return b"".join(chunks).decode("utf-8", "replace")


def test_stages_show_a_bar_on_a_terminal_only(two_pages, tmp_path):
    shown = on_a_terminal(["run", str(two_pages), "--out", str(tmp_path / "a")], ROOT)
    assert "partners run: 100%" in shown and "page 2/2, 68 entries" in shown
    assert "partners: 68 organisations" in shown
    quiet = on_a_terminal(["run", str(two_pages), "--out", str(tmp_path / "b"), "-q"], ROOT)
    assert quiet == ""
    piped = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(two_pages),
                            "--out", str(tmp_path / "c")], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    lines = piped.stderr.splitlines()  # a log: the status line alone
    assert len(lines) == 1 and lines[0].startswith("partners: 68 organisations"), lines


def test_stages_extract_bar_counts_entries(tmp_path):
    run = [sys.executable, "-m", "pipeline.cli"]
    docs, entries = tmp_path / "d.jsonl", tmp_path / "e.jsonl"
    for argv in (["ingest", str(IAP_PAGE), "--out", str(docs)],
                 ["segment", str(docs), "--out", str(entries)]):
        subprocess.run([*run, *argv, "-q"], cwd=ROOT, check=True, timeout=300)
    shown = on_a_terminal(["extract", str(docs), str(entries), "--out",
                           str(tmp_path / "x.jsonl")], ROOT)
    assert "partners extract: 100%" in shown and "34/34" in shown
