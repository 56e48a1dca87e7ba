"""Helpers for the hardening tests: write a raw folder, run the pipeline, read the dataset back
and check what must always hold (provenance, paragraph accounting, CSV = Parquet)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import pytest
import yaml

from pipeline.dataset.formats import read_table_csv, read_table_parquet
from pipeline.ingest.reader import decode_bytes
from pipeline.model import TABLES, Fact, Issue

ROOT = Path(__file__).resolve().parent.parent


def write_raw(folder: Path, files: dict[str, Union[str, bytes]], extra: list[dict] = ()) -> Path:
    """Files in `folder` with a manifest giving each its true sha256; `extra` entries as given."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for name, data in files.items():
        data = data.encode("utf-8") if isinstance(data, str) else data
        (folder / name).write_bytes(data)
        media = "text/html" if name.endswith(".html") else "text/plain"
        sources.append({"path": name, "media_type": media,
                        "sha256": hashlib.sha256(data).hexdigest()})
    (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": sources + list(extra)}),
                                         encoding="utf-8")
    return folder


@dataclass
class Dataset:
    out: Path
    metrics: dict
    issues: list[Issue]
    facts: list[Fact]
    tables: dict[str, list]

    def reasons(self) -> set[tuple[str, str, str]]:
        """(file name, stage, reason) of every issue."""
        return {(Path(i.source.rsplit(":", 1)[0] if i.source.rsplit(":", 1)[-1][:1].isdigit()
                      else i.source).name, i.stage, i.reason) for i in self.issues}

    def fields(self, field: str) -> list[str]:
        return [f.value for f in self.facts if f.field == field]


def read_dataset(out: Path) -> Dataset:
    """The dataset in `out`, after checking the CSV and Parquet files hold the same rows."""
    tables = {}
    for name, cls in TABLES.items():
        rows = read_table_parquet(cls, out / f"{name}.parquet")
        assert read_table_csv(cls, out / f"{name}.csv") == rows, f"{name}: CSV != Parquet"
        tables[name] = rows
    issues = [Issue(**json.loads(line))
              for line in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines()]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    return Dataset(out, metrics, issues, tables["facts"], tables)


def source_text(path: str, cwd: Path = ROOT) -> str:
    """The text a fact's offsets refer to, decoded as ingest decodes it."""
    p = Path(path) if Path(path).is_absolute() else cwd / path
    return decode_bytes(p.read_bytes())[0]


def check_provenance(facts, cwd: Path = ROOT) -> None:
    """For every fact: source text[char_start:char_end] == evidence."""
    texts: dict[str, str] = {}
    for f in facts:
        if f.source_file not in texts:
            texts[f.source_file] = source_text(f.source_file, cwd)
        text = texts[f.source_file]
        assert 0 <= f.char_start <= f.char_end <= len(text), f
        assert text[f.char_start:f.char_end] == f.evidence, f


def check_accounting(metrics: dict) -> None:
    """Every paragraph is accounted for: in an entry, the preamble, a group heading,
    boilerplate, or unused."""
    p = metrics["paragraphs"]
    assert p["total"] == p["in_entries"] + p["in_preamble"] + p.get("in_groups", 0) \
        + p.get("boilerplate", 0) + p.get("unused", 0), p


def make_read_only(folder: Path):
    """Make `folder` (a test's own temporary folder) unwritable even for root, or skip;
    returns the undo."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root and chattr +i is not available here")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)
