"""metrics.json's counts keep their keys at zero, and the key sets cover everything the code
can write: every issue reason and fact field found in the package's source is a key."""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.dataset.metric_keys import metric_keys
from pipeline.dataset.metrics import Totals, build_metrics

PACKAGE = Path(__file__).resolve().parents[2] / "pipeline"
# Calls naming an issue reason, and the position of the reason among their arguments.
REASON_AT = {"Issue": 2, "IngestError": 1, "PdfError": 1, "Unreadable": 0, "issue": 1}


def text_of(node) -> list[str]:
    """A string literal as written ('{}' for each f-string hole); both arms of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if node.value else []
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
    if isinstance(node, ast.IfExp):
        return text_of(node.body) + text_of(node.orelse)
    return []


def call_name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def written_by_the_code() -> tuple[set[str], set[str]]:
    """(issue reasons, fact fields) the package's source spells out (the fetch stage's reasons
    stay in sources.yaml, not in a dataset)."""
    reasons, fields = set(), set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if "acquire" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name, args = call_name(node), node.args
                if name in REASON_AT:
                    given = [k.value for k in node.keywords if k.arg == "reason"]
                    given += args[REASON_AT[name]:REASON_AT[name] + 1] if not given else []
                    reasons.update(w for g in given for w in text_of(g))
                if name == "append" and args and isinstance(args[0], ast.Tuple) \
                        and len(args[0].elts) == 4:  # (rule, start, end, why): a rejected match
                    reasons.update(f"not_used:{w}" for w in text_of(args[0].elts[3]))
                if name in ("FieldValue", "fact") and args:
                    fields.update(text_of(args[0]))
                    if text_of(args[0]) == ["flag"] and len(args) > 1:
                        reasons.update(w.split(":")[0] for w in text_of(args[1]))
            elif isinstance(node, ast.Dict):  # the PDF worker's answer {"error": reason}
                reasons.update(w for k, v in zip(node.keys, node.values)
                               if k is not None and text_of(k) == ["error"] for w in text_of(v))
            elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and "extract" in path.parts:
                first = node.elts[0]  # attribution's (False, why)
                if isinstance(first, ast.Constant) and first.value is False:
                    reasons.update(f"not_used:{w}" for w in text_of(node.elts[1]))
            elif isinstance(node, ast.Assign) and "extract" in path.parts and any(
                    isinstance(t, ast.Name) and t.id == "reason" for t in node.targets):
                reasons.update(f"not_used:{w}" for w in text_of(node.value))
            elif isinstance(node, ast.Return) and path.name == "pdf.py" and isinstance(
                    node.value, ast.Tuple) and node.value.elts:  # the worker's failure
                reasons.update(text_of(node.value.elts[0]))
    return reasons - {"long_form"}, fields - {"long_form"}


def covered(written: str, keys: tuple[str, ...]) -> bool:
    """A literal is a key, or (an f-string) some key fits it."""
    if "{}" not in written:
        return written in keys
    pattern = re.compile(".+".join(map(re.escape, written.split("{}"))) + "$")
    return any(pattern.match(k) for k in keys)


def test_metric_keys_cover_every_reason_and_field_the_code_writes(rules):
    keys = metric_keys(rules)
    reasons, fields = written_by_the_code()
    assert len(reasons) > 40 and {"missing", "not_used:negated", "acronym_mismatch"} <= reasons
    assert [r for r in sorted(reasons) if not covered(r, keys.issues_by_reason)] == [], \
        "add these reasons to pipeline/dataset/metric_keys.py"
    assert {"party", "{}_date", "url"} <= fields
    assert [f for f in sorted(fields) if not covered(f, keys.facts_by_field)] == [], \
        "add these fields to pipeline/dataset/metric_keys.py FIELDS"


def test_metric_keys_follow_the_rules(rules):
    keys = metric_keys(rules)
    assert keys.host_relationship == tuple(sorted(t["term"] for t in rules.relationships))
    # the terms of rules/host_relationship.yaml, in a fixed order
    assert {"agreement", "mou", "host_member_of", "partner"} <= set(keys.host_relationship)
    assert list(keys.host_relationship) == sorted(keys.host_relationship)
    assert {"alias", "former_name", "secretariat"} <= set(keys.facts_by_field)  # rule labels
    assert "not_used:count_after_in" in keys.issues_by_reason
    assert "not_used:object_of_by" in keys.issues_by_reason


def test_metrics_keep_their_keys_at_zero(rules):
    keys = metric_keys(rules)
    metrics = build_metrics(Totals(), [], [], Counter(), keys)
    assert set(metrics["issues_by_reason"]) == set(keys.issues_by_reason)
    assert set(metrics["facts_by_field"]) == set(keys.facts_by_field)
    assert set(metrics["host_relationship"]) == set(keys.host_relationship)
    assert not any(metrics["issues_by_reason"].values())
    once = build_metrics(Totals(), [], [], Counter(shared_acronym=1, new_reason=2), keys)
    assert once["issues_by_reason"]["shared_acronym"] == 1
    assert once["issues_by_reason"]["new_reason"] == 2  # an unforeseen reason is still counted
    assert list(once["issues_by_reason"]) == sorted(once["issues_by_reason"])


@pytest.mark.parametrize("name", ["issues_by_reason", "facts_by_field", "host_relationship"])
def test_metrics_of_the_committed_dataset_have_every_key(rules, name):
    committed = json.loads((PACKAGE.parent / "extracted" / "metrics.json").read_text())
    assert set(committed[name]) == set(getattr(metric_keys(rules), name))
