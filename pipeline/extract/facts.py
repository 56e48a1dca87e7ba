"""An entry's values as dataset records: facts, and the agreements rows of agreement mentions.

Reads: `FieldValue`s with offsets into the document, the entry, and the document's text and
links. Writes: `Fact`s (evidence sliced from the original text at the value's offsets) and
`Agreement`s (the link in the same paragraph).
"""

from __future__ import annotations

from pipeline.extract.values import FieldValue
from pipeline.model import Agreement, Entry, Fact, stable_id
from pipeline.records import new_record


def make_fact(org_id: str, entry: Entry, text: str, value: FieldValue, n: int) -> Fact:
    """A fact with its evidence sliced from the original text at its offsets; every field
    written at once (`records.new_record`; a test compares it with `Fact(...)`)."""
    v = value
    evidence = text[v.start:v.end]
    return new_record(Fact, {
        "fact_id": stable_id(org_id, v.field, v.value, v.qualifier, v.unit, v.date, n),
        "org_id": org_id, "field": v.field, "value": v.value, "qualifier": v.qualifier,
        "unit": v.unit, "date": v.date, "date_precision": v.date_precision,
        "evidence": evidence, "source_file": entry.source_file,
        "source_sha256": entry.source_sha256, "char_start": v.start, "char_end": v.end,
        "rule_id": v.rule_id, "page": None, "raw_value": v.raw_value or evidence})


def to_agreement(fact: Fact, value: FieldValue, entry: Entry, links) -> Agreement:
    """An agreements row for an agreement mention; its link is the one in the same paragraph."""
    para = next(((s, e) for s, e in entry.paragraphs if s <= fact.char_start < e),
                (entry.char_start, entry.char_end))
    link = next((ln.url for ln in links if para[0] <= ln.char_start < para[1]), "")
    return Agreement(agreement_id=fact.fact_id, org_id=fact.org_id, kind=fact.value,
                     parties=value.parties, date=fact.date, date_precision=fact.date_precision,
                     evidence=fact.evidence, source_file=fact.source_file,
                     source_sha256=fact.source_sha256, char_start=fact.char_start,
                     char_end=fact.char_end, link=link, rule_id=fact.rule_id)
