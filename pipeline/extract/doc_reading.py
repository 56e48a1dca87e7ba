"""How the extractors read an entry's spaCy doc: its text as it was made, its entities of one
label (read once per doc), and its tokens around a match, whitespace skipped; and how the
entity components add entities to it.

A doc may hold several short entries (`shared_docs.shared_doc`): the extractors then read
one entry at a time, its `Window` (tokens and characters) set on the doc, and every reader
here keeps to it: the spans matched and the entities in it, the words before a token down to
its first token. Offsets stay the doc's own.

Reads: a doc made by `Extractor.prepare` (its text kept in `doc.user_data`). Writes: what it
caches on the doc (`doc.user_data`), and the entities `add_entities` is given.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple, Optional

from spacy.tokens import Doc, Span

from pipeline.extract.gate import INDEX_KEY

TEXT_KEY = "partners_text"   # doc.user_data: the text the doc was made from (`with_text`)
ENTITIES_KEY = "partners_entities"   # doc.user_data: (label, window) -> Entities
WINDOW_KEY = "partners_window"       # doc.user_data: the Window of the entry being read
SPANS_KEY = "partners_spans"         # doc.user_data: spans key -> (its spans, their starts)


class Window(NamedTuple):
    """One entry of a doc that holds several: its tokens [start, end) and characters
    [start_char, end_char) in the doc."""

    start: int
    end: int
    start_char: int
    end_char: int


def window_of(doc: Doc) -> Optional[Window]:
    """The entry being read, when the doc holds several (None: the doc is the entry)."""
    return doc.user_data.get(WINDOW_KEY)


def set_window(doc: Doc, window: Optional[Window]) -> None:
    """Read the entry in `window` next (None: the whole doc)."""
    doc.user_data[WINDOW_KEY] = window


def end_of(doc: Doc) -> int:
    """The token after the entry's last."""
    window = window_of(doc)
    return len(doc) if window is None else window.end


def entry_text(doc: Doc) -> tuple[str, int]:
    """The entry's text and where it starts in the doc's."""
    window = window_of(doc)
    if window is None:
        return text_of(doc), 0
    return text_of(doc)[window.start_char:window.end_char], window.start_char


def with_text(doc: Doc, text: str) -> Doc:
    """The doc, the text it was made from kept for `text_of` (`doc.text` rebuilds it at each
    call)."""
    doc.user_data[TEXT_KEY] = text
    return doc


def text_of(doc: Doc) -> str:
    """The doc's text, from where the extractor kept it (`doc.text` joins every token anew)."""
    text = doc.user_data.get(TEXT_KEY)
    return text if text is not None else doc.text


class Entities:
    """A doc's entities of one label, in order, read once for all extractors (`of`):
    `Span.ents` builds every entity of the doc at each call (an entry with thousands of facts
    was quadratic)."""

    def __init__(self, ents: list[Span]):
        self.ents = ents
        self.starts = [e.start for e in ents]

    @classmethod
    def of(cls, doc: Doc, label: str) -> "Entities":
        """The entry's entities of `label`, read at the first extractor that asks (those of
        the whole doc at the first entry). The entities must be final: whatever changes them
        afterwards calls `forget`."""
        read = doc.user_data.setdefault(ENTITIES_KEY, {})
        window = window_of(doc)
        found = read.get((label, window))
        if found is None:
            whole = read.get((label, None))
            if whole is None:
                whole = read[(label, None)] = cls([e for e in doc.ents if e.label_ == label])
            found = read[(label, window)] = whole if window is None else \
                cls(whole.within(window.start, window.end))
        return found

    @staticmethod
    def forget(doc: Doc) -> None:
        """Drop what was read of the doc's entities (they are about to change) and spans."""
        doc.user_data.pop(ENTITIES_KEY, None)
        doc.user_data.pop(SPANS_KEY, None)

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
    """The spans a pattern file matched in the entry (`doc.spans[key]`; none when it matched
    nothing: the field rules set no empty group). In a doc of several entries, only the spans
    inside the entry's window: a span that runs from one entry into the next (across the line
    break between them) is no entry's, as it was in no entry's own doc."""
    window = window_of(doc)
    if window is None:
        return doc.spans[key] if key in doc.spans else ()
    read = doc.user_data.setdefault(SPANS_KEY, {})
    found = read.get(key)
    if found is None:   # read once; sorted as the field rules set them, else read in full
        # (whether the key has a group, too: `doc.spans` is a Python mapping, and its entries
        # asked it for every key they read, matched or not)
        spans = list(doc.spans[key]) if key in doc.spans else []
        starts = [s.start for s in spans]
        found = read[key] = (spans, starts if starts == sorted(starts) else None)
    spans, starts = found
    if not spans:
        return ()
    i, out = bisect_left(starts, window.start) if starts is not None else 0, []
    while i < len(spans) and (starts is None or spans[i].start < window.end):
        if window.start <= spans[i].start and spans[i].end <= window.end:
            out.append(spans[i])
        i += 1
    return out


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
    """Up to n tokens of the entry before token i, whitespace tokens skipped, in text order."""
    window = window_of(doc)
    first, out = 0 if window is None else window.start, []
    while i > first and len(out) < n:
        i -= 1
        token = doc[i]   # (each `doc[i]` makes a Token)
        if not token.is_space:
            out.append(token)
    return out[::-1]
