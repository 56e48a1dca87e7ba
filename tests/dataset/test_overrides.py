"""Curator overrides: validated at load, applied visibly, stale ones reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from dataset_versions import V1, build

from pipeline.dataset.overrides import OverrideError, apply_overrides, load_overrides

ROOT = Path(__file__).resolve().parents[2]


def write_overrides(tmp_path: Path, items: object) -> Path:
    path = tmp_path / "overrides.yaml"
    path.write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    return path


def test_overrides_shipped_file_is_an_empty_list_with_a_valid_example(tmp_path):
    shipped = ROOT / "rules" / "overrides.yaml"
    assert load_overrides(shipped) == []
    lines = shipped.read_text(encoding="utf-8").splitlines()
    example = "\n".join(line[2:] for line in lines if line.startswith(("# - ", "#   ")))
    example = example[example.index("- org:"):]  # the commented example, uncommented
    assert [o.action for o in load_overrides(write_overrides(tmp_path, yaml.safe_load(example)))] \
        == ["correct", "suppress"]


@pytest.mark.parametrize("item, message", [
    ({"org": "ABA", "field": "founded", "action": "suppress"}, r"item 1: missing or empty 'reason'"),
    ({"org": "ABA", "field": "founded", "action": "suppress", "reason": " "}, r"'reason'"),
    ({"org": "ABA", "field": "founded", "action": "drop", "reason": "x"}, r"action 'drop'"),
    ({"org": "ABA", "field": "founded", "action": "correct", "reason": "x"}, r"needs a 'value'"),
    ({"org": "ABA", "feild": "founded", "action": "suppress", "reason": "x"}, r"unknown key 'feild'"),
    ("ABA founded", r"item 1: expected a mapping"),
])
def test_overrides_load_fails_naming_file_item_and_key(tmp_path, item, message):
    path = write_overrides(tmp_path, [item])
    with pytest.raises(OverrideError, match=message) as err:
        load_overrides(path)
    assert str(path) in str(err.value)


def test_overrides_load_rejects_a_mapping_instead_of_a_list(tmp_path):
    with pytest.raises(OverrideError, match="expected a list"):
        load_overrides(write_overrides(tmp_path, {"org": "ABA"}))


def overrides(tmp_path: Path, *items: dict):
    return load_overrides(write_overrides(tmp_path, list(items)))


def test_overrides_correct_names_the_override_and_keeps_the_original(tmp_path):
    facts = build(V1).facts
    rules = overrides(tmp_path, {"org": "AIMP", "field": "acronym", "action": "correct",
                                 "match": "AIMP", "value": "AIAMP", "reason": "text says AIAMP"})
    out, issues = apply_overrides(facts, rules)
    fixed = [f for f in out if f.rule_id == "override:1"]
    assert [(f.value, f.raw_value, f.evidence) for f in fixed] == [("AIAMP", "AIMP", "AIMP")]
    assert len(out) == len(facts)
    assert [i.reason for i in issues] == ["override_applied"]
    assert "'AIMP' (heading) -> 'AIAMP'" in issues[0].detail


def test_overrides_suppress_drops_the_fact_and_keeps_it_in_an_issue(tmp_path):
    facts = build(V1).facts
    rules = overrides(tmp_path, {"org": "aba-american-bar-association", "field": "headquarters",
                                 "action": "suppress", "reason": "a branch office"})
    out, issues = apply_overrides(facts, rules)
    assert [f for f in out if f.field == "headquarters" and f.org_id.startswith("aba")] == []
    assert len(out) == len(facts) - 1
    kept = json.loads(issues[0].detail)
    assert issues[0].reason == "override_suppressed" and kept["value"] == "Chicago"
    assert issues[0].source.endswith("overrides.yaml#1")


@pytest.mark.parametrize("item", [
    {"org": "ABA", "field": "membership", "action": "suppress", "match": "999", "reason": "x"},
    {"org": "NOPE", "field": "founded", "action": "suppress", "reason": "x"},
    {"org": "ABA", "field": "website", "action": "correct", "value": "x.org", "reason": "x"},
])
def test_overrides_that_match_nothing_are_reported_stale(tmp_path, item):
    facts = build(V1).facts
    out, issues = apply_overrides(facts, overrides(tmp_path, item))
    assert out == facts
    assert [i.reason for i in issues] == ["stale_override"]


def test_overrides_with_an_ambiguous_acronym_are_not_applied(tmp_path):
    facts = build(V1).facts
    twin = [f.__class__(**{**f.__dict__, "org_id": "aba-another"}) for f in facts
            if f.org_id.startswith("aba")]
    out, issues = apply_overrides(facts + twin, overrides(
        tmp_path, {"org": "ABA", "field": "founded", "action": "suppress", "reason": "x"}))
    assert out == facts + twin and issues[0].reason == "ambiguous_override"
