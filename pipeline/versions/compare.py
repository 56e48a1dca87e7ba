"""Compare one organisation's records across two dataset versions, value by value.

Reads: the facts, agreements and organisation row of one organisation in an old and a new
version (either side may be absent). Writes: `FieldChange`s (pure).

- A fact is compared on its value columns only (value, qualifier, unit, date, ...: every fact
  column except the provenance ones in `FACT_PROVENANCE`, and except a column only one version
  has, which is a schema change). A fact whose value is unchanged but whose offsets, evidence
  or rule moved (the page shifted, a sentence was reworded) is no change.
- Within a field, equal values pair off first; the rest pair by shared qualifier/unit/date,
  then in source order; what is left is an added or a removed value.
- Organisation columns and agreements are compared the same way, except where the facts of the
  same field already report the change (the facts carry the evidence).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from pipeline.model import TABLES, Agreement, Fact, Organisation

FACT_PROVENANCE = frozenset({"fact_id", "org_id", "field", "evidence", "source_file",
                             "source_sha256", "char_start", "char_end", "rule_id", "page",
                             "raw_value"})
AGREEMENT_PROVENANCE = frozenset({"agreement_id", "org_id", "evidence", "source_file",
                                  "source_sha256", "char_start", "char_end", "rule_id"})
ORG_PROVENANCE = frozenset({"org_id", "source_file", "source_sha256", "char_start", "char_end"})
# Organisation columns derived from facts: a change there is reported by the facts.
ORG_COLUMN_FIELD = {"name": "name", "acronyms": "acronym", "founded_year": "founded",
                    "founded_date": "founded", "headquarters": "headquarters",
                    "website": "website", "host_relationship": "host_relationship",
                    "membership": "membership", "flags": "flag"}

# Fields a reader looks at first; the rest follow alphabetically.
FIELD_ORDER = ("name", "acronym", "alias", "founded", "headquarters", "membership")


@dataclass(frozen=True)
class Side:
    """One side of a change: the value as shown, and where it was read."""

    value: str
    evidence: str = ""
    rule_id: str = ""
    source_file: str = ""
    char_start: int = 0
    char_end: int = 0
    page: Optional[int] = None  # PDF page (from 1) the offsets index, for linked documents


@dataclass(frozen=True)
class FieldChange:
    """One changed value of an organisation: kind is added, removed or changed."""

    table: str
    field: str
    kind: str
    old: Optional[Side]
    new: Optional[Side]
    override: str = ""  # which curator override set or suppressed the value, and why


def fact_to_text(fact: Fact) -> str:
    """A fact's value as a reader says it: 'nearly 400000 members', '2014-03-07 (day)'."""
    text = " ".join(p for p in (fact.qualifier, fact.value, fact.unit) if p)
    if fact.date and fact.date != fact.value:
        text += f" ({fact.date}" + (f", {fact.date_precision})" if fact.date_precision else ")")
    return text


def agreement_to_text(agreement: Agreement) -> str:
    parts = [agreement.kind, agreement.date, " & ".join(agreement.parties), agreement.link]
    return " · ".join(p for p in parts if p)


def value_key(record: Any, provenance: frozenset) -> tuple:
    return tuple(getattr(record, f.name) for f in dataclasses.fields(record)
                 if f.name not in provenance)


def to_side(record: Any, text: str) -> Side:
    return Side(text, record.evidence, record.rule_id, record.source_file, record.char_start,
                record.char_end, getattr(record, "page", None))


def pair_values(old: Sequence[Any], new: Sequence[Any], provenance: frozenset
                ) -> list[tuple[Optional[Any], Optional[Any]]]:
    """Pair the values of one field that differ: equal ones drop out, then best-matching pairs."""
    old, new = list(old), list(new)
    for o in list(old):
        match = next((n for n in new if value_key(n, provenance) == value_key(o, provenance)), None)
        if match is not None:
            old.remove(o)
            new.remove(match)

    def shared(o: Any, n: Any) -> int:  # equal non-empty columns besides the value itself
        return sum(1 for a, b in zip(value_key(o, provenance)[1:], value_key(n, provenance)[1:])
                   if a == b and a not in ("", None, ()))

    pairs: list[tuple[Optional[Any], Optional[Any]]] = []
    for o, n in sorted(((o, n) for o in old for n in new), key=lambda p: -shared(*p)):
        if o in old and n in new and shared(o, n) > 0:
            pairs.append((o, n))
            old.remove(o)
            new.remove(n)
    pairs += list(zip(old, new))
    pairs += [(o, None) for o in old[len(new):]] + [(None, n) for n in new[len(old):]]
    return pairs


def no_note(old: Any, new: Any) -> str:
    return ""


def diff_records(table: str, field: str, old: Sequence[Any], new: Sequence[Any],
                 provenance: frozenset, text, explain=no_note) -> list[FieldChange]:
    changes = []
    for o, n in pair_values(old, new, provenance):
        kind = "changed" if o is not None and n is not None else ("removed" if n is None else "added")
        changes.append(FieldChange(table, field, kind, o and to_side(o, text(o)),
                                   n and to_side(n, text(n)), explain(o, n)))
    return changes


def by_field(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    grouped: dict[str, list[Fact]] = defaultdict(list)
    for fact in sorted(facts, key=lambda f: (f.char_start, f.char_end)):
        grouped[fact.field].append(fact)
    return grouped


def field_rank(field: str) -> tuple[int, str]:
    return (FIELD_ORDER.index(field) if field in FIELD_ORDER else len(FIELD_ORDER), field)


def org_column_text(org: Organisation, column: str) -> str:
    value = getattr(org, column)
    if isinstance(value, tuple):
        return " | ".join(value)
    return "" if value is None else str(value)


IGNORED = {"facts": FACT_PROVENANCE, "agreements": AGREEMENT_PROVENANCE,
           "organisations": ORG_PROVENANCE}


def ignored_columns(old_columns: dict, new_columns: dict) -> dict[str, frozenset]:
    """Per table, the columns not compared: provenance, and any column one version lacks."""
    ignored = dict(IGNORED)
    for table, cls in TABLES.items():
        before, after = old_columns.get(table), new_columns.get(table)
        if before and after:  # a column only one side has is a schema change, not a value change
            names = {f.name for f in dataclasses.fields(cls)}
            ignored[table] = IGNORED[table] | (names - (set(before) & set(after)))
    return ignored


def diff_org(old: Optional[Organisation], new: Optional[Organisation],
             old_facts: list[Fact], new_facts: list[Fact],
             old_agreements: list[Agreement], new_agreements: list[Agreement],
             ignored: dict[str, frozenset] = IGNORED, explain=no_note) -> list[FieldChange]:
    """Every changed value of one organisation (either side may be absent); `explain(old, new)`
    says what a curator override had to do with a change."""
    changes: list[FieldChange] = []
    old_f, new_f = by_field(old_facts), by_field(new_facts)
    for field in sorted(set(old_f) | set(new_f), key=field_rank):
        changes += diff_records("facts", field, old_f.get(field, []), new_f.get(field, []),
                                ignored["facts"], fact_to_text, explain)
    reported = {c.field for c in changes}
    if "agreement" not in reported:
        changes += diff_records("agreements", "agreement", old_agreements, new_agreements,
                                ignored["agreements"], agreement_to_text, explain)
    if old is not None and new is not None:
        names = [f.name for f in dataclasses.fields(Organisation)
                 if f.name not in ignored["organisations"]]
        for column in names:
            before, after = org_column_text(old, column), org_column_text(new, column)
            if before != after and ORG_COLUMN_FIELD.get(column) not in reported:
                changes.append(FieldChange("organisations", column, "changed",
                                           Side(before), Side(after)))
    return changes
