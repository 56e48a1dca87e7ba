"""pipeline.extract.tables: a table whose header names the columns gives each row's values."""

from __future__ import annotations

import pytest
from conftest import facts_of


def row_values(extractions):
    """{org_id: {field: value}} of the values read from table columns."""
    out: dict = {}
    for f in facts_of(extractions):
        if f.rule_id.endswith(".column"):
            out.setdefault(f.org_id, {})[f.field] = f.value
    return out


ROWS = [("Council of Europe (COE)", "1949", "Strasbourg", "46"),
        ("International Labour Organization (ILO)", "1919", "Geneva", "187"),
        ("World Health Organization (WHO)", "7 April 1948", "Geneva, Switzerland", "194")]


@pytest.mark.parametrize("separator", [" | ", "\t"])
def test_tables_text_table_with_a_header(extract_text, separator):
    header = separator.join(["Name", "Founded", "Headquarters", "Members"])
    body = "\n".join(separator.join(row) for row in ROWS)
    _, xs, _ = extract_text(f"International organisations\n\n{header}\n{body}\n")
    found = list(row_values(xs).values())
    assert found[0] == {"founded": "1949", "headquarters": "Strasbourg", "membership": "46"}
    assert {"founded": "1919", "headquarters": "Geneva", "membership": "187"} in found


def test_tables_html_table_with_header_cells(rules, extractor_factory):
    from pipeline.ingest.reader import Source, bytes_to_document
    from pipeline.model import Entry, Extraction
    from pipeline.segment.segmenter import segment

    cell = "".join
    rows = cell(f"<tr>{cell(f'<td>{c}</td>' for c in row)}</tr>" for row in ROWS)
    html = ("<html><body><h1>Organisations</h1><table><tr><th>Name</th><th>Founded</th>"
            f"<th>Headquarters</th><th>Members</th></tr>{rows}</table></body></html>")
    doc = bytes_to_document(html.encode(), Source(path="p.html", media_type="text/html"))
    entries = [e for e in segment([doc], rules.segment) if isinstance(e, Entry)]
    xs = [x for x in extractor_factory().run((e, doc) for e in entries)
          if isinstance(x, Extraction)]
    assert [v["founded"] for v in row_values(xs).values()] == ["1949", "1919", "1948"]


@pytest.mark.parametrize("header", [
    "Name | Country | Website",            # no field labels
    "Name | Founded",                      # one label: not enough to call it a header
])
def test_tables_no_header_no_values(extract_text, header):
    _, xs, _ = extract_text(f"Organisations\n\n{header}\nCouncil of Europe (COE) | 1949\n"
                            "World Health Organization (WHO) | 1948\n")
    assert row_values(xs) == {}


def test_tables_cells_that_do_not_parse_give_nothing(extract_text):
    _, xs, _ = extract_text("Organisations\n\nName | Founded | Headquarters | Members\n"
                            "Council of Europe (COE) | after the war | 12 | many\n")
    assert row_values(xs) == {}


# A table copied from a page as text: only spaces between the cells, a column the header does
# not label (the chair), notes in brackets after the counts.
FLAT = """Regional bodies

Body Year Founded Seat Chair Member States
Nordic Council of Judges (NCJ) 1962 Oslo (Norway) Anna Berg 5 (all Nordic states)
Baltic Prosecutors Network 1994 Riga, Latvia Jonas Petraitis 3
Alpine Bar Union (ABU) 1923 Somewhere Else Hans Keller 8 (since 2004)
"""


def test_tables_flattened_to_text_read_by_shape(extract_text):
    entries, xs, _ = extract_text(FLAT)
    names = [f.value for f in facts_of(xs, "name")]
    assert names == ["Nordic Council of Judges", "Baltic Prosecutors Network", "Alpine Bar Union"]
    rows = list(row_values(xs).values())
    assert rows[0] == {"founded": "1962", "headquarters": "Oslo (Norway)", "membership": "5"}
    assert rows[1] == {"founded": "1994", "headquarters": "Riga, Latvia", "membership": "3"}
    # no known place where the seat should be: the seat is not guessed, the last column is read
    assert rows[2] == {"founded": "1923", "membership": "8"}


def test_tables_flattened_values_carry_exact_evidence(extract_text):
    _, xs, _ = extract_text(FLAT)
    for f in facts_of(xs):
        if f.rule_id.endswith(".column"):
            assert FLAT[f.char_start:f.char_end] == f.evidence
    members = [f for f in facts_of(xs, "membership")]
    assert [f.unit for f in members] == ["member states"] * 3


def test_tables_flattened_row_without_a_count_at_its_end_gives_none(extract_text):
    text = FLAT.replace("Hans Keller 8 (since 2004)", "Hans Keller, chair since 2004")
    _, xs, _ = extract_text(text)
    assert "membership" not in list(row_values(xs).values())[2]
