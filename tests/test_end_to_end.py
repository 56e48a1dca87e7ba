"""End to end: `dvc repro` in a temporary copy of the project, and `partners run` determinism."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATASET = ("organisations.csv", "facts.csv", "agreements.csv", "issues.jsonl", "metrics.json",
           "datapackage.json", "organisations.parquet", "facts.parquet", "agreements.parquet")


def copy_project(dest: Path) -> Path:
    def ignore(folder, names):
        return [n for n in names if n in (".venv", ".git", "__pycache__", ".pytest_cache",
                                          ".hypothesis", "artifacts", "out")
                or ".staging-" in n]

    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def env() -> dict:
    e = dict(os.environ, DVC_NO_ANALYTICS="1")
    e["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{e.get('PATH', '')}"
    return e


def repro(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dvc", "repro"], cwd=project, env=env(),
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_end_to_end_dvc_repro_rebuilds_the_committed_dataset(tmp_path):
    project = copy_project(tmp_path / "project")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    shutil.rmtree(project / "extracted")
    done = repro(project)
    assert done.returncode == 0, done.stdout + done.stderr
    # a normal repro warns of nothing (an empty pdfs.jsonl or texts/ once made DVC warn)
    warnings = [line for line in (done.stdout + done.stderr).splitlines() if "WARNING" in line]
    assert warnings == []
    for name in DATASET:
        assert (project / "extracted" / name).read_bytes() == (ROOT / "extracted" / name).read_bytes(), name
    again = repro(project)
    assert again.returncode == 0 and "up to date" in again.stdout
    # the page changes so that the one shared acronym goes away: the count shows 1 -> 0
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "dataset"], cwd=project, check=True)
    page = project / "raw" / "iap-co-operation-with-others.txt"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("COE - Cybercrime\xa0-", "C-PROC - Cybercrime\xa0-"),
                    encoding="utf-8")
    cli = [sys.executable, "-m", "pipeline.cli"]
    subprocess.run([*cli, "add", "raw/iap-co-operation-with-others.txt", "-q"], cwd=project,
                   env=env(), check=True, timeout=60)
    assert repro(project).returncode == 0
    diff = subprocess.run([sys.executable, "-m", "dvc", "metrics", "diff", "--json"],
                          cwd=project, env=env(), capture_output=True, text=True, timeout=60)
    changed = json.loads(diff.stdout)["extracted/metrics.json"]
    assert changed["issues_by_reason.shared_acronym"] == {"old": 1, "new": 0, "diff": -1}


def facts_of(project: Path, org_id: str, field: str) -> list[dict]:
    with open(project / "extracted" / "facts.csv", encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if (r["org_id"], r["field"]) == (org_id, field)]


@pytest.mark.slow
def test_end_to_end_dvc_repro_applies_overrides_and_keeps_published_ids(tmp_path):
    """The curator's loop under DVC: an override, a renamed organisation, a broken override."""
    project = copy_project(tmp_path / "project")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    overrides = project / "rules" / "overrides.yaml"
    overrides.write_text(
        "- {id: coe-hq, org: coe-council-of-europe, field: headquarters, action: correct,\n"
        "   value: Strasbourg, reason: the city alone}\n"
        "- {id: aba-web, org: ABA, field: website, action: suppress, match: x.org, reason: old}\n",
        encoding="utf-8")
    done = repro(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning: rules/overrides.yaml:3: stale_override: override 'aba-web'" in \
        done.stdout + done.stderr
    [hq] = facts_of(project, "coe-council-of-europe", "headquarters")
    assert (hq["value"], hq["rule_id"]) == ("Strasbourg", "override:coe-hq")

    page = project / "raw" / "iap-co-operation-with-others.txt"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "International Legal Assistance Consortium", "International Legal Aid Consortium"),
        encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pipeline.cli", "add", str(page.relative_to(project))],
                   cwd=project, env=env(), check=True, capture_output=True)
    assert repro(project).returncode == 0
    ilac = "ilac-international-legal-assistance-consortium"
    assert [f["value"] for f in facts_of(project, ilac, "name")] == [
        "International Legal Aid Consortium"]
    assert facts_of(project, "coe-council-of-europe", "headquarters")[0]["value"] == "Strasbourg"

    overrides.write_text("- {id: x, org: ABBA, field: website, action: suppress, reason: r}\n",
                         encoding="utf-8")
    failed = repro(project)
    assert failed.returncode != 0
    assert "partners export: error: rules/overrides.yaml:1: unknown organisation 'ABBA'" in \
        failed.stdout + failed.stderr
    # the published dataset is still there, whole: the failed export replaced nothing
    [hq] = facts_of(project, "coe-council-of-europe", "headquarters")
    assert hq["value"] == "Strasbourg"
    assert (project / "extracted" / "organisations.parquet").is_file()


def test_end_to_end_partners_run_is_byte_identical_to_the_committed_dataset(tmp_path):
    """`partners run` in a copy of the project writes the committed bytes. (In the copy, not
    with another --out: datapackage.json names each input's file relative to itself.)"""
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "extracted")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run"], cwd=project, env=env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "34 organisations" in done.stderr and not done.stdout  # a status line, not a result
    for name in DATASET:
        assert (project / "extracted" / name).read_bytes() == (ROOT / "extracted" / name).read_bytes(), name


def test_end_to_end_cli_errors_are_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--rules",
                           str(tmp_path), "--out", str(tmp_path / "out")], cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.startswith("partners run: error:") and done.stderr.count("\n") == 1
