"""Segmenting pages into entries: the IAP page, other layouts, and the paragraph accounting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import Document, Entry
from pipeline.segment.headings import document_to_entries, is_label, parse_dash_heading


def doc_of(text: str, name: str = "page.txt"):
    return Document(source_file=name, source_sha256="0" * 64, text=text,
                    media_type="text/plain", encoding="utf-8")


def labels(text: str, entry: Entry) -> list[tuple[str, str]]:
    return [(role, text[s:e]) for role, s, e in entry.labels]


@pytest.fixture(scope="module")
def iap(iap_text, rules):
    entries, accounting, issues = document_to_entries(doc_of(iap_text), rules.segment)
    return entries, accounting, issues


def test_segment_iap_page_one_entry_per_organisation(iap, iap_text):
    entries, accounting, issues = iap
    assert len(entries) == 34 and accounting.layout == "dash" and not issues
    assert labels(iap_text, entries[0]) == [("acronym", "ABA"), ("name", "American Bar Association")]
    first_words = [iap_text[e.char_start:e.char_start + 12] for e in entries]
    assert first_words[0].startswith("ABA - ") and first_words[-1].startswith("World Bank")


@pytest.mark.parametrize("acronym,expected", [
    ("COE -Council", [("acronym", "COE"), ("name", "Council of Europe")]),   # irregular spacing
    ("Ibero American", [("name", "Ibero American Association of Public Prosecutors"),
                        ("acronym", "AIMP")]),                                # acronym in brackets
    ("MEDEL", [("acronym", "MEDEL"),
               ("name", "Magistrats européen pour la democratie et les libertes")]),  # no text
    ("SEEPAG", [("acronym", "SEEPAG"),
                ("name", "the Southeast European Prosecutors Advisory Group")]),
    ("Special Tribunals and Courts - ICTR",
     [("group", "Special Tribunals and Courts"), ("acronym", "ICTR")]),       # group prefix
])
def test_segment_iap_heading_roles(iap, iap_text, acronym, expected):
    entries = iap[0]
    entry = next(e for e in entries if iap_text.startswith(acronym, e.char_start))
    assert labels(iap_text, entry) == expected


def test_segment_continuation_paragraphs_belong_to_the_entry_above(iap, iap_text):
    entries = iap[0]
    by_start = {iap_text[e.char_start:e.char_start + 6]: e for e in entries}
    assert len(by_start["ABA - "].paragraphs) == 2      # the agreement paragraph
    assert len(by_start["AIDP/I"].paragraphs) == 2      # "Founded in 1924, ..."
    assert len(by_start["Comnet"].paragraphs) == 2      # the memorandum paragraph
    aba = by_start["ABA - "]
    assert "dated 7 March 2014" in iap_text[aba.char_start:aba.char_end]


def test_segment_dash_inside_a_sentence_is_not_a_heading(iap, iap_text, rules):
    entries = iap[0]
    assert not any(iap_text.startswith("Rwanda", e.char_start) for e in entries)


def test_segment_parse_dash_heading_refuses_prose(rules):
    text = "Rwanda - admitted at the 2009 meeting"
    assert parse_dash_heading(text, 0, len(text), rules.segment) is None


def test_segment_accounts_for_every_paragraph(iap):
    _, accounting, _ = iap
    assert accounting.paragraphs == 39
    assert accounting.in_preamble == 2          # the title and the introduction
    assert accounting.in_entries == 37 and accounting.continuation == 3
    assert accounting.in_entries + accounting.in_preamble == accounting.paragraphs


LINE_LAYOUT = """Our partners

We work with the following organisations.

International Bar Association (IBA)
The IBA, established in 1947, is the world's leading organisation of lawyers.
It has more than 80,000 members.

Council of Europe (COE)
Founded on 5 May 1949, the Council of Europe is based in Strasbourg, France.

Interpol
Interpol has 196 member countries.
"""

BULLETS = """Partners of the Network

• International Bar Association (IBA): an association of lawyers founded in 1947.
• Eurojust: a European Union body established in 2002.
• UNODC – the United Nations Office on Drugs and Crime, established in 1997.
"""

EN_DASH = """Partner organisations

International Bar Association (IBA) – The IBA was established in 1947.
European Judicial Network – The EJN is a network of contact points.
"""

ONE_ORGANISATION = """European Judicial Training Network

The EJTN was founded in 2000 and is based in Brussels. It has 35 members.

Its secretariat organises exchanges for judges and prosecutors.
"""


@pytest.mark.parametrize("text,layout,names", [
    (LINE_LAYOUT, "line", ["International Bar Association", "Council of Europe", "Interpol"]),
    (BULLETS, "bullet", ["International Bar Association", "Eurojust", "UNODC"]),
    (EN_DASH, "dash", ["International Bar Association", "European Judicial Network"]),
])
def test_segment_other_layouts(rules, text, layout, names):
    entries, accounting, issues = document_to_entries(doc_of(text), rules.segment)
    assert accounting.layout == layout
    heads = [next(text[s:e] for role, s, e in entry.labels if role in ("name", "acronym"))
             for entry in entries]
    assert heads == names
    assert accounting.in_entries + accounting.in_preamble == accounting.paragraphs


def test_segment_whole_page_about_one_organisation_is_one_entry(rules):
    entries, accounting, issues = document_to_entries(doc_of(ONE_ORGANISATION), rules.segment)
    assert len(entries) == 1 and entries[0].char_start == 0
    assert entries[0].char_end == len(ONE_ORGANISATION.rstrip())
    assert accounting.in_preamble == 0


def test_segment_no_recognisable_entries_gives_one_entry_and_an_issue(rules):
    text = "this page only has prose. nothing here looks like a heading at all.\n"
    entries, accounting, issues = document_to_entries(doc_of(text), rules.segment)
    assert len(entries) == 1 and accounting.layout == "page"
    assert [i.reason for i in issues] == ["no_entries_recognised"]


@pytest.mark.parametrize("text,expected", [
    ("American Bar Association", True),
    ("Group of States against corruption", True),
    ("the Southeast European Prosecutors Advisory Group", True),
    ("The American Bar Association www.americanbar.org is the world’s largest", False),
    ("admitted at the 2009 meeting", False),
    ("", False),
])
def test_segment_is_label(rules, text, expected):
    assert is_label(text, rules.segment) is expected


HEADINGS = st.sampled_from(["ABA - American Bar Association - ", "COE -Council of Europe – ",
                            "Special Tribunals and Courts - ICC - ", "World Bank — ", ""])
SENTENCES = st.sampled_from(["The body was founded in 1945.", "It has 47 member countries.",
                             "Rwanda - admitted at the 2009 meeting.", "See www.example.org now.",
                             "Membership is open to all members of the IAP."])
NOISE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.lists(st.tuples(HEADINGS, st.lists(SENTENCES, min_size=0, max_size=3), NOISE),
                min_size=1, max_size=8))
def test_segment_entries_cover_the_page_without_overlap(rules, paragraphs):
    text = "\n\n".join(h + " ".join(s) + n for h, s, n in paragraphs)
    if not text.strip():
        return
    entries, accounting, _ = document_to_entries(doc_of(text), rules.segment)
    spans = [(e.char_start, e.char_end) for e in entries]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert all(0 <= s < e <= len(text) for s, e in spans)
    covered = sum(len(e.paragraphs) for e in entries)
    assert covered == accounting.in_entries
    assert accounting.in_entries + accounting.in_preamble == accounting.paragraphs
    for entry in entries:
        assert all(entry.char_start <= s < e <= entry.char_end for s, e in entry.paragraphs)


def test_segment_short_line_inside_a_paragraph_is_not_a_heading(rules):
    text = ("Partners\n\nInternational Bar Association (IBA)\nThe IBA unites lawyers.\n"
            "Founded in 1947\nLondon Office\n\nCouncil of Europe (COE)\nIt has 46 members.\n\n"
            "Interpol\nInterpol has 196 member countries.\n")
    entries, accounting, _ = document_to_entries(doc_of(text), rules.segment)
    assert accounting.layout == "line"
    assert [text[e.char_start:e.heading_end] for e in entries] == [
        "International Bar Association (IBA)", "Council of Europe (COE)", "Interpol"]
