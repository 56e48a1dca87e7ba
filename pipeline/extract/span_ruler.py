"""spaCy's SpanRuler and EntityRuler, running their Matcher only where a pattern can match.

Matching is most of the cost of extraction, and spaCy's Matcher costs the same for every token
it passes (it makes a Python `Token` of each). Most entries, and most sentences of the others,
match none of a ruler's patterns: a founding date is stated in a third of the entries, in one
sentence of them. Each ruler asks its gate (`pipeline.extract.gate`) where its patterns can
match and runs its Matcher over those token ranges only; the spans, their order and `Span.id_`
are spaCy's (`tests/extract/test_span_ruler.py` compares them with spaCy's rulers). A ruler
with a pattern the gate cannot read (no word, entity type or flag it requires, or a phrase
pattern) matches the whole document. The host's mentions, plain word sequences, are found by
reading the token arrays, without a Matcher.

Reads: a tokenised doc (with entities and sentence starts, which patterns may use). Writes:
`doc.spans[spans_key]` (`partners_span_ruler`), entities (`partners_entity_ruler`), one span per
match with its pattern's id.
"""

from __future__ import annotations

from typing import Optional

import numpy
from spacy.attrs import IDS
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span

from pipeline.extract.gate import DocIndex, Gated


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


class GatedSpanRuler(Gated, SpanRuler):
    """SpanRuler + the gate. Saved and loaded as spaCy's SpanRuler (its patterns); loading
    clears the patterns and adds them again, and both refresh the gate."""

    def match(self, doc: Doc):
        """spaCy's SpanRuler matches (deduplicated spans, sorted), found where they can be."""
        matches = self.gated_matches(doc)
        if matches is None:
            return super().match(doc)
        labels = self._match_label_id_map
        return sorted({Span(doc, start, end, label=labels[key]["label"],
                            span_id=labels[key]["id"])
                       for key, start, end in matches if start != end})

    def add_patterns(self, patterns) -> None:
        """Add patterns (spaCy's add_patterns) and refresh the gate."""
        super().add_patterns(patterns)
        self._refresh_gate(p["pattern"] for p in self.patterns)

    def remove(self, label: str) -> None:
        """Remove a label's patterns and refresh the gate."""
        super().remove(label)
        self._refresh_gate(p["pattern"] for p in self.patterns)

    def remove_by_id(self, pattern_id: str) -> None:
        """Remove a pattern by id and refresh the gate."""
        super().remove_by_id(pattern_id)
        self._refresh_gate(p["pattern"] for p in self.patterns)

    def clear(self) -> None:
        """Remove every pattern (also the first step of from_disk) and refresh the gate."""
        super().clear()
        self._refresh_gate(p["pattern"] for p in self.patterns)


class GatedEntityRuler(Gated, EntityRuler):
    """EntityRuler + the gate. Patterns that are plain word sequences (each token one `LOWER`
    or `ORTH` string, as the host's mentions are) are found by reading the token arrays: a
    match of such a pattern is the pattern's words, in order, nothing else."""

    words: Optional[dict] = None   # (attr, first word) -> [(match key, the rest)], or None

    def match(self, doc: Doc):
        """spaCy's EntityRuler matches (longest first), found where they can be."""
        if self.words is not None:
            matches = self.word_matches(doc)
        else:
            matches = self.gated_matches(doc)
            if matches is None:
                return super().match(doc)
            # entities are not final yet: what the index read of them must be read again
            index = DocIndex.of(doc)
            index.found = {k: v for k, v in index.found.items() if isinstance(k, frozenset)}
        final = {(m_id, start, end) for m_id, start, end in matches if start != end}
        return sorted(final, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def word_matches(self, doc: Doc) -> list:
        """(key, start, end) of every word-sequence pattern in the doc."""
        columns = {attr: doc.to_array(attr) for attr in {a for a, _ in self.words}}
        lists = {attr: column.tolist() for attr, column in columns.items()}
        out = []
        for (attr, first), patterns in self.words.items():
            for i in numpy.flatnonzero(columns[attr] == first).tolist():
                for key, rest in patterns:
                    if i + len(rest) < len(doc) and all(
                            lists[a][i + 1 + k] == w for k, (a, w) in enumerate(rest)):
                        out.append((key, i, i + 1 + len(rest)))
        return out

    def _refresh_words(self) -> None:
        ids = self.nlp.vocab.strings.as_int
        words: dict = {}
        for label, patterns in self.token_patterns.items():
            for pattern in patterns:
                seq = [next(iter(spec.items())) if len(spec) == 1 else (None, None)
                       for spec in pattern]
                if self.phrase_patterns or not seq or any(
                        str(k).upper() not in ("LOWER", "ORTH") or not isinstance(v, str)
                        for k, v in seq):
                    self.words = None
                    return
                seq = [(IDS[k.upper()], ids(v)) for k, v in seq]
                words.setdefault(seq[0], []).append((ids(label), tuple(seq[1:])))
        self.words = words or None

    def add_patterns(self, patterns) -> None:
        """Add patterns (spaCy's add_patterns) and refresh the gate."""
        super().add_patterns(patterns)
        self._refresh_gate(p["pattern"] for p in self.patterns)
        self._refresh_words()

    def remove(self, ent_id: str) -> None:
        """Remove an id's patterns and refresh the gate."""
        super().remove(ent_id)
        self._refresh_gate(p["pattern"] for p in self.patterns)
        self._refresh_words()

    def clear(self) -> None:
        """Remove every pattern and refresh the gate."""
        super().clear()
        self._refresh_gate(p["pattern"] for p in self.patterns)
        self._refresh_words()
