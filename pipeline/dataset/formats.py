"""The dataset's file formats: CSV and Parquet side by side, both derived from `pipeline.model`.

Writers stream (rows are appended as they come) and are atomic (`pipeline.io.atomic_path`).
One meaning for every cell, in both files (README, "Cells: missing values, lists, integers"):
- missing is an empty CSV cell and a null in Parquet, in every column (a text column's '' in
  the records; an integer column's None);
- a list is a JSON array of strings in CSV (`["AIDP","IAPL"]`, `[]`: Frictionless' `array`
  type, lossless whatever an element holds) and a list in Parquet; a list is never missing;
- integers are digits in CSV and int64 in Parquet, which pandas reads as `Int64` where a column
  may be empty (the Parquet file carries pandas' metadata for those columns);
- a CSV text cell a spreadsheet would run gets a leading "'"; Parquet keeps the true value.
Versions published before this encoding joined lists with '|' in CSV (their datapackage.json
says `listSeparator: "|"`); `csv_cell` and `csv_to_value` still write and read that form
(`lists=PIPE_LISTS`) so that `partners diff` can compare against them.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import sys
import typing
from pathlib import Path
from typing import Any, Optional, Sequence

from pipeline.dataset.arrow_columns import columns_to_tables, record_values
from pipeline.io import atomic_path, json_encoder
from pipeline.model import columns

JSON_LISTS, PIPE_LISTS = "json", "pipe"  # how a CSV cell holds a list: now, and before
LIST_SEPARATOR = "|"  # of PIPE_LISTS (read only: an element holding it could not be told apart)
# Cells a spreadsheet would run as a formula; CSV gets a leading apostrophe, Parquet the truth.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_LEADS = frozenset(FORMULA_START) | {"'"}  # first characters csv_cell must look past


def is_list(tp: Any) -> bool:
    return typing.get_origin(tp) is tuple


def is_required(column: Any) -> bool:
    """True for a key column (`col(..., key=...)`): never missing, in CSV or Parquet."""
    return bool(column.metadata.get("key"))


def may_be_missing(column: Any, tp: Any) -> bool:
    """Whether a column's cell may be empty in CSV (null in Parquet): the one rule the Parquet
    schema, the data package and the data card state. Text may, but in key columns; integers
    where the model says Optional[int]; a list never (none is an empty list)."""
    if is_list(tp) or tp is int:
        return False
    return tp == Optional[int] or not is_required(column)


_LIST_JSON = json_encoder(separators=(",", ":"))


def csv_cell(value: Any, lists: str = JSON_LISTS) -> str:
    """A value as a safe CSV cell: lists as JSON arrays, None empty, formula starts
    neutralised."""
    if type(value) is str and value[:1] not in FORMULA_LEADS:
        return value   # most cells: text that cannot start a formula, as it is
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        if lists == JSON_LISTS:  # starts with "[": never a formula
            return _LIST_JSON(list(value))
        value = LIST_SEPARATOR.join(str(v) for v in value)
    text = str(value)
    if text.lstrip("'").startswith(FORMULA_START):
        return "'" + text  # also "'=x", so that reading back drops exactly one apostrophe
    return text


# One buffer and writer for every row (the writers run in one thread).
_ROW = io.StringIO()
_ROW_WRITER = csv.writer(_ROW, lineterminator="\r\n")


# What makes the csv module quote a cell: the delimiter, the quote, a line break.
NEEDS_QUOTES = (",", '"', "\n", "\r")


def needs_quotes(text: str) -> bool:
    """Whether the csv module would quote a cell holding this text (one that is not the only
    cell of its row)."""
    return any(q in text for q in NEEDS_QUOTES)


def csv_line(cells: list[str]) -> str:
    """One CSV row ending in LF. Written with a CRLF terminator so that the csv module quotes
    every cell holding a CR or LF (with LF alone it leaves a bare CR unquoted)."""
    _ROW.seek(0)
    _ROW.truncate()
    _ROW_WRITER.writerow(cells)
    return _ROW.getvalue()[:-2] + "\n"


_FIRST = operator.itemgetter(slice(0, 1))


def csv_column(values: tuple) -> Sequence[str]:
    """`csv_cell` of each value of one column, read a column at a time: text none of which can
    start a formula is its own cells, and counts and offsets their digits, each found in C
    loops over the column (50,000 rows of CSV and Parquet: 0.386 against 0.425 s, cell by
    cell); any other column cell by cell."""
    kinds = set(map(type, values))
    if kinds == {str} and FORMULA_LEADS.isdisjoint(map(_FIRST, values)):
        return values
    if kinds == {int} and min(values) >= 0:
        return list(map(str, values))
    if kinds == {type(None)}:   # a column no row fills (a fact's page, but in PDFs)
        return [""] * len(values)
    return [csv_cell(v) for v in values]


def csv_to_value(cell: str, tp: Any, lists: str = JSON_LISTS) -> Any:
    """Invert `csv_cell` for a column of type `tp`; a cell that is not of the type raises
    ValueError."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START):
        cell = cell[1:]
    if is_list(tp):
        if lists == PIPE_LISTS:
            return tuple(cell.split(LIST_SEPARATOR)) if cell else ()
        return json_to_list(cell)
    if tp in (int, Optional[int]):
        return int(cell) if cell != "" else None
    return cell


def json_to_list(cell: str) -> tuple[str, ...]:
    """A list cell: a JSON array of strings (an empty cell, as a spreadsheet may leave it: ())."""
    if cell == "":
        return ()
    items = json.loads(cell)  # json.JSONDecodeError is a ValueError
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError("not a JSON array of strings")
    return tuple(items)


def arrow_schema(cls: type):
    """The Parquet schema of a table class, derived from its annotations: text nullable except
    in key columns, lists never null, integers nullable where the model says Optional[int]."""
    import pyarrow as pa

    hints = typing.get_type_hints(cls)
    fields = []
    for f in columns(cls):
        tp = hints[f.name]
        if is_list(tp):
            arrow_type = pa.list_(pa.string())
        elif tp in (int, Optional[int]):
            arrow_type = pa.int64()
        else:
            arrow_type = pa.string()
        fields.append(pa.field(f.name, arrow_type, nullable=may_be_missing(f, tp),
                               metadata={"description": f.metadata.get("description", "")}))
    return pa.schema(fields, metadata={"pandas": pandas_metadata(cls)})


def pandas_metadata(cls: type) -> str:
    """pandas' Parquet metadata (pandas docs, "Storing pandas DataFrame objects in Apache
    Parquet format") naming the nullable integer columns `Int64`: pandas then reads them as
    integers with <NA>, not as floats. Written by hand: writing through pandas would make it a
    runtime dependency. Other readers (pyarrow, Polars, DuckDB) read the int64 type itself."""
    hints = typing.get_type_hints(cls)
    ints = [{"name": f.name, "field_name": f.name, "pandas_type": "int64", "numpy_type": "Int64",
             "metadata": None} for f in columns(cls) if hints[f.name] == Optional[int]]
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": ints},
                      sort_keys=True)


class TableWriter:
    """Append records of one table class to a CSV and a Parquet file, atomically."""

    BATCH = 2048

    def __init__(self, cls: type, csv_path: Path, parquet_path: Path):
        self.cls, self.csv_path, self.parquet_path = cls, Path(csv_path), Path(parquet_path)
        self.names = [f.name for f in columns(cls)]
        self._values = record_values(self.names)
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
        self._batch: list[tuple] = []    # the values of the records not written yet
        return self

    def write(self, record: Any) -> None:
        self._batch.append(self._values(record))
        self.count += 1
        if len(self._batch) >= self.BATCH:
            self._flush()

    def _write_rows(self, cells: list) -> None:
        """The batch's rows, from its columns' cells, in one write, byte for byte what the csv
        module writes (QUOTE_MINIMAL): a cell holding a comma, a quote or a line break (CR or
        LF) in quotes, its quotes doubled; a one-column row's empty cell as `""`. Joined here,
        not by `writerows`, because the module reads every character of every cell twice and
        looks each up in the line terminator: 45,000 instructions a fact row, 8% of a run of
        tiny entries net of start-up. The columns are searched for the characters that need
        quotes in C (`str.__contains__`), and only the cells of a column holding one are read
        one by one (an organisation's lists, JSON arrays, are quoted in every row)."""
        rows = list(zip(*cells))
        lines = list(map(",".join, rows))
        quote_at: dict = {}   # row -> the columns of its cells to quote
        for k, column in enumerate(cells):
            if needs_quotes("\0".join(column)):
                for i, v in enumerate(column):
                    if needs_quotes(v):
                        quote_at.setdefault(i, []).append(k)
        if len(cells) == 1:
            for i, v in enumerate(cells[0]):
                if v == "":
                    quote_at[i] = [0]
        for i, at in quote_at.items():
            row = list(rows[i])
            for k in at:
                row[k] = '"' + row[k].replace('"', '""') + '"'
            lines[i] = ",".join(row)
        if lines:
            self._csv.write("\n".join(lines) + "\n")

    def _flush(self) -> None:
        import pyarrow as pa

        if self._batch:
            columns = list(zip(*self._batch))
            self._write_rows([csv_column(c) for c in columns])
            for table in columns_to_tables(columns, self._schema):
                self._pq.write_table(table)
        elif self.count == 0:
            # (not `Schema.empty_table`, which imports pandas for the schema's pandas metadata:
            # 0.25 s of a run whose agreements table is empty)
            self._pq.write_table(pa.Table.from_batches([], schema=self._schema))
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


def _exc_info():

    return sys.exc_info()


def read_table_csv(cls: type, path: Path) -> list[Any]:
    """Rows of a dataset CSV as records of `cls`."""
    hints = typing.get_type_hints(cls)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return [cls(**{k: csv_to_value(v, hints[k]) for k, v in row.items()}) for row in reader]


def read_table_parquet(cls: type, path: Path) -> list[Any]:
    """Rows of a dataset Parquet file as records of `cls` (a null text is '', as in CSV)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    hints = typing.get_type_hints(cls)
    text = {name for name, tp in hints.items() if tp is str}
    # no thread of Arrow's pools (see `versions.version_files.parquet_bytes_to_rows`)
    rows = pq.ParquetFile(pa.BufferReader(path.read_bytes())).read(use_threads=False).to_pylist()
    return [cls(**{k: tuple(v) if isinstance(v, list) else "" if v is None and k in text else v
                   for k, v in row.items()}) for row in rows]
