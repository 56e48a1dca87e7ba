"""A chosen structure's units -> the units that name an organisation.

Reads: the document's text and blocks, the units of the chosen structure, the segmenter's words
(`SegmentRules`). Writes: the units kept as organisations, or none (the page is then read as
prose by `segment.prose`). A unit is kept when its heading names an organisation: an acronym or
an organisation head noun; a short capitalised name only among siblings most of which name
one ("Interpol" in a list of bodies), in a list whose introducing sentence states a relation
("intensive cooperation with, among others:"), or when its own text names it again ("Eurojust -
Eurojust is ..."). A lone unit covering little of the page, not its title, is a stray line in
prose (a page cut off inside "ACR (Name"). A one-word acronym of a kept heading that its text
writes in lower case is a name set in capitals (`written_in_capitals`).
"""

from __future__ import annotations

import re

from pipeline.segment.labels import SegmentRules, org_likeness
from pipeline.segment.mentions import written_in
from pipeline.segment.prose import stem, stems_of
from pipeline.segment.sentences import sentences
from pipeline.segment.units import Unit, title_block

# A lone unit covering less than this share of the page, not its title, is a stray line.
LONE_UNIT_SHARE = 0.5
# How far before a list its introducing sentence is looked for.
INTRO_CHARS = 300


def kept_units(text: str, blocks, units: list[Unit], content: int, rules: SegmentRules
               ) -> list[Unit]:
    """The units whose heads name an organisation (content: the page's characters of text)."""
    likeness = [org_likeness(text, u.head.labels, rules) for u in units]
    listed = sum(1 for x in likeness if x >= 1) >= 0.5 * len(likeness) or \
        relation_before(text, blocks[units[0].head.block].start, rules)
    kept = [u for u, x in zip(units, likeness)
            if x >= 1 or (x > 0 and (listed or named_in_body(text, u)))]
    if len(kept) == 1 and kept[0].head.block != title_block(blocks):
        covered = kept[0].end - blocks[kept[0].head.block].start
        if covered < LONE_UNIT_SHARE * max(content, 1):
            return []
    return kept


def relation_before(text: str, start: int, rules: SegmentRules) -> bool:
    """Whether the sentence introducing a list states a relation ("There is close cooperation
    with, among others:", "We thank our partners:"): its items are the related bodies."""
    intro = [(s, e) for s, e in sentences(text, max(0, start - INTRO_CHARS), start)
             if re.search(r"\w", text[s:e])]  # not the bullet before the first item
    stems = stems_of(rules.relation_words)
    return bool(intro) and any(stem(w) in stems
                               for w in re.findall(r"\w+", text[intro[-1][0]:intro[-1][1]]))


def named_in_body(text: str, unit: Unit) -> bool:
    """Whether the unit's text names its heading's name again, as written: the text is about
    what the heading names."""
    names = [text[s:e].strip() for role, s, e in unit.head.labels if role == "name"]
    body = text[unit.head.end:unit.end]
    return any(n and written_in(n, body) for n in names)


def written_in_capitals(text: str, labels: tuple[tuple[str, int, int], ...], body_start: int,
                        body_end: int) -> tuple[tuple[str, int, int], ...]:
    """A one-word 'acronym' that the entry's own text writes mostly in lower case is a name set
    in capitals ("COMNET" over "Comnet is ..."): its role becomes name."""
    out = []
    for role, start, end in labels:
        word = text[start:end].strip()
        if role == "acronym" and word.isalpha() and len(word) > 3:
            seen = _occurrences(word, text[body_start:body_end])
            if seen and sum(1 for w in seen if w != word) > len(seen) / 2:
                role = "name"
        out.append((role, start, end))
    return tuple(out)


WORDS = re.compile(r"\w+")


def _occurrences(word: str, body: str) -> list[str]:
    """`re.findall(rf"\b{word}\b", body, re.IGNORECASE)` for a word of letters. In ASCII text
    that is every run of word characters equal to it in any case, read with one regex compiled
    once (a pattern per entry was compiled anew for every entry of a long list)."""
    if word.isascii() and body.isascii():
        lower = word.lower()
        return [w for w in WORDS.findall(body) if w.lower() == lower]
    return re.findall(rf"\b{re.escape(word)}\b", body, re.IGNORECASE)
