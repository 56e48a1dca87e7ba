"""pipeline.segment.labels: heading separators."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.segment.labels import SEPARATOR

# The separator as first written: two alternatives, neither opening with one character class.
FIRST_WRITTEN = re.compile(r"[ \t\u00a0]+[-\u2013\u2014][ \t\u00a0]*|"
                           r"[ \t\u00a0]*[\u2013\u2014][ \t\u00a0]+")


def test_separators_are_spaced_dashes_not_hyphens_in_words():
    text = "COE -Council – of Europe—Strasbourg — Agenda-promoting \u2014 x"
    assert [m.group() for m in SEPARATOR.finditer(text)] == [" -", " – ", " — ", " \u2014 "]


@given(st.text(alphabet="a-\u2013\u2014 \t\u00a0\n", max_size=30), st.integers(0, 31))
@example(text="a\u2013 b", pos=0)
@example(text="a \u2013b", pos=0)
@example(text="  -  \u2014  ", pos=1)
def test_separator_matches_as_first_written(text, pos):
    assert [m.span() for m in SEPARATOR.finditer(text, pos)] == \
        [m.span() for m in FIRST_WRITTEN.finditer(text, pos)]
    ours, first = SEPARATOR.match(text, pos), FIRST_WRITTEN.match(text, pos)
    assert (ours and ours.span()) == (first and first.span())
