"""pipeline.extract.names: names and acronyms from the heading and from definitions in the
text, checked against initials."""

from __future__ import annotations

import pytest
from conftest import one

from pipeline.extract.names import definitions, initials_match, split_acronyms


def test_names_from_definitions(extract_text):
    _, xs, _ = extract_text(
        "Courts - ICTY - IAP has developed relationships with the Prosecutor of ICTY "
        "(International Criminal Tribunal for former Yugoslavia.\n\n"
        "Courts - STL - IAP has developed relationships with STL (Special Tribunal for Lebanon).\n")
    assert one(xs[:1], "name") == ["International Criminal Tribunal for former Yugoslavia"]
    assert one(xs[1:2], "name") == ["Special Tribunal for Lebanon"]
    assert one(xs[:2], "group") == ["Courts", "Courts"]


def test_names_acronym_disagreement_is_flagged_not_guessed(extract_text):
    _, xs, issues = extract_text(
        "Ibero American Association of Public Prosecutors (AIMP) - AIAMP is a non-profit entity.\n")
    assert one(xs, "acronym") == ["AIMP", "AIAMP"]
    assert "acronym_variant:AIMP~AIAMP" in one(xs, "flag")
    assert {"acronym_variant", "acronym_mismatch"} <= {i.reason for i in issues}


@pytest.mark.parametrize("acronym,words,expected", [
    ("COE", "Council of Europe", True),                                   # function word used
    ("ICTY", "International Criminal Tribunal for former Yugoslavia", True),  # one word skipped
    ("SEEPAG", "SouthEast European Prosecutors Advisory Group", True),    # a letter from inside
    ("AIMP", "Ibero American Association of Public Prosecutors", False),
    ("ABA", "Council of Europe", False),
])
def test_names_initials_match(acronym, words, expected, rules):
    assert initials_match(acronym, words.split(), rules.segment.function_words) is expected


def test_names_definitions_both_ways(rules):
    text = "The Special Tribunal for Lebanon (STL) met the ICC (International Criminal Court)."
    found = [(v.field, v.value, v.rule_id) for v in
             definitions(text, 0, len(text), rules.segment.function_words)]
    assert found == [
        ("long_form", "Special Tribunal for Lebanon", "names.definition_long_short"),
        ("acronym", "STL", "names.definition_long_short"),
        ("long_form", "International Criminal Court", "names.definition_short_long"),
        ("acronym", "ICC", "names.definition_short_long")]
    assert all(text[v.start:v.end] == v.value for v in
               definitions(text, 0, len(text), rules.segment.function_words))


def test_names_split_acronyms():
    assert split_acronyms("AIDP/IAPL") == ["AIDP", "IAPL"]


def test_names_slashed_acronym_that_spells_the_name_is_one(extract_text):
    _, xs, _ = extract_text("Agencies\n\nBaltic Economic Commission for Ruritania (BE/CR)\n"
                            "It signed an agreement.\n\nDanube Police (DP/AIDP)\nIt met.\n")
    assert one(xs[:1], "acronym") == ["BE/CR"]


def test_names_a_short_form_alone_is_the_name_not_an_acronym(extract_text):
    _, xs, _ = extract_text("Partners\n\nOur partners:\n\n- OSCE\n- Council of Europe (COE)\n"
                            "- Europol\n")
    by_org = {x.org_id: (one([x], "name"), one([x], "acronym")) for x in xs}
    assert by_org["osce"] == (["OSCE"], [])
    assert by_org["coe-council-of-europe"] == (["Council of Europe"], ["COE"])
