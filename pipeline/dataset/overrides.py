"""Curator overrides: corrections and suppressions of extracted values, as data with a reason.

Reads: `rules/overrides.yaml`, a list of items
    {org: <org_id or acronym>, field: <fact field>, action: correct|suppress,
     value: <new value, for correct only>, match: <old value, optional>, reason: <why, mandatory>}
Writes (pure, `apply_overrides`): the facts with the overrides applied, and issues.

What an override does to the data, so that nothing is lost and everything is visible:
- `correct`: each matching fact keeps its evidence, offsets and fact_id; its `value` becomes the
  curator's value, its `rule_id` becomes `override:<n>` (n = the item's position in the file,
  from 1) and its `raw_value` keeps the value the rules extracted. An `override_applied` issue
  records the original value and rule.
- `suppress`: each matching fact is removed from the facts and kept whole, as JSON, in the
  detail of an `override_suppressed` issue (issues.jsonl), so the dataset holds only values a
  curator stands behind and the suppressed one can still be read.
- An override that matches no fact (the page changed, the value is gone) yields a
  `stale_override` issue; one whose `org` names several organisations (a shared acronym) yields
  `ambiguous_override` and is not applied.
A fact matches when its org is the override's (org_id, or an `acronym` fact equal to `org`),
its field is the override's field and, when `match` is given, its value or raw_value equals it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Optional, Sequence

import yaml

from pipeline.io import load_yaml, yaml_problem
from pipeline.model import Fact, Issue, to_dict

ACTIONS = ("correct", "suppress")
REQUIRED = ("org", "field", "action", "reason")
OPTIONAL = ("value", "match")
STAGE = "export"


class OverrideError(Exception):
    """A broken overrides file: names the file, the item and the key."""


@dataclass(frozen=True)
class Override:
    number: int  # position in the file, from 1: what `override:<n>` refers to
    org: str
    field: str
    action: str
    reason: str
    value: Optional[str] = None
    match: Optional[str] = None
    source: str = "rules/overrides.yaml"

    @property
    def rule_id(self) -> str:
        return f"override:{self.number}"


def item_to_override(item: object, number: int, source: str) -> Override:
    """Validate one item of the file; raise OverrideError naming the file, item and key."""
    where = f"{source}: item {number}"
    if not isinstance(item, dict):
        raise OverrideError(f"{where}: expected a mapping with keys {', '.join(REQUIRED)}")
    unknown = sorted(set(item) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise OverrideError(f"{where}: unknown key {unknown[0]!r} (allowed: "
                            f"{', '.join(REQUIRED + OPTIONAL)})")
    for key in REQUIRED:
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise OverrideError(f"{where}: missing or empty {key!r}"
                                + (" (say why the value is overridden)" if key == "reason" else ""))
    if item["action"] not in ACTIONS:
        raise OverrideError(f"{where}: action {item['action']!r} is not one of {', '.join(ACTIONS)}")
    if item["action"] == "correct" and item.get("value") in (None, ""):
        raise OverrideError(f"{where}: 'correct' needs a 'value'")
    if item["action"] == "suppress" and "value" in item:
        raise OverrideError(f"{where}: 'suppress' takes no 'value' (use 'match' to pick one)")
    text = lambda key: None if item.get(key) is None else str(item[key])  # noqa: E731
    return Override(number, item["org"].strip(), item["field"].strip(), item["action"],
                    item["reason"].strip(), text("value"), text("match"), source)


def load_overrides(path: Path) -> list[Override]:
    """The overrides in a YAML file (an empty file or list means none)."""
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise OverrideError(f"{path}: cannot read the overrides: {err}") from err
    except yaml.YAMLError as err:
        raise OverrideError(yaml_problem(err, str(path), "cannot read the overrides")) from err
    if data is None:
        return []
    if not isinstance(data, list):
        raise OverrideError(f"{path}: expected a list of overrides, found {type(data).__name__}")
    return [item_to_override(item, n, str(path)) for n, item in enumerate(data, start=1)]


def override_reasons(overrides: Iterable[Override]) -> dict[str, str]:
    """rule_id -> reason, for showing overrides on the review page."""
    return {o.rule_id: f"{o.action}: {o.reason}" for o in overrides}


def resolve_org(org: str, facts: list[Fact]) -> list[str]:
    """The org_ids an override's `org` names: an org_id, else every org with that acronym."""
    ids = sorted({f.org_id for f in facts})
    if org in ids:
        return [org]
    return sorted({f.org_id for f in facts if f.field == "acronym" and f.value == org})


def matches(override: Override, fact: Fact, org_id: str) -> bool:
    return (fact.org_id == org_id and fact.field == override.field
            and (override.match is None or override.match in (fact.value, fact.raw_value)))


def issue(override: Override, reason: str, detail: str) -> Issue:
    return Issue(source=f"{override.source}#{override.number}", stage=STAGE, reason=reason,
                 detail=detail)


def apply_overrides(facts: Iterable[Fact], overrides: Iterable[Override]
                    ) -> tuple[list[Fact], list[Issue]]:
    """The facts with overrides applied (in their original order), and what happened as issues."""
    facts = list(facts)
    issues: list[Issue] = []
    for override in overrides:
        owners = resolve_org(override.org, facts)
        what = f"{override.action} {override.field} of {override.org}"
        if len(owners) > 1:
            issues.append(issue(override, "ambiguous_override",
                                f"{what}: {override.org!r} names {', '.join(owners)}; use an org_id"))
            continue
        hits = [i for i, f in enumerate(facts) if owners and matches(override, f, owners[0])]
        if not hits:
            wanted = f" with value {override.match!r}" if override.match is not None else ""
            issues.append(issue(override, "stale_override",
                                f"{what}{wanted}: no such fact any more ({override.reason})"))
            continue
        for i in hits:
            old = facts[i]
            if override.action == "suppress":
                issues.append(issue(override, "override_suppressed",
                                    json.dumps(to_dict(old), ensure_ascii=False, sort_keys=True)))
            else:
                facts[i] = replace(old, value=override.value, rule_id=override.rule_id,
                                   raw_value=old.value)
                issues.append(issue(override, "override_applied",
                                    f"{old.org_id} {old.field}: {old.value!r} ({old.rule_id}) -> "
                                    f"{override.value!r}: {override.reason}"))
        if override.action == "suppress":
            drop = set(hits)
            facts = [f for i, f in enumerate(facts) if i not in drop]
    return facts, issues


class OverrideTracker:
    """Applies overrides one organisation at a time and reports those that matched nothing."""

    def __init__(self, overrides: Sequence[Override]):
        self.overrides = list(overrides)
        self.used: dict[int, set] = {o.number: set() for o in self.overrides}

    def apply(self, org_id: str, facts: list[Fact]) -> tuple[list[Fact], list[Issue]]:
        if not self.overrides:
            return facts, []
        facts, issues = apply_overrides(facts, self.overrides)
        kept = []
        for issue in issues:
            if issue.reason == "stale_override":
                continue  # stale only if no organisation matched: decided in leftovers()
            self.used[int(issue.source.rsplit("#", 1)[1])].add(org_id)
            kept.append(issue)
        return facts, kept

    def leftovers(self) -> list[Issue]:
        out = []
        for o in self.overrides:
            if not self.used[o.number]:
                out.append(Issue(f"{o.source}#{o.number}", "export", "stale_override",
                                 f"{o.action} {o.field} of {o.org}: matches no fact any more "
                                 f"({o.reason})"))
            elif len(self.used[o.number]) > 1:
                out.append(Issue(f"{o.source}#{o.number}", "export", "ambiguous_override",
                                 f"{o.org!r} named {', '.join(sorted(self.used[o.number]))}: "
                                 "applied to each; use an org_id"))
        return out
