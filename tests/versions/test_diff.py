"""partners diff: only meaningful changes, in four formats, with the right exit code."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from dataset_versions import (
    V1,
    V2,
    build,
    edit_table,
    versions,  # noqa: F401 (fixtures)
    with_overrides,
    write,
)

from pipeline.model import Organisation
from pipeline.versions import commands
from pipeline.versions.diff import diff_datasets
from pipeline.versions.org_matching import match_organisations
from pipeline.versions.report import md, to_json, to_markdown, to_text
from pipeline.versions.version import Dataset, DatasetError, load_dataset


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    commands.add_diff_arguments(parser)
    return commands.diff_main(parser.parse_args(list(argv)))


def by_org(result) -> dict[str, object]:
    return {o.new_id or o.old_id: o for o in result.organisations}


def test_diff_reports_exactly_the_meaningful_changes(versions):
    result = diff_datasets(load_dataset(str(versions[0])), load_dataset(str(versions[1])))
    orgs = by_org(result)
    assert set(orgs) == {"aba-american-bar-association", "npn-new-prosecutors-network",
                         "old-obsolete-league-of-debaters",
                         "aiamp-ibero-american-association-of-public-prosecutors"}
    assert result.unchanged == 1  # IBA: every offset moved, nothing changed
    aba = orgs["aba-american-bar-association"]
    assert [(c.field, c.kind, c.old.value, c.new.value) for c in aba.changes] == [
        ("membership", "changed", "nearly 400000 members", "nearly 410000 members")]
    assert aba.changes[0].old.evidence == "nearly 400,000 members"
    assert aba.changes[0].new.evidence == "nearly 410,000 members"
    assert orgs["npn-new-prosecutors-network"].status == "added"
    assert orgs["old-obsolete-league-of-debaters"].status == "removed"
    assert result.exit_code == 2


def test_diff_recognises_a_renamed_organisation(versions):
    result = diff_datasets(load_dataset(str(versions[0])), load_dataset(str(versions[1])))
    aiamp = by_org(result)["aiamp-ibero-american-association-of-public-prosecutors"]
    assert aiamp.status == "changed" and aiamp.renamed
    assert aiamp.old_id == "aimp-ibero-american-association-of-public-ministries"
    assert {(c.field, c.old.value, c.new.value) for c in aiamp.changes} == {
        ("acronym", "AIMP", "AIAMP"),
        ("name", "Ibero-American Association of Public Ministries",
         "Ibero-American Association of Public Prosecutors"),
        ("flags", "acronym_mismatch:AIMP", "")}


def test_diff_of_identical_versions_is_empty_with_exit_0(versions, tmp_path):
    again = write(tmp_path / "again", build(V2))
    assert run(str(versions[1]), str(again)) == 0


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_diff_cli_writes_each_format(versions, tmp_path, fmt, capsys):
    out = tmp_path / f"diff.{fmt}"
    assert run(str(versions[0]), str(versions[1]), "--format", fmt, "--out", str(out)) == 2
    text = out.read_text(encoding="utf-8")
    for needle in ("410", "New Prosecutors Network", "Obsolete League", "AIAMP"):
        assert needle in text
    # the offset-only move of IBA is not a change in any format
    assert "International Bar Association" not in text or fmt == "html"
    assert "<b>Network</b>" not in text  # page text never becomes markup


def test_diff_json_is_complete_for_machines(versions):
    result = diff_datasets(load_dataset(str(versions[0])), load_dataset(str(versions[1])))
    data = json.loads(to_json(result))
    assert data["exit_code"] == 2
    assert data["summary"] == {"added": 1, "removed": 1, "changed": 2, "renamed": 1,
                               "unchanged": 1, "values_changed": 4, "issue_reasons_changed": 0,
                               "issues_new": 0, "issues_gone": 0, "metrics_changed": 1}
    aba = next(o for o in data["organisations"] if o["new_id"].startswith("aba"))
    assert aba["changes"][0]["old"]["evidence"] == "nearly 400,000 members"


def test_diff_markdown_and_text_show_old_and_new_evidence(versions):
    result = diff_datasets(load_dataset(str(versions[0])), load_dataset(str(versions[1])))
    markdown, text = to_markdown(result), to_text(result)
    assert "| membership | changed | nearly 400000 members | nearly 410000 members |" in markdown
    assert "renamed from AIMP – Ibero-American Association of Public Ministries" in markdown
    assert "«nearly 400,000 members»" in text and "«nearly 410,000 members»" in text


@pytest.mark.parametrize("text, expected", [
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
    ("a | b", "a \\| b"),
    ("[link](http://x) *b* `c`", "\\[link\\](http://x) \\*b\\* \\`c\\`"),
    ("two\nlines", "two lines"),
])
def test_diff_report_markdown_escapes_page_text(text, expected):
    assert md(text) == expected


def test_diff_schema_change_exits_3(versions):
    def rename(rows):
        rows[0][rows[0].index("unit")] = "units"  # a renamed column
        return rows

    edit_table(versions[1], "facts", rename)
    result = diff_datasets(load_dataset(str(versions[0])), load_dataset(str(versions[1])))
    assert [(s.table, s.added, s.removed) for s in result.schema] == [("facts", ("units",), ("unit",))]
    # the renamed column is reported once, as a schema change, not as every unit changing
    aba = by_org(result)["aba-american-bar-association"]
    assert [(c.field, c.old.value, c.new.value) for c in aba.changes] == [
        ("membership", "nearly 400000 members", "nearly 410000")]  # the unit is in "units" now
    assert result.unchanged == 1
    assert run(str(versions[0]), str(versions[1]), "--format", "json") == 3


def test_diff_reads_a_git_revision_without_checkout(tmp_path, monkeypatch, capsys):
    repo = tmp_path / "repo"
    write(repo, build(V1))
    git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True,  # noqa: E731
                                    capture_output=True)
    git("init", "-q")
    git("add", "extracted", "raw")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    write(repo, build(V2))
    monkeypatch.chdir(repo)
    assert run("HEAD", "--format", "json") == 2
    data = json.loads(capsys.readouterr().out)
    assert data["old_label"] == "HEAD:extracted" and data["summary"]["added"] == 1
    assert run("HEAD", "HEAD") == 0


def test_diff_unknown_location_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run("no-such-rev", str(tmp_path)) == 1
    assert capsys.readouterr().err.count("\n") == 1
    with pytest.raises(DatasetError):
        load_dataset(str(tmp_path))  # a folder without the tables


def test_diff_a_table_one_version_lacks_is_a_schema_change(versions):
    (versions[0] / "agreements.csv").unlink()
    (versions[0] / "agreements.parquet").unlink()
    result = diff_datasets(load_dataset(str(versions[0])), load_dataset(str(versions[1])))
    assert [(s.table, s.removed) for s in result.schema] == [("agreements", ())]
    assert result.exit_code == 3 and result.unchanged == 1  # IBA's agreement is not "added"


def test_diff_corrupt_table_is_a_one_line_error(versions, capsys):
    orgs = versions[1] / "organisations.csv"
    lines = orgs.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("char_start")] = "not-a-number"
    orgs.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")
    assert run(str(versions[0]), str(versions[1])) == 1
    assert ("organisations.csv line 2, column char_start: 'not-a-number' is not a value of "
            "this column") in capsys.readouterr().err


def org(org_id: str, name: str, *acronyms: str) -> Organisation:
    return Organisation(org_id, name, acronyms, "", None, "", "", "", "", (), "s", "h", 0, 1)


@pytest.mark.parametrize("old, new, rule", [
    (org("a-x", "X", "A"), org("a-y", "Completely Other", "A"), "acronym"),
    (org("a-world-bank", "World Bank", "WB"), org("b-world-bank", "World Bank", "IBRD"), "name"),
    (org("a", "Alpha", "A"), org("a", "Beta", "B"), "same_id"),
])
def test_match_organisations_rules(old, new, rule):
    assert match_organisations([old], [new], {}, {}) == [(old, new, rule)]


def test_match_organisations_leaves_unrelated_apart():
    assert match_organisations([org("a", "Alpha", "A")], [org("b", "Beta", "B")], {}, {}) == []


def test_diff_is_pure_on_datasets():
    v1, v2 = build(V1), build(V2)
    old = Dataset("old", tuple(v1.organisations), tuple(v1.facts), tuple(v1.agreements))
    moved = Dataset("new", tuple(v1.organisations), tuple(
        replace(f, char_start=f.char_start + 7, char_end=f.char_end + 7) for f in v1.facts),
        tuple(v1.agreements))
    assert diff_datasets(old, moved).exit_code == 0
    assert diff_datasets(old, Dataset("new", tuple(v2.organisations), tuple(v2.facts),
                                      tuple(v2.agreements))).exit_code == 2


# --- end to end: two runs of the real pipeline, compared through git ---------------------

PAGES = Path(__file__).resolve().parents[1] / "data" / "diff"


def partners(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *argv], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> Path:
    """A repository whose HEAD holds the dataset of page v1 and whose working tree that of v2."""
    repo = tmp_path_factory.mktemp("two-runs")
    (repo / "raw").mkdir()
    git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True,  # noqa: E731
                                    capture_output=True)
    git("init", "-q")
    for version in ("v1", "v2"):
        shutil.copyfile(PAGES / f"page-{version}.txt", repo / "raw" / "page.txt")
        done = partners(repo, "run", "raw/page.txt", "--out", "extracted", "--no-pdfs", "--quiet")
        assert done.returncode == 0, done.stderr
        if version == "v1":
            git("add", "raw", "extracted")
            git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    return repo


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_diff_end_to_end_two_runs_of_the_pipeline(two_runs, fmt):
    done = partners(two_runs, "diff", "HEAD", "--format", fmt)
    assert done.returncode == 2, done.stderr
    out = done.stdout
    for meaningful in ("410000", "GPEN", "European Judicial Network",
                       "Ibero American Association of Public Prosecutors"):
        assert meaningful in out
    if fmt != "html":  # the review page shows every organisation; the reports only changes
        assert "International Bar Association" not in out  # reworded, offsets moved: no change
        assert "1878" not in out and "Chicago" not in out  # ABA's unchanged values


def test_diff_end_to_end_reports_exactly_the_changes(two_runs):
    data = json.loads(partners(two_runs, "diff", "HEAD", "--format", "json").stdout)
    assert data["summary"] == {"added": 1, "removed": 1, "changed": 2, "renamed": 1,
                               "unchanged": 1, "values_changed": 4, "issue_reasons_changed": 0,
                               "issues_new": 1, "issues_gone": 1, "metrics_changed": 3}
    assert [(i["reason"], i["detail"]) for i in data["issues"]["new"]] == [
        ("acronym_mismatch", "aiamp-ibero-american-association-of-public-prosecutors: "
                             "acronym_mismatch:AIAMP")]
    assert {m["key"]: (m["old"], m["new"]) for m in data["metrics"]} == {
        "facts": (20, 21), "facts_by_field.membership": (4, 5), "fill_rate.membership": (0.75, 1.0)}
    changed = {o["new_id"]: [(c["field"], c["old"]["value"], c["new"]["value"])
                             for c in o["changes"]]
               for o in data["organisations"] if o["status"] == "changed"}
    assert changed["aba-american-bar-association"] == [
        ("membership", "nearly 400000 members", "nearly 410000 members")]
    assert changed["aiamp-ibero-american-association-of-public-prosecutors"] == [
        ("name", "Ibero American Association of Public Ministries",
         "Ibero American Association of Public Prosecutors"),
        ("acronym", "AIMP", "AIAMP"),
        ("flag", "acronym_mismatch:AIMP", "acronym_mismatch:AIAMP")]
    assert partners(two_runs, "diff", "HEAD", "HEAD").returncode == 0


OVERRIDES = ({"id": "aimp-acronym", "org": "AIMP", "field": "acronym", "action": "correct",
              "match": "AIMP", "value": "AIAMP", "reason": "their statutes say AIAMP"},
             {"id": "aba-hq", "org": "ABA", "field": "headquarters", "action": "suppress",
              "reason": "a branch office"})


def test_diff_says_which_override_made_a_value_and_why(tmp_path):
    old = write(tmp_path / "v1", build(V1))
    new = write(tmp_path / "v1-overridden",
                *with_overrides(build(V1), tmp_path / "rules", *OVERRIDES))
    result = diff_datasets(load_dataset(str(old)), load_dataset(str(new)))
    orgs = by_org(result)
    [acronym] = orgs["aimp-ibero-american-association-of-public-ministries"].changes
    assert (acronym.old.value, acronym.new.value) == ("AIMP", "AIAMP")
    assert acronym.new.rule_id == "override:aimp-acronym" and acronym.new.evidence == "AIMP"
    assert acronym.override == "set by override aimp-acronym: their statutes say AIAMP"
    [hq] = orgs["aba-american-bar-association"].changes
    assert (hq.kind, hq.old.value, hq.new) == ("removed", "Chicago", None)
    assert hq.override == "suppressed by override aba-hq: a branch office"
    text = to_text(result)
    assert "override suppressed by override aba-hq: a branch office" in " ".join(text.split())
    assert "*set by override aimp-acronym: their statutes say AIAMP*" in to_markdown(result)
    assert json.loads(to_json(result))["organisations"][0]["changes"][0]["override"]
    assert {c.key: (c.old, c.new) for c in result.issues.by_reason} == {
        "override_applied": (0, 1), "override_suppressed": (0, 1)}


def test_diff_says_when_an_override_no_longer_applies(tmp_path):
    overridden = write(tmp_path / "v1-overridden",
                       *with_overrides(build(V1), tmp_path / "rules", *OVERRIDES))
    result = diff_datasets(load_dataset(str(overridden)),
                           load_dataset(str(write(tmp_path / "v1", build(V1)))))
    [acronym] = by_org(result)["aimp-ibero-american-association-of-public-ministries"].changes
    assert acronym.override == ("the old value was set by override aimp-acronym: their "
                                "statutes say AIAMP (no longer applied)")
