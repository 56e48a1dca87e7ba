"""Reading a dataset version: both files of every table, legitimate data read as written,
anything else one error naming the file and line."""

from __future__ import annotations

import codecs
import csv
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dataset_versions import (
    V2,
    build,
    edit_table,
    versions,  # noqa: F401 (fixtures)
    write,
)

from pipeline.versions.diff import diff_datasets
from pipeline.versions.version import DatasetError, load_dataset
from pipeline.versions.version_files import (
    bytes_to_text,
    csv_text_to_rows,
    jsonl_text_to_objects,
    parquet_bytes_to_rows,
)

LONG = 200_000  # longer than the csv module's default field limit (131,072)


def test_version_files_bom_is_dropped_and_other_bytes_are_an_error_naming_the_line():
    assert bytes_to_text(codecs.BOM_UTF8 + b"a,b\n", "x.csv") == "a,b\n"
    with pytest.raises(DatasetError, match=r"^x.csv line 3: byte 0xe9 is not UTF-8"):
        bytes_to_text("a,b\n1,2\nRen\u00e9,3\n".encode("latin-1"), "x.csv")


@pytest.mark.parametrize("text, message", [
    ("a,b\n1,2,3\n", "x.csv line 2: 3 cells, the header has 2"),
    ('a,b\n1,"2\n3,4\n', "x.csv line 3: not CSV"),  # a quote left open to the end
    ('a,b\n1,"2"x\n', "x.csv line 2: not CSV"),
    ("a,a\n1,2\n", "x.csv line 1: column a appears twice"),
])
def test_version_files_malformed_csv_names_the_line(text, message):
    with pytest.raises(DatasetError) as err:
        csv_text_to_rows(text, "x.csv")
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_version_files_a_field_over_the_csv_limit_is_read_whole_and_the_limit_restored():
    limit = csv.field_size_limit()
    header, rows = csv_text_to_rows(f'a,b\n"{"x" * LONG}",1\n', "x.csv")
    assert rows == [(2, ["x" * LONG, "1"])]
    assert csv.field_size_limit() == limit


def test_version_files_a_row_spanning_lines_is_named_by_its_first_line():
    _, rows = csv_text_to_rows('a,b\n"one\ntwo",1\nz,2\n', "x.csv")
    assert [line for line, _ in rows] == [2, 4]


@pytest.mark.parametrize("line, message", [
    ("[1, 2]", "i.jsonl line 2: a JSON list, not an object"),
    ('"text"', "i.jsonl line 2: a JSON str, not an object"),
    ("{oops", "i.jsonl line 2: not JSON"),
    ("[" * 100_000, "i.jsonl line 2: not JSON"),
])
def test_version_files_issue_lines_must_be_objects(line, message):
    with pytest.raises(DatasetError) as err:
        jsonl_text_to_objects('{"reason": "a"}\n' + line + "\n", "i.jsonl")
    assert str(err.value).startswith(message)


def test_version_files_parquet_keeps_integers_and_lists():
    table = pa.table({"n": pa.array([1, None], pa.int64()), "l": [["a", "b|c"], []]})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    columns, rows = parquet_bytes_to_rows(sink.getvalue().to_pybytes(), "t.parquet")
    assert columns == ("n", "l") and rows == [{"n": 1, "l": ["a", "b|c"]}, {"n": None, "l": []}]
    assert type(rows[0]["n"]) is int


def test_version_files_parquet_read_starts_no_thread(tmp_path):
    """A thread of Arrow's pools left at exit can abort the process (apache/arrow#34314):
    reading a version's Parquet file and a dataset's starts none. In a process of its own,
    where no earlier read has started the pools."""
    import subprocess
    import sys

    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"fact_id": ["a"]}), path)
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "import pyarrow\n"
        "from pipeline.dataset.formats import read_table_parquet\n"
        "from pipeline.model import Fact\n"
        "from pipeline.versions.version_files import parquet_bytes_to_rows\n"
        "pyarrow.array([1])  # jemalloc's background thread starts at Arrow's first allocation\n"
        "before = len(os.listdir('/proc/self/task'))\n"
        "parquet_bytes_to_rows(Path(sys.argv[1]).read_bytes(), 't.parquet')\n"
        "try:\n"
        "    read_table_parquet(Fact, Path(sys.argv[1]))\n"
        "except TypeError:\n"
        "    pass  # not a whole facts row: read all the same\n"
        "print(len(os.listdir('/proc/self/task')) - before)\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "0"


# --- through load_dataset: both files of a table ------------------------------------------


def test_version_reads_a_csv_saved_with_a_bom_as_the_same_data(versions):
    for table in ("organisations", "facts"):
        path = versions[1] / f"{table}.csv"
        path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    again = write(versions[1].parent / "again", build(V2))
    result = diff_datasets(load_dataset(str(again)), load_dataset(str(versions[1])))
    assert result.schema == () and result.exit_code == 0


def test_version_reads_fields_longer_than_the_csv_limit(tmp_path):
    """An entry with thousands of membership sentences: the pipeline writes such cells."""
    version = build(V2)
    long = "; ".join(["more than 30 members"] * (LONG // 20))
    version.organisations[0] = replace(version.organisations[0], membership=long)
    out = write(tmp_path, version)
    assert len(long) > 131_072
    assert load_dataset(str(out)).organisations[0].membership == long


def test_version_a_list_element_holding_the_separator_is_no_disagreement(tmp_path):
    version = build(V2)
    version.organisations[0] = replace(version.organisations[0], acronyms=("ABA|Bar",))
    out = write(tmp_path, version)
    assert load_dataset(str(out)).organisations[0].org_id == version.organisations[0].org_id


def write_parquet(path: Path, edit) -> None:
    pq.write_table(edit(pq.read_table(path)), path)


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.unlink(), "facts.parquet is missing, though {d}/facts.csv is there"),
    (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
     "facts.parquet: not a readable Parquet file"),
    (lambda p: p.write_bytes(b""), "facts.parquet: not a readable Parquet file"),
    (lambda p: write_parquet(p, lambda t: t.slice(1)), "facts.parquet has 18 rows, {d}/facts.csv 19"),
    (lambda p: write_parquet(p, lambda t: t.drop_columns(["unit"])),
     "facts.parquet and {d}/facts.csv have different columns (only in CSV: unit)"),
    (lambda p: write_parquet(p, lambda t: t.set_column(
        t.column_names.index("value"), "value",
        pa.array(["changed"] + t.column("value").to_pylist()[1:])), ),
     "facts.parquet row 1 disagrees with {d}/facts.csv line 2 in column value: 'changed' in "
     "Parquet, 'ABA' in CSV"),
    (lambda p: write_parquet(p, lambda t: t.set_column(
        t.column_names.index("char_start"), "char_start", t.column("char_start").cast(pa.float64()))),
     "facts.parquet row 1 disagrees with {d}/facts.csv line 2 in column char_start: 161.0 in "
     "Parquet, '161' in CSV"),
])
def test_version_parquet_must_be_there_readable_and_agree_with_the_csv(versions, damage, message):
    damage(versions[1] / "facts.parquet")
    with pytest.raises(DatasetError) as err:
        load_dataset(str(versions[1]))
    assert message.format(d=versions[1]) in str(err.value)
    assert "\n" not in str(err.value)


def test_version_csv_missing_beside_its_parquet_is_an_error(versions):
    (versions[1] / "agreements.csv").unlink()
    with pytest.raises(DatasetError, match="agreements.csv is missing, though"):
        load_dataset(str(versions[1]))


def test_version_edited_tables_that_still_agree_are_read(versions):
    edit_table(versions[1], "facts", lambda rows: rows[:-1])
    assert len(load_dataset(str(versions[1])).facts) == 18
