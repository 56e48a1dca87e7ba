"""pipeline.ingest.html_blocks: an HTML page's structure as blocks with spans into its text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pipeline.ingest.html import html_to_text

ROOT = Path(__file__).resolve().parents[2]


def blocks_of(html: str):
    page = html_to_text(html)
    return page.text, page.blocks


def shown(html: str, *fields: str) -> list[tuple]:
    text, blocks = blocks_of(html)
    return [(b.kind, *(getattr(b, f) for f in fields), text[b.start:b.end]) for b in blocks]


def test_html_blocks_headings_with_their_level():
    assert shown("<h1>Partners</h1><h2>Courts</h2><p>Intro.</p>", "level") == [
        ("heading", 1, "Partners"), ("heading", 2, "Courts"), ("paragraph", 0, "Intro.")]


def test_html_blocks_list_items_with_their_depth_and_strong_lead_in():
    html = ("<ul><li><strong>ABA – American Bar Association</strong> Founded in 1878."
            "<p>More.</p></li><li><b>Courts</b><ul><li>ICC</li></ul></li></ul>")
    text, blocks = blocks_of(html)
    items = [(b.depth, text[b.start:b.lead_end] if b.lead_end else None) for b in blocks
             if b.kind == "item"]
    assert items == [(1, "ABA – American Bar Association"), (1, "Courts"), (2, None)]
    aba = blocks[0]
    assert text[aba.start:aba.end] == "ABA – American Bar Association Founded in 1878.\n\nMore."


def test_html_blocks_table_rows_cells_and_the_header():
    html = ("<table><thead><tr><th>Name</th><th>Acronym</th></tr></thead><tbody>"
            "<tr><td>Council of Europe</td><td>COE</td></tr>"
            "<tr><th colspan=2>Courts</th></tr></tbody></table>")
    assert shown(html, "column", "marker") == [
        ("row", 0, "th", "Name\n\nAcronym"), ("cell", 0, "th", "Name"),
        ("cell", 1, "th", "Acronym"), ("row", 0, "", "Council of Europe\n\nCOE"),
        ("cell", 0, "", "Council of Europe"), ("cell", 1, "", "COE"),
        ("row", 0, "th", "Courts"), ("cell", 0, "th", "Courts")]


def test_html_blocks_definition_lists_and_unclosed_tags():
    html = "<dl><dt>Council of Europe (COE)<dd><p>Founded in 1949.<dt>Eurojust<dd>An agency.</dl>"
    assert [k for k, _ in [(b.kind, 0) for b in blocks_of(html)[1]]] == [
        "term", "definition", "paragraph", "term", "definition"]


def test_html_blocks_boilerplate_is_flagged_and_kept_in_the_text():
    html = ('<a class="skip-link" href="#c">Skip to main content</a>'
            '<ol class="breadcrumb"><li>Home</li><li>About</li></ol>'
            '<div id="cookie-banner"><p>We use cookies.</p></div>'
            '<main id="c"><h1>Partners</h1><p>Text.</p></main><aside><p>Related</p></aside>'
            '<nav><a href="/">Menu</a></nav>')
    text, blocks = blocks_of(html)
    assert "Menu" not in text and "Skip to main content" in text
    flagged = {text[b.start:b.end]: b.boilerplate for b in blocks}
    assert flagged == {"Skip to main content": True, "Home": True, "About": True,
                       "We use cookies.": True, "Partners": False, "Text.": False,
                       "Related": True}


def test_html_blocks_text_outside_elements_is_a_paragraph():
    assert shown("<div>Loose text</div><p>Para</p>") == [
        ("paragraph", "Loose text"), ("paragraph", "Para")]


def test_html_blocks_of_the_iap_page_leave_its_text_as_it_was():
    page = html_to_text((ROOT / "tests/data/iap-page.html").read_text(encoding="utf-8"))
    text = (ROOT / "raw/iap-co-operation-with-others.txt").read_text(encoding="utf-8")
    assert page.text == text
    leads = [page.text[b.start:b.lead_end] for b in page.blocks if b.lead_end]
    assert leads[0] == "ABA - American Bar Association" and len(leads) == 34


TAGS = st.sampled_from(["<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>", "<h2>", "</h2>",
                        "<tr>", "<td>", "</td>", "<th>", "</tr>", "<dt>", "<dd>", "<strong>",
                        "</strong>", '<div class="menu">', "</div>", "<br>", "<aside>"])
WORDS = st.sampled_from(["ABA", "Council of Europe", " ", "text.", "&amp;", "\u00a0"])


@given(st.lists(st.one_of(TAGS, WORDS), max_size=30))
def test_html_blocks_lie_inside_the_text_in_order(parts):
    text, blocks = blocks_of("".join(parts))
    assert [(b.start, -b.end) for b in blocks] == sorted((b.start, -b.end) for b in blocks)
    for b in blocks:
        assert 0 <= b.start < b.end <= len(text)
        assert b.lead_end is None or b.start < b.lead_end < b.end
    runs = [r for r in text.split("\n\n") if r]
    assert sum(len(r) for r in runs) <= len(text)
