"""The file formats read back by the readers downstream users have (pandas, DuckDB, Polars), not
only by the project's own: missing is null, lists are lists whatever their elements hold,
integers stay integers; and the form published before (lists joined with '|') still reads."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import typing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rows import org

from pipeline.dataset.formats import (
    PIPE_LISTS,
    TableWriter,
    csv_cell,
    csv_column,
    csv_line,
    csv_to_value,
    read_table_csv,
    read_table_parquet,
)
from pipeline.model import Agreement, Organisation

pd = pytest.importorskip("pandas")
duckdb = pytest.importorskip("duckdb")
pl = pytest.importorskip("polars")

# list elements holding what a separator-joined cell could not keep apart
AWKWARD = ("A|B Group", "back\\slash\\|", 'say "yes"', "comma, semicolon;", "two\nlines", "",
           "[not json]", "ünïcödé ✓")


ROWS = [org(0, acronyms=AWKWARD, flags=("acronym_mismatch:A|B",), founded_year=1924,
            founded_date="1924", headquarters="Vienna", group="Courts"),
        org(1),  # everything that can be missing is
        org(2, acronyms=("ABA",), founded_year=0, headquarters=" ", website="x.org")]
AGREEMENT = Agreement(agreement_id="a1", org_id="o0", kind="mou", parties=("IAP", "A|B Group"),
                      date="", date_precision="", evidence="e", source_file="raw/p.txt",
                      source_sha256="0" * 64, char_start=0, char_end=1, link="", rule_id="r",
                      pages=3, document_parties=("x\\|y",))


@pytest.fixture
def written(tmp_path) -> Path:
    for name, cls, rows in (("organisations", Organisation, ROWS),
                            ("agreements", Agreement, [AGREEMENT])):
        with TableWriter(cls, tmp_path / f"{name}.csv", tmp_path / f"{name}.parquet") as w:
            for row in rows:
                w.write(row)
    return tmp_path


def to_record(cls: type, row: dict) -> object:
    """A reader's row as a record: null text is '', lists (NumPy arrays, JSON text) tuples."""
    hints = typing.get_type_hints(cls)
    values = {}
    for name, tp in hints.items():
        v = row[name]
        missing = v is None or v is pd.NA or (isinstance(v, float) and v != v)
        if typing.get_origin(tp) is tuple:
            v = tuple(json.loads(v) if isinstance(v, str) else list(v))
        elif tp is str:
            v = "" if missing else v
        else:
            v = None if missing else int(v)
        values[name] = v
    return cls(**values)


def csv_types(cls: type) -> dict[str, str]:
    """Integer columns as the data package declares them (the rest is text)."""
    return {f.name: "Int64" for f in dataclasses.fields(cls)
            if typing.get_type_hints(cls)[f.name] in (int, typing.Optional[int])}


@pytest.mark.parametrize("table, cls, rows", [("organisations", Organisation, ROWS),
                                              ("agreements", Agreement, [AGREEMENT])])
def test_formats_round_trip_through_downstream_readers(written, table, cls, rows):
    pq_path, csv_path = str(written / f"{table}.parquet"), str(written / f"{table}.csv")
    ints = csv_types(cls)
    read = {
        "pandas parquet": pd.read_parquet(pq_path).to_dict("records"),
        "polars parquet": pl.read_parquet(pq_path).to_dicts(),
        "duckdb parquet": duckdb.sql(f"SELECT * FROM read_parquet('{pq_path}')").df()
        .to_dict("records"),
        # CSV as the README says: only "" is missing, integers typed as datapackage.json says
        "pandas csv": pd.read_csv(csv_path, dtype={**{c: str for c in rows[0].__dataclass_fields__},
                                                   **ints},
                                  keep_default_na=False, na_values=[""]).to_dict("records"),
        "polars csv": pl.read_csv(csv_path, infer_schema=False,
                                  schema_overrides={c: pl.Int64 for c in ints}).to_dicts(),
        "duckdb csv": duckdb.sql(f"SELECT * FROM read_csv('{csv_path}', all_varchar=true)").df()
        .to_dict("records"),
    }
    for reader, got in read.items():
        assert [to_record(cls, r) for r in got] == rows, reader
    assert read_table_csv(cls, Path(csv_path)) == rows
    assert read_table_parquet(cls, Path(pq_path)) == rows


def test_formats_missing_is_null_in_parquet_and_empty_in_csv_for_every_column(written):
    pq_path, csv_path = written / "organisations.parquet", written / "organisations.csv"
    for column in Organisation.__dataclass_fields__:
        query = "SELECT count(*) FROM {} WHERE {} IS NULL"
        in_pq = duckdb.sql(query.format(f"read_parquet('{pq_path}')", f'"{column}"')).fetchall()
        in_csv = duckdb.sql(query.format(f"read_csv('{csv_path}', all_varchar=true)",
                                         f'"{column}"')).fetchall()
        assert in_pq == in_csv, column
    headquarters = "SELECT count(*) FROM read_parquet('{}') WHERE headquarters IS NULL"
    assert duckdb.sql(headquarters.format(pq_path)).fetchall() == [(1,)]  # " " is not missing


def test_formats_integers_stay_integers_in_pandas(written):
    frame = pd.read_parquet(written / "organisations.parquet")
    assert str(frame["founded_year"].dtype) == "Int64" and str(frame["char_start"].dtype) == "int64"
    assert frame["founded_year"].tolist()[0] == 1924 and frame["founded_year"].isna().tolist() == [
        False, True, False]
    assert str(pd.read_parquet(written / "agreements.parquet")["pages"].dtype) == "Int64"
    nullable = pd.read_csv(written / "organisations.csv", dtype_backend="numpy_nullable")
    assert str(nullable["founded_year"].dtype) == "Int64"


def test_formats_a_list_cell_is_a_json_array():
    assert csv_cell(("A|B Group", "x\\y")) == '["A|B Group","x\\\\y"]'
    assert csv_cell(()) == "[]" and csv_cell(("=1",)) == '["=1"]'  # never a formula start
    assert csv_to_value('["A|B Group"]', tuple[str, ...]) == ("A|B Group",)
    for bad in ('["a", 1]', "{}", "A|B", '"a"'):
        with pytest.raises(ValueError):
            csv_to_value(bad, tuple[str, ...])


def test_formats_the_form_published_before_still_reads():
    """Versions before JSON arrays joined lists with '|' (and a cell a spreadsheet would run got
    its apostrophe before the join); `partners diff` reads them with `lists=PIPE_LISTS`."""
    assert csv_to_value("AIDP|IAPL", tuple[str, ...], PIPE_LISTS) == ("AIDP", "IAPL")
    assert csv_to_value("'-x|y", tuple[str, ...], PIPE_LISTS) == ("-x", "y")
    assert csv_to_value("", tuple[str, ...], PIPE_LISTS) == ()
    assert csv_cell(("AIDP", "IAPL"), PIPE_LISTS) == "AIDP|IAPL"
    assert csv_cell(("-x", "y"), PIPE_LISTS) == "'-x|y"


def test_one_missing_rule_for_parquet_the_data_package_and_the_card():
    """Text may be empty but in keys; Optional[int] may; lists and plain ints never."""
    from pipeline.dataset.datacard import type_name
    from pipeline.dataset.datapackage import field_descriptor
    from pipeline.dataset.formats import arrow_schema, may_be_missing

    hints = typing.get_type_hints(Organisation)
    cols = {f.name: f for f in dataclasses.fields(Organisation)}
    expected = {"org_id": False, "name": True, "acronyms": False, "founded_year": True,
                "char_start": False}
    schema = arrow_schema(Organisation)
    for name, missing in expected.items():
        f, tp = cols[name], hints[name]
        assert may_be_missing(f, tp) is missing
        assert schema.field(name).nullable is missing
        assert ("constraints" not in field_descriptor(f, tp)) is missing
        assert ("or empty" in type_name(f, tp)) is missing


def test_formats_rows_keep_their_order_across_batches_and_carriage_returns(tmp_path, monkeypatch):
    # rows wait to be written a batch at a time; one holding a CR is written on its own, quoted
    monkeypatch.setattr(TableWriter, "BATCH", 3)
    names = ["plain", "a bare\rCR", "next", "a\r\nCRLF", "x", "y", "\rfirst", "last"]
    rows = [org(i, name=name) for i, name in enumerate(names)]
    csv_path, parquet_path = tmp_path / "o.csv", tmp_path / "o.parquet"
    with TableWriter(Organisation, csv_path, parquet_path) as writer:
        for row in rows:
            writer.write(row)
    assert read_table_csv(Organisation, csv_path) == rows
    assert read_table_parquet(Organisation, parquet_path) == rows


@pytest.mark.parametrize("column", [
    ("plain", "text", ""),                      # taken whole
    (0, 17, 2**40),                             # digits
    ("plain", "=1+2", "'=x", "-3", "@a", "\tx"),  # formula starts: each its own cell
    (3, -1, 0),                                 # a negative count: as a formula start
    (None, None), (None, 5, None), ("a", None), (("A", "B"), ()), (True, 1),
])
def test_formats_a_column_at_a_time_gives_each_value_its_own_cell(column):
    assert list(csv_column(column)) == [csv_cell(v) for v in column]


AWKWARD_CELLS = ["plain", "a, comma", 'a "quote"', "two\nlines", "bare\rCR", "crlf\r\n", "",
                 " spaced ", "ünïcödé", "'apostrophe", "=1+2", "tab\there", ",", '"']


def module_csv(cls, records) -> str:
    """The CSV the csv module writes for these records (a row holding a CR: `csv_line`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in dataclasses.fields(cls)])
    for record in records:
        cells = [csv_cell(getattr(record, f.name)) for f in dataclasses.fields(cls)]
        if any("\r" in c for c in cells):
            out.write(csv_line(cells))
        else:
            writer.writerow(cells)
    return out.getvalue()


def test_formats_csv_rows_are_byte_for_byte_the_csv_modules(tmp_path, monkeypatch):
    # rows whose cells need no quotes are joined by hand: the bytes are the module's
    monkeypatch.setattr(TableWriter, "BATCH", 5)
    cells = AWKWARD_CELLS * 2
    rows = [org(i, name=name, headquarters=cells[(i * 5) % len(cells)], website=f"w{i}")
            for i, name in enumerate(cells)] + [org(99)]
    with TableWriter(Organisation, tmp_path / "o.csv", tmp_path / "o.parquet") as writer:
        for row in rows:
            writer.write(row)
    written = (tmp_path / "o.csv").read_bytes().decode("utf-8")
    assert written == module_csv(Organisation, rows)


CELL_TEXT = st.text(alphabet='ab ,"\r\n\'=', max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(CELL_TEXT, CELL_TEXT, st.lists(CELL_TEXT, max_size=3)), min_size=1,
                max_size=8))
def test_formats_any_cells_are_written_as_the_csv_module_writes_them(tmp_path_factory, cells):
    """Cells holding commas, quotes, CR and LF in any mix, in text and list columns."""
    folder = tmp_path_factory.mktemp("csv")
    rows = [org(i, name=name, headquarters=hq, acronyms=tuple(acronyms))
            for i, (name, hq, acronyms) in enumerate(cells)]
    with TableWriter(Organisation, folder / "o.csv", folder / "o.parquet") as writer:
        for row in rows:
            writer.write(row)
    assert (folder / "o.csv").read_bytes().decode("utf-8") == module_csv(Organisation, rows)


@dataclasses.dataclass(frozen=True)
class OneColumn:
    name: str = dataclasses.field(default="", metadata={"description": "a name"})


def test_formats_a_one_column_table_quotes_its_empty_cells_as_the_module_does(tmp_path):
    rows = [OneColumn(v) for v in ["a", "", "b,c", ""]]
    with TableWriter(OneColumn, tmp_path / "one.csv", tmp_path / "one.parquet") as writer:
        for row in rows:
            writer.write(row)
    assert (tmp_path / "one.csv").read_text(encoding="utf-8") == module_csv(OneColumn, rows)
    assert read_table_csv(OneColumn, tmp_path / "one.csv") == rows
