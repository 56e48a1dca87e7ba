"""A PDF read as the page itself (pipeline.ingest.pdf_page): text and blocks from lines and
fonts, facts pointing to its saved text with their page, a scan reported."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.dataset.checks import CheckError, OutputChecks
from pipeline.ingest.pdf_page import page_of, page_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pdfs import scanned_pdf  # noqa: E402


def line(top: float, *words, size: float = 10, bold: bool = False) -> dict:
    return {"top": top, "bottom": top + size, "x0": 50,
            "words": [[w, size, bold] for w in " ".join(words).split()]}


ANSWER = {"pages": [
    {"page_number": 1, "lines": [
        line(40, "Our partners", size=18, bold=True),
        line(70, "Courts", size=14, bold=True),
        line(95, "ICC – International Criminal Court", size=11, bold=True),
        line(110, "The court was founded in 2002 and sits in"),
        line(124, "The Hague. Its work is anti-"),
        line(138, "corruption too."),
        line(160, "A second paragraph."),
        line(800, "1")]},
    {"page_number": 2, "lines": [
        line(40, "Eurojust", size=11, bold=True),
        line(55, "Eurojust is an agency of the Union"),
        line(69, "based in The Hague.")]}]}


def test_pdf_page_text_is_laid_out_in_paragraphs():
    text, _ = page_text(ANSWER)
    assert text.split("\n\n") == [
        "Our partners", "Courts", "ICC – International Criminal Court",
        "The court was founded in 2002 and sits in The Hague. Its work is anti-corruption too.",
        "A second paragraph.", "1", "Eurojust",
        "Eurojust is an agency of the Union based in The Hague."]


def test_pdf_page_blocks_headings_by_size_and_weight_with_their_page():
    text, blocks = page_text(ANSWER)
    shown = [(b.kind, b.level, b.page, b.boilerplate, text[b.start:b.end][:20]) for b in blocks]
    assert shown[:3] == [("heading", 1, 1, False, "Our partners"),
                         ("heading", 2, 1, False, "Courts"),
                         ("heading", 3, 1, False, "ICC – International ")]
    assert ("paragraph", 0, 1, True, "1") in shown          # a page number
    assert ("heading", 3, 2, False, "Eurojust") in shown
    assert page_of(blocks, text.index("based in")) == 2


def test_pdf_page_bold_opening_run_is_a_lead_in():
    page = {"pages": [{"page_number": 1, "lines": [
        {"top": 10, "bottom": 20, "x0": 0,
         "words": [["UNDP", 10, True], ["–", 10, True], ["Programme", 10, True],
                   ["works", 10, False], ["here.", 10, False]]}]}]}
    text, (block,) = page_text(page)
    assert text[block.start:block.lead_end] == "UNDP – Programme"


@pytest.fixture(scope="module")
def layouts_pdf():
    import layouts

    return layouts.render("pdf")[1]


def test_pdf_page_given_on_the_command_line_gives_the_dataset(tmp_path, run_raw, layouts_pdf):
    page = tmp_path / "page.pdf"
    page.write_bytes(layouts_pdf)
    ds = run_raw(page, pdf_params=None)
    assert len(ds.tables["organisations"]) == 34
    (saved,) = (ds.out / "texts").glob("page.pdf.*.txt")
    text = saved.read_text(encoding="utf-8")
    for fact in ds.facts:
        assert fact.source_file == str(saved) and fact.page in (1, 2, 3, 4, 5, 6, 7, 8, 9)
        assert text[fact.char_start:fact.char_end] == fact.evidence
    groups = {o.group for o in ds.tables["organisations"]}
    assert groups == {"", "Special Tribunals and Courts"}


def test_pdf_page_in_a_manifest_is_marked_as_the_page(tmp_path, run_raw, layouts_pdf):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.pdf").write_bytes(layouts_pdf)
    (raw / "sources.yaml").write_text("sources:\n  - path: page.pdf\n    role: page\n",
                                      encoding="utf-8")
    assert len(run_raw(raw).tables["organisations"]) == 34


def test_pdf_page_without_a_text_layer_is_an_issue_not_an_empty_success(tmp_path, run_raw):
    page = scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(CheckError, match="scan.pdf: no_text_layer"):
        run_raw(page)  # the run fails its checks: no dataset replaces the last one
    issues = (tmp_path / "out" / ".failed-run" / "issues.jsonl").read_text(encoding="utf-8")
    assert '"reason": "no_text_layer"' in issues
    ds = run_raw(page, checks=OutputChecks(allow_partial=True))
    assert ("scan.pdf", "pdf", "no_text_layer") in ds.reasons()
    assert ds.tables["organisations"] == []
