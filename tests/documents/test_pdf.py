"""pipeline.documents.pdf: each PDF read in a limited worker; bad PDFs give a reason, the rest go on."""

from importlib.metadata import version

import pdfs
import pytest
import yaml

from pipeline.documents.pdf import PdfError, PdfParams, bytes_to_pdf, read_pdfs
from pipeline.ingest.reader import sha256_hex
from pipeline.model import Issue, PdfDocument
from pipeline.records import read_records

FAST = PdfParams(timeout_s=20, memory_mb=768, max_pages=20)


def test_pdf_pdfminer_without_pickle_cmaps():
    # 20251107 removed the pickle-based CMap loading (CVE-2025-64512)
    assert int(version("pdfminer.six")[:8]) >= 20251107


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("pdfs")


@pytest.fixture(scope="module")
def aba(folder):
    path = pdfs.agreement_pdf(folder / "aba.pdf")
    return bytes_to_pdf(path.read_bytes(), "raw/aba.pdf", FAST, url="http://x.org/aba.pdf")


def test_pdf_reads_pages_with_provenance(aba, folder):
    assert isinstance(aba, PdfDocument) and [p.page_number for p in aba.pages] == [1, 2]
    assert aba.source_sha256 == sha256_hex((folder / "aba.pdf").read_bytes())
    assert aba.url == "http://x.org/aba.pdf" and aba.title_lines == ("AGREEMENT TO COOPERATE",)


def test_pdf_faux_bold_duplicates_removed(aba):
    assert "AGREEMENT TO COOPERATE" in aba.pages[0].text
    assert "AAGG" not in aba.pages[0].text


def test_pdf_two_columns_read_one_after_the_other(aba):
    text = aba.pages[1].text
    lines = text.splitlines()
    assert lines[0] == "ABA Section of Criminal Justice - IAP"  # running header first
    assert text.index("criminal\njustice.") < text.index("Article 3 - Meetings")
    assert text.index("review this Agreement.") < text.index("Article 4 - Entry into force")
    assert lines[-1] == "Page 2 of 2"  # footer last


def test_pdf_single_column_page_not_split(aba):
    assert "efficient\nprosecution of criminal offences." in aba.pages[0].text


@pytest.mark.skipif(not pdfs.DEJAVU.exists(), reason="needs DejaVu Sans for ligature glyphs")
def test_pdf_ligatures_kept_in_raw_text(folder):
    doc = bytes_to_pdf(pdfs.ligature_pdf(folder / "lig.pdf").read_bytes(), "lig.pdf", FAST)
    assert "O\ufb03cial Agreement" in doc.pages[0].text


BAD = {
    "not_a_pdf": lambda d: pdfs.html_as_pdf(d / "html.pdf"),
    "encrypted": lambda d: pdfs.encrypted_pdf(d / "enc.pdf"),
    "no_text_layer": lambda d: pdfs.scanned_pdf(d / "scan.pdf"),
    "truncated": lambda d: pdfs.truncated_pdf(d / "cut.pdf", pdfs.mou_pdf(d / "whole.pdf")),
    "too_many_pages": lambda d: pdfs.many_pages_pdf(d / "many.pdf", 25),
    "compression_bomb": lambda d: pdfs.bomb_pdf(d / "bomb.pdf", decoded_mb=60),
    # the second Flate layer is where the bytes are: every stage of the chain is bounded
    "compression_bomb_two_filters": lambda d: pdfs.bomb_pdf(d / "bomb2.pdf", decoded_mb=60,
                                                            layers=2),
}


@pytest.mark.parametrize("reason", sorted(BAD))
def test_pdf_bad_file_gives_its_reason(reason, folder):
    path = BAD[reason](folder)
    params = PdfParams(max_pages=20, max_stream_bytes=50_000_000)
    expected = reason.removesuffix("_two_filters")
    with pytest.raises(PdfError) as err:
        bytes_to_pdf(path.read_bytes(), str(path), params)
    assert err.value.reason == expected, err.value.detail
    issue = err.value.to_issue()
    assert issue.stage == "pdf" and issue.reason == expected and issue.detail


@pytest.mark.parametrize("params, reason", [
    (PdfParams(max_bytes=1000), "too_large"),
    (PdfParams(timeout_s=0.05), "time_limit"),
    (PdfParams(memory_mb=20), "memory_limit"),
])
def test_pdf_over_a_limit(params, reason, folder):
    data = pdfs.mou_pdf(folder / "limits.pdf").read_bytes()
    with pytest.raises(PdfError) as err:
        bytes_to_pdf(data, "limits.pdf", params)
    assert err.value.reason == reason, err.value.detail


def test_pdf_bomb_past_the_stream_check_hits_the_memory_limit(folder):
    data = pdfs.bomb_pdf(folder / "big-bomb.pdf", decoded_mb=300).read_bytes()
    with pytest.raises(PdfError) as err:
        bytes_to_pdf(data, "bomb.pdf", PdfParams(memory_mb=256, max_stream_bytes=10**10))
    assert err.value.reason == "memory_limit", err.value.detail


def test_pdf_read_pdfs_goes_on_past_bad_files_and_writes_nothing(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    good = pdfs.mou_pdf(raw / "mou.pdf")
    pdfs.html_as_pdf(raw / "fake.pdf")
    (raw / "page.txt").write_text("A page.\n", encoding="utf-8")
    entries = [{"path": "fake.pdf", "media_type": "application/pdf"},
               {"path": "mou.pdf", "media_type": "application/pdf",
                "sha256": sha256_hex(good.read_bytes()), "url": "http://x.org/mou.pdf"},
               {"path": "page.txt", "media_type": "text/plain"},
               {"path": "gone.pdf", "media_type": "application/pdf"},
               {"path": "changed.pdf", "media_type": "application/pdf", "sha256": "0" * 64}]
    (raw / "changed.pdf").write_bytes(good.read_bytes())
    (raw / "sources.yaml").write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    results = list(read_pdfs([str(raw)], FAST))
    assert [type(r).__name__ for r in results] == ["Issue", "PdfDocument", "Issue", "Issue"]
    assert [r.reason for r in results if isinstance(r, Issue)] == [
        "not_a_pdf", "missing", "sha256_mismatch"]
    assert results[1].source_file == f"{raw}/mou.pdf" and results[1].url == "http://x.org/mou.pdf"
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_pdf_params_from_mapping_names_bad_keys():
    assert PdfParams.from_mapping({"timeout_s": 5, "max_pages": 3}) == PdfParams(
        timeout_s=5.0, max_pages=3)
    with pytest.raises(ValueError, match=r"params.yaml:pdf: unknown key 'pages'"):
        PdfParams.from_mapping({"pages": 3})
    with pytest.raises(ValueError, match=r"params.yaml:pdf.memory_mb"):
        PdfParams.from_mapping({"memory_mb": "lots"})


def test_pdf_stage_writes_documents_and_issues_that_read_back(tmp_path):
    import argparse

    from pipeline.documents import pdf as stage

    raw = tmp_path / "raw"
    raw.mkdir()
    pdfs.mou_pdf(raw / "mou.pdf")
    pdfs.html_as_pdf(raw / "fake.pdf")
    (raw / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"path": "mou.pdf", "media_type": "application/pdf", "url": "http://x.org/mou.pdf"},
        {"path": "fake.pdf", "media_type": "application/pdf"}]}), encoding="utf-8")
    parser = argparse.ArgumentParser()
    stage.add_arguments(parser)
    out = tmp_path / "interim/pdfs.jsonl"
    args = parser.parse_args([str(raw), "--out", str(out), "--timeout-s", "20", "--max-pages", "5"])
    assert args.timeout_s == 20.0 and args.max_pages == 5
    assert stage.main(args) == 0
    records = list(read_records(out))
    assert isinstance(records[0], PdfDocument) and records[0].url == "http://x.org/mou.pdf"
    assert records[0] == next(read_pdfs([str(raw)], FAST))
    assert records[1] == Issue(source=f"{raw}/fake.pdf", stage="pdf", reason="not_a_pdf",
                               detail="the file is an HTML page (no %PDF- header)")


def test_pdf_params_yaml_section_loads():
    from pathlib import Path

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "params.yaml").read_text())
    assert isinstance(PdfParams.from_mapping(data["pdf"]), PdfParams)
