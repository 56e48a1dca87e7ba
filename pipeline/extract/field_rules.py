"""Every field's patterns in one pass: the pattern files' rulers matched as one component.

One `GatedSpanRuler` per pattern file keeps what a file's ruler is: its patterns, its spans key
(`doc.spans[<file>]`), spaCy's validation, saving and loading. This component matches all of
their patterns with one `TokenMatcher` over the document's shared `DocIndex`, so a document's
columns are read once for every field and its spans set in one call, not in one component per
file (on entries of a few words that per-file cost was most of the matching). The spans are
each file's ruler's own (`spans_of`, the same as `GatedSpanRuler.match`). A file with a pattern
the TokenMatcher does not read is matched by its own ruler (spaCy's Matcher).

Reads: a tokenised doc with entities and sentence starts. Writes: `doc.spans[<file>]` for every
pattern file that matched, with each pattern's id as `Span.id_` (a file that did not has no
group: read them with `doc_reading.matched`).
"""
from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import SimpleFrozenList, from_bytes, from_disk, to_bytes, to_disk

from pipeline.extract.gate import DocIndex
from pipeline.extract.span_ruler import GatedSpanRuler, spans_of
from pipeline.extract.token_matcher import TokenMatcher


@Language.factory("partners_field_rules", assigns=["doc.spans"],
                  requires=["doc.ents", "token.ent_type", "token.is_sent_start"],
                  default_config={"keys": [], "validate": False})
def make_field_rules(nlp: Language, name: str, keys: list[str], validate: bool) -> "FieldRules":
    """A FieldRules with one (empty) ruler per spans key."""
    return FieldRules(nlp, name, keys, validate=validate)


class FieldRules:
    """The pattern files' rulers, by spans key, matched together."""

    def __init__(self, nlp: Language, name: str, keys: list[str], validate: bool = False):
        self.name = name
        self.rulers = {key: GatedSpanRuler(nlp, f"{name}.{key}", spans_key=key,
                                           validate=validate, overwrite=True) for key in keys}
        self.refresh()

    def add_patterns(self, key: str, patterns: list[dict]) -> None:
        """Add patterns to the ruler of one spans key (spaCy's SpanRuler.add_patterns; a bad
        pattern raises its ValueError)."""
        self.rulers[key].add_patterns(patterns)
        self.refresh()

    def refresh(self) -> None:
        """One TokenMatcher over the compiled patterns of every ruler that has them; a
        pattern's key there is its place in `owners`: (spans key, its key in its ruler)."""
        patterns, self.owners = [], []
        for key, ruler in self.rulers.items():
            for pattern in ruler.engine.patterns if ruler.engine else ():
                self.owners.append((key, pattern.key))
                patterns.append(replace(pattern, key=len(patterns)))
        self.engine = TokenMatcher(patterns)

    def __call__(self, doc: Doc) -> Doc:
        found: dict = {key: [] for key in self.rulers}
        for k, start, end in self.engine(doc, DocIndex.of(doc)):
            key, own = self.owners[k]
            found[key].append((own, start, end))
        for key, ruler in self.rulers.items():
            if ruler.engine is not None:
                spans = spans_of(doc, found[key], ruler._match_label_id_map) if found[key] else ()
            else:   # spaCy's Matcher; a file without patterns has no spans
                spans = ruler.match(doc) if ruler.patterns else ()
            if spans:   # (an empty group per file and doc cost about 6 microseconds a doc)
                doc.spans[key] = spans
        return doc

    # saved as one folder (or bytes entry) per spans key, each a SpanRuler's
    def to_disk(self, path, *, exclude=SimpleFrozenList()) -> None:
        to_disk(path, {key: (lambda p, r=ruler: r.to_disk(p))
                       for key, ruler in self.rulers.items()}, exclude)

    def from_disk(self, path, *, exclude=SimpleFrozenList()) -> "FieldRules":
        from_disk(path, {key: (lambda p, r=ruler: r.from_disk(p))
                         for key, ruler in self.rulers.items()}, exclude)
        self.refresh()
        return self

    def to_bytes(self, *, exclude=SimpleFrozenList()) -> bytes:
        return to_bytes({key: (lambda r=ruler: r.to_bytes())
                         for key, ruler in self.rulers.items()}, exclude)

    def from_bytes(self, data: bytes, *, exclude=SimpleFrozenList()) -> "FieldRules":
        from_bytes(data, {key: (lambda b, r=ruler: r.from_bytes(b))
                          for key, ruler in self.rulers.items()}, exclude)
        self.refresh()
        return self
