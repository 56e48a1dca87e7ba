"""The field rules: every pattern file's ruler matched in one pass, each file's spans as its
own ruler (spaCy's SpanRuler) gives them."""

from __future__ import annotations

import warnings

import pytest
import spacy

from pipeline.extract.doc_reading import matched
from pipeline.extract.field_rules import FieldRules


def spans(group):
    return [(s.start, s.end, s.label_, s.id_) for s in group]


@pytest.fixture()
def blank():
    return spacy.blank("en")


def plain_spans(nlp, patterns, doc):
    from spacy.pipeline.span_ruler import SpanRuler

    ruler = SpanRuler(nlp, "plain", spans_key="plain", overwrite=True)
    ruler.add_patterns(patterns)
    return spans(ruler.match(doc))


FOUNDED = [{"label": "founded", "id": "f.year", "pattern": [
    {"LOWER": "founded"}, {"LOWER": "in"}, {"LIKE_NUM": True, "OP": "+"}]}]
SEAT = [{"label": "seat", "id": "s.in", "pattern": [{"LOWER": "based"}, {"LOWER": "in"},
                                                    {"IS_TITLE": True, "OP": "+"}]}]
# a phrase pattern and a negated token: not read by the TokenMatcher, left to spaCy's Matcher
PHRASE = [{"label": "city", "id": "c.vienna", "pattern": "Vienna"},
          {"label": "not", "id": "c.not", "pattern": [{"LOWER": "based"}, {"LOWER": "in", "OP": "!"}]}]
TEXT = "The Fund was founded in 1912 and is based in Vienna City. It was founded in 2001 too."


def test_field_rules_give_each_file_its_rulers_spans_in_one_pass(blank):
    rules = FieldRules(blank, "fields", ["founded", "seat", "city"])
    for key, patterns in [("founded", FOUNDED), ("seat", SEAT), ("city", PHRASE)]:
        rules.add_patterns(key, patterns)
    assert rules.rulers["city"].engine is None             # spaCy's Matcher for that file
    assert [key for key, _ in rules.owners] == ["founded", "seat"]  # the others: one pass
    doc = rules(blank(TEXT))
    for key, patterns in [("founded", FOUNDED), ("seat", SEAT), ("city", PHRASE)]:
        assert spans(doc.spans[key]) == plain_spans(blank, patterns, doc)
    assert [s.text for s in doc.spans["founded"]] == ["founded in 1912", "founded in 2001"]
    assert [s.text for s in doc.spans["city"]] == ["Vienna"]


def test_a_file_without_patterns_has_no_spans_and_no_warning(blank):
    rules = FieldRules(blank, "fields", ["founded", "empty"])
    rules.add_patterns("founded", FOUNDED)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = rules(blank(TEXT))
    assert "empty" not in doc.spans and len(doc.spans["founded"]) == 2   # no empty group
    quiet = rules(blank("Nothing was founded here."))
    assert "founded" not in quiet.spans and matched(quiet, "founded") == ()


def test_a_bad_pattern_raises_spacys_error(blank):
    rules = FieldRules(blank, "fields", ["founded"], validate=True)
    with pytest.raises(ValueError):
        rules.add_patterns("founded", [{"label": "x", "pattern": [{"LOWER": {"IN": 3}}]}])


def test_field_rules_read_back_from_bytes_and_match_the_same(blank):
    rules = FieldRules(blank, "fields", ["founded", "seat", "city"])
    for key, patterns in [("founded", FOUNDED), ("seat", SEAT), ("city", PHRASE)]:
        rules.add_patterns(key, patterns)
    copy = FieldRules(blank, "fields", ["founded", "seat", "city"]).from_bytes(rules.to_bytes())
    assert copy.owners == rules.owners
    built, read_back = rules(blank(TEXT)), copy(blank(TEXT))
    assert {k: spans(v) for k, v in built.spans.items()} == \
        {k: spans(v) for k, v in read_back.spans.items()}
