"""The gated span ruler: only skips documents its patterns cannot match."""

from __future__ import annotations

import pytest
from spacy.strings import hash_string

from pipeline.extract.rules import PATTERN_FILES
from pipeline.extract.span_ruler import GatedSpanRuler, required_words


def words(*names):
    return frozenset(hash_string(n) for n in names)


@pytest.mark.parametrize("pattern,expected", [
    ([{"LOWER": "set"}, {"LOWER": "up"}], (words("set"), words("up"))),
    ([{"LOWER": {"IN": ["Founded", "est"]}}, {"OP": "{0,4}"}, {"ORTH": "In", "OP": "+"}],
     (words("founded", "est"), words("in"))),
    ([{"ENT_TYPE": "HOST", "OP": "+"}, {"lower": "signed", "OP": "?"}], None),
    ([{"TEXT": {"REGEX": "^www"}}], None),
    ([{"LOWER": {"NOT_IN": ["a"]}}, {"LOWER": "b", "OP": "!"}], None),
    ("a phrase pattern", None),
])
def test_gate_required_words(pattern, expected):
    assert required_words(pattern) == expected


def test_gate_gives_the_spans_of_spacys_span_ruler(nlp, rules, iap_text):
    from spacy.pipeline.span_ruler import SpanRuler

    plain = {}
    for name in PATTERN_FILES:
        ruler = SpanRuler(nlp, f"plain_{name}", spans_key=name, overwrite=True)
        ruler.add_patterns(rules.patterns[name])
        plain[name] = ruler
    skipped = 0
    for paragraph in iap_text.split("\n\n"):
        doc = nlp(paragraph)
        for name in PATTERN_FILES:
            gated = nlp.get_pipe(f"rules_{name}")
            assert isinstance(gated, GatedSpanRuler)
            expected = [(s.start, s.end, s.label_, s.id_) for s in plain[name].match(doc)]
            assert [(s.start, s.end, s.label_, s.id_) for s in gated.match(doc)] == expected
            skipped += gated.gate is not None and not expected and not gated.could_match(
                set(doc.to_array("LOWER").tolist()))
    assert skipped > 0  # the gate does close
