"""Field-level diff between two dataset versions: what a reviewer needs, not what moved.

Reads: two `Dataset`s (a folder or a git revision of `extracted/`, see `pipeline.dataset`).
Writes: a `DatasetDiff` (pure), rendered by `pipeline.diff_report` or the review page.

What counts as a change:
- A fact is compared on its value columns only (value, qualifier, unit, date, ... : every fact
  column except the provenance ones in `FACT_PROVENANCE`). A fact whose value is unchanged but
  whose offsets, evidence or rule moved (the page shifted, a sentence was reworded) is no change.
- Within a field, equal values pair off first; the rest pair by shared qualifier/unit/date, then
  in source order; what is left is an added or a removed value.
- Organisation columns and agreements are compared the same way, except where the facts of the
  same field already report the change (the facts carry the evidence).

Organisations are matched across versions by `pipeline.match` (same id, shared acronym, similar
name, same stated facts); a match with a different org_id is a rename, not a removal + addition.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from .match import match_organisations
from .model import TABLES, Agreement, Fact, Organisation

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
                    "membership": "membership"}

# exit codes of `partners diff`
NO_CHANGE, ERROR, VALUES_CHANGED, SCHEMA_CHANGED = 0, 1, 2, 3
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


@dataclass(frozen=True)
class FieldChange:
    """One changed value of an organisation: kind is added, removed or changed."""

    table: str
    field: str
    kind: str
    old: Optional[Side]
    new: Optional[Side]


@dataclass(frozen=True)
class OrgDiff:
    """What changed for one organisation; status is added, removed or changed."""

    status: str
    old_id: str
    new_id: str
    name: str
    old_name: str
    match: str
    changes: tuple[FieldChange, ...]

    @property
    def renamed(self) -> bool:
        return bool(self.old_id and self.new_id and self.old_id != self.new_id)


@dataclass(frozen=True)
class SchemaChange:
    table: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class DatasetDiff:
    old_label: str
    new_label: str
    organisations: tuple[OrgDiff, ...]
    schema: tuple[SchemaChange, ...]
    sources: tuple[tuple[str, str, str], ...]  # (source_file, old sha256, new sha256)
    unchanged: int

    @property
    def exit_code(self) -> int:
        if self.schema:
            return SCHEMA_CHANGED
        return VALUES_CHANGED if self.organisations else NO_CHANGE


# --- values -----------------------------------------------------------------------------


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
                record.char_end)


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


def diff_records(table: str, field: str, old: Sequence[Any], new: Sequence[Any],
                 provenance: frozenset, text) -> list[FieldChange]:
    changes = []
    for o, n in pair_values(old, new, provenance):
        kind = "changed" if o is not None and n is not None else ("removed" if n is None else "added")
        changes.append(FieldChange(table, field, kind, o and to_side(o, text(o)),
                                   n and to_side(n, text(n))))
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
             ignored: dict[str, frozenset] = IGNORED) -> list[FieldChange]:
    """Every changed value of one organisation (either side may be absent)."""
    changes: list[FieldChange] = []
    old_f, new_f = by_field(old_facts), by_field(new_facts)
    for field in sorted(set(old_f) | set(new_f), key=field_rank):
        changes += diff_records("facts", field, old_f.get(field, []), new_f.get(field, []),
                                ignored["facts"], fact_to_text)
    reported = {c.field for c in changes}
    if "agreement" not in reported:
        changes += diff_records("agreements", "agreement", old_agreements, new_agreements,
                                ignored["agreements"], agreement_to_text)
    if old is not None and new is not None:
        names = [f.name for f in dataclasses.fields(Organisation)
                 if f.name not in ignored["organisations"]]
        for column in names:
            before, after = org_column_text(old, column), org_column_text(new, column)
            if before != after and ORG_COLUMN_FIELD.get(column) not in reported:
                changes.append(FieldChange("organisations", column, "changed",
                                           Side(before), Side(after)))
    return changes


# --- the diff ---------------------------------------------------------------------------


def schema_changes(old_columns: dict, new_columns: dict) -> list[SchemaChange]:
    changes = []
    for table in sorted(set(old_columns) | set(new_columns)):
        before, after = old_columns.get(table, ()), new_columns.get(table, ())
        added = tuple(c for c in after if c not in before)
        removed = tuple(c for c in before if c not in after)
        if added or removed:
            changes.append(SchemaChange(table, added, removed))
    return changes


def source_changes(old, new) -> list[tuple[str, str, str]]:
    before = {(o.source_file, o.source_sha256) for o in old.organisations}
    after = {(o.source_file, o.source_sha256) for o in new.organisations}
    files = sorted({f for f, _ in before ^ after})
    pick = lambda rows, f: ",".join(sorted(s for g, s in rows if g == f))  # noqa: E731
    return [(f, pick(before, f), pick(after, f)) for f in files]


def grouped(records: Iterable[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for r in records:
        out[r.org_id].append(r)
    return out


def display_name(org: Organisation) -> str:
    return " – ".join(p for p in (org.acronyms[0] if org.acronyms else "", org.name) if p)


def lacks_table(dataset, table: str) -> bool:
    """True when the dataset was read from files and had no such table."""
    return bool(dataset.columns) and not dataset.columns.get(table)


def diff_datasets(old, new) -> DatasetDiff:
    """Everything that changed in meaning from `old` to `new` (two `Dataset`s)."""
    old_facts, new_facts = grouped(old.facts), grouped(new.facts)
    old_agr, new_agr = grouped(old.agreements), grouped(new.agreements)
    if lacks_table(old, "agreements") or lacks_table(new, "agreements"):
        old_agr, new_agr = {}, {}  # a table one version lacks is a schema change, not new rows
    pairs = match_organisations(old.organisations, new.organisations, old_facts, new_facts)
    ignored = ignored_columns(old.columns, new.columns)
    by_new = {n.org_id: (o, rule) for o, n, rule in pairs}
    matched_old = {o.org_id for o, _, _ in pairs}
    diffs, unchanged = [], 0
    for n in new.organisations:
        o, rule = by_new.get(n.org_id, (None, ""))
        oid = o.org_id if o else ""
        changes = diff_org(o, n, old_facts.get(oid, []), new_facts.get(n.org_id, []),
                           old_agr.get(oid, []), new_agr.get(n.org_id, []), ignored)
        if o is None or changes:
            diffs.append(OrgDiff("added" if o is None else "changed", oid, n.org_id,
                                 display_name(n), display_name(o) if o else "", rule,
                                 tuple(changes)))
        else:
            unchanged += 1
    for o in old.organisations:
        if o.org_id not in matched_old:
            changes = diff_org(o, None, old_facts.get(o.org_id, []), [],
                               old_agr.get(o.org_id, []), [], ignored)
            diffs.append(OrgDiff("removed", o.org_id, "", display_name(o), display_name(o),
                                 "", tuple(changes)))
    return DatasetDiff(old.label, new.label, tuple(diffs),
                       tuple(schema_changes(old.columns, new.columns)),
                       tuple(source_changes(old, new)), unchanged)


# --- command line -----------------------------------------------------------------------


def add_arguments(parser) -> None:
    """Arguments of `partners diff`."""
    parser.add_argument("old", help="the old dataset: a folder, or a git revision of DATASET_DIR")
    parser.add_argument("new", nargs="?", default=None,
                        help="the new dataset (default: DATASET_DIR in the working tree)")
    parser.add_argument("--format", "-f", choices=["text", "markdown", "json", "html"],
                        default="text", help="output format (html: the review page)")
    parser.add_argument("--out", "-o", default=None, help="write here instead of stdout")
    parser.add_argument("--dataset-dir", default="extracted",
                        help="the dataset folder inside the repository (default: extracted)")


def main(args) -> int:
    """Run `partners diff`; exit 0 no change, 1 error, 2 values changed, 3 schema changed."""
    import sys

    from .dataset import DatasetError, load_dataset
    from .diff_report import FORMATS
    from .io import OutputError, atomic_path

    try:
        old = load_dataset(args.old, args.dataset_dir)
        new = load_dataset(args.new or args.dataset_dir, args.dataset_dir)
        result = diff_datasets(old, new)
        if args.format == "html":
            from .review import render_page
            text = render_page(new, result)
        else:
            text = FORMATS[args.format](result)
        if args.out:
            with atomic_path(args.out) as tmp:
                tmp.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    except (DatasetError, OutputError, OSError) as err:
        print(f"partners diff: {err}", file=sys.stderr)
        return ERROR
    return result.exit_code
