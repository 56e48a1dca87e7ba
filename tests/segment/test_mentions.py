"""Mentions of a page's forms read with str.find: the same as the regular expressions they
replace (one pattern of every form, one pattern per word), written out here as the oracle."""

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.segment.mentions import find_mentions, written_in

FORMS = ["Council of Europe", "Europe", "ICC", "CC", "High Court", "Court", "É.U"]
WORDS = FORMS + ["x", "Council", "Councils", "of", "_", "9", "é", "Ö"]
GAPS = ["", " ", "  ", "-", "\n", ", ", "\t", "\u00a0", "\u2009", " - "]


def by_one_pattern(text: str, start: int, end: int, forms: list[str]) -> list:
    """The pattern assign_mentions compiled for every page: the forms in order of preference,
    no word character or hyphen after one, and none before it (tested on each match)."""
    pattern = re.compile("(?:" + "|".join(r"\s+".join(map(re.escape, form.split()))
                                          for form in forms) + r")(?![\w\-])")
    out, pos = [], start
    while (m := pattern.search(text, pos, end)) is not None:
        if m.start() > 0 and re.match(r"[\w\-]", text[m.start() - 1]):
            pos = m.start() + 1
            continue
        out.append((m.start(), m.end(), forms.index(" ".join(m.group().split()))))
        pos = m.end()
    return out


def test_mentions_longest_form_first_and_whole_words():
    text = "The High Court met the Court. ICC-CC and ICC\nCC; High  Court"
    found = [(text[s:e], FORMS[k]) for s, e, k in find_mentions(text, 0, len(text), FORMS)]
    assert found == [("High Court", "High Court"), ("Court", "Court"), ("ICC", "ICC"),
                     ("CC", "CC"), ("High  Court", "High Court")]   # not "ICC-CC"


def test_mentions_end_where_the_span_read_ends():
    text = "Europeans"
    assert find_mentions(text, 0, 6, ["Europe"]) == [(0, 6, 0)]   # as a regex's endpos
    assert find_mentions(text, 0, len(text), ["Europe"]) == []


@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=30),
       st.integers(0, 150), st.integers(0, 150), st.permutations(FORMS))
@example(parts=[("x", ""), ("ICC", " ")], cut=0, stop=150, forms=FORMS)  # glued to a word
@example(parts=[("High", " \n "), ("Court", "")], cut=0, stop=150, forms=FORMS)
@example(parts=[("Council", ""), ("of", " "), ("Europe", "")], cut=0, stop=150, forms=FORMS)
@settings(max_examples=400, deadline=None)
def test_mentions_found_as_by_one_pattern_of_every_form(parts, cut, stop, forms):
    text = "".join(word + gap for word, gap in parts)
    start, end = min(cut, len(text)), min(max(cut, stop), len(text))
    assert find_mentions(text, start, end, forms) == by_one_pattern(text, start, end, forms)


@given(st.sampled_from(["", "ab", "a b", "é", "_", "b-c", "1"]),
       st.text(alphabet="ab _-é1.\n", max_size=20))
@settings(max_examples=400, deadline=None)
def test_written_in_as_by_a_pattern_per_word(word, body):
    expected = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", body) is not None
    assert written_in(word, body) == expected
