"""partners review: one self-contained page, every value highlighted, filters that work."""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import tempfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from dataset_versions import (
    V1,
    build,
    edit_table,
    project,  # noqa: F401 (fixtures)
    with_overrides,
    write,
)
from hypothesis import given
from hypothesis import strategies as st

from pipeline.versions import commands, review
from pipeline.versions.highlight import Mark, highlight

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
AIMP = "aimp-ibero-american-association-of-public-ministries"
OVERRIDE_AIMP = {"id": "aimp-acronym", "org": "AIMP", "field": "acronym", "action": "correct",
                 "match": "AIMP", "value": "AIAMP", "reason": "their site and statutes say AIAMP"}
SUPPRESS_ABA = {"id": "aba-hq", "org": "ABA", "field": "headquarters", "action": "suppress",
                "reason": "a branch office"}


def run(project: Path, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    commands.add_review_arguments(parser)
    args = parser.parse_args(["--dataset", str(project / "extracted"), "--root", str(project),
                              *argv])
    return commands.review_main(args)


def text_of(html: str) -> str:
    """The text a browser would show (tags dropped, entities decoded)."""
    parts: list[str] = []
    parser = HTMLParser()
    parser.handle_data = parts.append
    parser.feed(re.sub(r"<(script|style)>.*?</\1>", "", html, flags=re.S))
    return "".join(parts)


@pytest.mark.parametrize("text, marks, expected", [
    ("a <b> c", [Mark(2, 5, "name", "name · heading", "t")],
     'a <mark class="v" style="--c: #c7e9c0" data-field="name" title="t">&lt;b&gt;'
     '<span class="tag">name · heading</span></mark> c'),
    ("abcdef", [], "abcdef"),
])
def test_review_highlight_escapes_and_labels(text, marks, expected):
    assert highlight(text, marks) == expected


def test_review_highlight_nests_and_splits_overlapping_spans():
    text = "The IAP has 30 members here."
    outer = Mark(0, 21, "host_relationship", "host_relationship · r1", "o")
    inner = Mark(12, 22, "membership", "membership · r2", "i")  # crosses the outer end
    html = highlight(text, [inner, outer])
    assert text_of(html).replace("host_relationship · r1", "").replace("membership · r2", "") == text
    assert html.count("host_relationship · r1") == 1 and html.count("membership · r2") == 1
    assert html.count("<mark") == 3  # the crossing mark is split in two, labelled once


@st.composite
def text_and_marks(draw):
    text = draw(st.text(alphabet=st.sampled_from("ab <>&\"'\n\u00a0é"), max_size=40))
    spans = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))),
                          max_size=6))
    return text, [Mark(min(a, b), max(a, b), "name", "L", "t") for a, b in spans]


@given(text_and_marks())
def test_review_highlight_keeps_the_text_and_balances_marks(case):
    text, marks = case
    html = highlight(text, marks)
    assert text_of(html).replace("L", "") == text.replace("L", "")
    assert html.count("<mark") == html.count("</mark>")
    assert html.count('class="tag"') == sum(1 for m in marks if m.start < m.end)


def test_review_page_has_a_card_per_organisation_with_values_highlighted(project):
    assert run(project) == 0
    page = (project / "extracted" / "review.html").read_text(encoding="utf-8")
    assert page.count('<article class="card"') == 4
    assert "membership · membership.rule" in page and "acronym · heading" in page
    assert "&lt;b&gt;Network&lt;/b&gt;" in page and "<b>Network</b>" not in page
    assert "&lt;script&gt;alert(1)" in page and "<script>alert" not in page
    iba = page[page.index('id="org-iba-international-bar-association"'):]
    assert 'data-flagged="1"' in iba[:300] and "date_disagreement" in iba.split("</article>")[0]
    npn = page[page.index('id="org-npn-new-prosecutors-network"'):].split("</article>")[0]
    assert "unparsed_sentence: a sentence no rule read" in npn  # attached by its span
    assert "1 issue of the run" in page  # the preamble paragraph belongs to no card


def test_review_card_flags_do_not_repeat_an_issue_that_restates_a_flag():
    org = build(V1).organisations[1]
    assert org.flags == ("acronym_mismatch:AIMP",)
    issues = [f"acronym_mismatch: {org.org_id}: acronym_mismatch:AIMP", "not_used: 1889"]
    assert review.card_flags(org, issues) == ["acronym_mismatch:AIMP", "not_used: 1889"]


def test_review_page_needs_no_network(project):
    assert run(project) == 0
    page = (project / "extracted" / "review.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page


def test_review_page_with_diff_shows_changes_side_by_side(project):
    assert run(project, "--diff", str(project / "old" / "extracted"),
               "--out", str(project / "page.html")) == 0
    page = (project / "page.html").read_text(encoding="utf-8")
    aba = page[page.index('id="org-aba-american-bar-association"'):].split("</article>")[0]
    assert 'data-status="changed"' in aba
    assert '<td class="old"><b>nearly 400000 members</b>' in aba
    assert '<td class="new"><b>nearly 410000 members</b>' in aba
    assert 'data-status="removed"' in page and "renamed from AIMP" in page
    assert 'id="org-iba-international-bar-association" data-org="iba-international-bar-association" ' \
           'data-status="same"' in page


def test_review_page_shows_what_each_override_did_and_why(tmp_path):
    """The reasons come from the dataset's own issues: the page says what the dataset was made
    with, whatever rules/overrides.yaml says today."""
    version, issues = with_overrides(build(V1), tmp_path / "rules", OVERRIDE_AIMP, SUPPRESS_ABA)
    write(tmp_path, version, issues)
    assert run(tmp_path) == 0
    page = (tmp_path / "extracted" / "review.html").read_text(encoding="utf-8")
    aimp, aba = card_of(page, AIMP), card_of(page, "aba-american-bar-association")
    assert "override:aimp-acronym" in aimp and 'class="badge override"' in aimp
    assert "was 'AIMP': their site and statutes say AIAMP" in unescape(aimp)
    assert "<s>headquarters = Chicago</s>" in aba and 'class="badge override"' in aba
    assert "suppressed by override aba-hq: a branch office" in unescape(aba)
    assert "override_applied" not in page  # an effect, not a doubt: not among the flags


def test_review_page_lists_an_override_that_did_nothing(tmp_path):
    version, issues = with_overrides(build(V1), tmp_path / "rules", {
        **SUPPRESS_ABA, "field": "website", "id": "aba-web"})
    write(tmp_path, version, issues)
    assert run(tmp_path) == 0
    page = unescape((tmp_path / "extracted" / "review.html").read_text(encoding="utf-8"))
    assert "stale_override" in page and "override 'aba-web'" in page


def card_of(page: str, org_id: str) -> str:
    return page[page.index(f'id="org-{org_id}"'):].split("</article>")[0]


PAGE_TEXT = "Memorandum of Understanding\n\nSigned in The Hague on 7 March 2014 by both parties.\n"


def add_pdf_fact(project: Path, evidence: str = "7 March 2014", text: str = PAGE_TEXT) -> None:
    """A fact read from page 2 of a linked PDF, as export writes it: its source is the page's
    text under the dataset's texts/, hashed."""
    texts = project / "extracted" / "texts"
    texts.mkdir(exist_ok=True)
    (texts / "mou.pdf.page-2.txt").write_text(text, encoding="utf-8")
    start = PAGE_TEXT.index("7 March 2014")
    row = ["pdf1", "npn-new-prosecutors-network", "agreement_date", "2014-03-07", "", "",
           "2014-03-07", "day", evidence, "extracted/texts/mou.pdf.page-2.txt",
           hashlib.sha256(PAGE_TEXT.encode("utf-8")).hexdigest(), str(start),
           str(start + len("7 March 2014")), "pdf.date.signed", "2", "7 March 2014"]
    edit_table(project / "extracted", "facts", lambda rows: rows + [row])


def npn_card(project: Path) -> str:
    page = (project / "extracted" / "review.html").read_text(encoding="utf-8")
    return unescape(page[page.index('id="org-npn-new-prosecutors-network"'):].split("</article>")[0])


def test_review_card_lists_facts_of_linked_pdfs_without_flagging_them(project):
    add_pdf_fact(project)
    assert run(project) == 0
    npn = npn_card(project)
    start = PAGE_TEXT.index("7 March 2014")
    assert f"extracted/texts/mou.pdf.page-2.txt p.2 {start}–{start + 12}" in npn
    assert "source_mismatch" not in npn
    assert ">1 flag<" in npn and "outside_entry" not in npn  # the one flag is the unparsed sentence


@pytest.mark.parametrize("evidence, text, flag", [
    ("9 March 2014", PAGE_TEXT, "source_mismatch: 1 facts' evidence is not at their offsets in "
                                "their PDF page text"),
    ("7 March 2014", PAGE_TEXT.replace("7", "8"), "source_changed: extracted/texts/mou.pdf.page-2.txt"),
])
def test_review_checks_facts_of_linked_pdfs_against_their_page_text(project, evidence, text, flag):
    add_pdf_fact(project, evidence, text)
    assert run(project) == 0
    assert flag in npn_card(project)


def test_review_missing_dataset_is_a_one_line_error(tmp_path, capsys):
    assert run(tmp_path) == 1
    assert capsys.readouterr().err.startswith("partners review: ")


# --- in a real browser ------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.mark.browser
@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium/chromedriver not installed")
def test_review_page_filters_in_headless_chromium(project, monkeypatch):
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not look for drivers online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page = project / "page.html"
    assert run(project, "--diff", str(project / "old" / "extracted"), "--out", str(page)) == 0
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,1600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(20)
        driver.get(page.as_uri())
        visible = lambda: sorted(c.get_attribute("data-org")  # noqa: E731
                                 for c in driver.find_elements(By.CSS_SELECTOR, "article.card")
                                 if c.is_displayed())
        assert len(visible()) == 5  # four current organisations and the removed one
        driver.find_element(By.ID, "only-changed").click()
        assert visible() == ["aba-american-bar-association",
                             "aiamp-ibero-american-association-of-public-prosecutors",
                             "npn-new-prosecutors-network", "old-obsolete-league-of-debaters"]
        assert driver.find_element(By.ID, "shown").text == "4"
        driver.find_element(By.ID, "only-changed").click()
        driver.find_element(By.ID, "only-flagged").click()
        assert visible() == ["iba-international-bar-association", "npn-new-prosecutors-network"]
        driver.find_element(By.ID, "only-flagged").click()
        Select(driver.find_element(By.ID, "field")).select_by_value("headquarters")
        assert visible() == ["aba-american-bar-association",
                             "aiamp-ibero-american-association-of-public-prosecutors"]
        dimmed = driver.find_elements(By.CSS_SELECTOR, "mark.v.dim")
        assert dimmed and all(m.get_attribute("data-field") != "headquarters" for m in dimmed)
        assert "alert" not in (driver.execute_script("return document.title") or "")
        ARTIFACTS.mkdir(exist_ok=True)
        Select(driver.find_element(By.ID, "field")).select_by_value("")
        assert driver.save_screenshot(str(ARTIFACTS / "review-page.png"))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    assert os.path.getsize(ARTIFACTS / "review-page.png") > 10_000
