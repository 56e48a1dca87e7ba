"""Curator overrides applied one organisation at a time: every effect visible, with its reason."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from dataset_versions import V1, apply_overrides, build
from test_overrides import v1_registry, write_overrides

from pipeline.dataset.override_apply import OverrideTracker, warning_lines
from pipeline.dataset.overrides import load_overrides
from pipeline.extract.org_ids import OrgRecord, Registry

AIMP = "aimp-ibero-american-association-of-public-ministries"
ABA = "aba-american-bar-association"


def overrides(tmp_path, *items, registry=None):
    return OverrideTracker(load_overrides(write_overrides(tmp_path, list(items)),
                                          registry or v1_registry()))


def test_override_correct_names_the_override_and_keeps_the_original(tmp_path):
    version = build(V1)
    facts, _, issues = apply_overrides(overrides(tmp_path, {
        "id": "aimp-acronym", "org": "AIMP", "field": "acronym", "action": "correct",
        "match": "AIMP", "value": "AIAMP", "reason": "text says AIAMP"}), version)
    fixed = [f for f in facts if f.rule_id == "override:aimp-acronym"]
    assert [(f.value, f.raw_value, f.evidence) for f in fixed] == [("AIAMP", "AIMP", "AIMP")]
    assert len(facts) == len(version.facts)
    assert [i.reason for i in issues] == ["override_applied"]
    assert issues[0].source.endswith("overrides.yaml#aimp-acronym")
    assert json.loads(issues[0].detail) == {
        "override": "aimp-acronym", "action": "correct", "org_id": AIMP, "field": "acronym",
        "from": "AIMP", "from_rule": "heading", "to": "AIAMP", "fact_id": fixed[0].fact_id,
        "reason": "text says AIAMP"}


def test_override_suppress_drops_the_fact_and_keeps_it_with_its_reason(tmp_path):
    version = build(V1)
    facts, _, issues = apply_overrides(overrides(tmp_path, {
        "id": "aba-hq", "org": ABA, "field": "headquarters", "action": "suppress",
        "reason": "a branch office"}), version)
    assert [f for f in facts if f.field == "headquarters" and f.org_id == ABA] == []
    assert len(facts) == len(version.facts) - 1
    kept = json.loads(issues[0].detail)
    assert issues[0].reason == "override_suppressed"
    assert kept["fact"]["value"] == "Chicago" and kept["reason"] == "a branch office"


def test_override_of_an_agreement_changes_its_row_too(tmp_path):
    version = build(V1)
    iba = "iba-international-bar-association"
    version.facts.append(replace(next(f for f in version.facts if f.field == "host_relationship"),
                                 field="agreement", fact_id=version.agreements[0].agreement_id))
    fixed, rows, _ = apply_overrides(overrides(tmp_path, {
        "id": "iba-kind", "org": "IBA", "field": "agreement", "action": "correct",
        "value": "agreement", "reason": "the text is a signed agreement"}), version)
    assert [(r.org_id, r.kind, r.rule_id) for r in rows] == [(iba, "agreement", "override:iba-kind")]
    _, rows, _ = apply_overrides(overrides(tmp_path, {
        "id": "iba-none", "org": "IBA", "field": "agreement", "action": "suppress",
        "reason": "not an agreement"}), version)
    assert rows == []


@pytest.mark.parametrize("item, why", [
    ({"org": "ABA", "field": "membership", "match": "999"}, f"{ABA} has no such fact any more"),
    ({"org": "OLD", "field": "founded"}, "the organisation is not in this run"),
    ({"org": "ABA", "field": "website", "action": "correct", "value": "x.org"},
     f"{ABA} has no such fact any more"),
])
def test_override_that_matches_nothing_is_stale_and_said_on_the_console(tmp_path, item, why):
    version = build(V1)
    version.organisations = [o for o in version.organisations if not o.org_id.startswith("old")]
    tracker = overrides(tmp_path, {"id": "s", "action": "suppress", "reason": "because",
                                   **item})
    facts, _, issues = apply_overrides(tracker, version)
    assert facts == [f for f in version.facts if not f.org_id.startswith("old")]
    assert [i.reason for i in issues] == ["stale_override"]
    assert why in issues[0].detail and "(because)" in issues[0].detail
    [line] = warning_lines(tracker.leftovers())
    assert line.startswith(f"warning: {tmp_path / 'overrides.yaml'}:1: stale_override: ")


def test_override_naming_a_shared_acronym_is_refused(tmp_path):
    """Two registered organisations share COE: the override changes neither."""
    version = build(V1)
    twin = "aba-another-bar"
    version.organisations.append(replace(version.organisations[0], org_id=twin))
    version.facts += [replace(f, org_id=twin) for f in version.facts if f.org_id == ABA]
    registry = Registry([*v1_registry().records.values(), OrgRecord(twin, ("Another",), ("ABA",))])
    tracker = overrides(tmp_path, {"id": "a", "org": "ABA", "field": "founded",
                                   "action": "suppress", "reason": "x"}, registry=registry)
    facts, _, issues = apply_overrides(tracker, version)
    assert facts == version.facts
    assert [i.reason for i in issues] == ["ambiguous_override"]
    assert f"names {ABA}, {twin}" in issues[0].detail
    assert "ambiguous_override" in warning_lines(tracker.leftovers())[0]
