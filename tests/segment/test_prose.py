"""pipeline.segment.prose: a prose page gets one entry per organisation the text states a fact
about; the host only where the page describes it."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.model import Document
from pipeline.segment.organisations import NAME_WORD
from pipeline.segment.prose import PageSentences, host_spans
from pipeline.segment.segmenter import document_to_entries
from pipeline.segment.sentences import sentences
from pipeline.settings import Host

HOST = Host("Ruritanian Bar Council", "RBC", ("the Council",))


def entries_of(text: str, rules, host: Host = HOST):
    doc = Document(source_file="p.txt", source_sha256="0" * 64, text=text,
                   media_type="text/plain", encoding="utf-8")
    return document_to_entries(doc, rules.segment, host)


def labelled(text: str, entries) -> list[list[tuple[str, str]]]:
    return [[(role, text[s:e]) for role, s, e in e.labels] for e in entries]


def test_prose_one_entry_per_organisation_with_a_stated_fact(rules):
    text = ("The RBC is a member of the Alpine Lawyers Network (ALN). It also cooperates with "
            "the Danube Judges Association.\n\nThe Baltic Audit Office (BAO) was established in "
            "1961 and has 40 members.\n\nA visit was hosted by the Nordic Police Academy.\n")
    entries, accounting, issues = entries_of(text, rules)
    assert labelled(text, entries) == [
        [("name", "Alpine Lawyers Network"), ("acronym", "ALN")],
        [("name", "Danube Judges Association")],
        [("name", "Baltic Audit Office"), ("acronym", "BAO")]]   # the academy: nothing stated
    assert {e.layout for e in entries} == {"prose"}
    assert [i.reason for i in issues] == ["no_entries_recognised"]
    # a prose page is accounted sentence by sentence: the academy's visit is unused
    assert accounting.paragraphs == accounting.in_entries + accounting.unused == 4
    assert accounting.unused == 1
    for e in entries:
        assert all(e.char_start <= s < t <= e.char_end for _, s, t in e.labels)


def test_prose_host_only_where_the_page_describes_it(rules):
    mentioned = "The RBC is a member of the Alpine Lawyers Network (ALN).\n"
    assert labelled(mentioned, entries_of(mentioned, rules)[0]) == [
        [("name", "Alpine Lawyers Network"), ("acronym", "ALN")]]
    about = "The Ruritanian Bar Council (RBC) was founded in 1950 in Strelsau.\n"
    assert labelled(about, entries_of(about, rules)[0]) == [
        [("name", "Ruritanian Bar Council"), ("acronym", "RBC")]]


def test_prose_names_in_a_list_or_far_from_the_relation_get_no_entry(rules):
    text = ("Other bodies with consultative status include the Alpine Lawyers Network, the "
            "Danube Judges Association and the Baltic Audit Office.\n"
            "The RBC is a member of several bodies created within the framework of the Nordic "
            "Police Council.\n")
    entries, accounting, _ = entries_of(text, rules)
    assert accounting.layout == "page"  # no organisation with a stated fact: the page, once


def test_prose_sentences_split_at_sentence_ends_and_lines():
    text = "One body. Another (ABC) one!\nA third"
    assert [text[s:e] for s, e in sentences(text, 0, len(text))] == [
        "One body.", "Another (ABC) one!", "A third"]


def test_prose_headings_that_name_no_organisation_are_no_entries(rules):
    text = ("Quick Menu\n\nSite Settings\n\nInternational Relations\n\nThe RBC is a member of "
            "the Alpine Lawyers Network (ALN).\n")
    entries, accounting, _ = entries_of(text, rules)
    assert labelled(text, entries) == [[("name", "Alpine Lawyers Network"), ("acronym", "ALN")]]
    assert accounting.layout == "prose"


def test_prose_list_under_a_relation_sentence_keeps_its_short_names(rules):
    text = ("We cooperate closely with, among others:\n\n- Polizeischule Nord (D)\n"
            "- Tallinn Police College (EE)\n- Ecole de Police (F)\n- Ruritania Highway Patrol\n")
    entries, accounting, _ = entries_of(text, rules)
    assert [lab for e in labelled(text, entries) for lab in e] == [
        ("name", "Polizeischule Nord"), ("name", "Tallinn Police College"),
        ("name", "Ecole de Police"), ("name", "Ruritania Highway Patrol")]


def test_prose_a_list_of_topics_without_a_relation_is_no_structure(rules):
    text = ("Our work covers:\n\n- Judicial Training\n- Legal Aid\n- Court Reform\n"
            "- Human Rights\n")
    entries, accounting, _ = entries_of(text, rules)
    assert accounting.layout == "page" and len(entries) == 1  # no organisation: the page


def test_prose_a_stray_line_in_prose_is_no_structure(rules):
    text = ("The Baltic Audit Office (BAO) was established in 1961. " * 3 + "\n\n" +
            "The Danube Audit Office (DAO) was founded in 1970 and has 30 members. " * 3 +
            "\n\nNAO (Nordic Audit Offi")
    entries, accounting, _ = entries_of(text, rules)
    assert accounting.layout == "prose"
    assert [lab[1] for e in labelled(text, entries) for lab in e if lab[0] == "acronym"] == [
        "BAO", "DAO"]


def test_prose_relation_word_must_be_lower_case_and_not_across_a_comma(rules):
    text = ("The RBC signed it with the Alpine Union’s Legal Cooperation Office.\n"
            "Within the Danube Judges Association, the RBC cooperates with the Nordic Bar "
            "Network.\n")
    entries, _, _ = entries_of(text, rules)
    assert [lab for e in labelled(text, entries) for lab in e] == [
        ("name", "Nordic Bar Network")]


def test_prose_one_host_entry_however_often_it_is_named(rules):
    text = ("The Ruritanian Bar Council (RBC) was founded in 1950.\n"
            "The Council was established in 1950 as the Ruritanian Bar Council.\n")
    entries, _, _ = entries_of(text, rules)
    assert len(entries) == 1


def test_prose_a_page_stating_nothing_about_others_is_about_its_host(rules):
    text = ("Our aims are to advance the law with the RBC Endowment Fund.\n\n"
            "The RBC has a staff of two. The RBC meets every year.\n")
    entries, _, _ = entries_of(text, rules)
    assert labelled(text, entries) == [[("name", "RBC")]]


def test_prose_a_paragraph_opening_with_an_organisation_is_its_entry(rules):
    text = ("The Alpine Lawyers Network (ALN) unites bar associations of the Alps.\n\n"
            "The Danube Judges Association (DJA) is one of the regional groups of the Central "
            "Judges Union. The CJU was founded in 1953.\n")
    entries, _, _ = entries_of(text, rules)
    assert labelled(text, entries) == [
        [("name", "Alpine Lawyers Network"), ("acronym", "ALN")],
        [("name", "Danube Judges Association"), ("acronym", "DJA")],
        [("name", "Central Judges Union"), ("acronym", "CJU")]]  # its acronym used later


def test_prose_sub_bodies_are_no_organisations(rules):
    text = ("The RBC is represented in the following bodies:\n\n- Compliance Audit "
            "Subcommittee;\n- Working Group on IT Audit;\n- Task Force on Ethics;\n\n"
            "The RBC is a member of the Alpine Lawyers Network (ALN).\n")
    entries, _, _ = entries_of(text, rules)
    assert labelled(text, entries) == [[("name", "Alpine Lawyers Network"), ("acronym", "ALN")]]


def test_prose_about_headings_title_sections_not_organisations(rules):
    text = ("About Us\n\nAbout the Ruritanian Bar Council\n\nThe Ruritanian Bar Council (RBC) "
            "was founded in 1950.\n")
    entries, accounting, _ = entries_of(text, rules)
    assert accounting.layout == "prose"
    assert labelled(text, entries) == [[("name", "Ruritanian Bar Council"), ("acronym", "RBC")]]


def test_host_spans_whole_words_names_in_any_case_acronym_exact():
    text = ("RBC and the council met. xRBC, RBC-led, (RBC), rbc; the  Ruritanian\nBar council "
            "and The Council-level: the Councils")
    found = [text[s:e] for s, e in host_spans(text, HOST)]
    # no word character or hyphen on either side; the text's start counts as a boundary
    assert found == ["Ruritanian\nBar council", "RBC", "RBC", "the council"]


# letters, digits and what sentences and words end at: stops, quotes, brackets, spaces
SENTENCE_TEXT = "aB1_’'&-.!?\"”)( \t\u00a0\u2003\n“‘"


@given(st.text(alphabet=SENTENCE_TEXT, max_size=60))
@example(text="It.’ Next word")
@example(text="U.S. Department\nA-b’s B&c")
def test_prose_a_sentences_words_are_the_page_words_inside_it(rules, text):
    """A sentence's words, taken from the page's, are those a reading of the sentence alone
    finds (no word runs across a sentence's bounds)."""
    page = PageSentences(text, [], rules.segment, list(NAME_WORD.finditer(text)))
    for sentence in sentences(text, 0, len(text)):
        assert [w.span() for w in page.words(sentence)] == \
            [w.span() for w in NAME_WORD.finditer(text, *sentence)]
