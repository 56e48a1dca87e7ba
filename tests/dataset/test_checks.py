"""Output checks: a run that cannot give a trustworthy dataset replaces nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import IAP_PAGE, ROOT
from hardening import write_raw

from pipeline.cli import main
from pipeline.dataset.checks import FAILED_RUN

TABLES = ("organisations.csv", "facts.csv", "agreements.csv", "organisations.parquet",
          "facts.parquet", "issues.jsonl", "metrics.json", "datapackage.json")


def published(tmp_path: Path) -> tuple[Path, dict]:
    """A dataset folder holding the project's published dataset, and its bytes."""
    out = tmp_path / "extracted"
    out.mkdir()
    for name in TABLES:
        shutil.copy(ROOT / "extracted" / name, out / name)
    return out, {name: (out / name).read_bytes() for name in TABLES}


def unchanged(out: Path, before: dict) -> bool:
    return all((out / name).read_bytes() == data for name, data in before.items())


def test_checks_a_mistyped_input_fails_and_keeps_the_dataset(tmp_path, capsys):
    out, before = published(tmp_path)
    assert main(["run", str(IAP_PAGE)[:-1], "--out", str(out), "--no-pdfs", "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "iap-co-operation-with-others.tx: missing" in err
    assert unchanged(out, before)
    assert "missing" in (out / FAILED_RUN / "issues.jsonl").read_text()


def test_checks_a_dash_is_not_a_page(tmp_path, capsys):
    out, before = published(tmp_path)
    assert main(["run", "-", "--out", str(out), "--no-pdfs", "--quiet"]) == 1
    assert "-: missing" in capsys.readouterr().err
    assert unchanged(out, before)


def test_checks_an_edited_page_with_a_stale_hash_fails(tmp_path, capsys):
    out, before = published(tmp_path)
    raw = write_raw(tmp_path / "raw", {"page.txt": IAP_PAGE.read_text(encoding="utf-8")})
    (raw / "page.txt").write_text("ABA - American Bar Association - edited by hand.\n")
    assert main(["run", str(raw), "--out", str(out), "--no-pdfs", "--quiet"]) == 1
    assert "sha256_mismatch" in capsys.readouterr().err
    assert unchanged(out, before)


def test_checks_allow_partial_writes_what_was_read(tmp_path):
    out, before = published(tmp_path)
    raw = write_raw(tmp_path / "raw", {"page.txt": IAP_PAGE.read_text(encoding="utf-8")},
                    extra=[{"path": "gone.txt"}])
    assert main(["run", str(raw), "--out", str(out), "--no-pdfs", "--quiet"]) == 1
    assert unchanged(out, before)
    assert main(["run", str(raw), "--out", str(out), "--no-pdfs", "--quiet",
                 "--allow-partial"]) == 0
    assert '"reason": "missing"' in (out / "issues.jsonl").read_text()
    assert len((out / "organisations.csv").read_text().splitlines()) == 35
    assert not (out / FAILED_RUN).exists()  # the failed run's leftovers went with it


def test_checks_a_whitespace_page_gives_no_organisation_and_fails(tmp_path, capsys):
    out, before = published(tmp_path)
    raw = write_raw(tmp_path / "raw", {"page.txt": " \n\n  \n"})
    assert main(["run", str(raw), "--out", str(out), "--no-pdfs", "--quiet"]) == 1
    assert "empty" in capsys.readouterr().err
    assert unchanged(out, before)


def test_checks_min_organisations_per_page(tmp_path, capsys):
    out, before = published(tmp_path)
    assert main(["run", str(IAP_PAGE), "--out", str(out), "--no-pdfs", "--quiet",
                 "--min-organisations-per-page", "35"]) == 1
    assert "34 organisations, fewer than 35" in capsys.readouterr().err
    assert unchanged(out, before)
