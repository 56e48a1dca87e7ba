"""pipeline.segment.acronyms: acronym definitions both ways, checked against initials."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment.acronyms import SHORT_PAREN, find_definitions, short_paren_matches

# texts made of what SHORT_PAREN reads: capitals, the acronym's other characters, brackets,
# spaces of several kinds, sentence ends, and words
PIECES = st.sampled_from(["ICC", "A", "Ab", "UN/ECE", "EJN-Civil", "x", "é", "(", ")", " ", "  ",
                          "\n", "\u00a0", ".", ". ", ",", "International Criminal Court",
                          "Court", "&", "1", "EJN-Civil (", "UN/ECE(", "ABCDEFGHIJKLMNOP \n (",
                          "ABCDEFGHIJKLMNOPQ(", "aBC (", "X (", "ICC(The Court"])


def test_acronyms_definitions_both_ways_with_exact_spans(rules):
    text = "The Special Tribunal for Lebanon (STL) met the ICC (International Criminal Court)."
    found = [(text[d.long_form[0]:d.long_form[1]], text[d.acronym[0]:d.acronym[1]], d.rule_id)
             for d in find_definitions(text, 0, len(text), rules.segment.function_words)]
    assert found == [("Special Tribunal for Lebanon", "STL", "names.definition_long_short"),
                     ("International Criminal Court", "ICC", "names.definition_short_long")]


def test_acronyms_hyphenated_qualifier_and_not_a_country_code(rules):
    text = "the Baltic Judicial Network in Civil Matters (BJN-Civil); Kent Police College (GB)"
    found = [(text[d.long_form[0]:d.long_form[1]], text[d.acronym[0]:d.acronym[1]])
             for d in find_definitions(text, 0, len(text), rules.segment.function_words)]
    assert found == [("Baltic Judicial Network in Civil Matters", "BJN-Civil")]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(PIECES, max_size=40), cut=st.tuples(st.integers(0, 400), st.integers(0, 400)))
def test_short_paren_matches_are_finditers(pieces, cut):
    text = "".join(pieces)
    start, end = min(cut[0], len(text)), min(max(cut), len(text))
    assert [m.span() + m.span(2) for m in short_paren_matches(text, start, end)] == \
        [m.span() + m.span(2) for m in SHORT_PAREN.finditer(text, start, end)]


def long_form_as_first_written(text, end, acronym, function_words, start_limit):
    """long_form_before reading every run of words up to the longest."""
    from pipeline.segment.acronyms import WORDS, initials_match

    words = [(m.start(), m.end()) for m in WORDS.finditer(text, start_limit, end)]
    letters = sum(1 for c in acronym if c.isalpha())
    for k in range(1, min(len(words), letters + 5) + 1):
        chunk = words[-k:]
        if initials_match(acronym, [text[s:e] for s, e in chunk], function_words):
            return chunk[0][0], chunk[-1][1]
    return None


LONG_FORM_WORDS = ["Nordic", "Council", "of", "the", "Prosecutors", "national", "’Court",
                   "Crime.", "-", "Police", "Network", "and", "for", "Europe", "9"]


@given(st.lists(st.sampled_from(LONG_FORM_WORDS), max_size=14),
       st.sampled_from(["NCP", "COE", "NPN", "ICC", "CPN", "EN", "N", "9", "C-P", "İC"]))
@settings(max_examples=300, deadline=None)
def test_long_form_before_skips_only_runs_initials_match_refuses(rules, words, acronym):
    from pipeline.segment.acronyms import long_form_before

    text = " ".join(words) + " (" + acronym + ")"
    end = len(" ".join(words))
    fw = rules.segment.function_words
    assert long_form_before(text, end, acronym, fw, 0) == \
        long_form_as_first_written(text, end, acronym, fw, 0)


def initials_match_as_first_written(acronym, words, function_words):
    """initials_match stripping and lowering each word as it reads it."""
    from pipeline.segment.acronyms import STRIPPED, _match

    letters = [c.lower() for c in acronym if c.isalpha()]
    words = [w.strip(STRIPPED) for w in words if w.strip(STRIPPED)]
    content = [w for w in words if w.lower() not in function_words]
    if not letters or not content or content[0][0].lower() != letters[0]:
        return False
    return _match(letters, [w.lower() for w in words], function_words, 0, 0, skips=1)


@given(st.lists(st.sampled_from(LONG_FORM_WORDS + ["’", "-", "İnternational", "OF", "The"]),
                max_size=10),
       st.sampled_from(["NCP", "COE", "NPN", "ICC", "CPN", "EN", "N", "9", "C-P", "İC", "TNC"]))
@settings(max_examples=300, deadline=None)
def test_initials_match_as_first_written(rules, words, acronym):
    from pipeline.segment.acronyms import initials_match

    fw = rules.segment.function_words
    assert initials_match(acronym, words, fw) == \
        initials_match_as_first_written(acronym, words, fw)
