"""pipeline.segment.glossed: `ACR (Name, established in 1965)` items name the body in brackets."""

from __future__ import annotations

import pytest

from pipeline.segment.glossed import parse_glossed


def roles(text: str, rules):
    heading = parse_glossed(text, 0, len(text), rules.segment)
    return None if heading is None else [(r, text[s:e]) for r, s, e in heading.labels]


@pytest.mark.parametrize("item, expected", [
    ("OLACEFS (Organisation of Latin American Audit Institutions, established in 1965);",
     [("acronym", "OLACEFS"), ("name", "Organisation of Latin American Audit Institutions")]),
    ("Arab Bar Union (ABU; founded in 1944)", [("name", "Arab Bar Union"), ("acronym", "ABU")]),
])
def test_glossed_names_the_body_in_brackets(rules, item, expected):
    assert roles(item, rules) == expected


@pytest.mark.parametrize("item", [
    "Council of Europe (COE)",                        # no comment inside: parse_heading's case
    "The meeting (held in Riga, Latvia) was long",    # no acronym on either side
    "ABU (the union, which meets yearly)",            # the bracket holds prose, no name
    "Fair Trials (MoU, signed 2019)",                 # a relation label is no acronym
])
def test_glossed_refuses_other_brackets(rules, item):
    assert roles(item, rules) is None


def test_glossed_items_are_entries_with_their_facts(extract_text):
    _, xs, _ = extract_text("Regional groups\n\nThe following regional groups exist:\n"
                            "- NORBA (Nordic Bar Association, established in 1965);\n"
                            "- ALBA (Alpine Bar Association, established in 1976);\n")
    found = {f.org_id: f.value for x in xs for f in x.facts if f.field == "founded"}
    assert found == {"norba-nordic-bar-association": "1965", "alba-alpine-bar-association": "1976"}
