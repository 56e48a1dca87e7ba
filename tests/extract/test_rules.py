"""Every rule file loads with validation, and each is tested both ways: what it must match and
what it must not."""

from __future__ import annotations

import json

import pytest

from pipeline.extract.doc_reading import matched
from pipeline.extract.rules import PATTERN_FILES, RuleError, load_rules


def matches(nlp, key: str, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return sorted({(span.label_, span.text) for span in matched(doc, key)})


# (pattern file, text, label, matched text) -- must match
MUST_MATCH = [
    ("founded", "Founded in 1878, the ABA is committed.", "founded", "Founded in 1878"),
    ("founded", "It was founded on 5 May 1949 by 10 countries.", "founded", "founded on 5 May 1949"),
    ("founded", "It was set up in March 2001.", "founded", "set up in March 2001"),
    ("founded", "The concept originated in the late 90s.", "founded", "originated in the late 90s"),
    # a run of spaces or a tab inside a line never breaks a pattern
    ("founded", "It was founded  in\t1924.", "founded", "founded  in\t1924"),
    ("membership", "It has  400,000   members.", "membership", "400,000   members"),
    ("headquarters", "Its headquarters are in Chicago.", "headquarters", "headquarters are in Chicago"),
    ("headquarters", "It is based in Warsaw, Poland.", "headquarters", "based in Warsaw, Poland"),
    ("headquarters", "The Secretariat is housed with Eurojust.", "secretariat",
     "Secretariat is housed with Eurojust"),
    ("membership", "It has nearly 400,000 members.", "membership", "400,000 members"),
    ("membership", "over 200 bar associations and law societies", "membership",
     "200 bar associations and law societies"),
    ("membership", "its 193 Member States", "membership", "193 Member States"),
    ("host_relationship", "The IAP has signed a Memorandum of Understanding with Comnet.", "mou",
     "IAP has signed a Memorandum"),
    ("host_relationship", "The IAP is a member of the ILAC Council.", "host_member_of",
     "IAP is a member of"),
    ("host_relationship", "It is an organisational member of the IAP.",
     "organisational_member_of_host", "organisational member of the IAP"),
    ("host_relationship", "It has no formal link to the IAP.", "no_formal_link",
     "no formal link to the IAP"),
    ("host_relationship", "Membership is opened to all members of the IAP.",
     "membership_open_to_host_members", "Membership is opened to all members of the IAP"),
    ("agreements", "The Memorandum of Understanding between A and B", "mou",
     "Memorandum of Understanding"),
    ("agreements", "a cooperation agreement with the IAP", "agreement", "cooperation agreement"),
    ("names", "the Commission, better known as the Venice Commission, is", "alias",
     "better known as the Venice Commission"),
    ("website", "The ABA www.americanbar.org is large.", "website", "www.americanbar.org"),
]

# (pattern file, text) -- must not match anything
MUST_NOT_MATCH = [
    ("founded", "The agreement was adopted 17-18 December 2010."),
    ("founded", "Rwanda was admitted in 2009."),
    ("founded", "The IAP was granted status in 2001."),
    ("headquarters", "The conference was held in Merida, Mexico in December 2003."),
    ("headquarters", "It was founded in Brazil in 1954."),
    ("membership", "It is home to two billion citizens."),
    ("membership", "Voluntary contributions make up 90 per cent of its budget."),
    ("membership", "Africa (19); Asia (8); the Americas (3)"),
    ("membership", "investigations concerning two or more Member States"),
    ("membership", "five non-member countries"),
    ("host_relationship", "UNDP partners with people at all levels of society."),
    ("host_relationship", "The ABA is committed to the rule of law."),
    ("agreements", "The Convention is supplemented by a Protocol on Xenophobia."),
    ("names", "It is known for its reports."),
    ("website", "the United Nations.in 2001 the IAP"),
]


@pytest.mark.parametrize("key,text,label,matched", MUST_MATCH)
def test_rules_pattern_matches(nlp, key, text, label, matched):
    assert (label, matched) in matches(nlp, key, text)


@pytest.mark.parametrize("key,text", MUST_NOT_MATCH)
def test_rules_pattern_does_not_match(nlp, key, text):
    found = matches(nlp, key, text)
    if key == "website":
        from pipeline.extract.field_extractors import URLISH

        found = [m for m in found if URLISH.search(m[1])]
    assert found == []


def test_rules_every_pattern_file_is_tested_both_ways():
    assert {k for k, *_ in MUST_MATCH} == set(PATTERN_FILES)
    assert {k for k, _ in MUST_NOT_MATCH} == set(PATTERN_FILES)


def test_rules_every_pattern_has_a_unique_id(rules):
    ids = [p["id"] for name in PATTERN_FILES for p in rules.patterns[name]]
    assert len(ids) == len(set(ids))


def test_rules_relationship_vocabulary_is_defined(rules):
    terms = [t["term"] for t in rules.relationships]
    assert terms[0] == "agreement" and terms[-1] == "none_stated"
    assert all(t["definition"].strip() for t in rules.relationships)
    labels = {p["label"] for p in rules.patterns["host_relationship"]}
    assert labels <= set(terms)


@pytest.fixture
def rules_copy(tmp_path):
    import shutil

    from pipeline.extract.rules import RULES_DIR

    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder)
    return folder


def test_rules_broken_pattern_fails_at_load_naming_file_and_line(rules_copy):
    path = rules_copy / "founded.jsonl"
    path.write_text(path.read_text() + '{"id": "x", "pattern": []}\n')
    with pytest.raises(RuleError, match=r"founded\.jsonl:\d+: missing key 'label'"):
        load_rules(rules_copy)


def test_rules_unknown_vocabulary_reference_fails_at_load(rules_copy):
    path = rules_copy / "website.jsonl"
    path.write_text(json.dumps({"id": "w2", "label": "website",
                                "pattern": [{"LOWER": {"IN": "@nope"}}]}) + "\n")
    with pytest.raises(RuleError, match="unknown vocabulary list '@nope'"):
        load_rules(rules_copy)


def test_rules_yaml_word_read_as_boolean_is_refused(rules_copy):
    path = rules_copy / "segment.yaml"
    path.write_text(path.read_text().replace('  - "on"', "  - on"))
    with pytest.raises(RuleError, match="boolean"):
        load_rules(rules_copy)


def test_rules_relationship_pattern_with_unknown_term_is_refused(rules_copy):
    path = rules_copy / "host_relationship.jsonl"
    path.write_text(path.read_text() + json.dumps(
        {"id": "host.x", "label": "friendship", "pattern": [{"LOWER": "x"}]}) + "\n")
    with pytest.raises(RuleError, match="friendship"):
        load_rules(rules_copy)


def test_rules_agreement_pattern_labels_are_the_kinds(rules):
    labels = {p["label"] for p in rules.patterns["agreements"]}
    assert labels == {k.id for k in rules.agreement_kinds}  # each kind found on a page and in a PDF
    assert all(k.definition.strip() and k.phrases for k in rules.agreement_kinds)


def test_rules_agreement_pattern_with_unknown_kind_is_refused(rules_copy):
    path = rules_copy / "agreements.jsonl"
    path.write_text(path.read_text() + json.dumps(
        {"id": "agreement.treaty", "label": "treaty", "pattern": [{"LOWER": "treaty"}]}) + "\n")
    with pytest.raises(RuleError, match=r"agreements\.jsonl: pattern 'agreement.treaty'.*treaty"):
        load_rules(rules_copy)


@pytest.mark.parametrize("old,new,key", [
    ("open_within: 4", "open_within: four", "sentence.open_within"),
    ("separator: [and]", "separator: []", "separator"),
    ("  stops: [dated, signed, concluded, can, is, was, which, may]", "  stops: [yes]",
     "sentence: stops"),
])
def test_rules_party_grammar_errors_name_file_and_key(rules_copy, old, new, key):
    path = rules_copy / "agreement_parties.yaml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(RuleError, match=rf"agreement_parties\.yaml: {key}"):
        load_rules(rules_copy)
