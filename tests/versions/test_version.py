"""A dataset version read back: the versions published before lists became JSON arrays (lists
joined with '|' in CSV, '' for a missing text in Parquet) read as the same data, so that
`partners diff OLD` compares against them."""

from __future__ import annotations

import csv
import json
import subprocess
import typing
from pathlib import Path

import pytest
from conftest import ROOT
from dataset_versions import V2, build, partners_cli, write  # noqa: F401 (fixtures)

from pipeline.dataset.formats import PIPE_LISTS, csv_cell, csv_line, csv_to_value, is_list
from pipeline.model import TABLES
from pipeline.versions.version import load_folder, load_revision

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def to_published_form_before(out: Path) -> None:
    """Rewrite a dataset folder as the pipeline wrote it before: lists '|'-joined in CSV, ''
    (not null) for missing text in Parquet, `listSeparator: "|"` in the CSV dialects."""
    for table, cls in TABLES.items():
        hints = typing.get_type_hints(cls)
        path = out / f"{table}.csv"
        rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
        for row in rows[1:]:
            for i, name in enumerate(rows[0]):
                if is_list(hints[name]):
                    row[i] = csv_cell(csv_to_value(row[i], hints[name]), PIPE_LISTS)
        path.write_text("".join(csv_line(r) for r in rows), encoding="utf-8")
        data = pq.read_table(out / f"{table}.parquet")
        columns = [c.fill_null("") if pa.types.is_string(c.type) else c for c in data.columns]
        fields = [f.with_nullable(not pa.types.is_string(f.type) and f.nullable) for f in data.schema]
        pq.write_table(pa.table(columns, schema=pa.schema(fields)), out / f"{table}.parquet")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["format"] == "csv":
            resource["dialect"] = {"delimiter": ",", "listSeparator": "|"}
    (out / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


def test_version_the_form_published_before_reads_as_the_same_data(tmp_path, partners_cli):
    now = write(tmp_path / "now", build(V2))
    before = write(tmp_path / "before", build(V2))
    to_published_form_before(before)
    assert "IAP|" in (before / "agreements.csv").read_text(encoding="utf-8")
    old, new = load_folder(before), load_folder(now)
    assert (old.organisations, old.facts, old.agreements) == \
        (new.organisations, new.facts, new.agreements)
    assert any(len(a.parties) == 2 for a in old.agreements)
    code, out, err = partners_cli("diff", before, now)
    assert code == 0, err
    assert "organisations none changed" in out


def published_revisions() -> list[str]:
    """Every commit that changed the published dataset (none in a checkout without history)."""
    log = subprocess.run(["git", "-C", str(ROOT), "log", "--format=%H", "--",
                          "extracted/"], capture_output=True, text=True)
    return log.stdout.split() if log.returncode == 0 else []


def test_version_every_published_version_reads_its_lists_as_its_parquet_has_them():
    revisions = published_revisions()
    if not revisions:
        pytest.skip("no git history of extracted/ in this checkout")
    for rev in revisions:
        dataset = load_revision(rev, repo=ROOT)
        for table, cls in TABLES.items():
            shown = subprocess.run(["git", "-C", str(ROOT), "show",
                                    f"{rev}:extracted/{table}.parquet"], capture_output=True)
            if shown.returncode:
                continue  # a table this version did not have
            truth = pq.read_table(pa.BufferReader(shown.stdout)).to_pylist()
            lists = [n for n, tp in typing.get_type_hints(cls).items() if is_list(tp)]
            got = [{n: getattr(r, n) for n in lists} for r in getattr(dataset, table)]
            assert got == [{n: tuple(row[n]) for n in lists} for row in truth], (rev, table)
