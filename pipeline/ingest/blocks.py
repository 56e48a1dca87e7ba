"""Blocks of a plain-text or Markdown page: a structural line reader.

Reads: a document's text (`.txt`, `.md`; CRLF, tabs and odd spacing as they come).
Writes: `Block`s with spans into that same text: Markdown `#` headings and setext underlines,
bullets (`* - • ▪ …`) with their indentation depth, numbered items (`1.` `1)` `(a)`),
tab-separated rows (with their cells), short title-like lines, CAPITALS, `Label: value` lead-ins,
and blank-line paragraphs. Markup stays in the text; a block's span marks its content.

The reader knows layout only, never words: which line names an organisation is the
segmenter's decision (`pipeline.segment`).
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from pipeline.model import Block

ATX = re.compile(r"(#{1,6})[ \t]+")
SETEXT = re.compile(r"(=+|-+)[ \t]*")
BULLET = re.compile(r"([*\-+\u2022\u25aa\u25e6\u25cf\u00b7\u2013\u25a0])[ \t]+")
NUMBER = re.compile(r"(\d{1,3}[.)]|[a-z][.)]|\((?:\d{1,3}|[a-z]|[ivx]{1,4})\))[ \t]+")
# `Label: value` / `ACR: Name`: a short lead before a colon and a space (not "http://").
COLON_LEAD = re.compile(r"[^:\n]{1,60}?(?=:(?:[ \t]|$))")
BOLD_LEAD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
SENTENCE_END = re.compile(r"[.,;!?]$")
SENTENCE_STOP = re.compile(r"[.!?][\"'\u2019\u201d)]?$")
# A line is short enough to be a title when it is at most this long and at most this share of
# the longest line that follows it in its paragraph (wrapped prose has lines of one length).
TITLE_CHARS = 150
TITLE_SHARE = 0.7
LIST_LINE_CHARS = 80
# Over lines that are all short, a first line this short without a comma, before a line that
# starts a sentence, is a title ("Council of Europe (COE)" over "It has 46 members.").
SHORT_TITLE = 64


def lines_of(text: str) -> Iterator[tuple[int, int, int]]:
    """(content start, content end, indentation) of every line; (-1, -1, 0) for a blank one."""
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and not match.group():
            break
        raw = match.group().rstrip("\r\n")
        stripped = raw.strip()
        if not stripped:
            yield -1, -1, 0
            continue
        lead = raw[:len(raw) - len(raw.lstrip())]
        start = match.start() + len(lead)
        yield start, start + len(stripped), len(lead.expandtabs(4))


def chunks(text: str) -> Iterator[list[tuple[int, int, int]]]:
    """Runs of non-blank lines (paragraphs in the plain sense)."""
    run: list[tuple[int, int, int]] = []
    for line in lines_of(text):
        if line[0] < 0:
            if run:
                yield run
            run = []
        else:
            run.append(line)
    if run:
        yield run


ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def is_caps(text: str) -> bool:
    """Mostly capital letters (at least four letters, 80% of them capitals)."""
    if text.islower():  # the common case, a prose line, decided at C speed
        return False
    # Also at C speed: a line with more than a fifth of its characters a-z has fewer capitals
    # than four times its lowercase letters, so under 80% of its letters are capitals.
    data = text.encode("utf-8")
    if 5 * (len(data) - len(data.translate(None, ASCII_LOWER))) > len(text):
        return False
    letters = sum(map(str.isalpha, text))
    return letters >= 4 and sum(map(str.isupper, text)) >= 0.8 * letters


def title_like(text: str) -> bool:
    """Short, and not ending like a clause of running prose."""
    return len(text) <= TITLE_CHARS and not SENTENCE_END.search(text)


def colon_lead(text: str, start: int, end: int) -> Optional[int]:
    """End of a `Label:` lead-in at the start of text[start:end], if there is one."""
    match = COLON_LEAD.match(text, start, end)
    if not match or len(match.group().split()) > 8 or re.search(r"[.,;()]\s", match.group()):
        return None
    return match.end()


def line_block(text: str, kind: str, start: int, end: int, **kw) -> Block:
    """A block for text[start:end] with its emphasis and lead-in worked out."""
    content = text[start:end]
    bold = BOLD_LEAD.match(content)
    if bold and bold.start(2) == 2:
        lead = start + bold.end(2)
        start = start + 2
        if bold.end() == len(content):
            return Block(kind, start, lead, emphasis="bold", **kw)
        return Block(kind, start, end, lead_end=lead, **kw)
    emphasis = "caps" if is_caps(content) else ""
    return Block(kind, start, end, lead_end=colon_lead(text, start, end), emphasis=emphasis,
                 **kw)


def rows(text: str, run: list[tuple[int, int, int]]) -> Optional[list[Block]]:
    """A chunk of two or more lines with the same number of tab-separated cells: a table."""
    cells_per_line = [text[s:e].count("\t") for s, e, _ in run]
    if len(run) < 2 or min(cells_per_line) < 1 or len(set(cells_per_line)) > 1:
        return None
    out: list[Block] = []
    for n, (s, e, _) in enumerate(run):
        out.append(Block("row", s, e, marker="tab"))
        pos = s
        for column, cell in enumerate(text[s:e].split("\t")):
            left = len(cell) - len(cell.lstrip())
            if cell.strip():
                out.append(Block("cell", pos + left, pos + len(cell.rstrip()), column=column,
                                 marker="th" if n == 0 else ""))
            pos += len(cell) + 1
    return out


def text_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a plain-text or Markdown page, in text order."""
    out: list[Block] = []
    indents: list[int] = []  # indentation of the open list items, outermost first
    for run in chunks(text):
        table = rows(text, run)
        if table:
            out += table
            continue
        out += list(_chunk_blocks(text, run, indents))
    return tuple(out)


def _chunk_blocks(text: str, run: list[tuple[int, int, int]], indents: list[int]
                  ) -> Iterator[Block]:
    i = 0
    while i < len(run):
        start, end, indent = run[i]
        nxt = run[i + 1] if i + 1 < len(run) else None
        atx = ATX.match(text, start, end)
        if atx:
            body_end = len(text[:end].rstrip("# \t")) if text[start:end].strip("# \t") else end
            yield line_block(text, "heading", atx.end(), max(atx.end(), body_end),
                             level=len(atx.group(1)), marker="#")
            i += 1
            continue
        if nxt and SETEXT.fullmatch(text, nxt[0], nxt[1]) and nxt[1] - nxt[0] >= 3:
            level = 1 if text[nxt[0]] == "=" else 2
            yield line_block(text, "heading", start, end, level=level, marker="setext")
            i += 2
            continue
        mark = BULLET.match(text, start, end) or NUMBER.match(text, start, end)
        if mark and mark.end() < end:
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            j = i + 1  # lines indented under the marker continue the item
            while j < len(run) and run[j][2] > indent and not _marked(text, run[j]):
                j += 1
            yield line_block(text, "item", mark.end(), run[j - 1][1], depth=len(indents),
                             marker=mark.group(1))
            i = j
            continue
        indents.clear()
        j = _next_marked(text, run, i)
        yield from _plain(text, run[i:j])
        i = j


def _marked(text: str, line: tuple[int, int, int]) -> bool:
    s, e, _ = line
    return bool(ATX.match(text, s, e) or BULLET.match(text, s, e) or NUMBER.match(text, s, e))


def _next_marked(text: str, run: list[tuple[int, int, int]], i: int) -> int:
    for j in range(i + 1, len(run)):
        if _marked(text, run[j]):
            return j
    return len(run)


def _plain(text: str, lines: list[tuple[int, int, int]]) -> Iterator[Block]:
    """Unmarked lines (up to the next marked one): a title line and the text under it, a list
    of short lines, one sentence a line, or one paragraph of wrapped prose."""
    first, rest = text[lines[0][0]:lines[0][1]], lines[1:]
    short = all(e - s <= LIST_LINE_CHARS for s, e, _ in lines)
    if all(title_like(text[s:e]) for s, e, _ in lines) and short and len(lines) > 1:
        for s, e, _ in lines:
            yield line_block(text, "line", s, e)
        return
    if rest and title_like(first) and (
            len(first) <= TITLE_SHARE * max(e - s for s, e, _ in rest)
            or (short and len(first) <= SHORT_TITLE and "," not in first
                and text[rest[0][0]].isupper())):
        yield line_block(text, "line", lines[0][0], lines[0][1])
        lines = rest
    if len(lines) > 1 and all(SENTENCE_STOP.search(text[s:e]) for s, e, _ in lines[:-1]):
        for s, e, _ in lines:  # one sentence (or record) a line: no line wraps into the next
            yield line_block(text, "line" if title_like(text[s:e]) else "paragraph", s, e)
        return
    if len(lines) == 1 and title_like(text[lines[0][0]:lines[0][1]]):
        yield line_block(text, "line", lines[0][0], lines[0][1])
        return
    yield line_block(text, "paragraph", lines[0][0], lines[-1][1])
