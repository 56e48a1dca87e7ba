"""Records become the Arrow tables pyarrow's own conversion would make, without importing
pandas, and a batch too big for one string array is split, not lost."""

from __future__ import annotations

import subprocess
import sys
from itertools import accumulate
from pathlib import Path

import pyarrow as pa
from rows import org

from pipeline.dataset import arrow_columns
from pipeline.dataset.arrow_columns import records_to_tables
from pipeline.dataset.formats import arrow_schema
from pipeline.model import Agreement, Organisation

ROWS = [org(0, acronyms=("ÄBC", "", "x|y"), founded_year=1924, headquarters="Wien ✓"),
        org(1),
        org(2, acronyms=("ABA",), founded_year=0, group="Courts", flags=("f",))]


def expected(rows, cls) -> pa.Table:
    """The table pyarrow makes from the records (an empty nullable text as null)."""
    schema = arrow_schema(cls)
    text = {f.name for f in schema if f.nullable and pa.types.is_string(f.type)}
    dicts = [{k: (None if k in text and v == "" else list(v) if isinstance(v, tuple) else v)
              for k, v in vars(r).items()} for r in rows]
    return pa.Table.from_pylist(dicts, schema=schema)


def test_records_become_the_table_pyarrow_makes():
    (table,) = records_to_tables(ROWS, arrow_schema(Organisation))
    assert table.equals(expected(ROWS, Organisation), check_metadata=True)
    assert table.column("founded_year").to_pylist() == [1924, None, 0]
    assert table.column("headquarters").to_pylist() == ["Wien ✓", None, None]
    assert table.column("acronyms").to_pylist() == [["ÄBC", "", "x|y"], [], ["ABA"]]


def test_an_int_column_and_a_list_column_of_another_table():
    agreement = Agreement(agreement_id="a1", org_id="o0", kind="mou", parties=("IAP", "B"),
                          date="", date_precision="", evidence="e", source_file="raw/p.txt",
                          source_sha256="0" * 64, char_start=0, char_end=1, link="",
                          rule_id="r", pages=None, document_parties=())
    (table,) = records_to_tables([agreement], arrow_schema(Agreement))
    assert table.equals(expected([agreement], Agreement))


def test_no_records_give_no_table():
    assert list(records_to_tables([], arrow_schema(Organisation))) == []


def test_a_batch_past_the_offsets_reach_is_split_in_order(monkeypatch):
    def small_offsets(lengths):   # as if int32 offsets stopped at 150 bytes: two records
        offsets = [0, *accumulate(lengths)]
        if offsets[-1] > 150:
            raise OverflowError("past int32")
        return pa.py_buffer(pa.array(offsets, pa.int32()).buffers()[1])

    monkeypatch.setattr(arrow_columns, "offsets_of", small_offsets)
    rows = [org(n, name="x" * 5) for n in range(5)]
    tables = list(records_to_tables(rows, arrow_schema(Organisation)))
    assert [t.num_rows for t in tables] == [2, 1, 2]
    assert pa.concat_tables(tables).column("org_id").to_pylist() == ["o0", "o1", "o2", "o3", "o4"]


def test_building_tables_does_not_import_pandas():
    code = ("import sys\n"
            "sys.path.insert(0, sys.argv[1])\n"
            "from rows import org\n"
            "from pipeline.dataset.arrow_columns import records_to_tables\n"
            "from pipeline.dataset.formats import arrow_schema\n"
            "from pipeline.model import Organisation\n"
            "rows = [org(0, acronyms=('A',), founded_year=1), org(1)]\n"
            "list(records_to_tables(rows, arrow_schema(Organisation)))\n"
            "print('pandas' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
