"""`partners add`: a page saved by hand is copied into raw/ and recorded, hash and all."""

from __future__ import annotations

import hashlib
import os

import yaml
from conftest import IAP_PAGE

from pipeline.cli import main


def manifest(raw):
    return yaml.safe_load((raw / "sources.yaml").read_text(encoding="utf-8"))["sources"]


def test_add_copies_and_records_a_page(tmp_path, capsys):
    page = tmp_path / "Saved Page.html"
    page.write_text("<p>ABA - American Bar Association - Founded in 1878.</p>", encoding="utf-8")
    raw = tmp_path / "raw"
    assert main(["add", str(page), "--into", str(raw), "--url", "https://example.org/p",
                 "--captured", "2026-12-01"]) == 0
    assert capsys.readouterr().out.startswith("new")
    (entry,) = manifest(raw)
    assert entry["url"] == "https://example.org/p" and entry["media_type"] == "text/html"
    assert entry["captured"] == "2026-12-01"
    assert entry["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    assert (raw / entry["path"]).read_bytes() == page.read_bytes()
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "--no-pdfs", "--quiet"]) == 0


def test_add_again_unchanged_then_changed_keeps_the_previous_hash(tmp_path, capsys):
    page, raw = tmp_path / "page.txt", tmp_path / "raw"
    page.write_text(IAP_PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["add", str(page), "--into", str(raw), "--url", "https://example.org/p"]
    assert main(args) == 0
    before = (raw / "sources.yaml").read_bytes()
    assert main(args) == 0 and "unchanged" in capsys.readouterr().out
    assert (raw / "sources.yaml").read_bytes() == before
    old = manifest(raw)[0]["sha256"]
    page.write_text("ABA - American Bar Association - edited.\n", encoding="utf-8")
    assert main(args) == 0 and "changed" in capsys.readouterr().out
    (entry,) = manifest(raw)
    assert entry["previous_sha256"] == old and entry["sha256"] != old


def test_add_a_file_dropped_into_raw_records_its_hash(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.txt").write_text("ABA - American Bar Association - x.\n", encoding="utf-8")
    assert main(["add", str(raw / "page.txt"), "--into", str(raw)]) == 0
    (entry,) = manifest(raw)
    assert entry["path"] == "page.txt" and sorted(os.listdir(raw)) == ["page.txt", "sources.yaml"]


def test_add_a_pdf_is_the_page(tmp_path):
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert main(["add", str(pdf), "--into", str(tmp_path / "raw")]) == 0
    assert manifest(tmp_path / "raw")[0]["role"] == "page"


def test_add_refuses_what_is_not_a_page_in_one_line(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "empty.txt").write_text(" \n")
    for name, says in (("missing.txt", "No such file"), ("pipe", "not a regular file"),
                       ("empty.txt", "empty")):
        assert main(["add", str(tmp_path / name), "--into", str(tmp_path / "raw")]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and says in err
