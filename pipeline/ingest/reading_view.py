"""Reading views of a text: what a reader sees, one character for one character.

Reads: a document's text. Writes: a string of the same length, so every offset found in a view
is an offset into the original text, and evidence is always sliced from the original.

- `reading_view` (segmenting and matching): spaces that are not plain (no-break, zero-width)
  become plain spaces, and mojibake (UTF-8 read as cp1252, "doesnâ€™t", "ABA â€“ Name") shows
  the character that was meant, padded to the same length: a dash or quote is preceded by
  spaces, a letter is repeated, a space becomes spaces.
- `matching_view` (the spaCy tokenizer only): the reading view with long runs of punctuation
  ("??????..." x 100,000) cut to their first characters and the rest made spaces, because
  spaCy's tokenizer splits such a run one character at a time, in time quadratic in its length.
- `find_mojibake`: where the text has mojibake, for an issue; the text itself is never changed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff]")
# A run of punctuation this long is noise; a reader sees its first few characters.
NOISE_RUN = re.compile(r"[^\w\s]{16,}")
NOISE_KEEP = 3


def _mojibake_table() -> dict[str, str]:
    """Each character a web page commonly carries, as it looks when its UTF-8 bytes are read
    as cp1252 (bytes cp1252 leaves undefined read as latin-1, as browsers do)."""
    table = {}
    wanted = [chr(c) for c in range(0xA0, 0x180)] + [chr(c) for c in range(0x2010, 0x2040)] \
        + ["\u20ac", "\u2122"]
    for char in wanted:
        if not unicodedata.category(char).startswith(("L", "P", "S", "Z")):
            continue
        bad = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                      for b in char.encode("utf-8"))
        table[bad] = char
    return table


MOJIBAKE = _mojibake_table()
MOJIBAKE_LEAD = re.compile("[" + "".join(sorted({k[0] for k in MOJIBAKE})) + "]")
MOJIBAKE_RE = re.compile("|".join(re.escape(k) for k in sorted(MOJIBAKE, key=len, reverse=True)))


def find_mojibake(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, meant character) for each mojibake sequence in the text."""
    for match in MOJIBAKE_RE.finditer(text):
        yield match.start(), match.end(), MOJIBAKE[match.group()]


def _padded(char: str, length: int) -> str:
    """`char` as `length` characters, reading the way the one character would."""
    if char.isspace() or ODD_SPACES.match(char):
        return " " * length
    if char.isalpha():
        return char * length
    return " " * (length - 1) + char


def reading_view(text: str) -> str:
    """The text with odd spaces made plain and mojibake shown as meant, one char for one."""
    if MOJIBAKE_LEAD.search(text):  # mojibake first: its no-break space is one of the odd ones
        text = MOJIBAKE_RE.sub(lambda m: _padded(MOJIBAKE[m.group()], len(m.group())), text)
    return ODD_SPACES.sub(" ", text)


def matching_view(text: str) -> str:
    """The reading view with long punctuation runs cut (bounded tokenizer time), same length."""
    view = reading_view(text)
    return NOISE_RUN.sub(lambda m: m.group()[:NOISE_KEEP] + " " * (len(m.group()) - NOISE_KEEP),
                         view)


def text_pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Spans covering text[start:end] in order, each at most `limit` long.

    Each cut is at the last paragraph break, else line break, else sentence end, else space in
    the second half of the window; a hard cut only in a run with no space at all. Sentences
    never cross a line break, so no fact is lost at a paragraph or line cut."""
    pieces, pos = [], start
    while end - pos > limit:
        stop = pos + limit
        cut = -1
        for mark in ("\n\n", "\n", ". ", " "):
            at = text.rfind(mark, pos + limit // 2, stop)  # pieces of at least half the limit
            if at > pos:
                cut = at + len(mark)
                break
        if cut <= pos:
            cut = stop
        pieces.append((pos, cut))
        pos = cut
    pieces.append((pos, end))
    return pieces
