"""Export: CSV and Parquet say the same thing, spreadsheets are safe, writes are whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.dataset.formats import TableWriter, read_table_csv, read_table_parquet
from pipeline.model import Fact, Organisation

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=20)


def fact(**kw) -> Fact:
    base = dict(fact_id="f", org_id="o", field="name", value="v", evidence="v",
                source_file="raw/x.txt", source_sha256="0" * 64, char_start=0, char_end=1,
                rule_id="r")
    base.update(kw)
    return Fact(**base)


def write(tmp_path, cls, rows):
    with TableWriter(cls, tmp_path / "t.csv", tmp_path / "t.parquet") as w:
        for row in rows:
            w.write(row)
    return read_table_csv(cls, tmp_path / "t.csv"), read_table_parquet(cls, tmp_path / "t.parquet")


@given(values=st.lists(st.tuples(TEXT, TEXT, st.integers(0, 10**9)), max_size=5))
def test_export_csv_and_parquet_round_trip_equal(tmp_path_factory, values):
    tmp = tmp_path_factory.mktemp("rt")
    rows = [fact(fact_id=str(i), value=v, evidence=e, char_start=n, char_end=n + 1)
            for i, (v, e, n) in enumerate(values)]
    from_csv, from_parquet = write(tmp, Fact, rows)
    assert from_parquet == rows
    assert from_csv == rows


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx", "'=x"])
def test_export_csv_neutralises_formulas_and_parquet_keeps_the_truth(tmp_path, value):
    from_csv, from_parquet = write(tmp_path, Fact, [fact(value=value)])
    import csv

    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as fh:
        cell = list(csv.reader(fh))[1][3]
    assert cell == "'" + value
    assert from_parquet[0].value == value and from_csv[0].value == value


def test_export_list_columns(tmp_path):
    org = Organisation(org_id="a", name="A", acronyms=("AIDP", "IAPL"), group="", founded_year=None,
                       founded_date="", headquarters="", website="", host_relationship="none_stated",
                       flags=(), source_file="x", source_sha256="y", char_start=0, char_end=1)
    from_csv, from_parquet = write(tmp_path, Organisation, [org])
    assert '"[""AIDP"",""IAPL""]"' in (tmp_path / "t.csv").read_text()  # a JSON array, quoted
    assert from_csv == [org] and from_parquet == [org]


def test_export_a_whole_run_is_refused_before_it_reads_or_writes_anything(tmp_path):
    """While another run holds the output folder, `partners run` stops at once: not even the
    text of an HTML page is saved."""
    from pathlib import Path

    from conftest import project_settings

    from pipeline.dataset.staging import LockedError, output_lock
    from pipeline.stages import run_all

    html = Path(__file__).resolve().parents[1] / "data" / "iap-page.html"
    out = tmp_path / "out"
    with output_lock(out):
        with pytest.raises(LockedError):
            run_all([str(html)], out, project_settings())
    assert not (out / "texts").exists()
    run_all([str(html)], out, project_settings())  # and once the lock is free, it runs
    assert (out / "organisations.csv").exists() and (out / "texts").is_dir()


def test_export_an_organisation_row_is_the_record_organisation_makes():
    import dataclasses

    from pipeline.dataset.export import extraction_to_organisation
    from pipeline.extract.facts import make_fact
    from pipeline.extract.values import FieldValue
    from pipeline.model import Entry, Extraction

    text = "IAP - International Association of Prosecutors, founded in 1995, The Hague."
    entry = Entry("raw/p.txt", "0" * 64, 0, 0, len(text), 3, "dash")
    values = [FieldValue("acronym", "IAP", 0, 3, "heading.acronym"),
              FieldValue("name", "International Association of Prosecutors", 6, 46, "h.name"),
              FieldValue("founded", "1995", 48, 63, "f", date="1995", date_precision="year"),
              FieldValue("headquarters", "The Hague", 65, 74, "hq"),
              FieldValue("host_relationship", "mou", 0, 3, "rel"),
              FieldValue("membership", "183", 0, 3, "m", qualifier="exact", unit="members"),
              FieldValue("flag", "acronym_mismatch:IAP", 0, 3, "check")]
    facts = tuple(make_fact("iap", entry, text, v, 1) for v in values)
    org = extraction_to_organisation(Extraction("iap", entry, facts, ()), facts, ["mou"])
    expected = Organisation(
        org_id="iap", name="International Association of Prosecutors", acronyms=("IAP",),
        group="", founded_year=1995, founded_date="1995", headquarters="The Hague",
        website="", host_relationship="mou", flags=("acronym_mismatch:IAP",),
        source_file="raw/p.txt", source_sha256="0" * 64, char_start=0, char_end=len(text),
        membership="exact 183 members")
    assert org == expected and hash(org) == hash(expected)
    assert vars(org) == vars(expected)   # every field, none more (a new field fails here)
    with pytest.raises(dataclasses.FrozenInstanceError):
        org.name = "x"
