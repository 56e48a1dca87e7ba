"""pipeline.ingest.blocks: the structure of a text or Markdown page, as blocks with spans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.ingest.blocks import is_caps, text_blocks


def kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start:b.end]) for b in text_blocks(text)]


def test_blocks_markdown_headings_with_their_level_and_markup_outside_the_span():
    text = "# Partners\n\nIntro text here.\n\n## ABA — American Bar Association ##\n\nBody.\n"
    blocks = text_blocks(text)
    assert [(b.kind, b.level, text[b.start:b.end]) for b in blocks] == [
        ("heading", 1, "Partners"), ("paragraph", 0, "Intro text here."),
        ("heading", 2, "ABA — American Bar Association"), ("paragraph", 0, "Body.")]
    assert blocks[2].marker == "#"


def test_blocks_setext_underlines_make_headings():
    text = "Partners\n========\n\nCouncil of Europe\n-----------------\nIt has 46 members.\n"
    assert [(b.kind, b.level, text[b.start:b.end]) for b in text_blocks(text)] == [
        ("heading", 1, "Partners"), ("heading", 2, "Council of Europe"),
        ("paragraph", 0, "It has 46 members.")]


def test_blocks_bullets_with_depth_and_numbered_items():
    text = ("* Council of Europe\n  * Venice Commission\n* Eurojust\n\n"
            "1. American Bar Association (ABA)\nThe ABA was founded in 1878.\n"
            "2) Interpol\n(a) a sub-point\n")
    items = [(b.depth, b.marker, text[b.start:b.end]) for b in text_blocks(text)
             if b.kind == "item"]
    assert items == [(1, "*", "Council of Europe"), (2, "*", "Venice Commission"),
                     (1, "*", "Eurojust"), (1, "1.", "American Bar Association (ABA)"),
                     (1, "2)", "Interpol"), (1, "(a)", "a sub-point")]
    assert ("paragraph", "The ABA was founded in 1878.") in kinds(text)


def test_blocks_title_line_before_its_paragraph_and_capitals():
    body = "The American Bar Association is the world's largest voluntary association of lawyers."
    text = f"AMERICAN BAR ASSOCIATION (ABA)\n{body}\n"
    blocks = text_blocks(text)
    assert [(b.kind, b.emphasis) for b in blocks] == [("line", "caps"), ("paragraph", "")]
    assert text[blocks[1].start:blocks[1].end] == body


def test_blocks_label_colon_lead_in():
    text = "ABA: American Bar Association\nFounded: 1878\nSee http://example.org here\n"
    leads = [text[b.start:b.lead_end] if b.lead_end else None for b in text_blocks(text)]
    assert leads == ["ABA", "Founded", None]


def test_blocks_markdown_bold_lead_in():
    text = "- **ICC – International Criminal Court** The court sits in The Hague.\n"
    (item,) = text_blocks(text)
    assert text[item.start:item.lead_end] == "ICC – International Criminal Court"


def test_blocks_tab_separated_rows_and_their_cells():
    text = "Name\tAcronym\nCouncil of Europe\tCOE\nEurojust\t-\n"
    blocks = text_blocks(text)
    rows = [b for b in blocks if b.kind == "row"]
    cells = [(b.column, b.marker, text[b.start:b.end]) for b in blocks if b.kind == "cell"]
    assert len(rows) == 3
    assert cells == [(0, "th", "Name"), (1, "th", "Acronym"), (0, "", "Council of Europe"),
                     (1, "", "COE"), (0, "", "Eurojust"), (1, "", "-")]


def test_blocks_crlf_and_tabs_inside_prose_are_not_a_table():
    text = "Partners\r\n\r\nThe\tCouncil of Europe was founded in 1949\tby ten countries.\r\n"
    assert kinds(text) == [("line", "Partners"), (
        "paragraph", "The\tCouncil of Europe was founded in 1949\tby ten countries.")]


def test_blocks_wrapped_prose_stays_one_paragraph():
    text = ("The Council of Europe, based in Strasbourg, now covers virtually the entire\n"
            "European continent, with its 46 member countries and a court of its own.\n")
    assert [k for k, _ in kinds(text)] == ["paragraph"]


LINES = st.sampled_from(["# Title", "## ABA - American Bar Association", "* item one",
                         "  - nested item", "1. Name (ACR)", "(a) point", "ACR: Name",
                         "Plain prose sentence that goes on for a while, and ends.", "",
                         "CAPITALS LINE", "a\tb", "c\td", "=====", "-----", "\t", "**Bold** x"])


@given(st.lists(LINES, max_size=15), st.sampled_from(["\n", "\r\n"]))
def test_blocks_lie_inside_the_text_and_hold_content(lines, newline):
    text = newline.join(lines)
    blocks = text_blocks(text)
    assert [(b.start, -b.end) for b in blocks] == sorted((b.start, -b.end) for b in blocks)
    for b in blocks:
        assert 0 <= b.start < b.end <= len(text)
        assert text[b.start:b.end] == text[b.start:b.end].strip()
        assert b.lead_end is None or b.start < b.lead_end <= b.end


@given(st.text(alphabet="aAbBxXyYzZ ÉéßǅΣσ中1.-\t", max_size=40))
def test_is_caps_is_four_letters_mostly_capitals(line):
    # the fast rejection of lines with many a-z letters never changes the answer
    letters = sum(map(str.isalpha, line))
    assert is_caps(line) == (letters >= 4 and sum(map(str.isupper, line)) >= 0.8 * letters)


def test_is_caps_examples():
    assert is_caps("EUROPEAN JUDICIAL NETWORK (EJN)")
    assert not is_caps("European Judicial Network (EJN)")
    assert not is_caps("EJN")   # under four letters
