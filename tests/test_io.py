"""pipeline.io: records as JSON lines."""

from __future__ import annotations

import dataclasses
import json

from pipeline.io import dumps
from pipeline.model import Entry, Extraction, Fact, Issue, Link


def test_io_dumps_a_record_as_asdict_would():
    fact = Fact(fact_id="f1", org_id="aba", field="name", value="ABA", qualifier="", unit="",
                date="", date_precision="", evidence="ABA", source_file="raw/p.txt",
                source_sha256="0" * 64, char_start=0, char_end=3, rule_id="heading.acronym",
                page=None, raw_value="ABA")
    entry = Entry("raw/p.txt", "0" * 64, 0, 0, 40, 3, "dash", labels=(("acronym", 0, 3),),
                  paragraphs=((0, 40),))
    for record in [fact, Issue("raw/p.txt:0-3", "extract", "why", "what"),
                   Link(url="https://example.org", text="x", char_start=1, char_end=2),
                   Extraction("aba", entry, (fact, fact), ())]:
        expected = json.dumps(dataclasses.asdict(record), ensure_ascii=False, sort_keys=True)
        assert dumps(record) == expected
    assert dumps({"b": (1, 2), "a": None}) == '{"a": null, "b": [1, 2]}'
