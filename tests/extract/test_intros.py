"""pipeline.extract.intros: a relationship stated above a list applies to every item below it,
until the next section."""

from __future__ import annotations

import pytest
from conftest import facts_of
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.intros import contains


def relation_by_org(extractions):
    """{org_id: (term, rule id, evidence)} of the list-intro relationships."""
    return {f.org_id: (f.value, f.rule_id, f.evidence)
            for f in facts_of(extractions, "host_relationship")
            if f.rule_id.startswith("host.list_intro.")}


LIST = ("- Council of Europe (COE)\n- European Law Institute (ELI)\n"
        "- International Commission of Jurists (ICJ)\n")


@pytest.mark.parametrize("intro,term", [
    ("The IAP would like to thank all its partners:", "partner"),
    ("We are members of the following networks:", "host_member_of"),
    ("There is intensive cooperation with, among others:", "cooperation"),
    ("The IAP cooperates intensively with the following organisations:", "cooperation"),
    ("Our partners", "partner"),                                   # a heading line
    ("We would like to recognise our international affiliates.", "partner"),
    ("Bodies with which the IAP has established cooperation ties", "cooperation"),
])
def test_intros_apply_to_every_item_of_the_list(extract_text, intro, term):
    _, xs, _ = extract_text(f"News\n\nThe event was a success.\n{intro}\n{LIST}")
    found = relation_by_org(xs)
    assert sorted(found) == ["coe-council-of-europe", "eli-european-law-institute",
                             "icj-international-commission-of-jurists"]
    assert {v[:2] for v in found.values()} == {(term, f"host.list_intro.{term}")}
    assert {v[2] for v in found.values()} == {intro.strip()}


@pytest.mark.parametrize("intro", [
    "The event gathered 77 participants from partner organisations.",  # not shaped as an intro
    "Participants came from these bodies:",                            # no term
    "The Association has developed close links with associations.",   # no term of a list
])
def test_intros_not_an_intro(extract_text, intro):
    _, xs, _ = extract_text(f"News\n\nThe event was a success.\n{intro}\n{LIST}")
    assert relation_by_org(xs) == {}


def test_intros_end_at_the_next_section(extract_text):
    _, xs, _ = extract_text("# Partners\n\n## Our partners\n\n- Council of Europe (COE)\n"
                            "- European Law Institute (ELI)\n\n## Other bodies\n\n"
                            "These bodies also work in the field.\n\n"
                            "- International Commission of Jurists (ICJ)\n- Fair Trials (FT)\n")
    found = relation_by_org(xs)
    assert sorted(found) == ["coe-council-of-europe", "eli-european-law-institute"]
    assert found["coe-council-of-europe"][2] == "Our partners"   # the heading's marks aside


def test_intros_an_entry_keeps_its_own_relationship(extract_text):
    _, xs, _ = extract_text("Partners\n\nOur partners:\n\n"
                            "COE - Council of Europe - The COE works on law.\n\n"
                            "ELI - European Law Institute - The ELI has no formal link to the "
                            "IAP.\n")
    assert sorted(relation_by_org(xs)) == ["coe-council-of-europe"]
    assert [f.value for f in facts_of(xs, "host_relationship")
            if f.org_id == "eli-european-law-institute"] == ["no_formal_link"]


def test_intros_never_on_a_page_without_host(rules, nlp):
    from pipeline.extract.intros import ListIntros
    from pipeline.model import Entry
    from pipeline.settings import Host

    intros = ListIntros(rules.vocab, Host())
    text = "Our partners:\n- Council of Europe (COE)\n"
    entry = Entry("page.txt", "0" * 64, 0, 16, len(text), 16, "item")
    assert intros.relation(entry, text) is None


def test_intros_an_instrument_in_brackets_in_the_heading_is_the_entry_own(extract_text):
    _, xs, _ = extract_text("Partners\n\nThe IAP works with, among others:\n\n"
                            "- Council of Europe (COE)\n"
                            "- Nordic Bar University (Memorandum of Agreement) (N)\n"
                            "- Fair Trials (MoU)\n- Baltic Law School (Summer School 2019)\n")
    found = {f.org_id: (f.value, f.rule_id, f.evidence)
             for f in facts_of(xs, "host_relationship")}
    assert found["coe-council-of-europe"][0] == "cooperation"
    assert found["nordic-bar-university"] == ("agreement", "host.heading_label.agreement",
                                              "Memorandum of Agreement")
    assert found["fair-trials"][:2] == ("mou", "host.heading_label.mou")
    # a bracket naming no instrument says nothing of its own: the list's intro applies
    assert found["baltic-law-school"][0] == "cooperation"


def test_intros_an_organisation_whose_name_holds_the_host_name_is_not_the_host(rules, nlp):
    from pipeline.extract.extractor import Extractor
    from pipeline.ingest.reader import Source, bytes_to_document
    from pipeline.model import Entry, Extraction
    from pipeline.segment.segmenter import segment
    from pipeline.settings import Host

    text = ("Partners\n\nThe Police Academy cooperates with, among others:\n\n"
            "- European Police Academy (CEPOL)\n- Scottish Police College\n")
    doc = bytes_to_document(text.encode(), Source(path="p.txt", media_type="text/plain"))
    entries = [e for e in segment([doc], rules.segment) if isinstance(e, Entry)]
    host = Host("Police Academy", "PA")
    xs = [x for x in Extractor(nlp, rules, host).run((e, doc) for e in entries)
          if isinstance(x, Extraction)]
    assert {f.org_id: f.value for f in facts_of(xs, "host_relationship")} == {
        "cepol-european-police-academy": "cooperation", "scottish-police-college": "cooperation"}


@given(st.lists(st.sampled_from("abc"), max_size=8).map(tuple),
       st.lists(st.sampled_from("abc"), max_size=3).map(tuple))
@settings(max_examples=300, deadline=None)
def test_contains_as_comparing_at_every_position(words, phrase):
    """Looking only where the phrase's first word is finds what comparing at every position
    finds (the empty phrase included)."""
    n = len(phrase)
    assert contains(words, phrase) == any(words[i:i + n] == phrase
                                          for i in range(len(words) - n + 1))
