"""pipeline.segment.labels: heading separators and the patterns of heading parts."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.segment import labels
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


# The patterns below as first written, each opening with `\s*` or with alternatives.
FIRST_FORMS = {
    "PAREN_ACRONYM": r"\s*\(([A-Z][A-Za-z0-9&/.\-]{1,15})\)\s*$",
    "PAREN_TAIL": r"\s*\(([^()]{1,80})\)\s*$",
    "SENTENCE_PUNCT": r"[,;:!?]|\.(?=\s|$)|www\.|https?:",
    "ACRONYM_COLON": r"[ \t\u00a0]*:[ \t\u00a0]+",
}


def test_heading_patterns_read_what_they_name():
    assert labels.PAREN_ACRONYM.search("Council of Europe  (COE) ").group(1) == "COE"
    assert labels.PAREN_TAIL.search("Kent Police College (GB)").start() == 19
    assert labels.SENTENCE_PUNCT.search("see www.iap.nl").group() == "www."
    assert labels.ACRONYM_COLON.search("ABA :  American Bar").span() == (3, 7)


@pytest.mark.parametrize("name", sorted(FIRST_FORMS))
@given(text=st.text(alphabet="aAB( )\t\n\u00a0.:,whtps/", max_size=30),
       pos=st.integers(0, 31))
@example(text="x ( (AB) ", pos=0)
@example(text="a.\nb http: www.", pos=0)
@example(text=" \t: :  ", pos=0)
def test_heading_patterns_match_as_first_written(name, text, pos):
    ours, first = getattr(labels, name), re.compile(FIRST_FORMS[name])
    assert [(m.span(), m.groups()) for m in ours.finditer(text, pos)] == \
        [(m.span(), m.groups()) for m in first.finditer(text, pos)]
    assert ours.sub("", text) == first.sub("", text)
    found, expected = ours.search(text, 0, pos), first.search(text, 0, pos)
    assert (found and found.span()) == (expected and expected.span())


def starts_like_name_first_written(text: str, function_words: frozenset) -> bool:
    for word in map(re.Match.group, labels.WORD.finditer(text, 0, 200)):
        if word[0].isupper() or word.lower() not in function_words:
            return word[0].isupper() or word[0].isdigit()
    return False


@given(st.lists(st.sampled_from(["the", "of", "The", "Council", "council", "1900", "(ABA)",
                                 "(", ")", " ", "\n", "é", "É"]), max_size=12))
def test_starts_like_name_reads_to_the_deciding_word(parts):
    text = "".join(parts)
    rules = labels.SegmentRules(function_words=frozenset({"the", "of"}))
    assert labels.starts_like_name(text, rules) == \
        starts_like_name_first_written(text, rules.function_words)
