"""The one codec for the JSON lines files between stages: each line a record with its kind.

`partners ingest`, `segment`, `extract` and `pdf` write these files (extracted/interim/), and the
next stage reads them back as the same records. The kinds are the record classes of
`pipeline.model`; a line of an unknown kind is an error naming the file and line.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import typing
from pathlib import Path
from typing import Any, Iterable, Iterator

from pipeline.io import plain, write_jsonl
from pipeline.model import (
    Accounting,
    Document,
    Entry,
    Extraction,
    Issue,
    PdfDocument,
)

KINDS: dict[str, type] = {"document": Document, "issue": Issue, "entry": Entry,
                          "accounting": Accounting, "extraction": Extraction,
                          "pdf_document": PdfDocument}
KIND_OF = {cls: kind for kind, cls in KINDS.items()}


class RecordError(Exception):
    """A line of an interim file that is not a record this pipeline writes."""


def tagged(record: Any) -> dict:
    """A record as a dict with its kind, for JSON lines."""
    return dict(plain(record), kind=KIND_OF[type(record)])


def untag(data: dict) -> Any:
    """The record a `tagged` dict stands for."""
    data = dict(data)
    kind = data.pop("kind", None)
    if kind not in KINDS:
        raise RecordError(f"unknown record kind {kind!r}")
    return from_dict(KINDS[kind], data)


# Every interim file opens with this line: a file of no records is one line, never empty (DVC
# warns about an empty output, and an empty file cannot be told from a truncated one).
HEADER = {"kind": "header", "format": "partners interim records", "version": 1}


def write_records(path: Path, records: Iterable[Any]) -> int:
    """Write the header and the records as JSON lines (atomically); return how many records."""
    def lines():
        yield HEADER
        yield from (tagged(r) for r in records)

    return write_jsonl(Path(path), lines()) - 1


def read_records(path: Path) -> Iterator[Any]:
    """The records of a JSON lines file written by `write_records`; anything else (a missing
    file, another file given by mistake) is a RecordError naming the file and line."""
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip() and not (n == 1 and _is_header(line, f"{path}:1")):
                    yield _record(line, f"{path}:{n}")
    except FileNotFoundError:
        raise RecordError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise RecordError(f"{path}: cannot read: {err}") from None


def _is_header(line: str, where: str) -> bool:
    """Whether a first line is the header (a file without one, from older versions, is read
    too); a header of another format or version is a RecordError."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return False  # _record names the problem
    if not isinstance(data, dict) or data.get("kind") != "header":
        return False
    if data != HEADER:
        raise RecordError(f"{where}: written by another version of partners ({line.strip()}); "
                          "run the stage again")
    return True


def _record(line: str, where: str) -> Any:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        raise RecordError(f"{where}: not a line of a partners interim file ({err.msg})") from None
    if not isinstance(data, dict):
        raise RecordError(f"{where}: not a line of a partners interim file (not an object)")
    try:
        return untag(data)
    except (RecordError, TypeError) as err:
        raise RecordError(f"{where}: {err}") from err


def new_record(cls: type, fields: dict[str, Any]) -> Any:
    """A frozen `cls` record of these fields, written to it at once rather than through its
    dataclass's __init__, which sets each through `object.__setattr__` (a fact: 2.7-2.9 against
    0.5-0.6 microseconds; `pipeline.model`'s FAST_INIT). Nothing checks the fields: give every
    one, as the callers' tests (against `cls(...)`) make sure. A dict, not keywords: packing
    keywords into a dict again cost 2.5% of a run of tiny entries."""
    record = object.__new__(cls)
    record.__dict__.update(fields)
    return record


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Rebuild a record from `to_dict` output: lists become tuples again, nested records
    (a document's links, an extraction's facts) records again, by the field's type."""
    hints = _hints(cls)
    return cls(**{f.name: _value(hints[f.name], data[f.name])
                  for f in dataclasses.fields(cls) if f.name in data})


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _value(tp: Any, value: Any) -> Any:
    if isinstance(value, dict) and dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    if isinstance(value, list):
        args = typing.get_args(tp) if typing.get_origin(tp) is tuple else ()
        return tuple(_value(args[0] if args else None, v) for v in value)
    return value
