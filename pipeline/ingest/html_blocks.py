"""The structure of an HTML page as blocks with spans into its extracted text.

Reads: the tag events of `pipeline.ingest.html`'s text builder (which tag opens or closes, and
where in the text the builder is) and the spans of the text it emits.
Writes: `Block`s: h1-h6 as headings with their level, li as items with their list depth, tr as
rows and td/th as cells with their column (header cells: `th`, or any cell of a `thead`), dt
and dd as terms and definitions, p as paragraphs; text outside these becomes a paragraph of its
own. A `<strong>`/`<b>` that opens an item, paragraph, cell or definition is its lead-in.

Boilerplate is recognised and flagged, never dropped from the text: anything inside an element
whose class, id or role says menu, nav, breadcrumb, footer, cookie, sidebar or skip link, inside
an <aside>, and a "Skip to main content" link (nav, header and footer are not text at all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from pipeline.model import Block

KINDS = {"h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
         "h6": "heading", "li": "item", "tr": "row", "td": "cell", "th": "cell",
         "dt": "term", "dd": "definition", "p": "paragraph"}
NESTING = ("row", "item", "definition", "cell", "term", "heading", "paragraph", "line")
LISTS = frozenset(("ul", "ol", "menu"))
LEAD_TAGS = frozenset(("strong", "b"))
# Elements a reader skips: HTML conventions for navigation, read from class, id and role.
BOILERPLATE_ATTR = re.compile(r"(?:^|[\s_-])(?:menu|nav|navbar|navigation|breadcrumbs?|footer|"
                              r"cookies?|cookie-banner|skip|skip-?link|sidebar)(?:$|[\s_-])",
                              re.IGNORECASE)
BOILERPLATE_TAGS = frozenset(("aside",))
SKIP_LINK_TEXT = re.compile(r"\s*skip to (?:the )?(?:main )?(?:content|navigation)\s*",
                            re.IGNORECASE)
# Which open element a tag closes implicitly (HTML lets these end tags out).
IMPLICIT = {"p": ("p",), "li": ("li", "p"), "dt": ("dt", "dd", "p"), "dd": ("dt", "dd", "p"),
            "tr": ("tr", "td", "th", "p"), "td": ("td", "th", "p"), "th": ("td", "th", "p")}


@dataclass
class Open:
    """An element being read: what block it will be, and where its text starts."""

    tag: str
    kind: Optional[str]
    boilerplate: bool
    level: int = 0
    depth: int = 0
    column: int = 0
    header: bool = False
    start: Optional[int] = None
    lead_open: bool = False
    lead_end: Optional[int] = None
    cells: int = 0  # for a row: cells seen so far
    header_cells: int = 0


@dataclass
class BlockRecorder:
    """Follows the builder's tag events and text spans; `blocks` gives the result."""

    stack: list = field(default_factory=list)
    found: list = field(default_factory=list)
    runs: list = field(default_factory=list)     # [start, end, boilerplate] per text run
    thead: int = 0
    link_start: Optional[int] = None

    def _boiler(self) -> bool:
        return any(o.boilerplate for o in self.stack)

    def start(self, tag: str, attrs: list) -> None:
        if tag in IMPLICIT:
            self._close_implicit(IMPLICIT[tag])
        if tag == "thead":
            self.thead += 1
        if tag in LEAD_TAGS:
            top = self._innermost()
            if top is not None and top.start is None and top.kind != "heading":
                top.lead_open = True
            return
        values = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        boiler = tag in BOILERPLATE_TAGS or bool(values and BOILERPLATE_ATTR.search(values))
        kind = KINDS.get(tag)
        if kind is None and not boiler and tag not in LISTS:
            return
        element = Open(tag, kind, boiler)
        if tag in LISTS:
            element.kind = None
        elif kind == "heading":
            element.level = int(tag[1])
        elif kind == "item":
            element.depth = sum(1 for o in self.stack if o.tag in LISTS)
        elif kind == "cell":
            row = next((o for o in reversed(self.stack) if o.tag == "tr"), None)
            element.column = row.cells if row else 0
            if row:
                row.cells += 1
            element.header = tag == "th" or self.thead > 0
            if row and element.header:
                row.header_cells += 1
        self.stack.append(element)

    def end(self, tag: str, length: int) -> None:
        if tag == "thead":
            self.thead = max(0, self.thead - 1)
        if tag in LEAD_TAGS:
            top = self._innermost()
            if top is not None and top.lead_open and top.start is not None:
                top.lead_end, top.lead_open = length, False
            return
        if not any(o.tag == tag for o in self.stack):
            return
        while self.stack:
            element = self.stack.pop()
            self._record(element, length)
            if element.tag == tag:
                break

    def text(self, start: int, end: int, new_run: bool) -> None:
        """The builder emitted text[start:end] (a new run after a block break if `new_run`)."""
        boiler = self._boiler()
        if new_run or not self.runs:
            self.runs.append([start, end, boiler])
        else:
            self.runs[-1][1] = end
            self.runs[-1][2] = self.runs[-1][2] or boiler
        for element in self.stack:
            if element.start is None:
                element.start = start

    def _innermost(self) -> Optional[Open]:
        return next((o for o in reversed(self.stack) if o.kind is not None), None)

    def _close_implicit(self, tags: tuple, length: Optional[int] = None) -> None:
        while self.stack and self.stack[-1].tag in tags:
            self._record(self.stack.pop(), self._last_end())

    def _last_end(self) -> int:
        return self.runs[-1][1] if self.runs else 0

    def _record(self, element: Open, length: int) -> None:
        if element.kind is None or element.start is None or length <= element.start:
            return
        boiler = element.boilerplate or self._boiler()
        lead = element.lead_end if element.lead_end and element.lead_end < length else None
        emphasis = "bold" if element.lead_end and element.lead_end >= length else ""
        header = element.header or (element.kind == "row" and element.cells > 0
                                    and element.header_cells == element.cells)
        self.found.append(Block(
            element.kind, element.start, length, level=element.level, depth=element.depth,
            column=element.column, lead_end=lead, emphasis=emphasis,
            marker="th" if header else "", boilerplate=boiler))

    def blocks(self, text: str, links: tuple) -> tuple[Block, ...]:
        """Every block, outer first; text in no element is a paragraph of its own. A run
        holding a "Skip to main content" link is boilerplate."""
        while self.stack:
            self._record(self.stack.pop(), len(text))
        for link in links:
            if SKIP_LINK_TEXT.fullmatch(text[link.char_start:link.char_end]):
                for run in self.runs:
                    if run[0] <= link.char_start < run[1]:
                        run[2] = True
        out = list(self.found)
        for start, end, boiler in self.runs:
            inside = [i for i, b in enumerate(out) if b.start <= start and end <= b.end]
            if not inside:
                out.append(Block("paragraph", start, end, boilerplate=boiler))
            elif boiler:
                for i in inside:
                    out[i] = replace(out[i], boilerplate=True)
        # outer first; of two blocks with one span, the container (a row before its cell)
        return tuple(sorted(out, key=lambda b: (b.start, -b.end, NESTING.index(b.kind))))
