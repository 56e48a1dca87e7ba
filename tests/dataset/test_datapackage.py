"""datapackage.json as Frictionless reads it: the published dataset validates (types, required
columns, primary and foreign keys), lists read as lists, and every path in it resolves."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, project_settings

frictionless = pytest.importorskip("frictionless")
pq = pytest.importorskip("pyarrow.parquet")

PUBLISHED = ROOT / "extracted"


def table_schema_type(arrow_type) -> str:
    import pyarrow as pa

    if pa.types.is_list(arrow_type) and pa.types.is_string(arrow_type.value_type):
        return "array"
    return {"string": "string", "int64": "integer"}[str(arrow_type)]


def validate(folder: Path):
    return frictionless.validate(str(folder / "datapackage.json"))


def errors(report) -> list[str]:
    return [e.type for task in report.tasks for e in task.errors] + [e.type for e in report.errors]


def test_datapackage_of_the_published_dataset_is_valid():
    report = validate(PUBLISHED)
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])
    assert {t.name for t in report.tasks} == {f"{t}-{f}" for t in ("organisations", "facts", "agreements")
                                              for f in ("csv", "parquet")}


def edit_csv(path: Path, edit) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("table, edit, error", [
    ("facts", lambda rows: rows[1].__setitem__(1, "no-such-organisation"), "foreign-key"),
    ("organisations", lambda rows: rows.append(list(rows[1])), "primary-key"),
    ("organisations", lambda rows: rows[1].__setitem__(2, "ABA|IAP"), "type-error"),
    ("organisations", lambda rows: rows[1].__setitem__(4, "1878.0"), "type-error"),
    ("facts", lambda rows: rows[1].__setitem__(0, ""), "constraint-error"),
])
def test_datapackage_frictionless_finds_what_breaks_the_contract(tmp_path, table, edit, error):
    folder = tmp_path / "extracted"
    shutil.copytree(PUBLISHED, folder, ignore=shutil.ignore_patterns("interim"))
    edit_csv(folder / f"{table}.csv", edit)
    assert error in errors(validate(folder))


def test_datapackage_frictionless_reads_the_csv_as_the_parquet_file_holds_it():
    package = frictionless.Package(str(PUBLISHED / "datapackage.json"))
    for table in ("organisations", "facts", "agreements"):
        rows = package.get_resource(f"{table}-csv").read_rows()
        truth = pq.read_table(PUBLISHED / f"{table}.parquet").to_pylist()
        assert [dict(r) for r in rows] == truth, table


def test_datapackage_parquet_resources_describe_their_files():
    package = json.loads((PUBLISHED / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    for table in ("organisations", "facts", "agreements"):
        described, csv_resource = resources[f"{table}-parquet"], resources[f"{table}-csv"]
        assert described["path"] == f"{table}.parquet"
        assert described["schema"]["fields"] == csv_resource["schema"]["fields"]
        schema = pq.read_schema(PUBLISHED / described["path"])
        assert [(f["name"], f["type"], f.get("constraints", {}).get("required", False))
                for f in described["schema"]["fields"]] == \
            [(f.name, table_schema_type(f.type), not f.nullable) for f in schema]


def test_datapackage_states_its_licence_and_its_sources_resolve():
    package = json.loads((PUBLISHED / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [{"name": "CC-BY-4.0",
                                    "path": "https://creativecommons.org/licenses/by/4.0/",
                                    "title": "Creative Commons Attribution 4.0 International"}]
    for source in package["sources"]:
        assert source["path"].startswith("https://")  # a standard path never leaves with ".."
        data = (PUBLISHED / source["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["sha256"]


def test_datapackage_an_html_pages_text_resolves_and_the_licence_is_an_option(tmp_path):
    from pipeline import cli

    out = tmp_path / "out"
    host = project_settings().host
    assert cli.main(["run", str(ROOT / "tests" / "data" / "iap-page.html"), "--out", str(out),
                     "-q", "--host-name", host.name, "--host-acronym", host.acronym,
                     "--licence", "CC0-1.0"]) == 0
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    [source] = package["sources"]
    assert source["text_file"].startswith("texts/") and "path" not in source  # no URL known
    text = (out / source["text_file"]).read_bytes()
    assert hashlib.sha256(text).hexdigest() == source["text_sha256"]
    assert (out / source["file"]).resolve() == (ROOT / "tests" / "data" / "iap-page.html")
    assert package["licenses"] == [{"name": "CC0-1.0"}]
    assert validate(out).valid
