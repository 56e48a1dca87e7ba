"""The files of a dataset version as values: bytes in, rows and objects out, or one error.

Reads: the bytes of one file of `extracted/` (a table's CSV or Parquet, `issues.jsonl`,
`metrics.json`, `datapackage.json`), with the name to report. Writes nothing.

Every way such a file can be unusable (not UTF-8, a cell of the wrong type, a row of the wrong
width, a truncated Parquet file, a JSON line that is not an object) is a `DatasetError` whose
one-line message names the file and, where there is one, the line. Legitimate data is read as
the pipeline wrote it: a BOM a spreadsheet added is dropped, a cell longer than the `csv`
module's default limit (131,072 characters; an entry with thousands of sentences has one) is
read whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from contextlib import contextmanager
from typing import Any, Iterator

from pipeline.dataset.formats import JSON_LISTS, csv_cell

# How much of an offending value an error message quotes.
QUOTE = 60


class DatasetError(Exception):
    """A dataset location that cannot be read (missing folder, unknown revision, missing table,
    a file that is not what the pipeline writes)."""


def quote(value: Any) -> str:
    """A value for a one-line message: repr, clipped."""
    text = repr(value)
    return text if len(text) <= QUOTE else text[: QUOTE - 1] + "…"


def bytes_to_text(data: bytes, name: str) -> str:
    """The UTF-8 text of a dataset file, a leading BOM dropped; any other byte sequence that is
    not UTF-8 is an error naming the line (the dataset is written in UTF-8 only)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DatasetError(f"{name} line {line}: byte 0x{data[err.start]:02x} is not UTF-8 "
                           "(the dataset is UTF-8; was the file saved in another encoding?)") from err


@contextmanager
def csv_field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read fields up to `limit` characters, then restore its limit (the
    setting is process-wide). No field is longer than the text it is read from."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def csv_text_to_rows(text: str, name: str) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    """The header and the rows (with the line each starts on) of a CSV text; a row whose width
    is not the header's, a repeated column or a malformed quote is an error naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    with csv_field_limit(len(text) + 1):
        try:
            header = next(reader, [])
            start = reader.line_num + 1
            for row in reader:
                if row and len(row) != len(header):
                    raise DatasetError(f"{name} line {start}: {len(row)} cells, the header has "
                                       f"{len(header)}")
                if row:
                    rows.append((start, row))
                start = reader.line_num + 1
        except csv.Error as err:
            raise DatasetError(f"{name} line {reader.line_num}: not CSV ({err})") from err
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise DatasetError(f"{name} line 1: column {repeated[0]} appears twice in the header")
    return tuple(header), rows


def parquet_bytes_to_rows(data: bytes, name: str) -> tuple[tuple[str, ...], list[dict]]:
    """The columns and rows of a Parquet file, values as Arrow gives them (integers stay
    integers, lists are lists, nulls are None); an unreadable file is an error naming it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # no thread of Arrow's pools: one left at exit can abort the process (apache/arrow
        # #34314, seen here as `partners diff` exiting -6). `read_table` reads through the
        # dataset layer, which starts an I/O pool thread even with use_threads=False, as does
        # `ParquetFile` over a file; over bytes in memory it starts none. The files are small.
        table = pq.ParquetFile(pa.BufferReader(data)).read(use_threads=False)
        return tuple(table.column_names), table.to_pylist()
    except (pa.ArrowException, OSError, ValueError) as err:
        reason = " ".join(str(err).split())[:200]
        raise DatasetError(f"{name}: not a readable Parquet file ({reason})") from err


def verify_parquet(csv_name: str, header: tuple[str, ...], rows: list[tuple[int, list[str]]],
                   pq_name: str, pq_columns: tuple[str, ...], pq_rows: list[dict],
                   lists: str = JSON_LISTS) -> None:
    """Raise unless the Parquet rows are what the CSV writer would have written them as: same
    columns, same rows in the same order, every cell `csv_cell` of the Parquet value (a null
    is an empty cell; older versions wrote '' in Parquet, which is one too)."""
    if set(pq_columns) != set(header):
        only_pq = sorted(set(pq_columns) - set(header))
        only_csv = sorted(set(header) - set(pq_columns))
        detail = "; ".join(p for p in (only_pq and f"only in Parquet: {', '.join(only_pq)}",
                                       only_csv and f"only in CSV: {', '.join(only_csv)}") if p)
        raise DatasetError(f"{pq_name} and {csv_name} have different columns ({detail})")
    if len(pq_rows) != len(rows):
        raise DatasetError(f"{pq_name} has {len(pq_rows)} rows, {csv_name} {len(rows)}: "
                           "the two are written together and must agree")
    for number, ((line, cells), record) in enumerate(zip(rows, pq_rows), start=1):
        for column, cell in zip(header, cells):
            if csv_cell(record[column], lists) != cell:
                raise DatasetError(
                    f"{pq_name} row {number} disagrees with {csv_name} line {line} in column "
                    f"{column}: {quote(record[column])} in Parquet, {quote(cell)} in CSV")


def jsonl_text_to_objects(text: str, name: str) -> list[dict]:
    """The objects of a JSON lines text; a line that is not JSON, or not an object, is an
    error naming the line. Blank lines are skipped."""
    objects = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except (ValueError, RecursionError) as err:
            raise DatasetError(f"{name} line {number}: not JSON ({err})") from err
        if not isinstance(data, dict):
            raise DatasetError(f"{name} line {number}: a JSON {type(data).__name__}, "
                               "not an object")
        objects.append(data)
    return objects


def json_text_to_object(text: str, name: str) -> dict:
    """The object a JSON file holds; anything else is an error naming the file."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise DatasetError(f"{name}: not JSON ({err})") from err
    if not isinstance(data, dict):
        raise DatasetError(f"{name}: a JSON {type(data).__name__}, not an object")
    return data
