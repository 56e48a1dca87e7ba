"""What changed in a run's own account of itself: its issues (by reason) and its metrics.

Reads: the issues and the `metrics.json` object of two dataset versions. Writes:
`IssueChanges` and `CountChange`s (pure), reported by `pipeline.versions.report`.

- Issues are counted by reason (`shared_acronym: 0 → 1`); the issues behind a changed count
  are listed too, as new (only in the new version) and gone (only in the old one). An issue is
  identified by its stage, reason, detail and source file, not by the offsets in its `source`:
  a reworded introduction moves every offset without changing any issue.
- Metrics are flattened to dotted keys (`issues_by_reason.shared_acronym`) and every key whose
  value differs is reported. The pipeline leaves a count out when it is zero, so a numeric key
  present in one version only is shown as 0 in the other (`1 → 0`, not `1 → -`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from pipeline.model import Issue, source_span


@dataclass(frozen=True)
class CountChange:
    """One count (an issue reason, a metric key) whose value differs: old → new."""

    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class IssueChanges:
    """How the issues of two versions differ: totals, counts by reason, the issues themselves."""

    old_total: int = 0
    new_total: int = 0
    by_reason: tuple[CountChange, ...] = ()
    new: tuple[Issue, ...] = ()
    gone: tuple[Issue, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.by_reason or self.new or self.gone)


def issue_key(issue: Issue) -> tuple[str, str, str, str]:
    """What identifies an issue across versions: its source file, not its offsets."""
    span = source_span(issue.source)
    return (issue.stage, issue.reason, span[0] if span else issue.source, issue.detail)


def issues_to_changes(old: Sequence[Issue], new: Sequence[Issue]) -> IssueChanges:
    """The issue counts by reason that differ, and the issues only one version has."""
    before, after = Counter(i.reason for i in old), Counter(i.reason for i in new)
    by_reason = tuple(CountChange(r, before[r], after[r]) for r in sorted(set(before) | set(after))
                      if before[r] != after[r])
    old_keys, new_keys = Counter(map(issue_key, old)), Counter(map(issue_key, new))
    gone_keys, new_only = old_keys - new_keys, new_keys - old_keys
    return IssueChanges(len(old), len(new), by_reason,
                        tuple(take(new, new_only)), tuple(take(old, gone_keys)))


def take(issues: Sequence[Issue], wanted: Counter) -> list[Issue]:
    """The issues whose key is wanted, as many of each as wanted, in their order."""
    wanted, out = Counter(wanted), []
    for issue in issues:
        key = issue_key(issue)
        if wanted[key] > 0:
            wanted[key] -= 1
            out.append(issue)
    return out


def flatten(metrics: dict, prefix: str = "") -> dict[str, Any]:
    """Nested metrics as dotted keys: {"paragraphs": {"total": 3}} -> {"paragraphs.total": 3};
    an empty group ({} when no issue was raised) has no keys."""
    flat: dict[str, Any] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def metrics_to_changes(old: dict, new: dict) -> tuple[CountChange, ...]:
    """Every metric whose value differs; a count one version lacks is 0 there."""
    before, after = flatten(old), flatten(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if key not in before and is_number(b):
            a = 0
        if key not in after and is_number(a):
            b = 0
        if a != b:
            changes.append(CountChange(key, a, b))
    return tuple(changes)
