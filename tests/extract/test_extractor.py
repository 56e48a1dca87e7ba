"""pipeline.extract.extractor: entries -> extractions; ids, issues and offsets."""

from __future__ import annotations

from conftest import facts_of


def test_extractor_duplicate_organisations_get_distinct_ids_and_an_issue(extract_text):
    _, xs, issues = extract_text("ABA - American Bar Association - One.\n\n"
                                 "ABA - American Bar Association - Two.\n")
    assert [x.org_id for x in xs] == ["aba-american-bar-association",
                                      "aba-american-bar-association-2"]
    assert "duplicate_organisation" in {i.reason for i in issues}


def test_extractor_offsets_survive_odd_spaces(extract_text):
    text = "ABA - American Bar Association - It has nearly 400\u00a0000 members.\n"
    _, xs, _ = extract_text(text)
    (fact,) = facts_of(xs, "membership")
    assert fact.value == "400000" and text[fact.char_start:fact.char_end] == fact.evidence
    assert "\u00a0" in fact.evidence


def test_extractor_two_organisations_with_the_same_acronym_are_both_kept(extract_text):
    _, xs, issues = extract_text("COE - Council of Europe - The Council.\n\n"
                                 "COE - Cybercrime - The Convention on Cybercrime.\n")
    assert [x.org_id for x in xs] == ["coe-council-of-europe", "coe-cybercrime"]
    (shared,) = [i for i in issues if i.reason == "shared_acronym"]
    assert "coe-council-of-europe" in shared.detail


def test_extractor_keeps_registered_ids_across_a_rename_and_says_so(extract_text):
    from pipeline.extract.org_ids import OrgRecord, Registry

    registry = Registry([OrgRecord("ilac-international-legal-assistance-consortium",
                                   ("International Legal Assistance Consortium",), ("ILAC",),
                                   "page.txt")])
    _, xs, issues = extract_text("ILAC - International Legal Aid Consortium - Founded 2002.\n\n"
                                 "ABA - American Bar Association - Founded in 1878.\n",
                                 registry=registry)
    assert [x.org_id for x in xs] == ["ilac-international-legal-assistance-consortium",
                                      "aba-american-bar-association"]
    assert all(f.org_id == x.org_id for x in xs for f in x.facts)
    reasons = {i.reason: i.detail for i in issues}
    assert "'International Legal Aid Consortium'" in reasons["kept_org_id"]
    assert reasons["new_org_id"].startswith("aba-american-bar-association: not in the id registry")
    # without a registry nothing is said about ids
    _, _, issues = extract_text("ABA - American Bar Association - Founded in 1878.\n")
    assert not {"kept_org_id", "new_org_id"} & {i.reason for i in issues}
