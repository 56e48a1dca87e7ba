"""pipeline.segment.segmenter: pages cut into entries over their blocks; the IAP page, the
other layouts, groups, doubts reported, and every paragraph and block accounted for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.ingest.blocks import text_blocks
from pipeline.model import Document, Entry
from pipeline.segment.labels import is_label, parse_dash_heading
from pipeline.segment.segmenter import document_to_entries


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
    (BULLETS, "item", ["International Bar Association", "Eurojust", "UNODC"]),
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
    assert all(0 <= s < e <= len(text) for s, e in spans)
    if accounting.layout != "prose":
        # prose entries are the sentences about each organisation: they may overlap (two
        # bodies in one sentence), and a paragraph counts once however many hold it
        assert spans == sorted(spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
        covered = sum(len(e.paragraphs) for e in entries)
        assert covered == accounting.in_entries
    assert accounting.paragraphs == accounting.in_entries + accounting.in_preamble \
        + accounting.in_groups + accounting.boilerplate + accounting.unused
    for entry in entries:
        assert all(entry.char_start <= s < e <= entry.char_end for s, e in entry.paragraphs)
        assert all(entry.char_start <= s < e <= entry.char_end
                   for role, s, e in entry.labels if role != "group")


def test_segment_short_line_inside_a_paragraph_is_not_a_heading(rules):
    text = ("Partners\n\nInternational Bar Association (IBA)\nThe IBA unites lawyers.\n"
            "Founded in 1947\nLondon Office\n\nCouncil of Europe (COE)\nIt has 46 members.\n\n"
            "Interpol\nInterpol has 196 member countries.\n")
    entries, accounting, _ = document_to_entries(doc_of(text), rules.segment)
    assert accounting.layout == "line"
    assert [text[e.char_start:e.heading_end] for e in entries] == [
        "International Bar Association (IBA)", "Council of Europe (COE)", "Interpol"]


# --- structure over blocks -------------------------------------------------------------------

def html_doc(html: str, name: str = "page.html"):
    from pipeline.ingest.html import html_to_text

    page = html_to_text(html)
    return Document(source_file=name, source_sha256="0" * 64, text=page.text,
                    media_type="text/html", encoding="utf-8", blocks=page.blocks)


def cut(doc, rules):
    """(layout, [(group, acronym, name)], issue reasons, accounting) of a document."""
    entries, accounting, issues = document_to_entries(doc, rules.segment)
    rows = []
    for e in entries:
        parts = {role: doc.text[s:e2] for role, s, e2 in e.labels}
        rows.append((parts.get("group", ""), parts.get("acronym", ""), parts.get("name", "")))
    return accounting.layout, rows, [i.reason for i in issues], accounting


MARKDOWN = """# Our partners

We work with these organisations.

## ABA — American Bar Association

The ABA was founded in 1878.

# Courts

## ICC — International Criminal Court

The court sits in The Hague.

## STL — Special Tribunal for Lebanon

Founded: 2009
"""


def test_segment_markdown_headings_and_a_section_heading_as_group(rules):
    layout, rows, reasons, accounting = cut(doc_of(MARKDOWN, "page.md"), rules)
    assert layout == "heading:2" and reasons == []
    assert rows == [("", "ABA", "American Bar Association"),
                    ("Courts", "ICC", "International Criminal Court"),
                    ("Courts", "STL", "Special Tribunal for Lebanon")]
    assert accounting.blocks_in_groups == 1 and accounting.blocks_in_preamble == 2


@pytest.mark.parametrize("heading", [
    lambda n, name, acr: f"{n}. {name} ({acr})",
    lambda n, name, acr: f"{acr}: {name}",
    lambda n, name, acr: f"{name.upper()} ({acr})",
    lambda n, name, acr: f"{name} ({acr})",
])
def test_segment_title_line_layouts(rules, heading):
    orgs = [("American Bar Association", "ABA"), ("Council of Europe", "COE"),
            ("International Bar Association", "IBA")]
    body = "It was founded a long time ago and works with prosecutors in many countries."
    text = "Partners\n\nOur partners are these.\n\n" + "\n\n".join(
        f"{heading(n, name, acr)}\n{body}" for n, (name, acr) in enumerate(orgs, 1)) + "\n"
    layout, rows, reasons, _ = cut(doc_of(text), rules)
    assert [(a, n.casefold()) for _, a, n in rows] == [(a, n.casefold()) for n, a in orgs]
    assert reasons == []


TABLE = """<h1>Partners</h1><table>
<thead><tr><th>Organisation</th><th>Acronym</th><th>About</th></tr></thead>
<tr><td>Council of Europe</td><td>COE</td><td><p>Founded in 1949.</p></td></tr>
<tr><td>European Judicial Network</td><td>EJN</td><td>A network.</td></tr>
<tr><th colspan="3">Courts</th></tr>
<tr><td>International Criminal Court</td><td>ICC</td><td>A court.</td></tr>
</table>"""


def test_segment_table_rows_header_row_is_never_an_organisation(rules):
    layout, rows, reasons, _ = cut(html_doc(TABLE), rules)
    assert layout == "row"
    assert rows == [("", "COE", "Council of Europe"), ("", "EJN", "European Judicial Network"),
                    ("Courts", "ICC", "International Criminal Court")]


LIST = """<h1>Partners</h1><p>Intro.</p><ul>
<li><strong>ABA – American Bar Association</strong> Founded in 1878.</li>
<li><strong>IBA – International Bar Association</strong> Founded in 1947.</li>
<li><strong>Courts</strong><ul>
  <li><strong>ICC – International Criminal Court</strong> A court.</li>
  <li><strong>STL – Special Tribunal for Lebanon</strong> A tribunal.</li></ul></li>
</ul><p>Unrelated closing remark about the website.</p>"""


def test_segment_list_items_with_lead_ins_and_a_nested_group(rules):
    layout, rows, reasons, accounting = cut(html_doc(LIST), rules)
    assert layout == "item"
    assert rows == [("", "ABA", "American Bar Association"),
                    ("", "IBA", "International Bar Association"),
                    ("Courts", "ICC", "International Criminal Court"),
                    ("Courts", "STL", "Special Tribunal for Lebanon")]
    assert accounting.unused == 1  # the closing remark joins no organisation


CMS = """<a class="skip-link" href="#c">Skip to main content</a>
<ol class="breadcrumb"><li>Home</li><li>About</li></ol><h1>Partners</h1>
<h3>Council of Europe</h3><p>Founded in 1949.</p><h3>Eurojust</h3><p>An agency.</p>
<section><h2>Courts</h2><h3>ICC</h3><p>A court.</p></section>"""


def test_segment_cms_headings_skip_boilerplate_and_keep_the_group(rules):
    layout, rows, reasons, accounting = cut(html_doc(CMS), rules)
    assert layout == "heading:3"
    assert rows == [("", "", "Council of Europe"), ("", "", "Eurojust"), ("Courts", "ICC", "")]
    assert accounting.blocks_boilerplate == 3 and accounting.boilerplate == 3


def test_segment_field_lines_are_never_headings(rules):
    text = ("Council of Europe (COE)\nFounded: 1949\nSeat: Strasbourg\n\n"
            "Eurojust (EJ)\nFounded: 2002\nHeadquarters: The Hague\n")
    _, rows, _, _ = cut(doc_of(text), rules)
    assert [n for _, _, n in rows] == ["Council of Europe", "Eurojust"]


def test_segment_two_names_in_one_heading_is_reported(rules):
    text = ("ABA - American Bar Association - Council of Europe - Both work on this.\n\n"
            "IBA - International Bar Association - It was founded in 1947.\n")
    _, rows, reasons, _ = cut(doc_of(text), rules)
    assert len(rows) == 2 and "two_names_in_heading" in reasons


def test_segment_organisation_heading_inside_an_entry_is_reported(rules):
    text = ("## Council of Europe\n\nIt was founded in 1949.\n\nABA: American Bar Association\n"
            "The ABA was founded in 1878.\n\n## Eurojust Agency\n\nIt was founded in 2002.\n")
    _, rows, reasons, _ = cut(doc_of(text, "page.md"), rules)
    assert [n for _, _, n in rows] == ["Council of Europe", "Eurojust Agency"]
    assert "possible_merge" in reasons


def test_segment_close_candidates_are_reported_as_doubtful(rules):
    html = ("<h1>Partners</h1><h3>Council of Europe</h3><p>It was founded in 1949.</p>"
            "<h3>Eurojust Agency</h3><p>It was founded in 2002.</p>"
            "<h3>World Bank</h3><p>It was founded in 1944.</p>"
            "<ul><li>ABA – American Bar Association</li><li>IBA – International Bar "
            "Association</li><li>UIA – Union Internationale des Avocats</li>"
            "<li>ICJ – International Commission of Jurists</li></ul>")
    _, rows, reasons, _ = cut(html_doc(html), rules)
    assert "doubtful_structure" in reasons


@pytest.mark.parametrize("doc", [doc_of(MARKDOWN, "p.md"), html_doc(TABLE), html_doc(LIST),
                                 html_doc(CMS)])
def test_segment_every_block_is_accounted_for(rules, doc):
    _, _, _, a = cut(doc, rules)
    assert a.blocks_total == len(doc.blocks or text_blocks(doc.text)) == a.blocks_in_entries + a.blocks_in_preamble \
        + a.blocks_in_groups + a.blocks_boilerplate + a.blocks_unused
    assert a.paragraphs == a.in_entries + a.in_preamble + a.in_groups + a.boilerplate + a.unused


@pytest.mark.parametrize("heading,expected", [
    ("Kent Police College (GB)", [("name", "Kent Police College")]),          # a country code
    ("United Nations (UN)", [("name", "United Nations"), ("acronym", "UN")]),  # its initials
    ("Baltic Judicial Network in Civil Matters (BJN-Civil)",
     [("name", "Baltic Judicial Network in Civil Matters"), ("acronym", "BJN-Civil")]),
    ("Canterbury College (Memorandum of Agreement) (GB)", [("name", "Canterbury College")]),
    ("NPIA (GB)", [("name", "NPIA")]),
])
def test_segment_heading_brackets_that_are_no_acronym(rules, heading, expected):
    from pipeline.segment.labels import parse_heading

    found = parse_heading(heading, 0, len(heading), rules.segment)
    assert [(role, heading[s:e]) for role, s, e in found.labels] == expected


def test_segment_list_items_ending_in_a_semicolon_are_names(rules):
    text = ("We have established cooperation ties with:\n- Malaysian Audit Commission;\n"
            "- French Audit Agency;\n- Bureau of Audit of Latvia;\n")
    entries, accounting, _ = document_to_entries(doc_of(text), rules.segment)
    assert [labels(text, e) for e in entries] == [
        [("name", "Malaysian Audit Commission")], [("name", "French Audit Agency")],
        [("name", "Bureau of Audit of Latvia")]]


def test_segment_a_bracketed_acronym_is_no_word_of_a_long_name(rules):
    from pipeline.segment.labels import is_label

    name = "Network of the Presidents of the Supreme Judicial Courts of the Union (NPSJCU)"
    assert is_label(name, rules.segment)
    assert not is_label(name.replace(" (NPSJCU)", " and of their Deputy Presidents"),
                        rules.segment)


def test_segment_prose_above_a_list_gives_its_organisations_too(rules):
    text = ("Our international work\n\n"
            "The International Organisation of Bar Councils (IOBC) unites the bar councils of "
            "120 states. The IOBC was founded in 1953 and its secretariat is based in Vienna, "
            "where it meets every year with its regional groups.\n\n"
            "The organisation has the following regional groups:\n"
            "- NORBA (Nordic Bar Association, established in 1965);\n"
            "- ALBA (Alpine Bar Association, established in 1976);\n")
    entries, accounting, _ = document_to_entries(doc_of(text), rules.segment)
    assert [e.layout for e in entries] == ["prose", "item", "item"]
    assert [e.index for e in entries] == [0, 1, 2]
    assert labels(text, entries[0])[0] == ("name", "International Organisation of Bar Councils")
    assert accounting.entries == 3 and accounting.unused == 0


def test_segment_a_short_introduction_above_a_list_is_no_entry(rules):
    text = ("Partners\n\nThe Nordic Bar Association (NORBA) is our partner.\n\n"
            "- ALBA (Alpine Bar Association, established in 1976);\n"
            "- BALT (Baltic Bar Association, established in 1990);\n")
    entries, accounting, _ = document_to_entries(doc_of(text), rules.segment)
    assert [e.layout for e in entries] == ["item", "item"]
    assert accounting.in_preamble >= 1
