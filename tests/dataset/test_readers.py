"""The published dataset read as downstream users read it: through pandas."""

from __future__ import annotations

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
