"""The gate: the requirements of a pattern, and where in a document a ruler must match."""

from __future__ import annotations

import pytest
from spacy.attrs import ENT_TYPE, LIKE_NUM

from pipeline.extract.gate import DocIndex, requirements


@pytest.mark.parametrize("pattern,expected", [
    ([{"LOWER": "set"}, {"LOWER": "up"}], (frozenset({"set"}), frozenset({"up"}))),
    ([{"LOWER": {"IN": ["Founded", "est"]}}, {"OP": "{0,4}"}, {"ORTH": "In", "OP": "+"}],
     (frozenset({"founded", "est"}), frozenset({"in"}))),
    ([{"ENT_TYPE": "HOST", "OP": "+"}, {"lower": "signed", "OP": "?"}], ((ENT_TYPE, "HOST"),)),
    ([{"LIKE_NUM": True, "OP": "+"}, {"LOWER": "members"}],
     ((LIKE_NUM, 1), frozenset({"members"}))),
    ([{"TEXT": {"REGEX": "^www"}}], None),
    ([{"LOWER": {"NOT_IN": ["a"]}}, {"LOWER": "b", "OP": "!"}], None),
    ("a phrase pattern", None),
])
def test_gate_requirements(pattern, expected):
    assert requirements(pattern) == expected


def test_gate_reads_only_part_of_a_long_document(nlp, rules, iap_text):
    doc = nlp(iap_text)
    regions = DocIndex.of(doc).regions(doc, nlp.get_pipe("rules_founded").gate)
    assert regions and sum(end - start for start, end in regions) < len(doc) / 4


def test_gate_finds_a_match_running_across_a_line_break(nlp, rules):
    """Hard-wrapped text: 'founded\\nin 1990' runs into the next sentence (each line break
    starts one), as spaCy's ruler over the whole document finds it."""
    from spacy.pipeline.span_ruler import SpanRuler

    plain = SpanRuler(nlp, "plain_founded", spans_key="founded")
    plain.add_patterns(rules.patterns["founded"])
    text = " ".join(["The council met in Rome and agreed on nothing at all."] * 6)
    text += " The Alpha Council was founded\nin 1990. " + text
    doc = nlp(text)
    found = [(s.start, s.end, s.id_) for s in nlp.get_pipe("rules_founded").match(doc)]
    assert found == [(s.start, s.end, s.id_) for s in plain.match(doc)]
    assert [doc[s:e].text for s, e, _ in found] == ["founded\nin 1990"]
