"""Counts and dates: what the text states, nothing invented."""

from __future__ import annotations

import pytest

from pipeline.extract.rules import load_rules
from pipeline.extract.values import FieldValue, date_tokens, parse_count, parse_date

VOCAB = load_rules().vocab
MONTHS = frozenset(VOCAB["months"])


@pytest.mark.parametrize("words,expected", [
    (["400,000"], 400000), (["2000"], 2000), (["five"], 5), (["two", "billion"], 2_000_000_000),
    (["400", "000"], 400000), (["1.5", "million"], 1_500_000), (["twenty", "five"], 25),
    (["1,000,000,000,000,000,000"], 10**18), (["many"], None), ([], None),
])
def test_values_parse_count(words, expected):
    assert parse_count(words, VOCAB["number_words"], VOCAB["number_scales"]) == expected


@pytest.mark.parametrize("text,precision,expected", [
    ("7 March 2014", "day", "2014-03-07"),
    ("December 2003", "month", "2003-12"),        # never today's day filled in
    ("1878", "year", "1878"),
    ("the late 90s", "decade", "1990s"),
    ("March 7, 2014", "day", "2014-03-07"),
])
def test_values_parse_date(text, precision, expected):
    assert parse_date(text, precision)[0] == expected


@pytest.mark.parametrize("words,expected", [
    (["in", "1878"], (1, "year")), (["on", "5", "May", "1949"], (3, "day")),
    (["in", "December", "2003"], (2, "month")), (["the", "late", "90s"], (3, "decade")),
    (["in", "the", "90s"], (2, "decade")),
    (["in", "6005"], (0, "")), (["1234567890"], (0, "")),
])
def test_values_date_tokens(words, expected):
    assert date_tokens(words, MONTHS, frozenset(VOCAB["decade_parts"]) | {"the"}) == expected


def test_values_decade_part_is_the_qualifier():
    assert parse_date("the late 90s", "decade", decade_parts=VOCAB["decade_parts"]) == \
        ("1990s", "approximate:late")


@pytest.mark.parametrize("text,settings,expected", [
    ("03/04/2005", {"date_order": "DMY"}, "2005-04-03"),
    ("03/04/2005", {"date_order": "MDY"}, "2005-03-04"),
    ("December 2003", {}, "2003-12-01"),                          # the first, never today's day
    ("December 2003", {"require_parts": ["day"]}, None),          # a part not stated: no date
    ("2003", {"require_parts": ["year"]}, "2003-01-01"),
    ("yesterday", {}, None),                                      # absolute dates only
])
def test_values_read_date_settings(text, settings, expected):
    read = read_date(text, **settings)
    assert (read.date().isoformat() if read else None) == expected


def test_values_dates_do_not_depend_on_the_clock_or_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert parse_date("December 2003", "month")[0] == "2003-12"
        assert parse_date("1 January 2000", "day")[0] == "2000-01-01"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# --- dates read without dateparser (a start-up cost) must read as dateparser reads them -----

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st

from pipeline.extract.values import ENGLISH_MONTHS, plain_date, read_date  # noqa: E402


def _dateparser_answer(text: str, precision: str):
    read = read_date(text, ("en",), prefer_past=True, date_order="DMY")  # as parse_date reads
    if read is None:
        return None
    return read.date().isoformat()[:10 if precision == "day" else 7]


@settings(max_examples=300, deadline=None)
@given(day=st.integers(1, 31), month=st.integers(1, 12), year=st.integers(1800, 2099),
       form=st.sampled_from(["{d} {M} {y}", "{d}th {M} {y}", "{M} {d}, {y}", "{m}. {d}, {y}",
                             "{M} {y}", "{m} {y}", "{m}. {y}"]),
       case=st.sampled_from([str.title, str.lower, str.upper]))
def test_values_plain_date_agrees_with_dateparser(day, month, year, form, case):
    name = ENGLISH_MONTHS[month - 1]
    text = form.format(d=day, M=case(name), m=case(name[:3]), y=year)
    precision = "day" if "{d}" in form else "month"
    fast = plain_date(text, precision)
    if fast is not None:
        assert fast == _dateparser_answer(text, precision)


def test_values_statements_keep_one_value_per_stretch_of_text():
    from pipeline.extract.values import Statements

    kept = Statements()
    assert kept.add(10, 20) and kept.add(30, 40) and kept.add(0, 5)
    assert not kept.add(15, 25)     # overlaps 10-20
    assert not kept.add(39, 45)     # overlaps 30-40
    assert not kept.add(0, 100)     # covers them all
    assert kept.add(20, 30) and kept.add(5, 10)   # touching is not overlapping
    assert kept.starts == [0, 5, 10, 20, 30]


def test_values_statements_agree_with_checking_every_pair():
    import random

    from pipeline.extract.values import Statements

    rng = random.Random(7)
    for _ in range(200):
        kept, plain = Statements(), []
        for _ in range(30):
            s = rng.randrange(60)
            e = s + rng.randrange(1, 8)
            new = not any(s < pe and ps < e for ps, pe in plain)
            assert kept.add(s, e) == new
            if new:
                plain.append((s, e))


def test_a_shifted_value_is_replace_with_its_span_moved():
    import dataclasses

    v = FieldValue("founded", "1961", 3, 20, "founded.verb.date", date="1961",
                   date_precision="year", raw_value="1961", parties=("IAP",))
    moved = v.shifted(100)
    assert moved == dataclasses.replace(v, start=103, end=120)
    assert hash(moved) == hash(dataclasses.replace(v, start=103, end=120))
    assert (v.start, v.end) == (3, 20)   # the original is untouched
    with pytest.raises(dataclasses.FrozenInstanceError):
        moved.start = 0
