"""Applying curator overrides to the facts (and agreement rows) of each organisation.

Reads: the `Override`s of `pipeline.dataset.overrides`, then each organisation's facts and
agreements in page order. Writes: the facts and agreements with the overrides applied, and an
issue for every effect, so that nothing is lost and everything is visible:
- `correct`: each matching fact keeps its evidence, offsets and fact_id; its `value` becomes the
  curator's value, its `rule_id` `override:<id>`, and its `raw_value` keeps the value the rules
  extracted (an agreement fact's row in `agreements` takes the new kind and rule id). Issue
  `override_applied`.
- `suppress`: each matching fact is removed (and its agreement row) and kept whole in the
  issue `override_suppressed`.
  The detail of both is a JSON object (`override`, `action`, `org_id`, `field`, `reason`, and
  `from`, `from_rule`, `to`, `fact_id` for a correction or the whole `fact` for a suppression)
  that `partners diff` and `partners review` read to say which override made a value and why.
- An override that matched no fact in the whole run: `stale_override` (the organisation is not
  in this run, or it no longer has such a fact); one whose `org` names several organisations:
  `ambiguous_override`, not applied. Both are also printed on stderr with the file and line.
A fact matches when its org is the override's, its field is the override's field and, when
`match` is given, its value or raw_value equals it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Iterable, Sequence

from pipeline.dataset.overrides import Override
from pipeline.model import Agreement, Fact, Issue, to_dict

STAGE = "export"


def matches(override: Override, fact: Fact) -> bool:
    return (fact.org_id == override.org_ids[0] and fact.field == override.field
            and (override.match is None or override.match in (fact.value, fact.raw_value)))


def note(override: Override, old: Fact, **more) -> dict:
    return {"override": override.id, "action": override.action, "org_id": old.org_id,
            "field": old.field, "reason": override.reason, **more}


def effect(override: Override, reason: str, detail: dict) -> Issue:
    return Issue(source=override.issue_source, stage=STAGE, reason=reason,
                 detail=json.dumps(detail, ensure_ascii=False, sort_keys=True))


def apply_one(override: Override, facts: list[Fact], agreements: list[Agreement]
              ) -> tuple[list[Fact], list[Agreement], list[Issue]]:
    """One override on one organisation's records (unchanged when it matches nothing)."""
    hits = [i for i, f in enumerate(facts) if matches(override, f)]
    issues, changed = [], {}
    for i in hits:
        old = facts[i]
        if override.action == "suppress":
            issues.append(effect(override, "override_suppressed",
                                 note(override, old, fact=to_dict(old))))
            changed[old.fact_id] = None
        else:
            facts[i] = replace(old, value=override.value, rule_id=override.rule_id,
                               raw_value=old.value)
            issues.append(effect(override, "override_applied", note(
                override, old, fact_id=old.fact_id, to=override.value, **{
                    "from": old.value, "from_rule": old.rule_id})))
            changed[old.fact_id] = facts[i]
    facts = [f for i, f in enumerate(facts) if not (i in hits and override.action == "suppress")]
    rows = []
    for row in agreements:  # an agreement row is its agreement fact's (same id)
        if row.agreement_id not in changed:
            rows.append(row)
        elif changed[row.agreement_id] is not None:
            rows.append(replace(row, kind=override.value, rule_id=override.rule_id))
    return facts, rows, issues


class OverrideTracker:
    """Applies overrides one organisation at a time; at the end, reports those that matched
    nothing in the whole run or could not be applied."""

    def __init__(self, overrides: Sequence[Override]):
        self.overrides = list(overrides)
        self.used: set[str] = set()
        self.orgs_seen: set[str] = set()

    def apply(self, org_id: str, facts: Iterable[Fact], agreements: Iterable[Agreement] = ()
              ) -> tuple[list[Fact], list[Agreement], list[Issue]]:
        facts, agreements, issues = list(facts), list(agreements), []
        self.orgs_seen.add(org_id)
        for override in self.overrides:
            if override.org_ids != (org_id,):
                continue
            facts, agreements, found = apply_one(override, facts, agreements)
            if found:
                self.used.add(override.id)
            issues += found
        return facts, agreements, issues

    def leftovers(self) -> list[tuple[Override, Issue]]:
        """The overrides that did nothing, each with its issue."""
        out = []
        for o in self.overrides:
            if len(o.org_ids) > 1:
                out.append((o, Issue(o.issue_source, STAGE, "ambiguous_override",
                                     f"{o.what}: {o.org!r} names {', '.join(o.org_ids)}; "
                                     f"not applied: name one org_id ({o.reason})")))
            elif o.id not in self.used:
                why = ("the organisation is not in this run" if o.org_ids[0] not in self.orgs_seen
                       else f"{o.org_ids[0]} has no such fact any more")
                out.append((o, Issue(o.issue_source, STAGE, "stale_override",
                                     f"{o.what}: matches no fact: {why}; update or delete it "
                                     f"({o.reason})")))
        return out


def warning_lines(leftovers: Sequence[tuple[Override, Issue]]) -> list[str]:
    """The console lines for overrides that did nothing: file:line, reason, detail."""
    return [f"warning: {o.where}: {issue.reason}: {issue.detail}" for o, issue in leftovers]
