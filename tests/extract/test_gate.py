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


def test_gate_index_reads_entities_anew_after_a_component_adds_some(nlp):
    from spacy.tokens import Span

    from pipeline.extract.doc_reading import add_entities

    doc = nlp.make_doc("Talks in Ruritania and Vienna.")
    index = DocIndex.of(doc)
    place = doc.vocab.strings.add("PLACE")
    assert index.positions(doc, (ENT_TYPE, place)) == []
    add_entities(doc, [Span(doc, 2, 3, label="PLACE")])
    assert DocIndex.of(doc) is index   # one index per doc, its entity columns read again
    assert index.positions(doc, (ENT_TYPE, place)) == [2]
    assert index.column(doc, ENT_TYPE) == doc.to_array(ENT_TYPE).tolist()
    assert index.column(doc, LIKE_NUM) == doc.to_array(LIKE_NUM).tolist()   # read up front
