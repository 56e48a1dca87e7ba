"""Stage 2, segment: documents -> entries, one per organisation.

Reads: `Document`s. Writes: `Entry`s (character spans into the document text, the heading's
labels with their roles) and `Issue`s, plus per-document paragraph accounting.

How a page is cut (the algorithm; the words it needs are in rules/segment.yaml):
- The text is split into lines; a paragraph is a run of non-blank lines, and a heading line
  always starts a new paragraph.
- Three heading layouts are recognised on each line: `dash` ("ABA - American Bar Association -
  The ..."; hyphen, en or em dash, any spacing), `line` (a short title-like line such as
  "International Bar Association (IBA)" followed by text) and `bullet` (• - * or 1. items).
  The layout with the most headings wins (ties: dash, line, bullet); with none, the whole
  page is one entry (`page`) and an issue says so.
- An entry runs from its heading to the next heading; paragraphs without a heading of their own
  belong to the entry above. Lines before the first heading are the preamble. In the `line`
  layout the page's first line is its title (preamble) when more headings follow.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Union

from pipeline.ingest.reading_view import reading_view
from pipeline.model import Accounting, Document, Entry, Issue

# A heading separator: a hyphen with space before it ("COE -Council"), or an en/em dash with
# space on either side. Hyphens inside words ("Agenda-promoting") never separate.
SEPARATOR = re.compile(r"[ \t\u00a0]+[-\u2013\u2014][ \t\u00a0]*|[ \t\u00a0]*[\u2013\u2014][ \t\u00a0]+")
BULLET = re.compile(r"[\u2022\u25aa\u25e6\u25cf\u00b7*\-\u2013]\s+|\d{1,3}[.)]\s+")
ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&]*(?:[/.][A-Za-z0-9&]+)*\.?")
PAREN_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z0-9&/.]{1,15})\)\s*$")
WORD = re.compile(r"[^\s()]+")
SENTENCE_PUNCT = re.compile(r"[,;:!?]|\.(?=\s|$)|www\.|https?:")


@dataclass(frozen=True)
class SegmentRules:
    function_words: frozenset
    max_label_words: int = 12
    max_heading_chars: int = 120
    min_capitalised_share: float = 0.5


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    blank_before: bool


@dataclass(frozen=True)
class Heading:
    """A recognised heading: where it ends and its labels as (role, start, end)."""

    end: int
    labels: tuple[tuple[str, int, int], ...]


def text_to_lines(text: str) -> list[Line]:
    """Non-blank lines with their content spans (surrounding whitespace excluded)."""
    lines, blank = [], True
    for match in re.finditer(r"[^\n]*\n?", text):
        raw = match.group()
        if not raw:
            break
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        lines.append(Line(start, start + len(stripped), blank))
        blank = False
    return lines


def is_acronym(word: str) -> bool:
    """A short all-caps token such as 'ABA', 'AIDP/IAPL', 'COE' (not 'Comnet')."""
    if not ACRONYM.fullmatch(word) or len(word) > 20:
        return False
    letters = [c for c in word if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    return upper >= 2 and upper >= 0.6 * len(letters)


def starts_like_name(text: str, rules: SegmentRules) -> bool:
    """Starts with a capital or digit, or with a function word before one ('the Southeast ...')."""
    words = WORD.findall(text[:200])
    while words and words[0].lower() in rules.function_words and not words[0][0].isupper():
        words = words[1:]
    return bool(words) and (words[0][0].isupper() or words[0][0].isdigit())


def is_label(text: str, rules: SegmentRules) -> bool:
    """Whether a heading part reads like a name or acronym rather than prose."""
    text = text.strip()
    if not text or not starts_like_name(text, rules):
        return False
    if SENTENCE_PUNCT.search(PAREN_ACRONYM.sub("", text)):
        return False
    words = WORD.findall(text)
    if not words or len(words) > rules.max_label_words:
        return False
    content = [w for w in words if w.lower() not in rules.function_words]
    if not content:
        return False
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised >= rules.min_capitalised_share * len(content)


def is_bare_phrase(text: str, rules: SegmentRules) -> bool:
    """A short description with no sentence in it: a heading with no description at all."""
    text = text.strip()
    return bool(text) and starts_like_name(text, rules) and not SENTENCE_PUNCT.search(text) \
        and len(WORD.findall(text)) <= rules.max_label_words


def parse_dash_heading(text: str, start: int, end: int, rules: SegmentRules) -> Optional[Heading]:
    """The labels of a dash heading at text[start:end], or None if the line is prose."""
    parts: list[tuple[int, int]] = []
    pos = start
    while True:
        sep = SEPARATOR.search(text, pos, min(end, pos + rules.max_heading_chars))
        if not sep or not is_label(text[pos:sep.start()], rules):
            break
        parts.append((pos, sep.start()))
        pos = sep.end()
    if not parts:
        return None
    rest = text[pos:end]
    if rest and not (starts_like_name(rest, rules) or rest[0] in "\"'‘“(["):
        return None  # "Rwanda - admitted at ...": a dash inside a sentence
    if is_bare_phrase(rest, rules):
        parts.append((pos, end))
        pos = end
    return Heading(end=pos if pos == end else parts[-1][1], labels=tuple(_label_roles(text, parts)))


def _label_roles(text: str, parts: list[tuple[int, int]]) -> Iterator[tuple[str, int, int]]:
    """Role of each heading part: acronym, or name (with a parenthesised acronym split off)."""
    for start, end in parts:
        part = text[start:end]
        if is_acronym(part):
            yield ("acronym", start, end)
            continue
        paren = PAREN_ACRONYM.search(part)
        if paren and is_acronym(paren.group(1)):
            yield ("name", start, start + paren.start())
            yield ("acronym", start + paren.start(1), start + paren.end(1))
        else:
            yield ("name", start, end)


def assign_groups(text: str, headings: dict[int, Heading]) -> dict[int, Heading]:
    """Mark a leading name part as the group when it recurs across headings or precedes
    'ACRONYM - Name' ("Special Tribunals and Courts - ICC - ...")."""
    def first_two(h: Heading) -> list[tuple[str, int, int]]:
        return list(h.labels[:2])

    leads = Counter(text[h.labels[0][1]:h.labels[0][2]] for h in headings.values()
                    if len(h.labels) >= 2 and h.labels[0][0] == "name")
    out = {}
    for i, h in headings.items():
        two = first_two(h)
        if len(two) == 2 and two[0][0] == "name" and two[1][0] == "acronym":
            lead = text[two[0][1]:two[0][2]]
            names_after = [lab for lab in h.labels[2:] if lab[0] == "name"]
            if leads[lead] >= 2 or names_after:
                h = Heading(h.end, (("group",) + two[0][1:],) + h.labels[1:])
        out[i] = h
    return out


def parse_line_heading(text: str, line: Line, next_line: Optional[Line],
                       rules: SegmentRules) -> Optional[Heading]:
    """A short title-like line followed by text: 'International Bar Association (IBA)'."""
    if next_line is None or line.end - line.start > rules.max_heading_chars:
        return None
    part = text[line.start:line.end].rstrip(":")
    if not is_label(part, rules):
        return None
    return Heading(end=line.end, labels=tuple(_label_roles(text, [(line.start, line.start + len(part))])))


def parse_bullet(text: str, line: Line, rules: SegmentRules) -> Optional[Heading]:
    """A bulleted item; its labels come from a dash heading or a 'Name (ACR):' lead-in."""
    marker = BULLET.match(text, line.start, line.end)
    if not marker:
        return None
    body = marker.end()
    dash = parse_dash_heading(text, body, line.end, rules)
    if dash:
        return dash
    colon = text.find(":", body, min(line.end, body + rules.max_heading_chars))
    if colon > body and is_label(text[body:colon], rules):
        return Heading(end=colon, labels=tuple(_label_roles(text, [(body, colon)])))
    return Heading(end=body, labels=())


LAYOUTS = ("dash", "line", "bullet")


def find_headings(text: str, lines: list[Line], rules: SegmentRules) -> tuple[str, dict[int, Heading]]:
    """The winning layout and its headings, keyed by line index."""
    found: dict[str, dict[int, Heading]] = {name: {} for name in LAYOUTS}
    for i, line in enumerate(lines):
        if BULLET.match(text, line.start, line.end):
            bullet = parse_bullet(text, line, rules)
            if bullet:
                found["bullet"][i] = bullet
            continue
        dash = parse_dash_heading(text, line.start, line.end, rules)
        if dash:
            found["dash"][i] = dash
        elif line.blank_before and line.end - line.start <= rules.max_heading_chars \
                and i + 1 < len(lines):
            # a heading line opens a block: a short line inside a paragraph is text
            heading = parse_line_heading(text, line, lines[i + 1], rules)
            if heading:
                found["line"][i] = heading
    layout = max(LAYOUTS, key=lambda name: (len(found[name]), -LAYOUTS.index(name)))
    headings = found[layout]
    if not headings:
        return "page", {}
    if layout == "line" and 0 in headings and len(headings) >= 3 \
            and not any(role == "acronym" for role, _, _ in headings[0].labels):
        del headings[0]  # the page title
    return layout, assign_groups(text, headings)


def document_to_entries(doc: Document, rules: SegmentRules) -> tuple[list[Entry], Accounting, list[Issue]]:
    """Cut one document into entries; account for every paragraph."""
    text = reading_view(doc.text)  # one char for one: mojibake dashes still separate
    lines = text_to_lines(text)
    layout, headings = find_headings(text, lines, rules)
    issues: list[Issue] = []
    if layout == "page":
        starts = [0] if lines else []
        if lines:
            issues.append(Issue(doc.source_file, "segment", "no_entries_recognised",
                                "no heading layout found: the whole page is one entry"))
    else:
        starts = sorted(headings)
    entries, paragraphs, in_entries, continuation = [], 0, 0, 0
    first = starts[0] if starts else len(lines)
    preamble = sum(1 for i in range(first) if i == 0 or lines[i].blank_before)
    paragraphs += preamble
    for n, i in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        para_spans = _paragraph_spans(lines, i, stop)
        paragraphs += len(para_spans)
        in_entries += len(para_spans)
        continuation += len(para_spans) - 1
        heading = headings.get(i) or _page_heading(text, lines[i], rules)
        entries.append(Entry(
            source_file=doc.source_file, source_sha256=doc.source_sha256, index=n,
            char_start=lines[i].start, char_end=lines[stop - 1].end,
            heading_end=heading.end if heading else lines[i].start, layout=layout,
            labels=heading.labels if heading else (), paragraphs=tuple(para_spans)))
    accounting = Accounting(doc.source_file, layout, paragraphs, in_entries, preamble,
                            continuation, len(entries))
    return entries, accounting, issues


def _paragraph_spans(lines: list[Line], first: int, stop: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for j in range(first, stop):
        if j == first or lines[j].blank_before:
            spans.append((lines[j].start, lines[j].end))
        else:
            spans[-1] = (spans[-1][0], lines[j].end)
    return spans


def _page_heading(text: str, line: Line, rules: SegmentRules) -> Optional[Heading]:
    """For a one-organisation page: its first line names it when it reads like a title."""
    if line.end - line.start <= rules.max_heading_chars and is_label(text[line.start:line.end], rules):
        return Heading(end=line.end, labels=tuple(_label_roles(text, [(line.start, line.end)])))
    return None


def segment(documents: Iterable[Document], rules: SegmentRules
            ) -> Iterator[Union[Entry, Accounting, Issue]]:
    """Entries of every document, each document followed by its paragraph accounting."""
    for doc in documents:
        entries, accounting, issues = document_to_entries(doc, rules)
        yield from entries
        yield from issues
        yield accounting
