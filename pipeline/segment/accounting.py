"""Where every paragraph and block of a segmented document went: into an entry, the preamble
above the first entry, a group heading, boilerplate, or unused (nothing is dropped unsaid).

Reads: a document, its blocks, the entries cut from it. Writes: its `Accounting`.
"""

from __future__ import annotations

import bisect
import re
from typing import Sequence

from pipeline.model import Accounting, Block, Document, Entry

LINE = re.compile(r"[^\n]*\n?")
# How far back to look for a block holding a run of text (the nesting depth of a page).
CONTAINERS = 64


def runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the paragraphs (runs of non-blank lines) inside text[start:end]."""
    spans: list[tuple[int, int]] = []
    open_run = False
    for match in LINE.finditer(text, start, end):
        raw = match.group()
        if not raw:
            break
        stripped = raw.strip()
        if not stripped:
            open_run = False
            continue
        s = match.start() + len(raw) - len(raw.lstrip())
        e = s + len(stripped)
        spans[-1:] = [(spans[-1][0], e)] if open_run else spans[-1:] + [(s, e)]
        open_run = True
    return spans


def block_roles(blocks: tuple[Block, ...], groups: set[int], entries: list[Entry],
                before: Sequence[Entry] = ()) -> list[str]:
    """entry, preamble, group, boilerplate or unused for every block (a preamble block that a
    prose entry of the preamble overlaps is in an entry)."""
    first = min((e.char_start for e in entries), default=None)
    starts = [e.char_start for e in entries]  # entries are in text order, apart
    roles = []
    for i, b in enumerate(blocks):
        k = bisect.bisect_right(starts, b.start) - 1
        if b.boilerplate:
            roles.append("boilerplate")
        elif i in groups:
            roles.append("group")
        elif k >= 0 and b.end <= entries[k].char_end:
            roles.append("entry")
        elif first is not None and b.end <= first and overlaps(before, b.start, b.end):
            roles.append("entry")
        elif first is None or b.end <= first:
            roles.append("preamble" if first is not None else "unused")
        else:
            roles.append("unused")
    return roles


def overlapping(blocks, starts: list[int], roles: list[str], s: int, e: int) -> list[str]:
    """Roles of the blocks overlapping text[s:e]: those starting inside it, and the nearest
    few containers that start before it."""
    hi = bisect.bisect_left(starts, e)
    lo = bisect.bisect_left(starts, s)
    found = [roles[i] for i in range(lo, hi)]
    found += [roles[i] for i in range(max(0, lo - CONTAINERS), lo) if blocks[i].end > s]
    return found


def overlaps(entries, s: int, e: int) -> bool:
    """Whether any entry overlaps text[s:e]."""
    return any(x.char_start < e and s < x.char_end for x in entries)


def accounting(doc: Document, blocks, layout: str, groups: set[int], entries: list[Entry],
               before: Sequence[Entry] = ()) -> Accounting:
    """Paragraphs: each entry's, and the runs of text between entries, by the blocks they hold
    (preamble before the first entry, group headings, boilerplate, else unused). `before`: the
    prose entries of the preamble (they may overlap; their paragraphs count once)."""
    roles = block_roles(blocks, groups, entries, before)
    block_starts = [b.start for b in blocks]
    where = ["entry"] * sum(len(e.paragraphs) for e in entries)
    bounds = [0] + [x for e in entries for x in (e.char_start, e.char_end)] + [len(doc.text)]
    first = entries[0].char_start if entries else None
    for gap_start, gap_end in zip(bounds[::2], bounds[1::2]):
        for s, e in runs(doc.text, gap_start, gap_end):
            inside = overlapping(blocks, block_starts, roles, s, e)
            if not inside:
                continue  # markup between entries ("• ", "## "): no paragraph of its own
            if all(r == "boilerplate" for r in inside):
                where.append("boilerplate")
            elif "group" in inside:
                where.append("group")
            elif first is not None and e <= first and overlaps(before, s, e):
                where.append("entry")
            elif first is not None and e <= first:
                where.append("preamble")
            else:
                where.append("unused")
    in_entries = where.count("entry")
    n = len(entries) + len(before)
    return Accounting(
        doc.source_file, layout, len(where), in_entries,
        where.count("preamble"), max(0, in_entries - n), n,
        in_groups=where.count("group"), boilerplate=where.count("boilerplate"),
        unused=where.count("unused"), blocks_total=len(blocks),
        blocks_in_entries=roles.count("entry"), blocks_in_preamble=roles.count("preamble"),
        blocks_in_groups=roles.count("group"), blocks_boilerplate=roles.count("boilerplate"),
        blocks_unused=roles.count("unused"))
