"""Shared fixtures of the versions tests: two dataset versions, a project to review, the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from dataset_versions import V1, V2, build, write

from pipeline import cli

# Issues of the review project: one in the preamble, one inside NPN's entry, one naming IBA.
PROJECT_ISSUES = [
    {"source": "raw/page.txt:40-60", "stage": "segment", "reason": "unparsed_paragraph",
     "detail": "<script>alert(1)</script> a paragraph without a heading"},
    {"source": "raw/page.txt:680-690", "stage": "extract", "reason": "unparsed_sentence",
     "detail": "a sentence no rule read"},
    {"source": "raw/page.txt", "stage": "extract", "reason": "date_disagreement",
     "detail": "iba-international-bar-association: 1947 in the text, 1946 in a link"}]


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """The dataset folders of page V1 and page V2, each beside its own raw/."""
    old = write(tmp_path / "v1", build(V1))
    new = write(tmp_path / "v2", build(V2))
    return old, new


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding the new dataset, its source, and the old dataset beside it."""
    write(tmp_path / "old", build(V1))
    write(tmp_path, build(V2), issues=PROJECT_ISSUES)
    return tmp_path


@pytest.fixture
def partners_cli(capsys):
    """`partners ARGV...` in this process: (exit code, stdout, stderr)."""
    def call(*argv: str) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err
    return call
