"""Values: what one is (`FieldValue`), and turning matched text into counts ("400,000", "two
billion") and dates with precision.

Dates are parsed only on the candidate spans the patterns found; dateparser runs with fixed
settings and the configured languages, so a run's clock, time zone or locale never changes a
value, and a month-precision date never gets today's day filled in. `read_date` is the one
door to dateparser (pipeline.documents.pdf_facts reads its dates through it too).

Reads: the words of a matched count or date (and number words from rules/vocabularies.yaml,
passed in). Writes: integers, ISO dates with their precision, or nothing when the text does not
state one.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence


@dataclass(frozen=True, init=False)
class FieldValue:
    """One value an entry states: its field and value, its character span, the id of the rule
    that found it, and what some fields add (qualifier, unit, date, the raw text, parties).

    Offsets index the text matched: the field extractors' index their piece of the entry (the
    extractor shifts them into the document's text), names' index the document's text."""

    field: str
    value: str
    start: int
    end: int
    rule_id: str
    qualifier: str = ""
    unit: str = ""
    date: str = ""
    date_precision: str = ""
    raw_value: str = ""
    parties: tuple = ()

    def __init__(self, field: str, value: str, start: int, end: int, rule_id: str,
                 qualifier: str = "", unit: str = "", date: str = "", date_precision: str = "",
                 raw_value: str = "", parties: tuple = ()) -> None:
        # the dataclass's, its fields written at once (see `pipeline.model`'s FAST_INIT)
        self.__dict__.update(field=field, value=value, start=start, end=end, rule_id=rule_id,
                             qualifier=qualifier, unit=unit, date=date,
                             date_precision=date_precision, raw_value=raw_value,
                             parties=parties)

    def shifted(self, offset: int) -> "FieldValue":
        """The value with its span moved by `offset`: `dataclasses.replace` without its cost
        (4.6 microseconds a value, against 0.5: it reads the fields and a frozen __init__ sets
        each one through object.__setattr__), as a frozen copy of the same fields."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__, start=self.start + offset, end=self.end + offset)
        return copy


DIGIT_GROUPS = re.compile(r"^\d{1,3}(?:[,.\u00a0\u202f' ]\d{3})+$")
DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")
DECADE = re.compile(r"^(\d{4}|\d0)['’]?s$")
YEAR = re.compile(r"^(1\d{3}|20\d{2})$")
DAY = re.compile(r"^(0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$")
# "7 March 2014", "March 7, 2014", "December 2003": the forms nearly every candidate span has.
PLAIN_DATE = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})\.?,?"
                        r"(?:\s+(\d{1,2})(?:st|nd|rd|th)?,?)?\s+(\d{4})$")
# The English calendar, for PLAIN_DATE; dateparser reads everything else.
ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                  "september", "october", "november", "december")


def parse_count(words: Sequence[str], number_words: dict, scales: dict) -> Optional[int]:
    """The integer a count's tokens state, or None when they are not a number.

    Handles digit groups ("400,000", "400 000" as two tokens), plain digits, decimals with a
    scale ("1.5 million") and number words ("five", "two billion", "twenty five")."""
    words = [w.lower() for w in words if w.strip()]
    if not words:
        return None
    joined = " ".join(words)
    if DIGIT_GROUPS.match(joined):
        return int(re.sub(r"\D", "", joined))
    total, current, seen = 0, None, False
    for word in words:
        word = word.strip(",")
        if DIGIT_GROUPS.match(word):
            value: Optional[float] = int(re.sub(r"\D", "", word))
        elif DECIMAL.match(word):
            value = float(word) if "." in word else int(word)
        elif word in number_words:
            value = number_words[word]
        elif word in scales:
            scale = scales[word]
            base = current if current is not None else 1
            if scale >= 1000:
                total, current = total + round(base * scale), None
            else:
                current = round(base * scale)
            seen = True
            continue
        elif word in ("and", "-"):
            continue
        else:
            return None
        current = (current or 0) + value if current is not None and value < 100 else value
        seen = True
    if not seen:
        return None
    result = total + (current or 0)
    return int(result) if float(result).is_integer() else None


# Every date is read with these: absolute dates only ("yesterday" is no date), and a fixed base
# and day-of-month preference, so nothing from the run's clock, zone or locale fills a part in.
FIXED_DATE_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": dt.datetime(2000, 1, 1),
                       "PARSERS": ["absolute-time"], "STRICT_PARSING": False}


def read_date(text: str, languages: Sequence[str] = ("en",), *, prefer_past: bool = False,
              date_order: str = "", require_parts: Sequence[str] = ()) -> Optional[dt.datetime]:
    """The date dateparser reads in `text` with FIXED_DATE_SETTINGS and these, or None.

    `prefer_past`: an incomplete date is taken in the past; `date_order` ("DMY"): the order of
    an all-numeric date; `require_parts` ("day", "month", "year"): None unless the text states
    them."""
    parser = _date_parser(tuple(languages), prefer_past, date_order, tuple(require_parts))
    data = parser.get_date_data(text)
    return None if data is None else data.date_obj


@lru_cache(maxsize=16)
def _date_parser(languages: tuple, prefer_past: bool, date_order: str, require_parts: tuple):
    from dateparser.date import DateDataParser

    settings = dict(FIXED_DATE_SETTINGS)
    if prefer_past:
        settings["PREFER_DATES_FROM"] = "past"
    if date_order:
        settings["DATE_ORDER"] = date_order
    if require_parts:
        settings["REQUIRE_PARTS"] = list(require_parts)
    return DateDataParser(languages=list(languages), settings=settings)


def date_tokens(words: Sequence[str], months: frozenset,
                decade_words: frozenset = frozenset()) -> tuple[int, str]:
    """How many trailing tokens of a span are its date, and the date's precision.
    `decade_words` may lead a decade ("the late 90s": rules/vocabularies.yaml)."""
    n = len(words)
    if n and DECADE.match(words[-1]):
        k = 1
        while k < n and k < 3 and words[n - k - 1].lower() in decade_words:
            k += 1
        return k, "decade"
    if not n or not YEAR.match(words[-1]):
        return 0, ""
    if n >= 2 and words[-2].lower().rstrip(".") in months:
        if n >= 3 and DAY.match(words[-3]):
            return 3, "day"
        return 2, "month"
    if n >= 3 and words[-2] == "," and DAY.match(words[-3]) and n >= 4 \
            and words[-4].lower().rstrip(".") in months:
        return 4, "day"
    if n >= 3 and DAY.match(words[-2]) and words[-3].lower().rstrip(".") in months:
        return 3, "day"
    return 1, "year"


def plain_date(text: str, precision: str) -> Optional[str]:
    """An English date in one of the PLAIN_DATE forms, read directly; None for anything else.

    Loading dateparser's English locale takes ~0.3 s, more than extracting a whole page, and
    these forms are nearly all the spans; tests check the answers agree with dateparser's."""
    match = PLAIN_DATE.match(text.strip())
    if not match:
        return None
    day_before, month, day_after, year = match.groups()
    month = month.lower()
    number = next((i for i, name in enumerate(ENGLISH_MONTHS, 1)
                   if month in (name, name[:3]) or month == "sept" == name[:4]), 0)
    day = day_before or day_after
    if not number or (day_before and day_after) or bool(day) != (precision == "day"):
        return None
    try:
        date = dt.date(int(year), number, int(day or 1))
    except ValueError:
        return None
    return date.isoformat() if day else date.strftime("%Y-%m")


def parse_date(text: str, precision: str, languages: Sequence[str] = ("en",),
               decade_parts: Sequence[str] = ()) -> tuple[str, str]:
    """ISO date as precise as stated, and a qualifier ('approximate' for decades, with the
    part of the decade when one of `decade_parts` says it: 'approximate:late')."""
    if precision == "decade":
        match = re.search(r"(\d{4}|\d0)['’]?s", text)
        if not match:
            return "", ""
        decade = match.group(1)
        if len(decade) == 2:  # "the 90s": the twentieth century unless it cannot be
            decade = ("19" if int(decade) >= 30 else "20") + decade
        part = next((p for p in decade_parts if p in text.lower().split()), "")
        return f"{decade}s", f"approximate{':' + part if part else ''}"
    if precision == "year":
        match = YEAR.search(text.strip())
        return (match.group(1), "") if match else ("", "")
    plain = plain_date(text, precision) if "en" in languages else None
    if plain:
        return plain, ""
    read = read_date(text, languages, prefer_past=True, date_order="DMY")
    if read is None:
        return "", ""
    date = read.date()
    return (date.strftime("%Y-%m") if precision == "month" else date.isoformat()), ""


class Statements:
    """The spans of the values kept for one (field, value): a new one over text overlapping a
    kept one is the same statement read twice ("Membership / Over 187 member states" is a
    label line and a count phrase). Kept spans never overlap, so sorted by start their ends
    are sorted too, and one look-up finds the only one a new span can overlap (an entry
    stating thousands of facts is checked in time n log n, not n squared)."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        """Keep the span unless it overlaps a kept one; whether it was kept."""
        i = bisect_left(self.starts, end) - 1  # the last kept span starting before `end`
        if i >= 0 and self.ends[i] > start:
            return False
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        return True
