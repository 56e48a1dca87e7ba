"""Tables whose header names the columns: `Name | Founded | Headquarters | Members`, the same
with tabs, an HTML table (its cells one a paragraph), or a table flattened to text with only
spaces between its cells (`pipeline.segment.text_tables`).

The header is read where it stands, above the rows: the text between two entries (or above the
first), or an entry of its own when the segmenter took the header row for one. A header is a
row of short cells at least two of which are labels of `field_labels` (rules/vocabularies.yaml);
it applies to every row below it with as many cells, in page order, until text other than
bullets stands between two entries. A row's cell under a labelled column gives that field's
value when it parses as the field's kind (a whole date, a count, a place as written).

A row flattened to text has no cell boundaries: its values are read by shape (`SpaceRow`), from
the end of the name onwards while each column's value is where it should be (a year, a number,
a gazetteer place with its country), and the last column from the row's end (a count, before
an optional note in brackets). Reading stops at the first column it cannot place.

Reads: entries in page order and their document's text; the word lists. Writes: for each row
entry under a header, values whose evidence is the cell, rule ids `label.<field>.column`.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

from pipeline.extract.labelled import count_value, date_value
from pipeline.extract.values import FieldValue
from pipeline.model import Entry
from pipeline.segment.mentions import written_in
from pipeline.segment.prose import LAYOUT as PROSE
from pipeline.segment.text_tables import ANCHORS, name_end, spaced_header

# Cell separators, strongest first: a pipe, a tab, a line break (an HTML table's cells).
SEPARATORS = (re.compile(r"[ \t]*\|[ \t]*"), re.compile(r"\t+"), re.compile(r"\s*\n\s*"))
SEPARATOR_MARKS = ("|", "\t")   # a character the first two separators cannot split without
BULLETS = re.compile(r"^[\s•·*\-–—▪◦●○■□>|\d.)(]*$")
HEADER_CELL_CHARS = 40
HEADER_CHARS = 400   # the end of the text above a table where its header stands
DIGITS_ONLY = re.compile(r"^[\d\s,.%()+-]*$")
SPACES = len(SEPARATORS)   # the separator index of a header whose cells only spaces divide
# The last cell of a flattened row: a number, up to three words ("135 Countries"), a note in
# brackets ("194 (Kiribati-194th member)"), then the end of the line.
LAST_COUNT = re.compile(r"(?<![\w.,/-])(\d[\d,]*(?:[ \t]+[^\W\d_]+){0,3})[ \t]*(?:\([^()\n]*\))?$")
# A place's country after it: "Rome (Italy)", "Geneva, Switzerland".
COUNTRY_AFTER = (re.compile(r"[ \t]*\(([^()\n]{2,40})\)"), re.compile(r",[ \t]*([^,()\n]{2,40}?)(?=[ \t]|$)"))
PLACE_WORDS = 4


def cells(text: str, start: int, separator: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of the non-empty cells of `text` (at `start` in the document)."""
    out, at = [], 0
    for m in list(separator.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        piece = text[at:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((start + at + lead, start + at + len(piece.rstrip())))
        at = m.end() if m else len(text)
    return out


class TableHeaders:
    """The table header in effect, carried over the rows below it (one per table)."""

    def __init__(self, words: dict, labels: dict[str, str], languages=("en",),
                 places: Callable[[], frozenset] = frozenset):
        self.words, self.languages = words, tuple(languages)
        self.places = places   # the gazetteer's names, asked for when a flattened row needs them
        self.labels = labels   # column label (lowercase) -> its field (SegmentRules.column_labels)
        self.source, self.last_end = None, 0
        self.header: Optional[tuple] = None   # (separator index, [field or "" per column])
        self.unit = "members"   # the members column's label, as the unit of its counts
        self.member_labels = sorted((w for w, f in self.labels.items() if f == "membership"),
                                    key=len, reverse=True)

    def values(self, entry: Entry, text: str) -> list[FieldValue]:
        """The values the entry's cells give under the header in effect (call in page order)."""
        if entry.source_file != self.source:
            self.source, self.last_end, self.header = entry.source_file, 0, None
        if entry.layout == PROSE:   # read from sentences: in no table, the table's gap kept
            return []
        gap_start = min(self.last_end, entry.char_start)
        self.last_end = max(self.last_end, entry.char_end)
        gap = text[gap_start:entry.char_start]
        body = text[entry.char_start:entry.char_end]
        if not BULLETS.match(gap):
            self.header = self.find_header(gap)
            self.unit = self.unit_of(gap[-HEADER_CHARS:])
        own = self.header_of(body)
        if own is not None:        # the header row taken for an entry: its columns, no values
            self.header, self.unit = own, self.unit_of(body)
            return []
        if self.header is None:
            return []
        k, columns = self.header
        if k < len(SEPARATORS) - 1 or k == SPACES:   # a text row is one line
            body = body.split("\n", 1)[0]
        if k == SPACES:
            return self.space_row(body, entry.char_start, columns)
        row = cells(body, entry.char_start, SEPARATORS[k])
        if k == len(SEPARATORS) - 1:   # header cells one a paragraph: the last ones are its
            columns = columns[-len(row):] if len(row) <= len(columns) else []
        if len(row) != len(columns) or sum(1 for f in columns if f) < 2:
            return []
        out = []
        for (s, e), field in zip(row, columns):
            value = self.cell_value(field, text[s:e], s) if field else None
            if value:
                out.append(value)
        return out

    def unit_of(self, header: str) -> str:
        """The members column's label in a header's text ("Member States" -> "member
        states"), the longest the text holds; "members" when it holds none."""
        low = header.lower()
        return next((w for w in self.member_labels if written_in(w, low)), "members")

    def find_header(self, gap: str) -> Optional[tuple]:
        """A header at the end of the gap: its last line (pipes, tabs) or its last cells."""
        lines = [ln for ln in gap.split("\n") if not BULLETS.match(ln)]
        if lines:
            found = self.header_of(lines[-1])
            if found is not None and found[0] < 2:
                return found
            spaced = spaced_header(lines[-1].strip(), self.labels)
            if spaced is not None:
                return SPACES, spaced
        k = len(SEPARATORS) - 1   # an HTML table's header: its cells are the gap's last lines
        pieces = [p for p in SEPARATORS[k].split(gap.strip()) if p.strip()]
        short = 0
        while short < len(pieces) and len(pieces[-1 - short]) <= HEADER_CELL_CHARS:
            short += 1
        found = self.columns(pieces[len(pieces) - short:]) if short >= 2 else None
        return (k, found) if found is not None else None

    def header_of(self, line: str) -> Optional[tuple]:
        """(separator index, columns) when the text is one header row, else None."""
        for k, separator in enumerate(SEPARATORS[:2]):
            if SEPARATOR_MARKS[k] not in line:   # (a cheap test before the split)
                continue
            parts = [p for p in separator.split(line.strip()) if p.strip()]
            if len(parts) >= 2:
                found = self.columns(parts)
                if found is not None:
                    return k, found
        return None

    def columns(self, parts: list[str]) -> Optional[list[str]]:
        """The field of each header cell ("" for the name and unlabelled columns), or None when
        fewer than two cells are labels or a cell is too long for a header."""
        if any(len(p.strip()) > HEADER_CELL_CHARS for p in parts):
            return None
        fields = [self.labels.get(p.strip().rstrip(":").lower(), "") for p in parts]
        return fields if sum(1 for f in fields if f) >= 2 else None

    def cell_value(self, field: str, raw: str, at: int) -> Optional[FieldValue]:
        """The value of one cell under a labelled column."""
        rule = f"label.{field}.column"
        if field == "founded":
            return date_value(raw, at, at, rule, self.words, self.languages)
        if field == "membership":
            return count_value(raw, at, at, rule, self.unit, self.words)
        if field == "headquarters" and not DIGITS_ONLY.match(raw):
            value = " ".join(raw.split())
            return FieldValue("headquarters", value, at, at + len(raw), rule, raw_value=raw)
        return None

    def space_row(self, row: str, at: int, columns: list[str]) -> list[FieldValue]:
        """The values of a row whose cells only spaces divide: read by shape, left to right
        from the end of the name while each value is where it should be, then the last column
        from the end of the row."""
        out: list[FieldValue] = []
        pos = name_end(row, columns)
        n = 1
        while n < len(columns) and columns[n]:
            found = self.space_cell(columns[n], row, pos, at)
            if found is None:
                break
            value, pos = found
            if value is not None:
                out.append(value)
            n += 1
        if n < len(columns) - 1 and columns[-1] == "membership":
            m = LAST_COUNT.search(row, pos)
            if m and m.start() > pos and row[pos:m.start()].strip():  # a column between
                value = count_value(row[m.start():], at + m.start(), at + m.start(),
                                    "label.membership.column", self.unit, self.words)
                if value:
                    out.append(value)
        return out

    def space_cell(self, field: str, row: str, pos: int, at: int) -> Optional[tuple]:
        """(value or None, end) of the cell of `field` starting at `pos`, or None when the row
        holds no such value there (the columns cannot be placed further)."""
        start = len(row) - len(row[pos:].lstrip())
        if field in ANCHORS:
            m = ANCHORS[field].match(row, start)
            if not m:
                return None
            return self.cell_value(field, m.group(), at + start), m.end()
        if field == "headquarters":
            end = self.place_end(row, start)
            if not end:
                return None
            return self.cell_value(field, row[start:end], at + start), end
        return None

    def place_end(self, row: str, start: int) -> int:
        """End of the gazetteer place at `start` (longest first), with its country when one
        follows ("Rome (Italy)", "Geneva, Switzerland"), or 0."""
        places = self.places()
        words = list(re.finditer(r"\S+", row[start:]))[:PLACE_WORDS]
        end = 0
        for k in range(len(words), 0, -1):
            candidate = row[start:start + words[k - 1].end()].rstrip(",;")
            if candidate in places:
                end = start + len(candidate)
                break
        if not end:
            return 0
        for country in COUNTRY_AFTER:
            m = country.match(row, end)
            if m and m.group(1).strip() in places:
                return m.end()
        return end

