"""pipeline.segment.acronyms: acronym definitions both ways, checked against initials."""

from __future__ import annotations

from pipeline.segment.acronyms import find_definitions


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
