"""A curator's work end to end with `partners`: overrides on the IAP page, then the page renames
an organisation and its published id (and the override keyed by it) survive."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from dataset_versions import partners_cli  # noqa: F401 (fixtures)


ROOT = Path(__file__).resolve().parent.parent
PAGE = "raw/iap-co-operation-with-others.txt"
ILAC = "ilac-international-legal-assistance-consortium"
OVERRIDES = """\
- id: ilac-founded
  org: ilac-international-legal-assistance-consortium
  field: founded
  action: suppress
  reason: a decade of origin is not a founding date
- id: coe-hq
  org: coe-council-of-europe
  field: headquarters
  action: correct
  value: Strasbourg
  reason: the city alone, as for every other seat
- id: aba-web
  org: ABA
  field: website
  action: suppress
  match: www.example.org
  reason: an old address
- id: coe-members
  org: COE
  field: membership
  action: suppress
  reason: written before the Convention on Cybercrime had an entry
"""


@pytest.fixture
def curator(tmp_path, monkeypatch, partners_cli):
    """A copy of the project's inputs (raw/, rules/, params.yaml) as the working folder, and
    `partners ARGV...` run in it: (exit code, stdout, stderr)."""
    for name in ("raw", "rules"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "params.yaml", tmp_path)
    monkeypatch.chdir(tmp_path)
    return partners_cli


def rows(table: str, folder: str = "extracted") -> list[dict]:
    with open(Path(folder) / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def issues(folder: str = "extracted") -> list[dict]:
    return [json.loads(line) for line in Path(folder, "issues.jsonl").read_text().splitlines()]


def test_curation_overrides_apply_speak_and_survive_a_rename(curator):
    Path("rules/overrides.yaml").write_text(OVERRIDES, encoding="utf-8")
    code, _, err = curator("run", "--no-pdfs")
    assert code == 0, err
    # the stale and the ambiguous override are said on the console, with file and line
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert warnings[0].startswith("partners: warning: rules/overrides.yaml:12: stale_override: ")
    assert warnings[1].startswith("partners: warning: rules/overrides.yaml:18: ambiguous_override:")
    assert "names coe-council-of-europe, coe-cybercrime" in warnings[1]
    orgs = {o["org_id"]: o for o in rows("organisations")}
    assert orgs["coe-council-of-europe"]["headquarters"] == "Strasbourg"
    assert orgs["coe-council-of-europe"]["membership"] == "exact 47 member countries"  # refused
    facts = rows("facts")
    [hq] = [f for f in facts if f["org_id"] == "coe-council-of-europe"
            and f["field"] == "headquarters"]
    assert (hq["value"], hq["raw_value"], hq["rule_id"]) == ("Strasbourg", "Strasbourg, France",
                                                             "override:coe-hq")
    assert not [f for f in facts if f["org_id"] == ILAC and f["field"] == "founded"]
    by_reason = {i["reason"]: i for i in issues()}
    assert json.loads(by_reason["override_suppressed"]["detail"])["reason"] == \
        "a decade of origin is not a founding date"
    assert by_reason["override_applied"]["source"] == "rules/overrides.yaml#coe-hq"
    # every issue counted once in the metrics: the segment stage's, the extract stage's and the
    # overrides' (applied as the rows are written, and stale or ambiguous at the end)
    metrics = json.loads(Path("extracted/metrics.json").read_text(encoding="utf-8"))
    reasons = Counter(i["reason"] for i in issues())
    assert {"stale_override", "ambiguous_override", "override_applied"} <= set(reasons)
    assert metrics["issues"] == sum(reasons.values())
    assert {k: v for k, v in metrics["issues_by_reason"].items() if v} == dict(reasons)
    shutil.copytree("extracted", "published")

    # the page renames ILAC; the curator records the new capture and runs again
    page = Path(PAGE)
    page.write_text(page.read_text(encoding="utf-8").replace(
        "International Legal Assistance Consortium", "International Legal Aid Consortium"),
        encoding="utf-8")
    assert curator("add", PAGE)[0] == 0
    code, _, err = curator("run", "--no-pdfs")
    assert code == 0, err
    after = {o["org_id"]: o for o in rows("organisations")}
    assert list(after) == list(orgs)  # every id as published
    assert after[ILAC]["name"] == "International Legal Aid Consortium"
    assert not [f for f in rows("facts") if f["org_id"] == ILAC and f["field"] == "founded"]
    [kept] = [i for i in issues() if i["reason"] == "kept_org_id"]
    assert "'International Legal Aid Consortium'" in kept["detail"]
    code, out, _ = curator("diff", "published", "extracted")
    assert code == 2 and "1 changed" in out and "added" not in out.split("\n")[0]
    assert f"CHANGED  International Legal Aid Consortium ({ILAC})" in out.replace("ILAC – ", "")

    # recording the new name in the registry: the next run no longer doubts it
    code, out, _ = curator("ids")
    assert out == f"extended  {ILAC}: International Legal Aid Consortium\n"
    assert curator("run", "--no-pdfs")[0] == 0
    assert "kept_org_id" not in {i["reason"] for i in issues()}
    assert [o["org_id"] for o in rows("organisations")] == list(orgs)


@pytest.mark.parametrize("item, line, message", [
    ("- {id: x, org: ABBA, field: website, action: suppress, reason: typo}\n", 1,
     "unknown organisation 'ABBA'"),
    ("# a comment\n- id: x\n  org: ABA\n  field: headquaters\n  action: suppress\n  reason: r\n",
     4, "unknown field 'headquaters'"),
])
def test_curation_a_broken_override_stops_the_run_in_one_line(curator, item, line, message):
    assert curator("run", "--no-pdfs", "-q")[0] == 0
    before = Path("extracted/facts.csv").read_bytes()
    Path("rules/overrides.yaml").write_text(item, encoding="utf-8")
    code, out, err = curator("run", "--no-pdfs")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith(f"partners run: error: rules/overrides.yaml:{line}: ") and message in err
    assert Path("extracted/facts.csv").read_bytes() == before


def test_curation_a_named_registry_must_exist(curator):
    """A mistyped --ids would give every organisation a new id without a word."""
    code, out, err = curator("run", "--no-pdfs", "--ids", "rules/orgids.yaml")
    assert (code, out) == (1, "") and err == ("partners run: error: rules/orgids.yaml: no such "
                                              "id registry (give an existing file, or leave "
                                              "--ids out)\n")
