"""Tables whose header names the columns: `Name | Founded | Headquarters | Members`, the same
with tabs, or an HTML table (its cells one a paragraph).

The header is read where it stands, above the rows: the text between two entries (or above the
first), or an entry of its own when the segmenter took the header row for one. A header is a
row of short cells at least two of which are labels of `field_labels` (rules/vocabularies.yaml);
it applies to every row below it with as many cells, in page order, until text other than
bullets stands between two entries. A row's cell under a labelled column gives that field's
value when it parses as the field's kind (a whole date, a count, a place as written).

Reads: entries in page order and their document's text; the word lists. Writes: for each row
entry under a header, values whose evidence is the cell, rule ids `label.<field>.column`.
"""

from __future__ import annotations

import re
from typing import Optional

from pipeline.extract.labelled import count_value, date_value
from pipeline.extract.values import FieldValue
from pipeline.model import Entry

# Cell separators, strongest first: a pipe, a tab, a line break (an HTML table's cells).
SEPARATORS = (re.compile(r"[ \t]*\|[ \t]*"), re.compile(r"\t+"), re.compile(r"\s*\n\s*"))
BULLETS = re.compile(r"^[\s•·*\-–—▪◦●○■□>|\d.)(]*$")
HEADER_CELL_CHARS = 40
DIGITS_ONLY = re.compile(r"^[\d\s,.%()+-]*$")


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

    def __init__(self, words: dict, languages=("en",)):
        self.words, self.languages = words, tuple(languages)
        self.labels = {w.lower(): field for field, ws in (words.get("field_labels") or {}).items()
                       for w in ws}
        self.source, self.last_end = None, 0
        self.header: Optional[tuple] = None   # (separator index, [field or "" per column])

    def values(self, entry: Entry, text: str) -> list[FieldValue]:
        """The values the entry's cells give under the header in effect (call in page order)."""
        if entry.source_file != self.source:
            self.source, self.last_end, self.header = entry.source_file, 0, None
        gap_start = min(self.last_end, entry.char_start)
        self.last_end = max(self.last_end, entry.char_end)
        gap = text[gap_start:entry.char_start]
        body = text[entry.char_start:entry.char_end]
        if not BULLETS.match(gap):
            self.header = self.find_header(gap)
        own = self.header_of(body)
        if own is not None:        # the header row taken for an entry: its columns, no values
            self.header = own
            return []
        if self.header is None:
            return []
        k, columns = self.header
        if k < len(SEPARATORS) - 1:   # a text row is one line (two merged rows: the first)
            body = body.split("\n", 1)[0]
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

    def find_header(self, gap: str) -> Optional[tuple]:
        """A header at the end of the gap: its last line (pipes, tabs) or its last cells."""
        lines = [ln for ln in gap.split("\n") if not BULLETS.match(ln)]
        if lines:
            found = self.header_of(lines[-1])
            if found is not None and found[0] < 2:
                return found
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
            return count_value(raw, at, at, rule, "members", self.words)
        if field == "headquarters" and not DIGITS_ONLY.match(raw):
            value = " ".join(raw.split())
            return FieldValue("headquarters", value, at, at + len(raw), rule, raw_value=raw)
        return None
