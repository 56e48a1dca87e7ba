"""The rulers: spaCy's spans and entities, found with the TokenMatcher."""

from __future__ import annotations

import pytest

from pipeline.extract.doc_reading import matched as matched_spans
from pipeline.extract.rules import PATTERN_FILES
from pipeline.extract.span_ruler import GatedEntityRuler, GatedSpanRuler


def spacy_rulers(nlp, rules):
    from spacy.pipeline.span_ruler import SpanRuler

    plain = {}
    for name in PATTERN_FILES:
        ruler = SpanRuler(nlp, f"plain_{name}", spans_key=name, overwrite=True)
        ruler.add_patterns(rules.patterns[name])
        plain[name] = ruler
    return plain


def spans(found):
    return [(s.start, s.end, s.label_, s.id_) for s in found]


@pytest.mark.parametrize("cut", ["paragraphs", "whole"])
def test_gate_gives_the_spans_of_spacys_span_ruler(nlp, rules, iap_text, cut):
    """Each paragraph alone, and the whole page as one document."""
    plain = spacy_rulers(nlp, rules)
    texts = iap_text.split("\n\n") if cut == "paragraphs" else [iap_text]
    closed, matched = 0, 0
    for text in texts:
        doc = nlp(text)
        for name in PATTERN_FILES:
            gated = nlp.get_pipe("field_rules").rulers[name]
            assert isinstance(gated, GatedSpanRuler)
            expected = spans(plain[name].match(doc))
            assert spans(gated.match(doc)) == expected
            assert spans(matched_spans(doc, name)) == expected   # the field rules' one pass
            matched += len(expected)
            closed += not gated.could_match(doc)
    assert matched > 0
    assert closed > 0 or cut == "whole"  # the gate does close


def test_entity_ruler_finds_the_host_as_spacys_does(nlp, iap_text):
    from spacy.pipeline import EntityRuler

    gated = nlp.get_pipe("entity_ruler")
    assert isinstance(gated, GatedEntityRuler) and gated.engine
    plain = EntityRuler(nlp, "plain_host")
    plain.add_patterns(gated.patterns)
    for text in [iap_text, "The Association and the IAP met the association. IAP"]:
        doc = nlp.make_doc(text)
        assert gated.match(doc) == plain.match(doc)
        assert gated.match(doc)
