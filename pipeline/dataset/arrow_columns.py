"""Records as an Arrow table, built column by column from Arrow buffers.

Written by hand, not with `pa.array` / `pa.Table.from_pylist`: converting Python lists there
makes pyarrow import pandas (about 0.4 s, more than a small run takes) only to ask whether a
list is a DataFrame. `Array.from_buffers` asks nothing: a string column is its UTF-8 bytes and
their offsets, a list column its elements' offsets over a string column, an integer column its
int64 values, each with a validity bitmap where the schema lets it hold nulls. (Before, the
records went through Arrow's JSON reader: a JSON line made and parsed per record, which cost
more than writing the CSV.)

Reads: records of one table class (`pipeline.model`) and their Arrow schema
(`formats.arrow_schema`). Writes: nothing; returns tables.
"""
from __future__ import annotations

import operator
from array import array
from itertools import accumulate, chain
from typing import Any, Iterator


def record_values(names: list[str]):
    """A function giving a record's values of these fields as a tuple (`attrgetter` gives a
    bare value for one name)."""
    get = operator.attrgetter(*names)
    return get if len(names) > 1 else lambda record: (get(record),)


def records_to_tables(records: list[Any], schema: Any) -> Iterator[Any]:
    """The records as Arrow tables of `schema`, in order: one, or more when a string column's
    bytes would pass what int32 offsets reach. An empty text is null in a nullable text
    column, as the CSV's empty cell is."""
    values = record_values(schema.names)
    yield from columns_to_tables(list(zip(*map(values, records))), schema)


def columns_to_tables(columns: list[tuple], schema: Any) -> Iterator[Any]:
    """`records_to_tables` for records already read column by column, in the schema's order
    (the CSV writer reads them so, and hands them on)."""
    import pyarrow as pa

    if not columns or not columns[0]:
        return
    try:
        arrays = [column(values, field) for values, field in zip(columns, schema)]
    except OverflowError:
        n = len(columns[0])
        if n == 1:
            raise
        half = n // 2
        yield from columns_to_tables([c[:half] for c in columns], schema)
        yield from columns_to_tables([c[half:] for c in columns], schema)
        return
    yield pa.Table.from_arrays(arrays, schema=schema)


def column(values: tuple, field: Any) -> Any:
    """One column's Arrow array (strings, lists of strings or int64, as the field's type)."""
    import pyarrow as pa

    n = len(values)
    if pa.types.is_list(field.type):
        offsets = offsets_of(map(len, values))
        items = strings(list(chain.from_iterable(values)), None)
        return pa.ListArray.from_arrays(pa.Array.from_buffers(pa.int32(), n + 1, [None, offsets]),
                                        items)
    if pa.types.is_integer(field.type):
        nulls = field.nullable and None in values   # (a C scan; most columns have none)
        valid = [v is not None for v in values] if nulls else None
        data = array("q", [v if v is not None else 0 for v in values] if nulls else values)
        return pa.Array.from_buffers(pa.int64(), n, [bitmap(valid), pa.py_buffer(data)])
    valid = [v != "" for v in values] if field.nullable and "" in values else None
    return strings(values, valid)


def strings(values: Any, valid: Any) -> Any:
    """A string array of these texts (`valid`: which are not null, or None: all are)."""
    import pyarrow as pa

    text = "".join(values)
    if text.isascii():   # a character is a byte: the lengths are the texts' own
        offsets, data = offsets_of(map(len, values)), text.encode("ascii")
    else:
        encoded = [v.encode("utf-8") for v in values]
        offsets, data = offsets_of(map(len, encoded)), b"".join(encoded)
    return pa.Array.from_buffers(pa.string(), len(values),
                                 [bitmap(valid), offsets, pa.py_buffer(data)])


def offsets_of(lengths: Any) -> Any:
    """int32 offsets (from 0) of items of these lengths, as an Arrow buffer; OverflowError
    past what int32 holds (2 GiB of text in one column of one table)."""
    import pyarrow as pa

    offsets = array("i", [0])
    offsets.extend(accumulate(lengths))   # array("i") raises OverflowError past int32
    return pa.py_buffer(offsets)


def bitmap(valid: Any) -> Any:
    """Arrow's validity bitmap (one bit per item, least significant first); None when every
    item is valid."""
    if valid is None or all(valid):
        return None
    import numpy  # (not at import: the commands that only read CSV never load it)
    import pyarrow as pa

    return pa.py_buffer(numpy.packbits(numpy.array(valid, dtype=bool), bitorder="little"))
