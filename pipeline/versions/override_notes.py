"""What the curator overrides did to a dataset version, as its own issues.jsonl records it.

Reads: a version's issues; `override_applied` and `override_suppressed` carry a JSON object
(`pipeline.dataset.override_apply`). Writes: `OverrideNotes`, which say for a value which
override made it, or for a removed value which override suppressed it, and why: `partners diff`
and the review page show the reason the dataset was made with, not what rules/overrides.yaml
says today. A detail that is not such an object (a dataset written before overrides had ids)
gives no note.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from pipeline.dataset.overrides import RULE_PREFIX
from pipeline.model import Issue

EFFECTS = ("override_applied", "override_suppressed")


@dataclass(frozen=True)
class Effect:
    """One override's effect on one fact: for a suppression, the fact it removed."""

    override: str
    action: str
    reason: str
    org_id: str = ""
    field: str = ""
    fact: Optional[dict] = None

    def text(self, verb: str) -> str:
        return f"{verb} by override {self.override}: {self.reason}"


@dataclass
class OverrideNotes:
    by_override: dict[str, Effect] = field(default_factory=dict)
    suppressed: dict[str, list[Effect]] = field(default_factory=dict)  # by org_id

    def made(self, record: Any) -> Optional[Effect]:
        """The override that set a record's value (its rule_id is override:<id>)."""
        rule = getattr(record, "rule_id", "")
        if not rule.startswith(RULE_PREFIX):
            return None
        oid = rule[len(RULE_PREFIX):]
        return self.by_override.get(oid, Effect(oid, "correct", "(reason not recorded)"))

    def removed(self, org_id: str, record: Any) -> Optional[Effect]:
        """The suppression that removed this record (a fact, or an agreement row by its id)."""
        key = getattr(record, "fact_id", None) or getattr(record, "agreement_id", None)
        for effect in self.suppressed.get(org_id, ()):
            fact = effect.fact or {}
            if fact.get("fact_id") == key or (
                    (fact.get("field"), fact.get("value"))
                    == (getattr(record, "field", None), getattr(record, "value", None))):
                return effect
        return None


def issue_to_effect(issue: Issue) -> Optional[Effect]:
    try:
        detail = json.loads(issue.detail)
    except ValueError:
        return None
    if not isinstance(detail, dict) or not isinstance(detail.get("override"), str):
        return None
    fact = detail.get("fact") if isinstance(detail.get("fact"), dict) else None
    return Effect(detail["override"], str(detail.get("action", "")), str(detail.get("reason", "")),
                  str(detail.get("org_id", "")), str(detail.get("field", "")), fact)


def override_notes(issues: Iterable[Issue]) -> OverrideNotes:
    """The overrides' effects recorded in a version's issues."""
    notes = OverrideNotes()
    for issue in issues:
        if issue.reason not in EFFECTS or (effect := issue_to_effect(issue)) is None:
            continue
        notes.by_override.setdefault(effect.override, effect)
        if issue.reason == "override_suppressed":
            notes.suppressed.setdefault(effect.org_id, []).append(effect)
    return notes


def explain(old_notes: OverrideNotes, new_notes: OverrideNotes, new_org_id: str):
    """For `compare.diff_org`: (old record, new record) -> what an override had to do with
    the change, or ''."""

    def note(old: Any, new: Any) -> str:
        if new is not None and (made := new_notes.made(new)):
            return made.text("set")
        if new is None and old is not None and (gone := new_notes.removed(new_org_id, old)):
            return gone.text("suppressed")
        if old is not None and (made := old_notes.made(old)):
            return made.text("the old value was set") + " (no longer applied)"
        return ""

    return note
