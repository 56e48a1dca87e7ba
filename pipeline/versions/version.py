"""A dataset version as one value: the tables of `extracted/`, read from a folder or from git.

Reads: `organisations.csv`, `facts.csv`, `agreements.csv` (and `issues.jsonl` when present) from
a dataset folder, or the same files at a git revision (`git show REV:./extracted/facts.csv`, no
checkout). Writes nothing.

The CSVs are what git tracks (the Parquet files may live in the DVC cache), so both kinds of
location are read through the CSV. Reading is tolerant of schema drift: the header found is kept
in `Dataset.columns` (so the diff can report added and removed columns) and a column the current
model does not know is ignored, a column it misses gets the field's empty value.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from pipeline.dataset.formats import csv_to_value
from pipeline.model import TABLES, Agreement, Fact, Issue, Organisation

ISSUES_FILE = "issues.jsonl"
REQUIRED_TABLES = ("organisations", "facts")


class DatasetError(Exception):
    """A dataset location that cannot be read (missing folder, unknown revision, missing table)."""


@dataclass(frozen=True)
class Dataset:
    """One version of the dataset: its rows, and the columns each table had on disk."""

    label: str
    organisations: tuple[Organisation, ...] = ()
    facts: tuple[Fact, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    issues: tuple[Issue, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    folder: Optional[Path] = None  # set when read from a folder (the review page reads sources)

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


def rows_to_records(cls: type, header: list[str], rows: list[list[str]]) -> list[Any]:
    """CSV rows as records of `cls`, ignoring unknown columns and filling missing ones."""
    hints = typing.get_type_hints(cls)
    missing = {f.name: (f.default if f.default is not dataclasses.MISSING else empty_value(hints[f.name]))
               for f in dataclasses.fields(cls) if f.name not in header}
    records = []
    for row in rows:
        kwargs = {k: csv_to_value(v, hints[k]) for k, v in zip(header, row) if k in hints}
        records.append(cls(**missing, **kwargs))
    return records


def csv_text_to_table(cls: type, text: str) -> tuple[tuple[str, ...], list[Any]]:
    """The header and records of one table's CSV text."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    return tuple(header), rows_to_records(cls, header, [r for r in reader if r])


def issues_from_jsonl(text: str) -> list[Issue]:
    """Issues from JSON lines, tolerant of extra or missing keys."""
    names = [f.name for f in dataclasses.fields(Issue)]
    issues = []
    for line in text.splitlines():
        if line.strip():
            data = json.loads(line)
            issues.append(Issue(**{n: str(data.get(n, "")) for n in names}))
    return issues


def build_dataset(label: str, read: Callable[[str], Optional[str]],
                  folder: Optional[Path] = None) -> Dataset:
    """Assemble a dataset from a function returning a file's text (None when absent)."""
    tables: dict[str, list[Any]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    for name, cls in TABLES.items():
        text = read(f"{name}.csv")
        if text is None and name in REQUIRED_TABLES:
            raise DatasetError(f"{label}: no {name}.csv")
        if text is None:  # a table this version did not have yet: the diff reports the schema
            columns[name], tables[name] = (), []
            continue
        try:
            columns[name], tables[name] = csv_text_to_table(cls, text)
        except (ValueError, TypeError) as err:  # a cell that is not of its column's type
            raise DatasetError(f"{label}: {name}.csv is not a dataset table: {err}") from err
    try:
        issues = issues_from_jsonl(read(ISSUES_FILE) or "")
    except ValueError as err:
        raise DatasetError(f"{label}: {ISSUES_FILE}: {err}") from err
    return Dataset(label=label, organisations=tuple(tables["organisations"]),
                   facts=tuple(tables["facts"]), agreements=tuple(tables["agreements"]),
                   issues=tuple(issues), columns=columns,
                   folder=folder)


def load_folder(folder: Path) -> Dataset:
    """The dataset in a folder."""
    folder = Path(folder)

    def read(name: str) -> Optional[str]:
        path = folder / name
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return build_dataset(str(folder), read, folder=folder)


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          encoding="utf-8")


def load_revision(rev: str, subdir: str = "extracted", repo: Path = Path(".")) -> Dataset:
    """The dataset folder `subdir` as committed at git revision `rev` (read with `git show`)."""
    check = git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if check.returncode != 0:
        raise DatasetError(f"{rev}: neither a dataset folder nor a git revision")

    def read(name: str) -> Optional[str]:
        shown = git(repo, "show", f"{rev}:./{subdir}/{name}")
        return shown.stdout if shown.returncode == 0 else None

    return build_dataset(f"{rev}:{subdir}", read)


def load_dataset(spec: str, subdir: str = "extracted", repo: Path = Path(".")) -> Dataset:
    """A dataset from a folder, or else from a git revision of `subdir`."""
    if Path(spec).is_dir():
        return load_folder(Path(spec))
    return load_revision(spec, subdir, repo)
