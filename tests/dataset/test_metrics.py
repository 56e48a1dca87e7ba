"""pipeline.dataset.metrics: what a run counts for metrics.json."""

from __future__ import annotations

from collections import Counter

from pipeline.dataset.metrics import ORGANISATION_COLUMNS, Totals, count
from pipeline.model import Fact
from tests.dataset.rows import org


def fact(field: str) -> Fact:
    return Fact(fact_id="f", org_id="o1", field=field, value="v", evidence="v",
                source_file="raw/p.txt", source_sha256="0" * 64, char_start=0, char_end=1,
                rule_id="r")


def test_count_fills_every_column_whose_value_is_not_empty():
    """Empty is "", None and (): 0 and a one-item tuple are filled. Compared with the first
    way it was written, a Python step per column."""
    rows = [org(1), org(2, acronyms=("ABC",), founded_year=0, headquarters="Vienna",
                        flags=("f",), host_relationship="partner"), org(3, name="")]
    totals = Totals()
    for row in rows:
        count(totals, row, [fact("name"), fact("acronym"), fact("name")])
    expected = Counter()
    for row in rows:
        for name in ORGANISATION_COLUMNS:
            if getattr(row, name) not in ("", None, ()):
                expected[name] += 1
    assert totals.filled == expected
    assert totals.filled["founded_year"] == 1 and totals.filled["acronyms"] == 1
    assert totals.filled["name"] == 2 and "group" not in totals.filled
    assert totals.organisations == 3
    assert totals.facts_by_field == Counter(name=6, acronym=3)
    assert totals.relationships == Counter(none_stated=2, partner=1)
