"""Extraction, field by field, on small entries written like partner pages."""

from __future__ import annotations

import pytest
from conftest import facts_of


def one(extractions, field):
    found = facts_of(extractions, field)
    return [(f.qualifier, f.value, f.unit) if field in ("membership", "founding_members")
            else f.value for f in found]


def test_extract_founded_not_a_predecessors_founding(extract_text):
    _, xs, issues = extract_text(
        "AIDP - The International Association of Penal Law (AIDP) is a network.\n\n"
        "Founded in 1924, the AIDP carries on the work undertaken by the International Union "
        "of Penal law founded in 1889.\n")
    assert one(xs, "founded") == ["1924"]
    assert any(i.reason == "not_used:object_of_by" for i in issues)


@pytest.mark.parametrize("heading,sentence,year,date,precision", [
    ("COE - Council of Europe", "Founded on 5 May 1949 by 10 countries, the body grew.", "1949",
     "1949-05-05", "day"),
    ("Eurojust", "Eurojust is a European Union body established in 2002 to help.", "2002", "2002",
     "year"),
    ("GRECO - Group of States against Corruption", "The Group of States against Corruption "
     "(GRECO) was established in 1999 by the Council.", "1999", "1999", "year"),
    ("AIAMP - Iberoamerican Association", "It was founded in Brazil in 1954 as an association.",
     "1954", "1954", "year"),
    ("IAACA - International Association of Anti-Corruption Authorities", "The establishment of "
     "the IAACA was initiated in December 2003 in Merida.", "2003", "2003-12", "month"),
])
def test_extract_founded_dates_with_precision(extract_text, heading, sentence, year, date,
                                              precision):
    _, xs, _ = extract_text(f"{heading} - {sentence}\n")
    facts = facts_of(xs, "founded")
    assert [(f.value, f.date, f.date_precision) for f in facts] == [(year, date, precision)]


@pytest.mark.parametrize("sentence", [
    "Rwanda was admitted in 2009.", "The report was adopted 17-18 December 2010.",
    "The agreement dated 7 March 2014 can be accessed here.",
    "In 2001 the IAP was granted Special Consultative Status.",
])
def test_extract_founded_ignores_other_events(extract_text, sentence):
    _, xs, _ = extract_text(f"XYZ - Xylophone Yacht Zone - {sentence}\n")
    assert one(xs, "founded") == []


def test_extract_founded_vague_decade_is_marked_and_never_a_year(extract_text, tmp_path):
    _, xs, _ = extract_text("ILAC - International Legal Assistance Consortium - "
                            "The ILAC concept originated in the late 90s.\n")
    (fact,) = facts_of(xs, "founded")
    assert (fact.value, fact.date_precision, fact.qualifier) == ("1990s", "decade", "approximate:late")
    from pipeline.dataset.export import extraction_to_organisation

    org = extraction_to_organisation(xs[0], xs[0].facts, ["none_stated"])
    assert org.founded_year is None and org.founded_date == ""


@pytest.mark.parametrize("heading,sentence,expected", [
    ("ABA - American Bar Association", "The ABA national headquarters are in Chicago as well as "
     "an office in Washington.", ["Chicago"]),
    ("COE - Council of Europe", "The Council of Europe, based in Strasbourg (France), covers "
     "Europe.", ["Strasbourg, France"]),
    ("ODIHR - Office for Democratic Institutions and Human Rights", "The OSCE Office for "
     "Democratic Institutions and Human Rights is based in Warsaw, Poland.", ["Warsaw, Poland"]),
    ("AIAMP - Iberoamerican Association", "It was founded in Brazil in 1954.", []),
    ("IAACA - Anti-Corruption Authorities", "It met at a conference in Merida, Mexico in "
     "December 2003.", []),
    ("ABA - American Bar Association", "The Council of Europe, based in Strasbourg, advises it.",
     []),
])
def test_extract_headquarters(extract_text, heading, sentence, expected):
    _, xs, _ = extract_text(f"{heading} - {sentence}\n")
    assert one(xs, "headquarters") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("It has nearly 400,000 members and more than 3,500 entities.",
     [("nearly", "400000", "members"), ("more than", "3500", "entities")]),
    ("It numbers some 1,800 active members in 90 countries.",
     [("some", "1800", "active members")]),
    ("It is a voluntary association of 54 countries.", [("exact", "54", "countries")]),
    ("It has a membership of more than 45,000 individual lawyers and over 200 bar associations "
     "and law societies.", [("more than", "45000", "individual lawyers"),
                            ("over", "200", "bar associations and law societies")]),
    ("It has five members and about two thousand supporters.", [("exact", "5", "members")]),
    ("It is home to two billion citizens; 90 per cent of its budget; Africa (19).", []),
    ("The 34 member countries and five non-member countries have adopted it.",
     [("exact", "34", "member countries")]),
    ("It provides a forum for its 193 Member States.", [("exact", "193", "Member States")]),
    ("It has 1,000,000,000,000,000,000 members.", [("exact", "1000000000000000000", "members")]),
])
def test_extract_membership_counts(extract_text, sentence, expected):
    _, xs, _ = extract_text(f"ABA - American Bar Association - {sentence}\n")
    assert one(xs, "membership") == expected


def test_extract_founding_members_are_not_membership(extract_text):
    _, xs, _ = extract_text("UN - United Nations - The UN was founded in 1945 by 51 countries. "
                            "It has 193 Member States.\n")
    assert one(xs, "founding_members") == [("exact", "51", "countries")]
    assert one(xs, "membership") == [("exact", "193", "Member States")]


def test_extract_host_relationship_strongest_and_all_kept(extract_text):
    from pipeline.dataset.export import extraction_to_organisation

    _, xs, _ = extract_text(
        "Comnet - Comnet runs a forum in which the IAP is also engaged. "
        "The IAP has signed a Memorandum of Understanding with Comnet.\n")
    assert sorted(one(xs, "host_relationship")) == ["mou", "participation"]
    order = ["agreement", "mou", "participation", "none_stated"]
    assert extraction_to_organisation(xs[0], xs[0].facts, order).host_relationship == "mou"


def test_extract_host_relationship_not_a_partnership_with_others(extract_text):
    _, xs, _ = extract_text("UNDP - United Nations Development Programme - UNDP partners with "
                            "people at all levels of society.\n")
    assert one(xs, "host_relationship") == []


def test_extract_names_from_definitions_and_aliases(extract_text):
    _, xs, _ = extract_text(
        "Courts - ICTY - IAP has developed relationships with the Prosecutor of ICTY "
        "(International Criminal Tribunal for former Yugoslavia.\n\n"
        "Courts - STL - IAP has developed relationships with STL (Special Tribunal for Lebanon).\n\n"
        "Venice Commission - The European Commission for Democracy through Law, better known as "
        "the Venice Commission, is an advisory body.\n")
    assert one(xs[:1], "name") == ["International Criminal Tribunal for former Yugoslavia"]
    assert one(xs[1:2], "name") == ["Special Tribunal for Lebanon"]
    assert one(xs[:2], "group") == ["Courts", "Courts"]
    assert one(xs[2:], "alias") == ["Venice Commission", "European Commission for Democracy through Law"]


def test_extract_acronym_disagreement_is_flagged_not_guessed(extract_text):
    _, xs, issues = extract_text(
        "Ibero American Association of Public Prosecutors (AIMP) - AIAMP is a non-profit entity.\n")
    assert one(xs, "acronym") == ["AIMP", "AIAMP"]
    assert "acronym_variant:AIMP~AIAMP" in one(xs, "flag")
    assert {"acronym_variant", "acronym_mismatch"} <= {i.reason for i in issues}


def test_extract_website_of_the_entry_and_of_others(extract_text):
    _, xs, _ = extract_text(
        "COE - Council of Europe - The Council of Europe www.coe.int is large. It created the "
        "Consultative Council of European Prosecutors (CCPE) www.coe.int/CCPE in 2005.\n")
    assert one(xs, "website") == ["www.coe.int"]
    assert one(xs, "url") == ["www.coe.int/CCPE"]


def test_extract_duplicate_organisations_get_distinct_ids_and_an_issue(extract_text):
    _, xs, issues = extract_text("ABA - American Bar Association - One.\n\n"
                                 "ABA - American Bar Association - Two.\n")
    assert [x.org_id for x in xs] == ["aba-american-bar-association",
                                      "aba-american-bar-association-2"]
    assert "duplicate_organisation" in {i.reason for i in issues}


def test_extract_offsets_survive_odd_spaces(extract_text):
    text = "ABA - American Bar Association - It has nearly 400\u00a0000 members.\n"
    _, xs, _ = extract_text(text)
    (fact,) = facts_of(xs, "membership")
    assert fact.value == "400000" and text[fact.char_start:fact.char_end] == fact.evidence
    assert "\u00a0" in fact.evidence


def test_extract_two_organisations_with_the_same_acronym_are_both_kept(extract_text):
    _, xs, issues = extract_text("COE - Council of Europe - The Council.\n\n"
                                 "COE - Cybercrime - The Convention on Cybercrime.\n")
    assert [x.org_id for x in xs] == ["coe-council-of-europe", "coe-cybercrime"]
    (shared,) = [i for i in issues if i.reason == "shared_acronym"]
    assert "coe-council-of-europe" in shared.detail
