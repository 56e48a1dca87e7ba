"""Field-level diff between two dataset versions: what a reviewer needs, not what moved.

Reads: two `Dataset`s (a folder or a git revision of `extracted/`, see `pipeline.versions.version`).
Writes: a `DatasetDiff` (pure), rendered by `pipeline.versions.report` or the review page;
`partners diff` (`add_arguments`, `main`) is the thin command around it.

- Organisations are matched across versions by `pipeline.versions.org_matching` (same id, shared acronym,
  similar name, same stated facts); a match with a different org_id is a rename, not a removal
  plus an addition.
- Each matched pair is compared value by value by `pipeline.versions.compare`: moved offsets and
  reworded evidence are not changes; changed, added and removed values are, with the evidence
  of both sides, and the curator override that set or suppressed a value with its reason, as
  each version's issues record it (`pipeline.versions.override_notes`).
- The run's issues (counted by reason) and its metrics are compared by
  `pipeline.versions.counts`; an optional file (`issues.jsonl`, `metrics.json`,
  `datapackage.json`) that only one version has is reported, and what it holds not compared.
- Columns added to or removed from a table, and a file only one version has, are a schema
  change, reported apart (exit 3). Any other change (an organisation, an issue, a metric)
  exits 2; 0 means the report lists nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from pipeline.model import Organisation
from pipeline.versions.compare import FieldChange, diff_org, ignored_columns
from pipeline.versions.counts import (
    CountChange,
    IssueChanges,
    issues_to_changes,
    metrics_to_changes,
)
from pipeline.versions.org_matching import match_organisations
from pipeline.versions.override_notes import explain, override_notes
from pipeline.versions.version import ISSUES_FILE, METRICS_FILE

# exit codes of `partners diff`
NO_CHANGE, ERROR, VALUES_CHANGED, SCHEMA_CHANGED = 0, 1, 2, 3


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
    issues: IssueChanges = IssueChanges()
    metrics: tuple[CountChange, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  # (file, "old" or "new"): only that version has it

    @property
    def exit_code(self) -> int:
        if self.schema or self.files:
            return SCHEMA_CHANGED
        changed = self.organisations or self.issues.changed or self.metrics
        return VALUES_CHANGED if changed else NO_CHANGE

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


def file_changes(old, new) -> list[tuple[str, str]]:
    """The optional files only one version has: (file, the version that has it)."""
    return sorted([(f, "new") for f in set(old.missing) - set(new.missing)]
                  + [(f, "old") for f in set(new.missing) - set(old.missing)])


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
    notes = override_notes(old.issues), override_notes(new.issues)
    diffs, unchanged = [], 0
    for n in new.organisations:
        o, rule = by_new.get(n.org_id, (None, ""))
        oid = o.org_id if o else ""
        changes = diff_org(o, n, old_facts.get(oid, []), new_facts.get(n.org_id, []),
                           old_agr.get(oid, []), new_agr.get(n.org_id, []), ignored,
                           explain(*notes, n.org_id))
        if o is None or changes:
            diffs.append(OrgDiff("added" if o is None else "changed", oid, n.org_id,
                                 display_name(n), display_name(o) if o else "", rule,
                                 tuple(changes)))
        else:
            unchanged += 1
    for o in old.organisations:
        if o.org_id not in matched_old:
            changes = diff_org(o, None, old_facts.get(o.org_id, []), [],
                               old_agr.get(o.org_id, []), [], ignored, explain(*notes, ""))
            diffs.append(OrgDiff("removed", o.org_id, "", display_name(o), display_name(o),
                                 "", tuple(changes)))
    absent = set(old.missing) | set(new.missing)  # what one version lacks is not compared
    issues = IssueChanges() if ISSUES_FILE in absent else issues_to_changes(old.issues, new.issues)
    metrics = () if METRICS_FILE in absent else metrics_to_changes(old.metrics, new.metrics)
    return DatasetDiff(old.label, new.label, tuple(diffs),
                       tuple(schema_changes(old.columns, new.columns)),
                       tuple(source_changes(old, new)), unchanged, issues, metrics,
                       tuple(file_changes(old, new)))
