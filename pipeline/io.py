"""The one place that knows file formats: JSON lines between stages, CSV and Parquet at export.

Writers stream (rows are appended as they come) and are atomic: each file is written beside its
destination under a temporary name and moved into place only when complete, so a killed run
leaves the previous file whole.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import sys
import tempfile
import typing
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from pipeline.model import columns, from_dict, to_dict

LIST_SEPARATOR = "|"
# Cells a spreadsheet would run as a formula; CSV gets a leading apostrophe, Parquet the truth.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputError(Exception):
    """An output path that cannot be written (read-only, full, not a folder)."""


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it into place only if the block succeeds."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a dataset is for reading
    except OSError as err:
        raise OutputError(f"cannot write to {path.parent}: {err.strerror or err}") from err
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except OSError as err:
        _unlink(tmp)
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def dumps(record: Any) -> str:
    """One JSON line for a record or plain dict; keys sorted so output is byte-stable."""
    data = to_dict(record) if dataclasses.is_dataclass(record) else record
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def write_jsonl(path: Path, records: Iterable[Any]) -> int:
    """Write records as JSON lines atomically; return how many were written."""
    n = 0
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(dumps(record) + "\n")
            n += 1
    return n


def read_jsonl(path: Path) -> Iterator[dict]:
    """Plain dicts from a JSON lines file."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def write_json(path: Path, data: Any) -> None:
    """A JSON document, pretty and byte-stable."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                       encoding="utf-8")


# --- tables -------------------------------------------------------------------------------


def is_list(tp: Any) -> bool:
    return typing.get_origin(tp) is tuple


def csv_cell(value: Any) -> str:
    """A value as a safe CSV cell: lists joined, None empty, formula starts neutralised."""
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    text = str(value)
    if text.lstrip("'").startswith(FORMULA_START):
        return "'" + text  # also "'=x", so that reading back drops exactly one apostrophe
    return text


def csv_line(cells: list[str]) -> str:
    """One CSV row ending in LF. Written with a CRLF terminator so that the csv module quotes
    every cell holding a CR or LF (with LF alone it leaves a bare CR unquoted)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(cells)
    return buf.getvalue()[:-2] + "\n"


def csv_to_value(cell: str, tp: Any) -> Any:
    """Invert `csv_cell` for a column of type `tp`."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START):
        cell = cell[1:]
    if is_list(tp):
        return tuple(cell.split(LIST_SEPARATOR)) if cell else ()
    if tp in (int, Optional[int]):
        return int(cell) if cell != "" else None
    return cell


def arrow_schema(cls: type):
    """The Parquet schema of a table class, derived from its annotations."""
    import pyarrow as pa

    hints = typing.get_type_hints(cls)
    fields = []
    for f in columns(cls):
        tp = hints[f.name]
        if is_list(tp):
            arrow_type, nullable = pa.list_(pa.string()), False
        elif tp is int:
            arrow_type, nullable = pa.int64(), False
        elif tp == Optional[int]:
            arrow_type, nullable = pa.int64(), True
        else:
            arrow_type, nullable = pa.string(), False
        fields.append(pa.field(f.name, arrow_type, nullable=nullable,
                               metadata={"description": f.metadata.get("description", "")}))
    return pa.schema(fields)


class TableWriter:
    """Append records of one table class to a CSV and a Parquet file, atomically."""

    BATCH = 2048

    def __init__(self, cls: type, csv_path: Path, parquet_path: Path):
        self.cls, self.csv_path, self.parquet_path = cls, Path(csv_path), Path(parquet_path)
        self.names = [f.name for f in columns(cls)]
        self.count = 0

    def __enter__(self) -> "TableWriter":
        import pyarrow.parquet as pq

        self._stack = [atomic_path(self.csv_path), atomic_path(self.parquet_path)]
        self._csv_tmp = self._stack[0].__enter__()
        try:
            self._pq_tmp = self._stack[1].__enter__()
        except BaseException:
            self._stack[0].__exit__(*_exc_info())
            raise
        self._csv = open(self._csv_tmp, "w", encoding="utf-8", newline="")
        self._csv.write(csv_line(self.names))
        self._schema = arrow_schema(self.cls)
        self._pq = pq.ParquetWriter(self._pq_tmp, self._schema, compression="zstd")
        self._batch: list[Any] = []
        return self

    def write(self, record: Any) -> None:
        self._csv.write(csv_line([csv_cell(getattr(record, n)) for n in self.names]))
        self._batch.append(record)
        self.count += 1
        if len(self._batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._pq.write_table(records_to_table(self._batch, self._schema))
        elif self.count == 0:
            self._pq.write_table(self._schema.empty_table())
        self._batch = []

    def __exit__(self, *exc: Any) -> None:
        try:
            if exc[0] is None:
                self._flush()
        finally:
            self._pq.close()
            self._csv.close()
            # parquet first: the CSV (what reviewers read) moves last
            self._stack[1].__exit__(*exc)
            self._stack[0].__exit__(*exc)


def records_to_table(records: list[Any], schema: Any) -> Any:
    """Records as an Arrow table, through Arrow's JSON reader. Converting Python lists with
    `pa.array` would make pyarrow import pandas (~0.4 s, more than a small run) only to ask
    whether a list is a DataFrame; the JSON reader never asks, and it knows nulls and lists."""
    import pyarrow.json as pj

    data = "".join(dumps(r) + "\n" for r in records).encode("utf-8")
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    return pj.read_json(io.BytesIO(data), parse_options=options).cast(schema)


def _exc_info():
    import sys

    return sys.exc_info()


def read_table_csv(cls: type, path: Path) -> list[Any]:
    """Rows of a dataset CSV as records of `cls`."""
    hints = typing.get_type_hints(cls)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return [cls(**{k: csv_to_value(v, hints[k]) for k, v in row.items()}) for row in reader]


def read_table_parquet(cls: type, path: Path) -> list[Any]:
    """Rows of a dataset Parquet file as records of `cls`."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    rows = table.to_pylist()
    return [cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})
            for row in rows]
