"""Candidate structures of a page: which blocks could each open one organisation's unit.

Reads: a document's text (its reading view) and blocks. Writes: `Candidate`s, each a kind of
repeated unit with its heads (a block, where its heading ends, the heading's labels):
  heading:N  headings of level N (HTML h1-h6, Markdown, PDF type sizes), the text below each
  item       list items, named by their lead-in (<strong>, `**`, `Name:`), by the whole item
             when it is short, or by a dash heading opening it
  row        table rows, named by the cells of the name and acronym columns
  term       <dt> terms (their <dd> follows)
  line       short title-like lines followed by their text (`Name (ACR)`, `ACR: Name`, CAPITALS)
  dash       paragraphs opening with `ACR - Name - ...` (the IAP page's own layout)
  lead       paragraphs opening with a bold or `Label:` lead-in
A header row, a lead-in that labels a field (`Founded:`), and prose never make heads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from pipeline.model import Block
from pipeline.segment.glossed import parse_glossed
from pipeline.segment.labels import (
    TRIM,
    Heading,
    SegmentRules,
    is_acronym,
    is_label,
    parse_dash_heading,
    parse_heading,
)

# Candidates whose heads are the same blocks are one structure: the first in this order names
# it (headings first, then the page's own dash layout, so a page read before keeps its entries).
ORDER = ("heading", "dash", "item", "term", "row", "lead", "line")


@dataclass(frozen=True)
class Head:
    """A block that opens a unit, where its heading ends and the heading's labels."""

    block: int
    end: int
    labels: tuple[tuple[str, int, int], ...]
    holds_body: bool = False  # the block holds its own text (a row, an item with a body)


@dataclass
class Candidate:
    name: str
    heads: list[Head] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return ORDER.index(self.name.split(":")[0])


def find_candidates(text: str, blocks: tuple[Block, ...], rules: SegmentRules
                    ) -> list[Candidate]:
    """Every candidate structure with at least one head, in ORDER."""
    found: dict[str, Candidate] = {}
    columns = table_columns(text, blocks, rules)
    for i, block in enumerate(blocks):
        if block.boilerplate:
            continue
        for name, head in heads_of(text, blocks, i, rules, columns):
            found.setdefault(name, Candidate(name)).heads.append(head)
    return sorted(found.values(), key=lambda c: (c.rank, c.name))


def heads_of(text: str, blocks: tuple[Block, ...], i: int, rules: SegmentRules,
             columns: tuple[Optional[int], Optional[int]]) -> Iterator[tuple[str, Head]]:
    block = blocks[i]
    if block.kind in ("paragraph", "line", "heading"):
        dash = parse_dash_heading(text, block.start, block.end, rules)
        if dash:
            yield "dash", Head(i, dash.end, dash.labels)
    if block.kind == "heading":
        heading = _named(text, block, rules)
        if heading:
            yield f"heading:{block.level}", Head(i, heading.end, heading.labels)
    elif block.kind == "item":
        head = _item_head(text, blocks, i, rules)
        if head:
            yield "item", head
    elif block.kind == "term":
        heading = parse_heading(text, block.start, block.end, rules)
        if heading:
            yield "term", Head(i, heading.end, heading.labels)
    elif block.kind == "row" and block.marker != "th":
        head = _row_head(text, blocks, i, columns, rules)
        if head:
            yield "row", head
    elif block.kind == "line" and not _field_lead(text, block, rules):
        heading = parse_heading(text, block.start, block.end, rules)
        if heading:
            yield "line", Head(i, heading.end, heading.labels)
    elif block.kind == "paragraph" and block.lead_end and not _field_lead(text, block, rules):
        heading = parse_heading(text, block.start, block.lead_end, rules)
        if heading:
            yield "lead", Head(i, block.lead_end, heading.labels, holds_body=True)


def _field_lead(text: str, block: Block, rules: SegmentRules) -> bool:
    """A `Founded: 1961` lead-in, or a line opening with a field label and its value
    ("Formation 1952", "AbbreviationICJ" as infoboxes flatten to text)."""
    if block.lead_end and is_field_label(text[block.start:block.lead_end], rules):
        return True
    return block.kind == "line" and (
        is_field_label(text[block.start:block.end], rules)  # "Headquarters" over its value
        or starts_with_field_label(text, block.start, block.end, rules))


def is_field_label(text: str, rules: SegmentRules) -> bool:
    """'Founded', 'Headquarters', 'Members' ...: a label of a value, not a heading."""
    return " ".join(text.lower().strip(TRIM).split()) in rules.field_labels


def starts_with_field_label(text: str, start: int, end: int, rules: SegmentRules) -> bool:
    """Whether text[start:end] opens with a field label and then its value: after a space or
    colon ("Formation 1952"), or glued on with a capital or digit ("AbbreviationICJ")."""
    head = text[start:min(end, start + 40)]
    for n, labels in rules.field_labels_by_length:
        if len(head) <= n:
            return False
        if head[:n].lower() in labels:
            after = head[n]
            if not after.isalpha() or after.isupper():
                return True
    return False


def _named(text: str, block: Block, rules: SegmentRules) -> Optional[Heading]:
    """A heading's labels: from its lead-in when it has one, else from all of it."""
    if block.lead_end:
        return parse_heading(text, block.start, block.lead_end, rules)
    return parse_heading(text, block.start, block.end, rules)


def _item_head(text: str, blocks: tuple[Block, ...], i: int, rules: SegmentRules
               ) -> Optional[Head]:
    block = blocks[i]
    if block.lead_end and not _field_lead(text, block, rules):
        heading = parse_heading(text, block.start, block.lead_end, rules)
        if heading:
            return Head(i, block.lead_end, heading.labels, holds_body=True)
    own_end = _own_text_end(blocks, i)
    heading = parse_heading(text, block.start, own_end, rules)
    if heading:
        return Head(i, heading.end, heading.labels, holds_body=own_end < block.end)
    dash = parse_dash_heading(text, block.start, own_end, rules)
    if dash:
        return Head(i, dash.end, dash.labels, holds_body=True)
    glossed = parse_glossed(text, block.start, own_end, rules)   # `ACR (Name, founded ...)`
    if glossed:
        return Head(i, glossed.end, glossed.labels, holds_body=True)
    return None


def _own_text_end(blocks: tuple[Block, ...], i: int) -> int:
    """Where a block's own text ends: before the first block nested in it."""
    block = blocks[i]
    for inner in blocks[i + 1:]:
        if inner.start >= block.end:
            break
        if inner.start > block.start:
            return inner.start
    return block.end


def cells_of(blocks: tuple[Block, ...], i: int) -> list[Block]:
    row = blocks[i]
    out = []
    for b in blocks[i + 1:]:
        if b.start >= row.end:
            break
        if b.kind == "cell":
            out.append(b)
    return out


def table_columns(text: str, blocks: tuple[Block, ...], rules: SegmentRules
                  ) -> tuple[Optional[int], Optional[int]]:
    """(name column, acronym column) of the page's table rows, read from the cells: the column
    most of whose cells are acronyms, and the first other column of short names."""
    by_column: dict[int, list[str]] = {}
    for i, b in enumerate(blocks):
        if b.kind == "row" and b.marker != "th":
            for cell in cells_of(blocks, i):
                by_column.setdefault(cell.column, []).append(text[cell.start:cell.end])
    if not by_column:
        return None, None

    def share(column: int, test) -> float:
        cells = by_column[column]
        return sum(1 for c in cells if test(c.strip())) / len(cells)

    acronym = max(by_column, key=lambda c: share(c, is_acronym))
    acronym = acronym if share(acronym, is_acronym) >= 0.6 else None
    name = next((c for c in sorted(by_column) if c != acronym and share(
        c, lambda t: is_label(t, rules) and len(t) <= rules.max_heading_chars) >= 0.6), None)
    return name, acronym


def _row_head(text: str, blocks: tuple[Block, ...], i: int,
              columns: tuple[Optional[int], Optional[int]], rules: SegmentRules
              ) -> Optional[Head]:
    name, acronym = columns
    labels: list[tuple[str, int, int]] = []
    for cell in cells_of(blocks, i):
        if cell.column == name:   # "Name (ACR)" in one cell gives both
            heading = parse_heading(text, cell.start, cell.end, rules)
            labels += heading.labels if heading and heading.end == cell.end \
                else [("name", cell.start, cell.end)]
        elif cell.column == acronym and is_acronym(text[cell.start:cell.end].strip()):
            labels.append(("acronym", cell.start, cell.end))
    if not labels:
        return None
    return Head(i, max(e for _, _, e in labels), tuple(labels), holds_body=True)
