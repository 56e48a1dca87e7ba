"""Tables flattened to text: a header line of column labels, then one line per row, the cells
separated only by spaces, as a table copied from a web page or a PDF reads:

    Organizations Estd. Headquarters President/General Secretary Members
    International Labour Organization (ILO) 1919 Geneva Gilbert Houngbo 187

Spaces do not say where a cell ends, so a row is read by what its cells hold: the header names
the columns (labels of `field_labels`, rules/vocabularies.yaml), and a column whose field has a
shape (a year for the founding date, a number for members) marks where the text before it ends.
The first column names the organisation, so it ends where the second column's value starts; a
row whose second value is missing (a truncated line) keeps its text up to its first digit.

Reads: a paragraph block's text and the column labels. Writes: the paragraph replaced by a
header row (marker `th`) and one row per line (marker `text`) with its name cell (column 0).
The values of the other columns are read by `pipeline.extract.tables`, which uses
`spaced_header` and `name_end` from here so both stages cut a row the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline.model import Block

MAX_HEADER_CHARS = 120
MAX_HEADER_WORDS = 12
MAX_UNLABELLED_WORDS = 3     # words of one unlabelled column ("President/General Secretary")
MIN_ROWS = 2
# A founding year, not part of a longer number or a date with dots ("1.1.2020").
YEAR = re.compile(r"(?<![\w.,/-])(?:1[5-9]\d\d|20\d\d)(?![\w,/-]|\.\d)")
COUNT = re.compile(r"(?<![\w.,/-])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.,/-])\d+(?![\w,/-]|\.\d)")
ANCHORS = {"founded": YEAR, "membership": COUNT}
DIGIT = re.compile(r"\d")
LINE = re.compile(r"[^\n]*(?:\n|$)")   # one line with its break; a blank one ends a table
TEXT_KINDS = ("paragraph", "line")


@lru_cache(maxsize=8)
def longest_label(labels: tuple[str, ...]) -> int:
    """The words of the longest column label (kept per label list: every line of a page that
    could head a table asks)."""
    return max((len(label.split()) for label in labels), default=0)


def header_columns(line: str, labels: dict[str, str]) -> Optional[list[str]]:
    """The field of each column of a header line ("" for the name and unlabelled columns), or
    None when the line is no header: it must be short, every word capitalised, at least two
    columns labelled, the first column not, and no unlabelled column longer than a title."""
    if len(line) > MAX_HEADER_CHARS:   # (before splitting it: a paragraph is one long line)
        return None
    words = line.split()
    if not words or len(words) > MAX_HEADER_WORDS:
        return None
    if any(not w[0].isupper() for w in words) or any(c in line for c in ",;!?"):
        return None
    columns: list[str] = []
    run = 0      # words in the unlabelled column being read
    longest = longest_label(tuple(labels))  # words of a label
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            field = labels.get(" ".join(words[i:i + size]).lower().rstrip(":"))
            if field:
                columns.append(field)
                i, run = i + size, 0
                break
        else:
            if run == 0:
                columns.append("")
            run += 1
            if run > MAX_UNLABELLED_WORDS:
                return None
            i += 1
    if columns[0] or sum(1 for c in columns if c) < 2:
        return None
    return columns


def spaced_header(line: str, labels: dict[str, str]) -> Optional[list[str]]:
    """The columns of a flattened table's header line (`header_columns`), or None when the
    line is no header or its second column has no shape (ANCHORS) to end the name column at."""
    columns = header_columns(line, labels)
    return columns if columns is not None and columns[1] in ANCHORS else None


def name_end(row: str, columns: list[str]) -> int:
    """Where the first (name) column of a row ends: before the second column's value when that
    column has a shape and the row holds one, else before the first digit, else at the end."""
    anchor = ANCHORS.get(columns[1]) if len(columns) > 1 else None
    found = anchor.search(row) if anchor else None
    if found is None:
        found = DIGIT.search(row)
    end = found.start() if found else len(row)
    return len(row[:end].rstrip())


def split_text_tables(text: str, blocks: tuple[Block, ...], labels: dict[str, str]
                      ) -> tuple[Block, ...]:
    """The blocks, each flattened table (a header line and the lines below it up to a blank
    line, read as paragraphs or title-like lines) replaced by its rows."""
    if not labels:
        return blocks
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        rows = table_rows(text, block, labels) if block.kind in TEXT_KINDS else None
        end = rows[-1].end if rows else 0
        j = i + 1
        while rows and j < len(blocks) and blocks[j].start < end:
            if blocks[j].kind not in TEXT_KINDS:   # a table over other structure: not read
                rows = None
            j += 1
        if rows:
            out += rows
            i = j
        else:
            out.append(block)
            i += 1
    return tuple(out) if out != list(blocks) else blocks


def table_rows(text: str, block: Block, labels: dict[str, str]) -> Optional[list[Block]]:
    """A header row and its rows when the block's first line is a header over rows."""
    first = _lines(text, block.start, 1)   # the header first: most blocks have none, and
    if not first:                           # reading every block's lines to the next blank
        return None                         # line was quadratic on a page without one
    hs, he = first[0]
    columns = spaced_header(text[hs:he], labels)
    if columns is None:
        return None
    lines = _lines(text, block.start)
    if len(lines) < 1 + MIN_ROWS:
        return None
    rows = lines[1:]
    anchor = ANCHORS[columns[1]]
    if sum(1 for s, e in rows if anchor.search(text, s, e)) < MIN_ROWS:
        return None
    out = [Block("row", hs, he, marker="th")]
    for s, e in rows:
        out.append(Block("row", s, e, marker="text"))
        end = s + name_end(text[s:e], columns)
        if end > s:
            out.append(Block("cell", s, end, column=0))
    return out


def _lines(text: str, start: int, most: int = -1) -> list[tuple[int, int]]:
    """(start, end) of the lines from `start` up to the first blank line (at `most` lines),
    without their surrounding spaces."""
    out: list[tuple[int, int]] = []
    for m in LINE.finditer(text, start):
        line = m.group()
        stripped = line.strip()
        if not stripped or len(out) == most:
            break
        lead = len(line) - len(line.lstrip())
        out.append((m.start() + lead, m.start() + lead + len(stripped)))
    return out
