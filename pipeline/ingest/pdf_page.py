"""A PDF read as the page itself: its lines and fonts -> the text facts point to, and blocks.

Reads: the PDF worker's answer for a page-PDF (`pipeline.documents.pdf_worker` with `layout`):
per page, lines top to bottom with their words' type size and boldness.
Writes: a `Document` whose text is laid out like an HTML page's (saved under `texts/`, facts
refer to it): one paragraph per line of text, wrapped lines joined by a space (a line ending in
a hyphen after a letter joins without one), a blank line between paragraphs. A paragraph ends
where the vertical gap is wider than the page's usual line gap, where the type changes (a
heading), and at a page break unless the sentence runs on. Blocks: headings where the type is
larger than the body's or bold throughout (levels by size, largest first), paragraphs with a
bold opening run as their lead-in, each with its page number; a paragraph of a bare number
(a page number) is boilerplate.

Which PDF is a page: one given directly on the command line, or a manifest entry with
`role: page`. Every other PDF is a document the page links to (`pipeline.documents`).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from pipeline.model import Block

# A heading's type is at least this much larger than the body's.
LARGER = 1.15
# A gap between lines wider than the usual one by this share of the body size ends a paragraph.
PARAGRAPH_GAP = 0.3
RUNS_ON = re.compile(r"[^.!?:;]$")
PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    page: int
    top: float
    bottom: float
    words: tuple  # (text, size, bold)

    @property
    def size(self) -> float:
        return max(w[1] for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w[2] for w in self.words)

    def text(self) -> str:
        return " ".join(w[0] for w in self.words)


def lines_of(answer: dict) -> list[Line]:
    return [Line(p["page_number"], ln["top"], ln["bottom"], tuple(tuple(w) for w in ln["words"]))
            for p in answer["pages"] for ln in p.get("lines", ()) if ln["words"]]


def body_size(lines: list[Line]) -> float:
    """The type size most characters are set in."""
    sizes: Counter = Counter()
    for line in lines:
        for text, size, _ in line.words:
            sizes[size] += len(text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def style(line: Line, body: float) -> Optional[tuple[float, bool]]:
    """The heading style of a line ((size, bold)), or None for body text."""
    if line.size >= body * LARGER or (line.bold and line.size >= body):
        return (line.size, line.bold)
    return None


def page_text(answer: dict) -> tuple[str, tuple[Block, ...]]:
    """The text of a page-PDF and its blocks."""
    lines = lines_of(answer)
    if not lines:
        return "", ()
    body = body_size(lines)
    styles = sorted({s for s in (style(ln, body) for ln in lines) if s},
                    key=lambda s: (-s[0], not s[1]))
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
            if a.page == b.page and not style(a, body) and not style(b, body)]
    usual = statistics.median(gaps) if gaps else 0.0
    paragraphs: list[list[Line]] = []
    for prev, line in zip([None] + lines, lines):
        if prev is None or _breaks(prev, line, body, usual):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return _layout(paragraphs, body, styles)


def _breaks(prev: Line, line: Line, body: float, usual: float) -> bool:
    if style(prev, body) != style(line, body):
        return True
    if prev.page != line.page:
        return not (RUNS_ON.search(prev.text()) and line.words[0][0][:1].islower())
    return line.top - prev.bottom > usual + PARAGRAPH_GAP * body


def _layout(paragraphs: list[list[Line]], body: float, styles: list
            ) -> tuple[str, tuple[Block, ...]]:
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for lines in paragraphs:
        if parts:
            parts.append("\n\n")
            pos += 2
        text, lead = _joined(lines)
        start, end = pos, pos + len(text)
        parts.append(text)
        pos = end
        heading = style(lines[0], body)
        page = lines[0].page
        if heading:
            blocks.append(Block("heading", start, end, level=styles.index(heading) + 1,
                                emphasis="bold" if heading[1] else "large", page=page))
        else:
            blocks.append(Block("paragraph", start, end, page=page,
                                lead_end=start + lead if lead else None,
                                boilerplate=bool(PAGE_NUMBER.fullmatch(text))))
    return "".join(parts), tuple(blocks)


def _joined(lines: list[Line]) -> tuple[str, int]:
    """The paragraph's text, and the length of its bold opening run (0 if none)."""
    text, lead, leading = "", 0, True
    for line in lines:
        for n, (word, _, bold) in enumerate(line.words):
            if text and not (n == 0 and re.search(r"[A-Za-z]-$", text)):
                text += " "
            text += word
            if leading and bold:
                lead = len(text)
            leading = leading and bold
    return text, lead if lead < len(text) else 0


def page_of(blocks: tuple[Block, ...], offset: int) -> Optional[int]:
    """The page of the block holding `offset`, for a page-PDF's facts."""
    found = None
    for block in blocks:
        if block.start > offset:
            break
        if block.page:
            found = block.page
    return found
