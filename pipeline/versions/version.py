"""A dataset version as one value: the files of `extracted/`, read from a folder or from git.

Reads: each table's CSV and Parquet (`organisations`, `facts`, `agreements`), `issues.jsonl`,
`metrics.json` and the `sources` of `datapackage.json`, from a dataset folder or the same files
at a git revision (`git show REV:./extracted/facts.csv`, no checkout). Writes nothing.

Both files of a table are read and must agree (`version_files.verify_parquet`): a Parquet file
that is missing, truncated or says something else than its CSV is an error naming it, never
skipped. The records are built from the CSV, whose cells every version wrote the same way.
Reading is tolerant of schema drift: the header found is kept in `Dataset.columns` (so the diff
can report added and removed columns), a column the current model does not know is ignored, a
column it misses gets the field's empty value. `issues.jsonl`, `metrics.json` and
`datapackage.json` may be absent (an old version); `Dataset.missing` names those, so that the
diff does not compare what one version lacks.
"""

from __future__ import annotations

import dataclasses
import subprocess
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from pipeline.dataset.formats import JSON_LISTS, PIPE_LISTS, csv_to_value
from pipeline.model import TABLES, Agreement, Fact, Issue, Organisation
from pipeline.versions.version_files import (
    DatasetError,
    bytes_to_text,
    csv_text_to_rows,
    json_text_to_object,
    jsonl_text_to_objects,
    parquet_bytes_to_rows,
    quote,
    verify_parquet,
)

__all__ = ["Dataset", "DatasetError", "SourceFile", "load_dataset", "load_folder", "load_revision"]

ISSUES_FILE, METRICS_FILE, DATAPACKAGE_FILE = "issues.jsonl", "metrics.json", "datapackage.json"
REQUIRED_TABLES = ("organisations", "facts")

Reader = Callable[[str], Optional[bytes]]  # a file's bytes by name, None when absent


@dataclass(frozen=True)
class SourceFile:
    """One input of the run, as `datapackage.json` lists it: the raw file and, for HTML, the
    text the offsets index (under the dataset's `texts/`)."""

    path: str
    sha256: str
    text_file: str = ""
    text_sha256: str = ""


@dataclass(frozen=True)
class Dataset:
    """One version of the dataset: its rows, the columns each table had on disk, its issues,
    metrics and listed sources."""

    label: str
    organisations: tuple[Organisation, ...] = ()
    facts: tuple[Fact, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    issues: tuple[Issue, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    folder: Optional[Path] = None  # set when read from a folder (the review page reads sources)
    metrics: dict = field(default_factory=dict)
    sources: tuple[SourceFile, ...] = ()
    missing: tuple[str, ...] = ()  # optional files this version does not have

    def facts_of(self, org_id: str) -> list[Fact]:
        """The facts of one organisation, in source order."""
        return sorted((f for f in self.facts if f.org_id == org_id),
                      key=lambda f: (f.char_start, f.char_end, f.field))


def empty_value(tp: Any) -> Any:
    """The value a missing column gets: () for lists, None for optional ints, 0, else ''."""
    if typing.get_origin(tp) is tuple:
        return ()
    if tp == Optional[int]:
        return None
    return 0 if tp is int else ""


def rows_to_records(cls: type, header: tuple[str, ...], rows: list[tuple[int, list[str]]],
                    name: str, lists: str = JSON_LISTS) -> list[Any]:
    """CSV rows as records of `cls`, ignoring unknown columns and filling missing ones; a cell
    that is not of its column's type is an error naming the line and column."""
    hints = typing.get_type_hints(cls)
    missing = {f.name: (f.default if f.default is not dataclasses.MISSING else empty_value(hints[f.name]))
               for f in dataclasses.fields(cls) if f.name not in header}
    records = []
    for line, row in rows:
        kwargs = {}
        for column, cell in zip(header, row):
            if column in hints:
                try:
                    kwargs[column] = csv_to_value(cell, hints[column], lists)
                except (ValueError, TypeError) as err:
                    raise DatasetError(f"{name} line {line}, column {column}: {quote(cell)} is "
                                       f"not a value of this column ({err})") from err
        records.append(cls(**missing, **kwargs))
    return records


def read_table(label: str, table: str, read: Reader, lists: str = JSON_LISTS
               ) -> Optional[tuple[tuple[str, ...], list[Any]]]:
    """The header and records of one table, its CSV checked against its Parquet file; None when
    the version has neither file. `lists`: how the version's CSV holds lists."""
    csv_name, pq_name = f"{label}/{table}.csv", f"{label}/{table}.parquet"
    csv_data, pq_data = read(f"{table}.csv"), read(f"{table}.parquet")
    if csv_data is None and pq_data is None:
        return None
    for data, name, other in ((csv_data, csv_name, pq_name), (pq_data, pq_name, csv_name)):
        if data is None:
            raise DatasetError(f"{name} is missing, though {other} is there "
                               "(the two are written together)")
    header, rows = csv_text_to_rows(bytes_to_text(csv_data, csv_name), csv_name)
    records = rows_to_records(TABLES[table], header, rows, csv_name, lists)
    verify_parquet(csv_name, header, rows, pq_name, *parquet_bytes_to_rows(pq_data, pq_name),
                   lists=lists)
    return header, records


def objects_to_issues(objects: list[dict]) -> list[Issue]:
    """Issues from JSON objects, tolerant of extra or missing keys."""
    names = [f.name for f in dataclasses.fields(Issue)]
    return [Issue(**{n: str(data.get(n, "")) for n in names}) for data in objects]


def text_of(read: Reader, label: str, name: str) -> Optional[str]:
    data = read(name)
    return None if data is None else bytes_to_text(data, f"{label}/{name}")


def list_form(package: dict) -> str:
    """How a version's CSV holds lists: joined with '|' in the versions written before lists
    became JSON arrays (their datapackage.json's CSV dialects say `listSeparator: "|"`), a
    JSON array otherwise (also when datapackage.json is missing: every published version has
    one)."""
    listed = package.get("resources")
    for resource in listed if isinstance(listed, list) else ():
        dialect = resource.get("dialect") if isinstance(resource, dict) else None
        if isinstance(dialect, dict) and dialect.get("listSeparator") == "|":
            return PIPE_LISTS
    return JSON_LISTS


def datapackage_to_sources(package: dict, name: str) -> tuple[SourceFile, ...]:
    """The `sources` a data package lists; an entry that is not an object of strings with a
    path is an error naming it. The input's file is `file` (relative to the descriptor); in
    versions written before, `path` was the file (relative to the project root)."""
    listed = package.get("sources", [])
    if not isinstance(listed, list):
        raise DatasetError(f"{name}: sources is not a list")
    sources = []
    keys = [f.name for f in dataclasses.fields(SourceFile)]
    for i, item in enumerate(listed):
        path = item.get("file", item.get("path")) if isinstance(item, dict) else None
        if not isinstance(path, str) or \
                any(not isinstance(item.get(k, ""), str) for k in keys + ["file"]):
            raise DatasetError(f"{name}: sources[{i}] is not an object of strings with a path")
        sources.append(SourceFile(**{**{k: item.get(k, "") for k in keys}, "path": path}))
    return tuple(sources)


def build_dataset(label: str, read: Reader, folder: Optional[Path] = None) -> Dataset:
    """Assemble a dataset from a function returning a file's bytes (None when absent)."""
    issues_text = text_of(read, label, ISSUES_FILE)
    metrics_text = text_of(read, label, METRICS_FILE)
    package_text = text_of(read, label, DATAPACKAGE_FILE)
    package = json_text_to_object(package_text, f"{label}/{DATAPACKAGE_FILE}") if package_text is not None else {}
    tables: dict[str, list[Any]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    for name in TABLES:
        table = read_table(label, name, read, list_form(package))
        if table is None and name in REQUIRED_TABLES:
            raise DatasetError(f"{label}: no {name}.csv")
        # a table this version did not have yet: the diff reports the schema change
        columns[name], tables[name] = table or ((), [])
    issues = jsonl_text_to_objects(issues_text or "", f"{label}/{ISSUES_FILE}")
    metrics = json_text_to_object(metrics_text, f"{label}/{METRICS_FILE}") if metrics_text is not None else {}
    missing = tuple(n for n, t in ((ISSUES_FILE, issues_text), (METRICS_FILE, metrics_text),
                                   (DATAPACKAGE_FILE, package_text)) if t is None)
    return Dataset(label=label, organisations=tuple(tables["organisations"]),
                   facts=tuple(tables["facts"]), agreements=tuple(tables["agreements"]),
                   issues=tuple(objects_to_issues(issues)), columns=columns, folder=folder,
                   metrics=metrics,
                   sources=datapackage_to_sources(package, f"{label}/{DATAPACKAGE_FILE}"),
                   missing=missing)


def load_folder(folder: Path) -> Dataset:
    """The dataset in a folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such dataset folder")

    def read(name: str) -> Optional[bytes]:
        path = folder / name
        return path.read_bytes() if path.is_file() else None

    return build_dataset(str(folder), read, folder=folder)


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """Run git; its output as bytes (a dataset file is decoded, and checked, by its reader)."""
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True)
    except FileNotFoundError as err:
        raise DatasetError("git is not installed: a revision cannot be read") from err


def load_revision(rev: str, subdir: str = "extracted", repo: Path = Path(".")) -> Dataset:
    """The dataset folder `subdir` as committed at git revision `rev` (read with `git show`)."""
    check = git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if check.returncode != 0:
        raise DatasetError(f"{rev}: neither a dataset folder nor a git revision")

    def read(name: str) -> Optional[bytes]:
        shown = git(repo, "show", f"{rev}:./{subdir}/{name}")
        return shown.stdout if shown.returncode == 0 else None

    return build_dataset(f"{rev}:{subdir}", read)


def load_dataset(spec: str, subdir: str = "extracted", repo: Path = Path(".")) -> Dataset:
    """A dataset from a folder, or else from a git revision of `subdir`."""
    if Path(spec).is_dir():
        return load_folder(Path(spec))
    return load_revision(spec, subdir, repo)
