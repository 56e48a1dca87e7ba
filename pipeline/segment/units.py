"""A chosen structure -> units (one per organisation) and the section headings above them.

Reads: the document's text and blocks, and the heads of one candidate structure.
Writes: `Unit`s (a head and the blocks its unit covers) and `Group`s (a block naming a section
of units, and the heads it covers). Pure functions over block indices; the scoring and the
entries are in `pipeline.segment.segmenter`.

- A unit runs from its head to the next head, or to a block that stops it: boilerplate, a group,
  a heading that is not a head (a section of its own). A head that holds its own body (a table
  row, a list item with its text) is its block and nothing after it.
- A section heading is a group, never an organisation: a heading above the heads' level, a
  header row of one cell, a short line or term directly followed by heads, a head with no body
  and no acronym directly followed by another head, a list item holding other heads. A
  section covers the heads up to the next group or the next heading of its level, or the end
  of the block that holds them.
- The page's title (its first block, when a heading or a line) is never a group.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Optional

from pipeline.model import Block
from pipeline.segment.candidates import Head
from pipeline.segment.labels import SegmentRules, org_likeness, parse_heading

TITLE_KINDS = ("heading", "line")


@dataclass(frozen=True)
class Unit:
    head: Head
    blocks: tuple[int, ...]   # the head's block first
    end: int                  # end offset of the unit's text


@dataclass(frozen=True)
class Group:
    block: int
    label: tuple[str, int, int]   # ("group", start, end)
    heads: frozenset              # block indices of the heads it covers


def contains(outer: Block, inner: Block) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end and outer != inner


def title_block(blocks: tuple[Block, ...]) -> Optional[int]:
    first = next((i for i, b in enumerate(blocks) if not b.boilerplate), None)
    return first if first is not None and blocks[first].kind in TITLE_KINDS else None


def stops(blocks: tuple[Block, ...], heads: list[Head], groups: list[Group]) -> set[int]:
    """Blocks that end the unit before them."""
    head_blocks = {h.block for h in heads}
    levels = [blocks[h.block].level for h in heads if blocks[h.block].kind == "heading"]
    top = min(levels) if levels else 99
    out = {g.block for g in groups}
    for i, b in enumerate(blocks):
        if b.boilerplate or (b.kind == "heading" and i not in head_blocks and b.level <= top):
            out.add(i)
    return out


def build_units(blocks: tuple[Block, ...], heads: list[Head], groups: list[Group]
                ) -> list[Unit]:
    """One unit per head, in text order."""
    stop = sorted(blocks[i].start for i in stops(blocks, heads, groups))
    ordered = sorted(heads, key=lambda h: blocks[h.block].start)
    starts = [blocks[h.block].start for h in ordered]
    units = []
    for k, head in enumerate(ordered):
        block = blocks[head.block]
        limit = starts[k + 1] if k + 1 < len(ordered) else float("inf")
        j = bisect.bisect_left(stop, max(block.end, block.start + 1))
        limit = min(limit, stop[j]) if j < len(stop) else limit
        until = block.end if head.holds_body else limit
        members, i = [], head.block
        while i < len(blocks) and blocks[i].start < until:  # blocks are in text order
            if not head.holds_body or blocks[i].end <= block.end:
                members.append(i)
            i += 1
        units.append(Unit(head, tuple(members), max(blocks[i].end for i in members)))
    return units


def find_groups(text: str, blocks: tuple[Block, ...], heads: list[Head], rules: SegmentRules
                ) -> tuple[list[Head], list[Group]]:
    """The heads that remain organisations, and the groups above them."""
    title = title_block(blocks)
    heads = [h for h in heads if not _is_title_head(h, title, heads)]
    groups: list[Group] = []
    nested = _nesting_groups(blocks, heads)
    heads = [h for h in heads if h.block not in nested]
    groups += nested.values()
    empty = _bodiless_groups(text, blocks, heads, rules)
    heads = [h for h in heads if h.block not in empty]
    groups += empty.values()
    groups += _section_groups(text, blocks, heads, rules, title, {g.block for g in groups})
    groups = _without_page_wide(groups, heads)
    return heads, sorted(groups, key=lambda g: blocks[g.block].start)


def _is_title_head(head: Head, title: Optional[int], heads: list[Head]) -> bool:
    """The page title opens no unit when more heads follow (and it gives no acronym)."""
    return head.block == title and len(heads) >= 3 and \
        not any(role == "acronym" for role, _, _ in head.labels)


def _label_of(text: str, block: Block, head: Optional[Head], rules: SegmentRules):
    if head is not None:
        names = [lab for lab in head.labels if lab[0] == "name"]
        if names and not any(lab[0] == "acronym" for lab in head.labels):
            return ("group", names[0][1], head.labels[-1][2])
    end = block.lead_end or block.end
    heading = parse_heading(text, block.start, end, rules)
    if heading is None or any(role == "acronym" for role, _, _ in heading.labels) \
            or not any(c.isalpha() for c in text[block.start:end]):
        return None
    return ("group", heading.labels[0][1], heading.labels[-1][2])


def _nesting_groups(blocks, heads: list[Head]) -> dict[int, Group]:
    """A head holding other heads (a list item with a nested list) is their group, unless it
    names an organisation by its acronym (then the nested heads are its parts)."""
    out = {}
    ordered = sorted(heads, key=lambda h: blocks[h.block].start)
    for k, h in enumerate(ordered):
        inner, j = set(), k + 1
        while j < len(ordered) and blocks[ordered[j].block].start < blocks[h.block].end:
            if contains(blocks[h.block], blocks[ordered[j].block]):
                inner.add(ordered[j].block)
            j += 1
        if inner and not any(role == "acronym" for role, _, _ in h.labels):
            names = [lab for lab in h.labels if lab[0] == "name"]
            if names:
                out[h.block] = Group(h.block, ("group", names[0][1], names[-1][2]),
                                     frozenset(inner))
    return out


def _has_body(blocks, heads: list[Head], k: int) -> bool:
    head = heads[k]
    if head.holds_body:
        return True
    block = blocks[head.block]
    nxt = blocks[heads[k + 1].block].start if k + 1 < len(heads) else None
    following = next((blocks[i] for i in range(head.block + 1, len(blocks))
                      if blocks[i].start >= block.end and not blocks[i].boilerplate), None)
    return following is not None and (nxt is None or following.start < nxt)


def _bodiless_groups(text: str, blocks, heads: list[Head], rules: SegmentRules
                     ) -> dict[int, Group]:
    """A head with no body and no acronym, directly followed by another head, where most heads
    have a body: a section line ("Special Tribunals and Courts") above its members."""
    heads = sorted(heads, key=lambda h: blocks[h.block].start)
    bodies = [_has_body(blocks, heads, k) for k in range(len(heads))]
    if len(heads) < 3 or sum(bodies) < 0.6 * len(heads):
        return {}
    out = {}
    for k, head in enumerate(heads[:-1]):
        if bodies[k] or any(role == "acronym" for role, _, _ in head.labels):
            continue
        label = _label_of(text, blocks[head.block], head, rules)
        if label:
            out[head.block] = Group(head.block, label, frozenset())
    return _scoped(blocks, heads, out)


def _section_groups(text, blocks, heads: list[Head], rules, title, taken: set[int]) -> list:
    """Blocks that are not heads but head a section of them: a heading above the heads' level
    or a one-cell header row anywhere before heads; a short line or term directly before one."""
    head_blocks = {h.block for h in heads}
    levels = [blocks[h.block].level for h in heads if blocks[h.block].kind == "heading"]
    level = min(levels) if levels else 99
    found = {}
    last_head = max((blocks[h].start for h in head_blocks), default=-1)
    for i, b in enumerate(blocks):
        if b.start >= last_head:
            break
        if i in head_blocks or i in taken or i == title or b.boilerplate:
            continue
        before_head = _next_content(blocks, i) in head_blocks
        section = (b.kind == "heading" and b.level < level) or \
            (b.kind == "row" and b.marker == "th" and _one_cell(blocks, i)) or \
            (b.kind in ("line", "term", "heading") and before_head)
        if section:
            label = _label_of(text, b, None, rules)
            if label and b.kind != "heading" and org_likeness(text, (("name",) + label[1:],),
                                                              rules) >= 1:
                continue  # "World Bank" on a line of its own: an organisation, not a section
            if label:
                found[i] = Group(i, label, frozenset())
    return list(_scoped(blocks, sorted(heads, key=lambda h: blocks[h.block].start),
                        found).values())


def _one_cell(blocks, i: int) -> bool:
    row = blocks[i]
    return sum(1 for b in blocks[i + 1:i + 4] if b.kind == "cell" and contains(row, b)) == 1


def _next_content(blocks, i: int) -> Optional[int]:
    """The first block after block i's own text (a nested block counts: a <dd> holding a
    list starts where its first item does)."""
    for j in range(i + 1, len(blocks)):
        if blocks[j].start >= blocks[i].end and not blocks[j].boilerplate:
            k = j
            while k + 1 < len(blocks) and blocks[k + 1].start == blocks[j].start:
                k += 1
            return k if blocks[k].start == blocks[j].start else j
    return None


def _scoped(blocks, heads: list[Head], found: dict[int, Group]) -> dict[int, Group]:
    """Each group covers the heads after it, up to the next group, the end of the block that
    holds its first head, or the next heading of its level."""
    out = {}
    marks = sorted(found, key=lambda i: blocks[i].start)
    for n, i in enumerate(marks):
        b = blocks[i]
        until = blocks[marks[n + 1]].start if n + 1 < len(marks) else float("inf")
        if b.kind == "heading":
            until = min([until] + [x.start for x in blocks if x.kind == "heading"
                                   and x.start > b.start and x.level <= b.level])
        first = next((h for h in heads if blocks[h.block].start > b.start), None)
        if first is not None:
            holder = [x for x in blocks if contains(x, blocks[first.block])
                      and x.start >= b.end]
            if holder:
                until = min(until, max(x.end for x in holder))
        covered = frozenset(h.block for h in heads if b.start < blocks[h.block].start < until)
        out[i] = Group(i, found[i].label, covered)
    return out


def _without_page_wide(groups: list[Group], heads: list[Head]) -> list[Group]:
    """A single section heading over every head titles the page; it groups nothing."""
    if len(groups) == 1 and heads and groups[0].heads >= {h.block for h in heads}:
        return []
    return groups
