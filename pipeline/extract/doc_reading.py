"""How the extractors read an entry's spaCy doc: its text as it was made, its entities of one
label (read once per doc), and its tokens around a match, whitespace skipped; and how the
entity components add entities to it.

Reads: a doc made by `Extractor.prepare` (its text kept in `doc.user_data`). Writes: what it
caches on the doc (`doc.user_data`), and the entities `add_entities` is given.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span

from pipeline.extract.gate import INDEX_KEY

TEXT_KEY = "partners_text"   # doc.user_data: the text the doc was made from (Extractor.prepare)
ENTITIES_KEY = "partners_entities"   # doc.user_data: label -> Entities


def text_of(doc: Doc) -> str:
    """The doc's text, from where the extractor kept it (`doc.text` joins every token anew)."""
    text = doc.user_data.get(TEXT_KEY)
    return text if text is not None else doc.text


class Entities:
    """A doc's entities of one label, in order, read once for all extractors (`of`):
    `Span.ents` builds every entity of the doc at each call (an entry with thousands of facts
    was quadratic)."""

    def __init__(self, doc: Doc, label: str):
        self.ents = [e for e in doc.ents if e.label_ == label]
        self.starts = [e.start for e in self.ents]

    @classmethod
    def of(cls, doc: Doc, label: str) -> "Entities":
        """The doc's entities of `label`, read at the first extractor that asks. The entities
        must be final: whatever changes them afterwards calls `forget`."""
        read = doc.user_data.setdefault(ENTITIES_KEY, {})
        found = read.get(label)
        if found is None:
            found = read[label] = cls(doc, label)
        return found

    @staticmethod
    def forget(doc: Doc) -> None:
        """Drop what was read of the doc's entities (they are about to change)."""
        doc.user_data.pop(ENTITIES_KEY, None)

    def within(self, start: int, end: int) -> list[Span]:
        """The entities inside tokens [start, end), as `Span.ents` gives them."""
        i, out = bisect_left(self.starts, start), []
        while i < len(self.ents) and self.ents[i].start < end:
            if self.ents[i].end <= end:
                out.append(self.ents[i])
            i += 1
        return out


def add_entities(doc: Doc, spans: list[Span]) -> None:
    """The spans as entities beside the doc's own (none overlapping them). Only their tokens
    are set (`Doc.set_ents`, default "unmodified"): assigning `doc.ents` would build every
    entity again to add these, and mark every other token "O"."""
    doc.set_ents(spans, default="unmodified")
    index = doc.user_data.get(INDEX_KEY)
    if index is not None:   # its entity columns are out of date
        index.forget_entities()


def matched(doc: Doc, key: str):
    """The spans a pattern file matched (`doc.spans[key]`; none when it matched nothing: the
    field rules set no empty group)."""
    return doc.spans[key] if key in doc.spans else ()


def longest_per_start(spans) -> list[Span]:
    """One span per start token: the longest (spans of one ruler overlap freely)."""
    best: dict[int, Span] = {}
    for span in spans:
        if span.start not in best or len(span) > len(best[span.start]):
            best[span.start] = span
    return [best[k] for k in sorted(best)]


def words_of(span: Span) -> list:
    """The span's tokens but whitespace ones ("in  1924" is "in", "1924")."""
    return [t for t in span if not t.is_space]


def words_before(doc: Doc, i: int, n: int) -> list:
    """Up to n tokens before token i, whitespace tokens skipped, in text order."""
    out = []
    while i > 0 and len(out) < n:
        i -= 1
        if not doc[i].is_space:
            out.append(doc[i])
    return out[::-1]
