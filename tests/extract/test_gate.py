"""The gate: what a pattern requires, and where a document has it."""

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


def test_gate_index_finds_words_and_entities(nlp):
    doc = nlp("The IAP was founded in 1995. It was founded again in May 2001 by the IAP.")
    index = DocIndex.of(doc)
    founded = frozenset({doc.vocab.strings["founded"], doc.vocab.strings["established"]})
    assert [doc[i].text for i in index.positions(doc, founded)] == ["founded", "founded"]
    assert [doc[i].text for i in index.positions(doc, (ENT_TYPE, doc.vocab.strings["DATE"]))] \
        == ["1995", "May", "2001"]
    assert index.possible((founded,)) and not index.possible((frozenset({1, 2}), founded))
