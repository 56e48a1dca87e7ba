"""metrics.json: counts and fill rates of a run, for `dvc metrics diff`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, not_
from typing import Sequence

from pipeline.dataset.metric_keys import MetricKeys
from pipeline.model import Fact, Organisation, columns


@dataclass
class Totals:
    """What the run counted, for metrics.json."""

    facts_by_field: Counter = field(default_factory=Counter)
    filled: Counter = field(default_factory=Counter)
    organisations: int = 0
    agreements: int = 0
    relationships: Counter = field(default_factory=Counter)


ORGANISATION_COLUMNS = tuple(f.name for f in columns(Organisation))   # (read once, not per row)
EMPTY = ("", None, ())   # a column's value that does not count as filled
_row_values = attrgetter(*ORGANISATION_COLUMNS)
_field = attrgetter("field")


def count(totals: Totals, org: Organisation, facts: Sequence[Fact]) -> None:
    """Count an organisation and its facts. Per row, in C calls: the columns filled are those
    whose value is not in EMPTY (a Python step per column was 2% of a run of one-line
    entries)."""
    totals.organisations += 1
    totals.facts_by_field.update(map(_field, facts))
    totals.filled.update(compress(ORGANISATION_COLUMNS,
                                  map(not_, map(EMPTY.__contains__, _row_values(org)))))
    totals.relationships[org.host_relationship] += 1


def counts(keys: Sequence[str], counted: Counter) -> dict:
    """Every key at its count, zero included (a key never seen is still counted, not lost)."""
    return dict(sorted({**dict.fromkeys(keys, 0), **counted}.items()))


def build_metrics(totals: Totals, documents, accounting, reasons: Counter,
                  keys: MetricKeys = MetricKeys()) -> dict:
    """Counts and fill rates, for `dvc metrics diff`; the counts by field, relationship and
    reason have every key of `keys` (`pipeline.dataset.metric_keys`), zero or not."""
    n = totals.organisations or 1
    return {
        "documents": len(documents),
        "organisations": totals.organisations,
        "agreements": totals.agreements,
        "facts": sum(totals.facts_by_field.values()),
        "facts_by_field": counts(keys.facts_by_field, totals.facts_by_field),
        "fill_rate": {f.name: round(totals.filled[f.name] / n, 4)
                      for f in columns(Organisation)},
        "host_relationship": counts(keys.host_relationship, totals.relationships),
        "paragraphs": {
            "total": sum(a.paragraphs for a in accounting),
            "in_entries": sum(a.in_entries for a in accounting),
            "in_preamble": sum(a.in_preamble for a in accounting),
            "continuation": sum(a.continuation for a in accounting),
            "in_groups": sum(a.in_groups for a in accounting),
            "boilerplate": sum(a.boilerplate for a in accounting),
            "unused": sum(a.unused for a in accounting),
        },
        "blocks": {key: sum(getattr(a, f"blocks_{key}") for a in accounting) for key in
                   ("total", "in_entries", "in_preamble", "in_groups", "boilerplate", "unused")},
        "issues": sum(reasons.values()),
        "issues_by_reason": counts(keys.issues_by_reason, reasons),
    }
