"""The TokenMatcher finds what spaCy's Matcher finds: every rule pattern and every operator,
on real pages and on random token sequences."""

from __future__ import annotations

import random

import pytest
from spacy.matcher import Matcher

from pipeline.extract import match_states
from pipeline.extract.gate import DocIndex
from pipeline.extract.rules import PATTERN_FILES
from pipeline.extract.token_matcher import TokenMatcher, compile_pattern, counts

# Words the rules look for, and others around them, to make random sentences of.
WORDS = ("founded established set up in on since the of by and IAP Association International "
         "Prosecutors agreement memorandum understanding signed with between members member "
         "countries states 12 1,000 five 1995 May 2001 based headquarters is in Vienna Geneva "
         "secretariat housed better known as Venice Commission www.example.org which "
         "cooperation partner status observer it its has have a an . , ( ) : -").split()
SEPARATORS = [" "] * 12 + ["  ", "\n", "\t", " \n "]


def random_text(rng: random.Random, size: int) -> str:
    words = [rng.choice(WORDS) for _ in range(size)]
    return "".join(w + rng.choice(SEPARATORS) for w in words).strip()


def spacy_matches(nlp, patterns, doc) -> set:
    matcher = Matcher(nlp.vocab)
    for key, pattern in patterns:
        matcher.add(key, [pattern])
    return {(nlp.vocab.strings[k], s, e) for k, s, e in matcher(doc)}


def token_matches(nlp, patterns, doc) -> set:
    compiled = [compile_pattern(nlp.vocab.strings.add(key), p, nlp.vocab.strings)
                for key, p in patterns]
    assert all(compiled)
    found = TokenMatcher(compiled)(doc, DocIndex.of(doc))
    return {(nlp.vocab.strings[k], s, e) for k, s, e in found}


@pytest.mark.parametrize("op,expected", [(None, (1, 1)), ("?", (0, 1)), ("+", (1, 1 << 30)),
                                          ("{2}", (2, 2)), ("{0,4}", (0, 4)), ("{2,}", (2, 1 << 30)),
                                          ("{,3}", (0, 3)), ("!", None), ("{3,1}", None)])
def test_token_matcher_counts(op, expected):
    assert counts(op) == expected


def test_token_matcher_matches_every_rule_as_spacy_does(nlp, rules, iap_text):
    patterns = [(f"{name}:{i}", p["pattern"]) for name in PATTERN_FILES
                for i, p in enumerate(rules.patterns[name])]
    rng = random.Random(12)
    texts = [iap_text] + [random_text(rng, rng.randrange(3, 60)) for _ in range(400)]
    found = 0
    for text in texts:
        doc = nlp(text)
        expected = spacy_matches(nlp, patterns, doc)
        assert token_matches(nlp, patterns, doc) == expected, text
        found += len(expected)
    assert found > 400


OPERATORS = [
    [{"LOWER": "the", "OP": "?"}, {"ENT_TYPE": "HOST", "OP": "+"}, {"LOWER": "has", "OP": "?"}],
    [{"IS_PUNCT": False, "OP": "*"}, {"LOWER": "in"}],
    [{"LOWER": "in"}, {"OP": "{0,3}"}, {"LIKE_NUM": True, "OP": "{1,}"}],
    [{"LOWER": {"IN": ["founded", "set"]}}, {"IS_SENT_START": False, "OP": "*"},
     {"ORTH": "in"}],
    [{"TEXT": {"REGEX": "^[A-Z]"}, "OP": "+"}, {"LOWER": {"NOT_IN": ["the", "a"]}, "OP": "{2}"}],
    [{"IS_SPACE": True, "OP": "?"}, {"IS_TITLE": True, "OP": "{,2}"}, {"IS_ALPHA": True}],
    [{"LOWER": "members", "OP": "*"}],
    [{"LIKE_URL": True}, {"ORTH": ",", "OP": "?"}],
    [{"LOWER": "the"}, {"ORTH": "Association"}],   # fixed lengths: the rarer word anchors
    [{"IS_ALPHA": True, "OP": "{2}"}, {"LOWER": "members"}, {"LIKE_NUM": True, "OP": "?"}],
    [{"LOWER": "international"}, {"ORTH": "Association"}, {"ORTH": "of"},
     {"ORTH": "Prosecutors"}],
]


def test_token_matcher_reads_every_operator_as_spacy_does(nlp):
    patterns = [(f"op:{i}", p) for i, p in enumerate(OPERATORS)]
    rng = random.Random(5)
    for _ in range(300):
        doc = nlp(random_text(rng, rng.randrange(1, 40)))
        assert token_matches(nlp, patterns, doc) == spacy_matches(nlp, patterns, doc), doc.text


@pytest.mark.parametrize("max_states", [10_000, 2])
def test_token_matcher_keeps_its_states_from_one_document_to_the_next(nlp, monkeypatch,
                                                                      max_states):
    """One matcher over many documents reuses the sets of states it worked out (and starts
    again when a pattern has too many): the matches stay spaCy's."""
    monkeypatch.setattr(match_states, "MAX_STATES", max_states)
    strings = nlp.vocab.strings
    patterns = [(f"op:{i}", p) for i, p in enumerate(OPERATORS)]
    compiled = [compile_pattern(strings.add(key), p, strings) for key, p in patterns]
    matcher = TokenMatcher(compiled)
    rng = random.Random(8)
    for _ in range(300):
        doc = nlp(random_text(rng, rng.randrange(1, 40)))
        found = {(strings[k], s, e) for k, s, e in matcher(doc, DocIndex.of(doc))}
        assert found == spacy_matches(nlp, patterns, doc), doc.text
    assert all(len(p.states) <= max_states + 1 for p in compiled)
    assert any(p.states for p in compiled)


def test_token_matcher_leaves_unread_patterns_to_spacy(nlp):
    strings = nlp.vocab.strings
    assert compile_pattern(1, [{"LOWER": "a", "OP": "!"}], strings) is None
    assert compile_pattern(1, [{"LEMMA": "be"}], strings) is None
    assert compile_pattern(1, [{"_": {"x": 1}}], strings) is None
    assert compile_pattern(1, "a phrase", strings) is None


def test_token_matcher_finds_a_match_running_across_a_line_break(nlp, rules):
    """Hard-wrapped text: 'founded\\nin 1990' runs into the next sentence (each line break
    starts one), as spaCy's ruler over the whole document finds it."""
    from spacy.pipeline.span_ruler import SpanRuler

    plain = SpanRuler(nlp, "plain_founded", spans_key="founded")
    plain.add_patterns(rules.patterns["founded"])
    text = " ".join(["The council met in Rome and agreed on nothing at all."] * 6)
    text += " The Alpha Council was founded\nin 1990. " + text
    doc = nlp(text)
    found = [(s.start, s.end, s.id_) for s in doc.spans["founded"]]
    assert found == [(s.start, s.end, s.id_) for s in plain.match(doc)]
    assert [doc[s:e].text for s, e, _ in found] == ["founded\nin 1990"]
