"""Facts made from an entry's values: the record `Fact(...)` makes, evidence sliced from the
text at the value's offsets."""

import dataclasses
import pickle

import pytest

from pipeline.extract.facts import make_fact
from pipeline.extract.values import FieldValue
from pipeline.model import Entry, Fact, stable_id

TEXT = "IAP - International Association of Prosecutors. Founded in 1995, it has 183 members."
ENTRY = Entry("raw/p.txt", "0" * 64, 0, 0, len(TEXT), 3, "dash")
VALUES = [FieldValue("acronym", "IAP", 0, 3, "heading.acronym"),
          FieldValue("founded", "1995", 48, 63, "founded.verb.date", date="1995",
                     date_precision="year", raw_value="1995"),
          FieldValue("membership", "183", 72, 83, "membership.count", qualifier="exact",
                     unit="members", raw_value="183 members")]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: v.field)
def test_facts_make_fact_is_the_record_fact_makes(value):
    fact = make_fact("iap", ENTRY, TEXT, value, 2)
    expected = Fact(fact_id=stable_id("iap", value.field, value.value, value.qualifier,
                                      value.unit, value.date, 2),
                    org_id="iap", field=value.field, value=value.value,
                    qualifier=value.qualifier, unit=value.unit, date=value.date,
                    date_precision=value.date_precision, evidence=TEXT[value.start:value.end],
                    source_file="raw/p.txt", source_sha256="0" * 64, char_start=value.start,
                    char_end=value.end, rule_id=value.rule_id,
                    raw_value=value.raw_value or TEXT[value.start:value.end])
    assert fact == expected and hash(fact) == hash(expected) and repr(fact) == repr(expected)
    assert vars(fact) == vars(expected)   # every field, none more (a new field fails here)
    assert pickle.loads(pickle.dumps(fact)) == fact
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.value = "x"


def test_facts_evidence_is_the_text_at_the_offsets():
    for value in VALUES:
        fact = make_fact("iap", ENTRY, TEXT, value, 1)
        assert TEXT[fact.char_start:fact.char_end] == fact.evidence
