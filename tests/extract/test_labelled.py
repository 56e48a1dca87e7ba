"""pipeline.extract.labelled: label: value lines, infobox lines and directory address lines."""

from __future__ import annotations

import pytest
from conftest import facts_of
from hypothesis import given
from hypothesis import strategies as st


def values(extractions, field):
    return [(f.value, f.rule_id) for f in facts_of(extractions, field)]


def entry(body: str) -> str:
    """A page with one organisation whose body is `body`."""
    return f"Partners\n\nCouncil of Europe (COE)\n\n{body}\n"


@pytest.mark.parametrize("line,year", [
    ("Founded: 1961", "1961"),
    ("Foundation: 1953", "1953"),
    ("Established — 22 May 1984", "1984"),
    ("Formation 1995", "1995"),
    ("Formation1952", "1952"),           # a flattened infobox glues the label to its value
    ("Year founded: March 2001", "2001"),
])
def test_labelled_founded_line(extract_text, line, year):
    _, xs, _ = extract_text(entry(f"The COE works on law.\n{line}"))
    assert values(xs, "founded") == [(year, "label.founded")]


@pytest.fixture
def analyse(nlp, extractor_factory):
    """The values of one entry that is the whole text (its first line the heading), whatever
    the segmenter would make of it."""
    from pipeline.model import Entry

    def run(text: str):
        heading = text.index("\n")
        entry = Entry("page.txt", "0" * 64, 0, 0, len(text), heading, "heading:1",
                      labels=(("name", 0, heading),))
        return extractor_factory().analyse(nlp(text), entry, text).values

    return run


def test_labelled_value_on_the_next_line(analyse):
    found = analyse("Council of Europe (COE)\nThe COE works on law.\nFounded\n1949\n"
                    "Headquarters\n\n1 Avenue de l'Europe\n\nStrasbourg, France\nMembership\n"
                    "Over 46 member states\nType\nNGO\n")
    got = {(v.field, v.value, v.rule_id, v.qualifier, v.unit) for v in found}
    assert got == {("founded", "1949", "label.founded.next_line", "", ""),
                   ("headquarters", "1 Avenue de l'Europe Strasbourg, France",
                    "label.headquarters.next_line", "", ""),
                   ("membership", "46", "label.membership.next_line", "over", "member states")}


@pytest.mark.parametrize("line,place", [
    ("Headquarters: Vienna", "Vienna"),
    ("Seat: Council of Europe, Strasbourg", "Council of Europe, Strasbourg"),
    ("HeadquartersGeneva, Switzerland", "Geneva, Switzerland"),
    ("Address: 1 Quai Ney, Strasbourg", "1 Quai Ney, Strasbourg"),
])
def test_labelled_headquarters_line(extract_text, line, place):
    _, xs, _ = extract_text(entry(f"The COE works on law.\n{line}"))
    assert values(xs, "headquarters") == [(place, "label.headquarters")]


@pytest.mark.parametrize("line,count,unit", [
    ("Members: 190", "190", "members"),
    ("Membership: 12,000", "12000", "membership"),
    ("Member states: 47 (since 2007)", "47", "member states"),
])
def test_labelled_membership_line(extract_text, line, count, unit):
    _, xs, _ = extract_text(entry(f"The COE works on law.\n{line}"))
    assert [(f.value, f.unit) for f in facts_of(xs, "membership")] == [(count, unit)]


@pytest.mark.parametrize("line", [
    "Founded in the spirit of cooperation, it grew.",   # a sentence, not a label line
    "Foundation for Human Rights, a partner",
    "Headquarters are being renovated in Vienna.",      # the sentence patterns decide
    "Seat: vacant",                                     # no place
    "Members of the Board: five",
    "Membership: open to all lawyers",
    "Established: the late 90s",                        # vague: never a label's year
    "Members\n2024 Annual Report",                       # a count of something else
    "Members\n2024",                                     # a year as likely as a count
    "Address\nPlease write to us in Geneva, Switzerland",  # a sentence, not an address
])
def test_labelled_lines_that_are_not_values(extract_text, line):
    _, xs, _ = extract_text(entry(f"The COE works on law.\n{line}"))
    assert [f for f in facts_of(xs) if f.rule_id.startswith("label.")] == []


def test_labelled_address_line_before_contact_line(extract_text):
    _, xs, _ = extract_text(entry("PO Box 403, Mosman, New South Wales 2088, Australia\n\n"
                                  "Tel: +61 2 9969 3298 | Fax: +61 2 9969 3298\n\n"
                                  "An association of lawyers."))
    assert values(xs, "headquarters") == [("PO Box 403, Mosman, New South Wales 2088, "
                                           "Australia", "label.headquarters.address_line")]


@pytest.mark.parametrize("body", [
    "The COE meets in Paris, France every year.\nTel: +33 1 2345",   # a sentence
    "Opening hours, weekdays\nTel: +33 1 2345",                       # no place
    "Strasbourg, France\n\nThe COE works on law.",                   # no contact line after
])
def test_labelled_no_address_line(extract_text, body):
    _, xs, _ = extract_text(entry(body))
    assert values(xs, "headquarters") == []


def test_labelled_evidence_is_the_source_text(extract_text):
    text = entry("The COE works on law.\nFounded:  1949")
    _, xs, _ = extract_text(text)
    (fact,) = facts_of(xs, "founded")
    assert text[fact.char_start:fact.char_end] == fact.evidence == "Founded:  1949"


def test_labelled_refused_under_another_organisations_heading(analyse):
    found = analyse("Council of Europe\nThe COE works on law.\n\n"
                    "Commonwealth Association of Public Sector Lawyers\n\nFoundation: 1996\n")
    assert [v for v in found if v.field == "founded"] == []


def test_labelled_kept_under_a_heading_that_is_the_entry(analyse):
    found = analyse("International Commission of Jurists\nThe ICJ defends law.\n\n"
                    "International Commission of Jurists\nFormation1952\n")
    assert [(v.field, v.value) for v in found if v.rule_id.startswith("label.")] == \
        [("founded", "1952")]


@given(st.lists(st.sampled_from(["Founded: 1961", "  HQ Vienna", "founded", "Seat:", "x Seat: y",
                                 "Headquarters are in Rome", "\t", "", "HeadquartersGeneva\r",
                                 "Founded 1900 – 1910"]), max_size=8))
def test_label_lines_are_tried_at_line_starts_only_and_found_as_finditer_finds_them(lines_):
    from pipeline.extract.labelled import label_line, line_matches, lines

    text = "\n".join(lines_)
    pattern = label_line(("founded", "seat", "headquarters", "hq"))
    starts = [s for s, _ in lines(text)]
    found = [m.span() for m in line_matches(pattern, text, starts)]
    assert found == [m.span() for m in pattern.finditer(text)]


@given(st.lists(st.sampled_from(["Founded: 1961", "  SEAT - Rome", "Tel: 01", "founded",
                                 "Members 12", "The COE works on law.", "\t", "", "E-mail x",
                                 "Headquarters are in Rome", "HeadquartersGeneva\r", "Über"]),
                max_size=8))
def test_label_lines_are_tried_only_where_a_line_opens_with_some_label(rules, lines_):
    """`label_patterns`' filter keeps every line start where a field's or the contacts'
    pattern matches (the lines it drops would have matched none)."""
    from pipeline.extract.field_extractors import Context
    from pipeline.extract.labelled import label_patterns, line_matches, lines

    ctx = Context(None, None, rules.vocab, None)
    fields, contact, can_open = label_patterns(ctx)
    assert can_open is not None   # the rules' label lists are none of them empty
    text = "\n".join(lines_)
    starts = [s for s, _ in lines(text)]
    tried = [s for s in starts if can_open.match(text, s)]
    for pattern in [p for _, p in fields] + [contact]:
        assert [m.span() for m in line_matches(pattern, text, tried)] == \
            [m.span() for m in line_matches(pattern, text, starts)]


def test_label_patterns_filter_nothing_when_a_label_list_is_empty(rules):
    from pipeline.extract.field_extractors import Context
    from pipeline.extract.labelled import label_patterns

    words = dict(rules.vocab, contact_labels=[])
    fields, contact, can_open = label_patterns(Context(None, None, words, None))
    assert can_open is None and contact.match("Anything at all\n")   # (no label: a line)
    assert [f for f, _ in fields] == list(rules.vocab["field_labels"])
