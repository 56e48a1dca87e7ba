"""The dataset's file formats: CSV and Parquet side by side, both derived from `pipeline.model`.

Writers stream (rows are appended as they come) and are atomic (`pipeline.io.atomic_path`).
CSV: UTF-8, LF, lists joined with '|', a cell a spreadsheet would run gets a leading "'".
Parquet: the true values, lists as lists, nullable integers as nulls.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import typing
from pathlib import Path
from typing import Any, Optional

from pipeline.io import atomic_path
from pipeline.model import columns

LIST_SEPARATOR = "|"
# Cells a spreadsheet would run as a formula; CSV gets a leading apostrophe, Parquet the truth.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


# One buffer and writer for every row (the writers run in one thread).
_ROW = io.StringIO()
_ROW_WRITER = csv.writer(_ROW, lineterminator="\r\n")


def csv_line(cells: list[str]) -> str:
    """One CSV row ending in LF. Written with a CRLF terminator so that the csv module quotes
    every cell holding a CR or LF (with LF alone it leaves a bare CR unquoted)."""
    _ROW.seek(0)
    _ROW.truncate()
    _ROW_WRITER.writerow(cells)
    return _ROW.getvalue()[:-2] + "\n"


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

    # the table records are flat (strings, numbers, tuples of strings): their fields as they are
    data = "".join(json.dumps(vars(r), ensure_ascii=False) + "\n" for r in records)
    data = data.encode("utf-8")
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    return pj.read_json(io.BytesIO(data), parse_options=options).cast(schema)


def _exc_info():

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
