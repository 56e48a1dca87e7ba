"""Curator overrides: corrections and suppressions of extracted values, as data with a reason.

Reads: `rules/overrides.yaml`, a list of items
    {id: <stable name>, org: <org_id or acronym>, field: <fact field>, action: correct|suppress,
     value: <new value, for correct only>, match: <old value, optional>, reason: <why>}
and the id registry (`rules/org_ids.yaml`) the `org` is looked up in.
Writes: `Override`s, checked at load; `pipeline.dataset.override_apply` applies them.

A broken item stops the run before anything is read (`OverrideError`, one line naming the file
and line): a missing or empty key, an unknown key, an `id` given twice, a `field` that is not a
fact field, an `org` the registry does not know (a typo, `ABBA`). An `org` naming an acronym
that several registered organisations share (`COE`) is not an error but is refused when
applied (`ambiguous_override`): the curator must name the org_id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from pipeline.extract.org_ids import Registry
from pipeline.io import load_yaml_items, yaml_problem

ACTIONS = ("correct", "suppress")
REQUIRED = ("id", "org", "field", "action", "reason")
OPTIONAL = ("value", "match")
# The fields of an entry's facts (README, "The field vocabulary of facts"): what an override
# may name. Facts read from linked PDFs are not overridden.
FIELDS = ("name", "acronym", "alias", "group", "founded", "headquarters", "secretariat",
          "membership", "founding_members", "host_relationship", "agreement", "website", "url",
          "flag")
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
RULE_PREFIX = "override:"


class OverrideError(Exception):
    """A broken overrides file: names the file, the line and the key."""


@dataclass(frozen=True)
class Override:
    id: str       # the curator's stable name: the rule_id of what it corrects is override:<id>
    org: str      # as written
    field: str
    action: str
    reason: str
    value: Optional[str] = None
    match: Optional[str] = None
    org_ids: tuple[str, ...] = ()  # what `org` names in the registry: one, or several (refused)
    source: str = "rules/overrides.yaml"
    line: int = 0

    @property
    def rule_id(self) -> str:
        return f"{RULE_PREFIX}{self.id}"

    @property
    def where(self) -> str:
        """file:line, for messages to the curator."""
        return f"{self.source}:{self.line}"

    @property
    def issue_source(self) -> str:
        """file#id, for issues.jsonl (stable when lines above it change)."""
        return f"{self.source}#{self.id}"

    @property
    def what(self) -> str:
        wanted = f" {self.match!r}" if self.match is not None else ""
        return f"override {self.id!r} ({self.action} {self.field}{wanted} of {self.org})"


def check_item(item: object, line: int, keys: dict, source: str) -> dict:
    """One item's keys and values; OverrideError names the file, line and key."""
    at = lambda key: f"{source}:{keys.get(key, line)}"  # noqa: E731
    if not isinstance(item, dict):
        raise OverrideError(f"{source}:{line}: expected a mapping with keys {', '.join(REQUIRED)}")
    unknown = sorted(str(k) for k in set(item) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise OverrideError(f"{at(unknown[0])}: unknown key {unknown[0]!r} (allowed: "
                            f"{', '.join(REQUIRED + OPTIONAL)})")
    for key in REQUIRED:
        if not isinstance(item.get(key), str) or not item[key].strip():
            hint = {"reason": " (say why the value is overridden)",
                    "id": " (a stable name, e.g. aimp-acronym: rule ids and issues use it)"}
            raise OverrideError(f"{at(key)}: missing or empty {key!r}{hint.get(key, '')}")
    if not ID_PATTERN.fullmatch(item["id"].strip()):
        raise OverrideError(f"{at('id')}: id {item['id']!r}: letters, digits, '.', '_' and '-'")
    if item["field"].strip() not in FIELDS:
        raise OverrideError(f"{at('field')}: unknown field {item['field']!r} (fields: "
                            f"{', '.join(FIELDS)})")
    if item["action"] not in ACTIONS:
        raise OverrideError(f"{at('action')}: action {item['action']!r} is not one of "
                            f"{', '.join(ACTIONS)}")
    if item["action"] == "correct" and item.get("value") in (None, ""):
        raise OverrideError(f"{source}:{line}: 'correct' needs a 'value'")
    if item["action"] == "suppress" and "value" in item:
        raise OverrideError(f"{at('value')}: 'suppress' takes no 'value' (use 'match' to pick one)")
    return item


def resolve_org(org: str, registry: Optional[Registry], where: str) -> tuple[str, ...]:
    """The org_ids an override's `org` names: a registered id (or the id it was merged into),
    else every registered organisation with that acronym; none is an error."""
    if registry is None:
        raise OverrideError(f"{where}: organisation {org!r} cannot be checked: no id registry "
                            "(rules/org_ids.yaml; `partners ids` writes it from a dataset)")
    if org in registry.records:
        return (registry.resolve(org),)
    ids = tuple(registry.ids_with_acronym(org))
    if not ids:
        raise OverrideError(f"{where}: unknown organisation {org!r}: neither an org_id nor an "
                            f"acronym of the id registry {registry.path or '(empty)'}")
    return ids


def load_overrides(path: Path, registry: Optional[Registry] = None) -> list[Override]:
    """The overrides in a YAML file (an empty file or list means none), each checked against
    the id registry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data, items = load_yaml_items(text)
    except OSError as err:
        raise OverrideError(f"{path}: cannot read the overrides: {err}") from err
    except UnicodeDecodeError as err:
        raise OverrideError(f"{path}: the overrides are not UTF-8") from err
    except yaml.YAMLError as err:
        raise OverrideError(yaml_problem(err, str(path), "cannot read the overrides")) from err
    if data is None:
        return []
    if not isinstance(data, list):
        raise OverrideError(f"{path}: expected a list of overrides, found {type(data).__name__}")
    out: list[Override] = []
    lines: dict[str, int] = {}
    for raw, place in zip(data, items):
        item = check_item(raw, place.line, place.keys, str(path))
        oid, where = item["id"].strip(), f"{path}:{place.keys.get('org', place.line)}"
        if oid in lines:
            raise OverrideError(f"{path}:{place.keys['id']}: id {oid!r} is used twice (also "
                                f"line {lines[oid]})")
        lines[oid] = place.keys["id"]
        text_of = lambda key: None if item.get(key) is None else str(item[key])  # noqa: E731
        org = item["org"].strip()
        out.append(Override(oid, org, item["field"].strip(), item["action"],
                            item["reason"].strip(), text_of("value"), text_of("match"),
                            resolve_org(org, registry, where), str(path), place.line))
    return out
