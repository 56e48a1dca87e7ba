"""partners diff reports the run's issues (by reason) and metrics, in every format."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

import pytest
from dataset_versions import (
    V2,
    build,
    partners_cli,  # noqa: F401 (fixtures)
    write,
)

from pipeline.model import Issue
from pipeline.versions.counts import (
    CountChange,
    flatten,
    issues_to_changes,
    metrics_to_changes,
)
from pipeline.versions.diff import diff_datasets
from pipeline.versions.report import summary_line
from pipeline.versions.version import load_dataset

SHARED = {"source": "raw/page.txt:161-164", "stage": "extract", "reason": "shared_acronym",
          "detail": "aba-american-bar-association and aba-arab-bar-association: ABA"}


@pytest.fixture
def issue_only(tmp_path: Path) -> tuple[Path, Path]:
    """The same page twice; the second run raised one more issue (a shared acronym)."""
    return write(tmp_path / "old", build(V2)), write(tmp_path / "new", build(V2), issues=[SHARED])


def issue(reason: str, source: str = "raw/p.txt:1-2", detail: str = "d") -> Issue:
    return Issue(source=source, stage="extract", reason=reason, detail=detail)


def test_counts_issues_by_reason_with_the_new_and_gone_issues():
    old = [issue("a"), issue("a", detail="x"), issue("b")]
    new = [issue("a", "raw/p.txt:50-51"), issue("c")]  # the first only moved
    changes = issues_to_changes(old, new)
    assert changes.by_reason == (CountChange("a", 2, 1), CountChange("b", 1, 0), CountChange("c", 0, 1))
    assert changes.new == (issue("c"),)
    assert changes.gone == (issue("a", detail="x"), issue("b"))


def test_counts_an_issue_whose_offsets_moved_is_no_change():
    changes = issues_to_changes([issue("a", "raw/p.txt:1-2")], [issue("a", "raw/p.txt:9-10")])
    assert not changes.changed


def test_counts_metrics_flattened_and_keys_absent_at_zero_shown_as_zero():
    old = {"issues": 0, "issues_by_reason": {}, "fill_rate": {"name": 1.0}, "paragraphs": {"total": 3}}
    new = {"issues": 1, "issues_by_reason": {"shared_acronym": 1}, "fill_rate": {"name": 1.0},
           "paragraphs": {}}
    assert flatten(old) == {"issues": 0, "fill_rate.name": 1.0, "paragraphs.total": 3}
    assert metrics_to_changes(old, new) == (
        CountChange("issues", 0, 1), CountChange("issues_by_reason.shared_acronym", 0, 1),
        CountChange("paragraphs.total", 3, 0))


def test_counts_an_issue_only_change_is_reported_and_exits_2(issue_only):
    result = diff_datasets(load_dataset(str(issue_only[0])), load_dataset(str(issue_only[1])))
    assert result.organisations == () and result.exit_code == 2
    assert result.issues.by_reason == (CountChange("shared_acronym", 0, 1),)
    assert [c.key for c in result.metrics] == ["issues", "issues_by_reason.shared_acronym"]
    line = summary_line(result)
    assert "organisations none changed, 4 unchanged; issues 0 → 1 (1 reason changed, 1 new); " \
           "metrics 2 keys changed" in line


@pytest.mark.parametrize("fmt, needles", [
    ("text", ["ISSUES   0 → 1", "shared_acronym                           0 → 1",
              "new  shared_acronym: aba-american-bar-association and aba-arab-bar-association",
              "issues_by_reason.shared_acronym          0 → 1"]),
    ("markdown", ["### Issues: 0 → 1", "| shared\\_acronym | 0 | 1 |",
                  "- new: shared\\_acronym: aba-american-bar-association and",
                  "| issues\\_by\\_reason.shared\\_acronym | 0 | 1 |"]),
    ("html", ["<h3>Issues 0 → 1</h3>", "<tr><th>shared_acronym</th><td>0</td><td>1</td></tr>",
              "<li>new: shared_acronym: aba-american-bar-association and",
              "<tr><th>issues_by_reason.shared_acronym</th><td>0</td><td>1</td></tr>"]),
])
def test_counts_every_format_shows_issue_and_metric_changes(issue_only, partners_cli, fmt, needles):
    code, out, _ = partners_cli("diff", issue_only[0], issue_only[1], "--format", fmt)
    assert code == 2
    for needle in needles:
        assert needle in out
    assert "0 changed" not in unescape(out)


def test_counts_json_lists_issue_and_metric_changes(issue_only, partners_cli):
    code, out, _ = partners_cli("diff", issue_only[0], issue_only[1], "--format", "json")
    data = json.loads(out)
    assert code == 2 and data["exit_code"] == 2
    assert data["issues"]["by_reason"] == [{"key": "shared_acronym", "old": 0, "new": 1}]
    assert data["issues"]["new"] == [SHARED] and data["issues"]["gone"] == []
    assert data["issues"]["old_total"] == 0 and data["issues"]["new_total"] == 1
    assert {"key": "issues", "old": 0, "new": 1} in data["metrics"]
    assert data["summary"]["issue_reasons_changed"] == 1 and data["summary"]["metrics_changed"] == 2


def test_counts_an_issue_gone_counts_down_to_zero(issue_only, partners_cli):
    code, out, _ = partners_cli("diff", issue_only[1], issue_only[0])
    assert code == 2
    assert "shared_acronym                           1 → 0" in out
    assert "gone shared_acronym:" in out


def test_counts_a_file_only_one_version_has_is_a_schema_change(issue_only, partners_cli):
    (issue_only[0] / "metrics.json").unlink()
    code, out, _ = partners_cli("diff", issue_only[0], issue_only[1])
    assert code == 3
    assert f"metrics.json: only in {issue_only[1]} (not compared)" in out
    assert "metrics not compared" in out and "METRICS" not in out


def test_counts_identical_versions_say_nothing_changed(issue_only, partners_cli, tmp_path):
    again = write(tmp_path / "again", build(V2), issues=[SHARED])
    code, out, _ = partners_cli("diff", issue_only[1], again)
    assert code == 0
    assert out.splitlines()[0].endswith(
        "organisations none changed, 4 unchanged; issues unchanged (1); metrics unchanged")
