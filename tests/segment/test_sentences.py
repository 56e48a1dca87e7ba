"""pipeline.segment.sentences: sentence spans of plain text."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.segment.sentences import sentences

LOOK_BEHIND_END = re.compile(r"(?<=[.!?])[\"”’)]?[ \t\u00a0]+(?=[A-Z“\"‘(])|\n")


def sentences_as_first_written(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences by a pattern whose match starts after the stop (a look-behind)."""
    out, pos = [], start
    for m in list(LOOK_BEHIND_END.finditer(text, start, end)) + [None]:
        stop = m.start() if m else end
        s, e = pos, stop
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        pos = m.end() if m else end
    return out


def test_sentences_end_at_a_stop_before_a_capital_and_at_a_line_end():
    text = "It met in 1990. (It has 12 members.) Next! “Quoted.” Then?\nA line\n\nlast."
    # a closing quote or bracket after the stop is read as part of the break
    assert [text[s:e] for s, e in sentences(text, 0, len(text))] == [
        "It met in 1990.", "(It has 12 members.", "Next!", "“Quoted.", "Then?", "A line",
        "last."]
    assert [text[s:e] for s, e in sentences(text, 16, 34)] == ["(It has 12 members"]


# (\u2003 and \x1c: spaces to `str.isspace` and `str.strip` alike, which the trimming uses)
@given(st.text(alphabet="aB.!?\"”’)( \t\u00a0\u2003\x1c\n“‘", max_size=40), st.integers(0, 42),
       st.integers(0, 42))
@example(text="a.” B", start=2, end=5)     # a stop just before the span's start
@example(text="a\nB", start=2, end=3)      # a line break just before it
def test_sentences_as_by_a_look_behind_pattern(text, start, end):
    start, end = min(start, len(text)), min(max(start, end), len(text))
    assert sentences(text, start, end) == sentences_as_first_written(text, start, end)
