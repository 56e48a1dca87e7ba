"""DATE entities, found once, so field patterns read `{"ENT_TYPE": "DATE"}` instead of
spelling out every shape of a date ("1949", "May 2001", "5 May 1949", "May 5, 1949",
"03/04/2005", "the late 90s").

A date ends with a year (or is a decade, or an all-numeric date); a month name, a day and a
comma before the year belong to it. The words are passed in from rules/vocabularies.yaml
(`months`, `decade_parts`) and kept in the component's config, so a saved pipeline loads with
them. Existing entities (HOST) are kept; this runs before the place gazetteer, so "May" in a
date is never a place.

Reads: a tokenised doc. Writes: DATE entities.
"""

from __future__ import annotations

import re
from itertools import compress

from spacy.attrs import SHAPE
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.extract.doc_reading import add_entities
from pipeline.extract.gate import DocIndex
from pipeline.extract.values import DAY, DECADE, YEAR

NUMERIC = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.](?:\d{2}|\d{4})$")


@Language.factory("partners_dates", assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
                  default_config={"months": [], "decade_parts": []})
def make_dates(nlp: Language, name: str, months: list, decade_parts: list) -> "Dates":
    """A Dates component with these month names and decade parts."""
    return Dates(months, decade_parts)


class Dates:
    """Mark dates as DATE entities (left of each year: day, month, day, comma)."""

    MAX_SHAPES = 100_000   # shapes kept read before the cache starts again

    def __init__(self, months, decade_parts):
        self.months = frozenset(m.lower().rstrip(".") for m in months)
        self.parts = frozenset(p.lower() for p in decade_parts)
        self._seen: set = set()    # shapes read
        self._digit: set = set()   # those starting with a digit

    def __call__(self, doc: Doc) -> Doc:
        """Add the dates found as entities (existing entities are kept)."""
        # every date ends with a token that starts with a digit: found from the tokens' shapes
        # ("dddd", "dd/dd/dddd"), so the other tokens are never made into Python objects (and
        # doc.text, which joins every token, is never built): that alone cost more than the rest
        shapes = DocIndex.of(doc).column(doc, SHAPE)
        digit = self.digit_shapes(doc, shapes)
        ends = [doc[i] for i in compress(range(len(shapes)), map(digit.__contains__, shapes))]
        if not ends:
            return doc
        # (from doc.ents, not the IOB column the gazetteer reads: reading that column and
        # flagging every token made this component 17 -> 22 us an IAP entry, whose entities
        # are few)
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        spans = []
        for tok in ends:
            if tok.i in taken:
                continue
            start = self.start_of(doc, tok)
            if start is not None and not any(j in taken for j in range(start, tok.i + 1)):
                spans.append(Span(doc, start, tok.i + 1, label="DATE"))
                taken.update(range(start, tok.i + 1))
        if spans:
            add_entities(doc, spans)
        return doc

    def digit_shapes(self, doc: Doc, shapes: list) -> set:
        """The shapes that start with a digit, read once per shape (a bounded cache: shapes
        are few, "Xxxxx", "dddd", "d.d")."""
        new = set(shapes) - self._seen
        if new:
            if len(self._seen) > self.MAX_SHAPES:
                self._seen, self._digit, new = set(), set(), set(shapes)
            strings = doc.vocab.strings
            self._seen |= new
            self._digit.update(h for h in new if strings[h][:1] == "d")
        return self._digit

    def start_of(self, doc: Doc, tok) -> "int | None":
        """The first token of the date ending at `tok`, or None when `tok` ends none."""
        if NUMERIC.match(tok.text):
            return tok.i
        if DECADE.match(tok.text):
            i = tok.i
            while i > 0 and doc[i - 1].lower_ in self.parts:
                i -= 1
            return i
        if not YEAR.match(tok.text):
            return None
        p1 = self.word_before(doc, tok.i)
        if p1 is not None and doc[p1].text == ",":          # "May 5, 1949"
            p2 = self.word_before(doc, p1)
            p3 = self.word_before(doc, p2) if p2 is not None else None
            return p3 if self.day(doc, p2) and self.month(doc, p3) else tok.i
        if self.month(doc, p1):                              # "(5) May 1949"
            p0 = self.word_before(doc, p1)
            return p0 if self.day(doc, p0) else p1
        if self.day(doc, p1):                                # "May 5 1949"
            p0 = self.word_before(doc, p1)
            return p0 if self.month(doc, p0) else tok.i
        return tok.i

    def month(self, doc: Doc, i: "int | None") -> bool:
        """Whether token i is a month name."""
        return i is not None and doc[i].lower_.rstrip(".") in self.months

    @staticmethod
    def day(doc: Doc, i: "int | None") -> bool:
        """Whether token i is a day of the month ("5", "5th")."""
        return i is not None and DAY.match(doc[i].text) is not None

    @staticmethod
    def word_before(doc: Doc, i: int) -> "int | None":
        """The index of the nearest token before i that is not inline whitespace."""
        i -= 1
        while i >= 0 and doc[i].is_space and "\n" not in doc[i].text:
            i -= 1
        return i if i >= 0 and not doc[i].is_space else None
