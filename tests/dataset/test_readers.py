"""The published dataset read as downstream users read it: through pandas, DuckDB and Polars."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from pipeline.model import TABLES

pd = pytest.importorskip("pandas")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_readers_pandas_reads_csv_and_parquet_alike(table):
    csv = pd.read_csv(ROOT / "extracted" / f"{table}.csv", dtype=str, keep_default_na=False)
    parquet = pd.read_parquet(ROOT / "extracted" / f"{table}.parquet")
    assert list(csv.columns) == list(parquet.columns) == [f for f in TABLES[table].__dataclass_fields__]
    assert len(csv) == len(parquet)
    key = csv.columns[0]
    assert list(csv[key]) == list(parquet[key])


@pytest.mark.parametrize("table", sorted(TABLES))
def test_readers_missing_means_the_same_in_csv_and_parquet(table):
    """`headquarters IS NULL` counts the same rows in both files, for every column."""
    duckdb = pytest.importorskip("duckdb")
    csv_path, pq_path = ROOT / "extracted" / f"{table}.csv", ROOT / "extracted" / f"{table}.parquet"
    for column in TABLES[table].__dataclass_fields__:
        count = 'SELECT count(*) FROM {} WHERE "' + column + '" IS NULL'
        in_csv = duckdb.sql(count.format(f"read_csv('{csv_path}', all_varchar=true)")).fetchall()
        in_parquet = duckdb.sql(count.format(f"read_parquet('{pq_path}')")).fetchall()
        assert in_csv == in_parquet, column
    if table == "organisations":
        empty = duckdb.sql(f"SELECT count(*) FROM read_parquet('{pq_path}') WHERE headquarters "
                           "IS NULL").fetchall()[0][0]
        assert 0 < empty < len(pd.read_parquet(pq_path))


def test_readers_integers_stay_integers():
    dtypes = {t: pd.read_parquet(ROOT / "extracted" / f"{t}.parquet").dtypes for t in TABLES}
    assert str(dtypes["organisations"]["founded_year"]) == "Int64"
    assert str(dtypes["facts"]["page"]) == "Int64" and str(dtypes["agreements"]["pages"]) == "Int64"
    assert str(dtypes["facts"]["char_start"]) == "int64"
    pl = pytest.importorskip("polars")
    assert pl.read_parquet(ROOT / "extracted" / "organisations.parquet")["founded_year"].dtype == pl.Int64


def test_readers_decode_csv_lists_as_the_readme_says():
    """The README's recipes give the lists the Parquet file holds."""
    duckdb, pl = pytest.importorskip("duckdb"), pytest.importorskip("polars")
    csv_path = ROOT / "extracted" / "organisations.csv"
    truth = pl.read_parquet(ROOT / "extracted" / "organisations.parquet")["acronyms"].to_list()
    in_duckdb = duckdb.sql(f"""SELECT from_json(acronyms, '["VARCHAR"]') FROM
                               read_csv('{csv_path}', all_varchar=true)""").fetchall()
    assert [row[0] for row in in_duckdb] == truth
    in_polars = pl.read_csv(csv_path, infer_schema=False).select(
        pl.col("acronyms").str.json_decode(pl.List(pl.String)))["acronyms"].to_list()
    assert in_polars == truth
    in_pandas = pd.read_csv(csv_path, keep_default_na=False, na_values=[""])["acronyms"]
    assert [json.loads(cell) for cell in in_pandas] == truth
