"""Values highlighted in an entry text: escaped HTML with one labelled mark per value.

Reads: a text and the spans of its values (`Mark`s). Writes: an HTML fragment (pure).

Highlighting follows displaCy's "ent" style (a coloured mark and a label per value) but is
rendered here rather than by `displacy.render(..., manual=True)`: displaCy cannot show spans
that overlap (a host_relationship sentence contains the membership count; displaCy repeats the
text) and does not escape labels. `highlight` nests marks and escapes every character instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Iterable

from pipeline.versions.review_assets import DEFAULT_COLOUR, FIELD_COLOURS


@dataclass(frozen=True)
class Mark:
    """A highlighted span of an entry text, offsets relative to the entry."""

    start: int
    end: int
    field: str
    label: str
    title: str
    override: bool = False


def open_mark(mark: Mark, continued: bool) -> str:
    classes = "v" + (" override" if mark.override else "") + (" cont" if continued else "")
    colour = FIELD_COLOURS.get(mark.field, DEFAULT_COLOUR)
    return (f'<mark class="{classes}" style="--c: {colour}" data-field="{escape(mark.field)}" '
            f'title="{escape(mark.title)}">')


def close_mark(mark: Mark, at: int) -> str:
    tag = f'<span class="tag">{escape(mark.label)}</span>' if at == mark.end else ""
    return tag + "</mark>"


def highlight(text: str, marks: Iterable[Mark]) -> str:
    """The text as escaped HTML with the marks nested; crossing marks are split, labelled once."""
    marks = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)),
                   key=lambda m: (m.start, -m.end, m.field, m.label))
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    stack: list[Mark] = []
    for a, b in zip(bounds, bounds[1:]):
        covering = [m for m in marks if m.start <= a and m.end >= b]
        keep = 0
        while keep < min(len(stack), len(covering)) and stack[keep] is covering[keep]:
            keep += 1
        out += [close_mark(m, a) for m in reversed(stack[keep:])]
        stack = stack[:keep]
        for m in covering[keep:]:
            out.append(open_mark(m, continued=a > m.start))
            stack.append(m)
        out.append(escape(text[a:b]))
    out += [close_mark(m, len(text)) for m in reversed(stack)]
    return "".join(out)
