"""spaCy's SpanRuler and EntityRuler, matching only from the tokens a match can start with.

Matching is most of the cost of extraction, and spaCy's Matcher costs the same for every token
of a document (it makes a Python `Token` of each), though most entries, and most sentences of
the others, match none of a ruler's patterns: a founding date is stated in a third of the
entries, in one sentence of them. These rulers keep spaCy's patterns, settings, saving and
loading, and match with `token_matcher.TokenMatcher`: a pattern whose words are not all in the
document is skipped (`gate.DocIndex.possible`), and the others are followed from the tokens
they can start with. The spans, their order, labels and `Span.id_` are spaCy's
(`tests/extract/test_span_ruler.py`). A ruler with a pattern the TokenMatcher does not read (a
phrase pattern, an operator or key it does not know) matches with spaCy's Matcher.

Reads: a tokenised doc (with entities and sentence starts, which patterns may use). Writes:
`doc.spans[spans_key]` (`partners_span_ruler`), entities (`partners_entity_ruler`), one span per
match with its pattern's id. `build_nlp` holds a GatedSpanRuler per pattern file inside the
field rules (`field_rules.FieldRules`), which match all of them in one pass; the
`partners_span_ruler` factory stays for a ruler of one's own (and pipelines saved with one).
"""
from __future__ import annotations

from typing import Optional

from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span

from pipeline.extract.gate import DocIndex
from pipeline.extract.token_matcher import TokenMatcher, compile_pattern


# Patterns may read entities (`ENT_TYPE`: HOST, PLACE) and sentence starts (`IS_SENT_START`).
@Language.factory("partners_span_ruler", assigns=["doc.spans"],
                  requires=["doc.ents", "token.ent_type", "token.is_sent_start"],
                  default_config={"spans_key": "ruler", "validate": False, "overwrite": True})
def make_gated_span_ruler(nlp: Language, name: str, spans_key: str, validate: bool,
                          overwrite: bool) -> "GatedSpanRuler":
    """A GatedSpanRuler writing to doc.spans[spans_key] (spaCy's span_ruler settings)."""
    return GatedSpanRuler(nlp, name, spans_key=spans_key, validate=validate, overwrite=overwrite)


@Language.factory("partners_entity_ruler", assigns=["doc.ents", "token.ent_type",
                                                    "token.ent_iob"],
                  requires=["token.is_sent_start"],
                  default_config={"validate": False, "overwrite_ents": False})
def make_gated_entity_ruler(nlp: Language, name: str, validate: bool,
                            overwrite_ents: bool) -> "GatedEntityRuler":
    """A GatedEntityRuler (spaCy's entity_ruler settings)."""
    return GatedEntityRuler(nlp, name, validate=validate, overwrite_ents=overwrite_ents)


class Gated:
    """A ruler's patterns compiled for the TokenMatcher; None when one of them cannot be (then
    spaCy's Matcher matches the whole document)."""

    engine: Optional[TokenMatcher] = None

    def gated_matches(self, doc: Doc) -> Optional[list]:
        """(key, start, end) of every match; None when spaCy's Matcher must run."""
        if self.engine is None:
            return None
        return self.engine(doc, DocIndex.of(doc))

    def could_match(self, doc: Doc) -> bool:
        """Whether some pattern has every word it requires in the document."""
        if self.engine is None:
            return True
        index = DocIndex.of(doc)
        return any(index.possible(p.words) for p in self.engine.patterns)

    # every change of the patterns compiles them anew (spaCy's methods, then `refresh`)
    def add_patterns(self, patterns) -> None:
        """Add patterns (spaCy's add_patterns) and compile them."""
        super().add_patterns(patterns)
        self.refresh()

    def clear(self) -> None:
        """Remove every pattern (also the first step of from_disk)."""
        super().clear()
        self.refresh()

    def compile(self, keyed: list) -> None:
        """Compile (key, pattern) pairs; the engine is None if one of them cannot be."""
        strings = self.nlp.vocab.strings
        compiled = [compile_pattern(key, pattern, strings) for key, pattern in keyed]
        ok = compiled and all(c is not None for c in compiled)
        self.engine = TokenMatcher(compiled) if ok else None


class GatedSpanRuler(Gated, SpanRuler):
    """SpanRuler matching with the TokenMatcher. Saved and loaded as spaCy's SpanRuler (its
    patterns); loading clears the patterns and adds them again, and both compile them anew."""

    def match(self, doc: Doc):
        """spaCy's SpanRuler matches (deduplicated spans, sorted)."""
        matches = self.gated_matches(doc)
        if matches is None:
            return super().match(doc)
        return spans_of(doc, matches, self._match_label_id_map)

    def refresh(self) -> None:
        """Compile the patterns (under the keys spaCy's SpanRuler gives them)."""
        as_int = self.nlp.vocab.strings.as_int
        self.compile([(as_int(repr((p["label"], p.get("id", "")))), p["pattern"])
                      for p in self.patterns])

    def remove(self, label: str) -> None:
        """Remove a label's patterns."""
        super().remove(label)
        self.refresh()

    def remove_by_id(self, pattern_id: str) -> None:
        """Remove a pattern by id."""
        super().remove_by_id(pattern_id)
        self.refresh()


def spans_of(doc: Doc, matches, labels: dict) -> list[Span]:
    """spaCy's SpanRuler spans of (key, start, end) matches: none empty, deduplicated, sorted,
    labelled and given their pattern's id from `labels` (the ruler's key -> label and id)."""
    return sorted({Span(doc, start, end, label=labels[key]["label"], span_id=labels[key]["id"])
                   for key, start, end in matches if start != end})


class GatedEntityRuler(Gated, EntityRuler):
    """EntityRuler matching with the TokenMatcher (the host's mentions)."""

    def match(self, doc: Doc):
        """spaCy's EntityRuler matches (longest first)."""
        matches = self.gated_matches(doc)
        if matches is None:
            return super().match(doc)
        DocIndex.of(doc).forget_entities()   # entities are not final yet
        final = {(m_id, start, end) for m_id, start, end in matches if start != end}
        return sorted(final, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def set_annotations(self, doc: Doc, matches) -> None:
        """spaCy's, skipped when nothing matched: the entities stay as they are (setting them
        again would only mark every other token "O")."""
        if matches:
            super().set_annotations(doc, matches)

    def refresh(self) -> None:
        """Compile the patterns (under the keys spaCy's EntityRuler gives them)."""
        as_int = self.nlp.vocab.strings.as_int
        keyed = [(as_int(label), pattern) for label, patterns in self.token_patterns.items()
                 for pattern in patterns]
        if any(self.phrase_patterns.values()):
            keyed = []
        self.compile(keyed)

    def remove(self, ent_id: str) -> None:
        """Remove an id's patterns."""
        super().remove(ent_id)
        self.refresh()

