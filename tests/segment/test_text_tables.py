"""pipeline.segment.text_tables: a table flattened to text is cut into rows by its header."""

from __future__ import annotations

import pytest

from pipeline.ingest.blocks import text_blocks
from pipeline.segment.text_tables import (
    MAX_HEADER_CHARS,
    header_columns,
    longest_label,
    name_end,
    split_text_tables,
)

LABELS = {"founded": "founded", "estd.": "founded", "year founded": "founded",
          "seat": "headquarters", "headquarters": "headquarters", "members": "membership"}


@pytest.mark.parametrize("line, columns", [
    ("Name Founded Seat Members", ["", "founded", "headquarters", "membership"]),
    ("Organisation Year Founded Headquarters President/General Secretary Members",
     ["", "founded", "headquarters", "", "membership"]),
    ("Organizations Estd. Headquarters", ["", "founded", "headquarters"]),
])
def test_header_columns_names_each_column(line, columns):
    assert header_columns(line, LABELS) == columns
    assert longest_label(tuple(LABELS)) == 2   # "year founded"


@pytest.mark.parametrize("line", [
    "The members founded a seat in Vienna",          # a sentence: words not capitalised
    "Founded Members Seat",                          # the first column must be the name
    "Name Founded Website",                          # one labelled column is not a header
    "Name Founded, Seat Members",                    # punctuation of prose
    "Name Of The Very Long Organisation Column Founded Members",  # unlabelled run too long
    "Name Founded Members " + "X" * MAX_HEADER_CHARS,  # longer than a header line
])
def test_header_columns_refuses_what_is_no_header(line):
    assert header_columns(line, LABELS) is None


def test_name_end_is_where_the_second_column_value_starts():
    columns = ["", "founded", "headquarters", "membership"]
    assert name_end("Group of 77 (G77) 1964 New York 134", columns) == len("Group of 77 (G77)")
    # a truncated row without its year keeps its text up to the first digit
    assert name_end("Some Court of Justice 1", columns) == len("Some Court of Justice")


def test_split_text_tables_turns_the_paragraph_into_rows():
    text = ("Bodies\n\nName Founded Seat Members\nNordic Council of Judges 1962 Oslo 5\n"
            "Alpine Bar Union (ABU) 1923 Bern 8\n")
    blocks = split_text_tables(text, text_blocks(text), LABELS)
    rows = [b for b in blocks if b.kind == "row"]
    assert [b.marker for b in rows] == ["th", "text", "text"]
    assert [text[b.start:b.end] for b in blocks if b.kind == "cell"] == [
        "Nordic Council of Judges", "Alpine Bar Union (ABU)"]


def test_split_text_tables_leaves_prose_and_lone_rows_alone():
    prose = "Bodies\n\nName Founded Seat Members\nWe list our partners below.\nThey are many.\n"
    assert split_text_tables(prose, text_blocks(prose), LABELS) == text_blocks(prose)
    one_row = "Name Founded Seat Members\nNordic Council of Judges 1962 Oslo 5\n"
    assert split_text_tables(one_row, text_blocks(one_row), LABELS) == text_blocks(one_row)


def test_split_text_tables_a_blank_line_ends_the_table():
    text = ("Name Founded Seat Members\nNordic Council of Judges 1962 Oslo 5\n"
            "Alpine Bar Union (ABU) 1923 Bern 8\n\nThe Baltic Bar 1990 was founded in Riga.\n")
    blocks = split_text_tables(text, text_blocks(text), LABELS)
    rows = [text[b.start:b.end] for b in blocks if b.kind == "row"]
    assert len(rows) == 3 and not any("Baltic" in r for r in rows)
