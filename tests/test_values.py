"""Counts and dates: what the text states, nothing invented."""

from __future__ import annotations

import pytest

from pipeline.rules import load_rules
from pipeline.values import date_tokens, parse_count, parse_date

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
    (["in", "6005"], (0, "")), (["1234567890"], (0, "")),
])
def test_values_date_tokens(words, expected):
    assert date_tokens(words, MONTHS) == expected


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
