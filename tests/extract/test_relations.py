"""pipeline.extract.relations: relationships to the host (IAP, the project's host) stated with
a cue word, in either direction."""

from __future__ import annotations

import pytest
from conftest import facts_of


def terms(extractions):
    """(term, rule id) of every relationship (a pattern of host_relationship.jsonl may read the
    sentence first: then the cue's reading of it is the same fact, kept once)."""
    return [(f.value, f.rule_id) for f in facts_of(extractions, "host_relationship")]


def page(heading: str, body: str) -> str:
    return f"{heading} - {body}\n"


@pytest.mark.parametrize("heading,body,term", [
    ("FT - Fair Trials", "The IAP and Fair Trials signed a memorandum of understanding in "
     "March 2018.", "mou"),
    ("ICJ - International Commission of Jurists", "The IAP works closely with the ICJ on "
     "fair trial standards.", "cooperation"),
    ("ICJ - International Commission of Jurists", "The ICJ cooperates with the IAP.",
     "cooperation"),
    ("ICJ - International Commission of Jurists", "It became an associate member of the IAP "
     "in 2010.", "organisational_member_of_host"),
    ("ILAC - International Legal Assistance Consortium", "Since 2012, the IAP is a member of "
     "ILAC.", "host_member_of"),
    ("COE - Council of Europe", "The COE granted the IAP participatory status in 2005.",
     "consultative_status"),
    ("ACHPR - African Commission", "The IAP was granted observer status with the ACHPR.",
     "observer_status"),
])
def test_relations_cue_states_the_term(extract_text, heading, body, term):
    _, xs, _ = extract_text(page(heading, body))
    assert term in [t for t, _ in terms(xs)]


@pytest.mark.parametrize("heading,body", [
    # the sentence does not name the entry's organisation
    ("ICJ - International Commission of Jurists", "The ICJ is large. The IAP works closely "
     "with the United Nations."),
    # negated
    ("ICJ - International Commission of Jurists", "The ICJ has no agreement with the IAP."),
    ("ICJ - International Commission of Jurists", "The ICJ is not a member of the IAP."),
    # no host in the sentence
    ("ICJ - International Commission of Jurists", "The ICJ works closely with the UN."),
    # "member of" with the host neither subject nor object
    ("ICJ - International Commission of Jurists", "The ICJ, whose President was a member of "
     "staff, spoke at the IAP conference."),
])
def test_relations_refused(extract_text, heading, body):
    _, xs, _ = extract_text(page(heading, body))
    assert terms(xs) == []


def test_relations_not_on_the_hosts_own_entry(extract_text):
    _, xs, _ = extract_text(page("IAP - International Association of Prosecutors",
                                 "The IAP cooperates with the ICJ and is a member of ILAC."))
    assert terms(xs) == []


def test_relations_evidence_is_the_sentence(extract_text):
    text = page("ICJ - International Commission of Jurists", "It is large. The ICJ cooperates "
                "with the IAP.")
    _, xs, _ = extract_text(text)
    (fact,) = [f for f in facts_of(xs, "host_relationship") if f.rule_id.startswith("host.cue")]
    assert fact.evidence == text[fact.char_start:fact.char_end] == \
        "The ICJ cooperates with the IAP."


def test_relations_host_membership_needs_the_body_named(extract_text):
    # a section heading taken for an entry: the host's memberships are of bodies named elsewhere
    _, xs, issues = extract_text(page("International Activity", "The IAP is a member of various "
                                      "international organizations."))
    assert terms(xs) == []
    assert "not_used:entry_not_named" in {i.reason for i in issues}


@pytest.mark.parametrize("body, expected", [
    # the host is a member of the body right after "member of", not of one named further on
    ("The IAP is a founding member of the Campaign for Courts (CFC), which makes the Council "
     "of Europe (COE) stronger.", []),
    ("The IAP is a member of the COE (Council of Europe), which it supports.",
     ["host_member_of"]),
])
def test_relations_host_membership_is_of_the_body_after_the_cue(extract_text, body, expected):
    _, xs, _ = extract_text(page("COE - Council of Europe", body))
    assert [t for t, _ in terms(xs) if t == "host_member_of"] == expected


def test_host_refs_become_host_entities_that_extractors_read_afresh(nlp):
    """What an extractor read of the entities is dropped when the host's pronouns are marked."""
    from pipeline.extract.doc_reading import Entities
    from pipeline.extract.relations import mark_host_refs

    text = "The Council works with the IAP. It signed an agreement with us in 2010."
    doc = nlp(text)
    assert [e.text for e in Entities.of(doc, "HOST").ents] == ["IAP"]
    assert Entities.of(doc, "HOST") is Entities.of(doc, "HOST")      # read once
    us = text.index("us in")
    mark_host_refs(doc, [(100 + us, 100 + us + 2)], 100)   # document offsets; the doc at 100
    assert [e.text for e in Entities.of(doc, "HOST").ents] == ["IAP", "us"]
