"""Short entries matched together: one spaCy doc for a run of them, each read in its window.

Every doc costs the pipeline's components a fixed toll (each one's call, its arrays read,
its spans and entities set), which a short entry pays in full: for 10,000 entries of a line,
making and annotating docs of 64 of them took 41 against 82 microseconds an entry. So the
short entries of a batch are joined, one line break between two, into one doc; the extractors
then read each entry in its `Window` (`doc_reading`), and find what they found in the entry's
own doc.

Why the same: the tokenizer splits at every edge of whitespace, so an entry's tokens are the
same in the joined text, each entry's first token starts a sentence (as a doc's first token
does) and so does the line break after it (so no sentence runs from one entry into the next);
the sentencizer's state is reset by that break. The components find no entity across the break
(dates stop at a line break; places and the host's names hold no line break). A pattern match
that runs across it is dropped when the entries are read (`doc_reading.matched`): the matcher
gives every end of every match, so what is left is what the entry's own doc gave. Only entries
with no whitespace at either end are joined: the break must be a token of its own.

Reads: the views of a batch's pieces (`Extractor.analyses`). Writes: groups of pieces, and the
joined docs with their windows and the host references in them.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.doc_reading import Window, with_text
from pipeline.extract.gate import DocIndex
from pipeline.extract.nlp import mark_starts
from pipeline.model import Entry

# An entry this short shares a doc; a shared doc holds about this many characters at most.
SHORT_CHARS = 300
DOC_CHARS = 20_000
SEPARATOR = "\n"


def shareable(view: str) -> bool:
    """Whether an entry's view may share a doc: short, with no whitespace at either end."""
    return 0 < len(view) <= SHORT_CHARS and not view[0].isspace() and not view[-1].isspace()


def groups(views: list[str]) -> list[list[int]]:
    """The views' indices, in order, grouped: runs of shareable views of up to DOC_CHARS
    together, every other view alone."""
    out: list[list[int]] = []
    run: list[int] = []
    size = 0
    for i, view in enumerate(views):
        if not shareable(view):
            out.append([i])
            continue
        if run and size + len(view) > DOC_CHARS:
            out.append(run)
            run, size = [], 0
        run.append(i)
        size += len(view) + len(SEPARATOR)
    if run:
        out.append(run)
    return sorted(out)


def shared_doc(nlp: Language, views: list[str], pieces: list[Entry]) -> tuple[Doc, list[Window]]:
    """One doc of the views (shareable ones), a line break between two, and each one's window;
    sentences start as in each view's own doc (`Extractor.prepare`) and at each break."""
    text = SEPARATOR.join(views)
    # tokenised whole, without `nlp.make_doc`'s warming pieces: on 3,000 tiny entries and the
    # real pages x4, 69 and 10 million instructions fewer (of 7.6 and 3.4 billion)
    doc = with_text(nlp.make_doc(text), text)
    offsets = DocIndex.of(doc).column(doc, IDX)
    windows, bodies, at = [], [], 0
    for view, piece in zip(views, pieces):
        first, end = bisect_left(offsets, at), bisect_left(offsets, at + len(view))
        windows.append(Window(first, end, at, at + len(view)))
        body = piece.heading_end - piece.char_start
        if body > 0:
            bodies.append((at + body, first, end))
        at += len(view) + len(SEPARATOR)
    # each break between two entries a sentence of its own (the token after it is the next
    # entry's first, which the breaks' rule marks)
    mark_starts(doc, text, bodies, more=[w.end for w in windows[:-1]])
    return doc, windows


def host_refs(pieces: list[Entry], windows: list[Window]) -> list[tuple[int, int]]:
    """The pieces' host references (`Entry.host_refs`, document offsets) in the shared doc."""
    return [(s - p.char_start + w.start_char, e - p.char_start + w.start_char)
            for p, w in zip(pieces, windows) for s, e in p.host_refs]
