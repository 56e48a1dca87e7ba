"""The org id registry: published ids survive renames; merges and splits are the curator's."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.org_ids import (
    IdAssigner,
    OrgRecord,
    Registry,
    RegistryError,
    load_registry,
)

ROOT = Path(__file__).resolve().parents[2]
PAGE = "raw/page.txt"
ILAC = "ilac-international-legal-assistance-consortium"


def registry(*records: OrgRecord) -> Registry:
    return Registry(records, "ids.yaml")


IAP_LIKE = registry(
    OrgRecord(ILAC, ("International Legal Assistance Consortium",), ("ILAC",), PAGE),
    OrgRecord("coe-council-of-europe", ("Council of Europe",), ("COE",), PAGE),
    OrgRecord("coe-cybercrime", ("Cybercrime",), ("COE",), PAGE),
    OrgRecord("medel-magistrats-europeen", ("Magistrats européen",), ("MEDEL",), PAGE))


def assign(reg: Registry, *entries: tuple) -> list[tuple[str, str]]:
    """(org_id, how) for entries (names, acronyms[, source]) given in page order."""
    ids = IdAssigner(reg)
    return [(a.org_id, a.how) for a in (ids.assign(e[0], e[1], e[2] if len(e) > 2 else PAGE)
                                         for e in entries)]


@pytest.mark.parametrize("names, acronyms, source, expected", [
    # the registered name, written another way: case, accents, punctuation
    (["INTERNATIONAL LEGAL ASSISTANCE CONSORTIUM"], [], PAGE, (ILAC, "name")),
    (["Magistrats europeen"], ["MEDEL"], PAGE, ("medel-magistrats-europeen", "name")),
    # renamed, same page: its acronym is registered for this id alone
    (["International Legal Aid Consortium"], ["ILAC"], PAGE, (ILAC, "acronym")),
    # renamed, another page: the acronym and a similar name
    (["International Legal Aid Consortium"], ["ILAC"], "raw/other.txt", (ILAC, "acronym")),
    # another page, the same acronym, an unrelated name: another organisation
    (["Irish Legal Advisory Council"], ["ILAC"], "raw/other.txt",
     ("ilac-irish-legal-advisory-council", "new")),
    # a shared acronym never matches alone, even on the same page
    (["Conference of Europe"], ["COE"], PAGE, ("coe-conference-of-europe", "new")),
    (["Cybercrime"], ["COE"], PAGE, ("coe-cybercrime", "name")),
])
def test_org_ids_matching(names, acronyms, source, expected):
    assert assign(IAP_LIKE, (names, acronyms, source)) == [expected]


def test_org_ids_a_new_id_never_takes_a_registered_one():
    """A published id stays reserved even when no entry of this run has it."""
    reg = registry(OrgRecord("aba-american-bar-association", ("American Bar Association",),
                             ("ABA",), PAGE))
    assert assign(reg, (["American Bar Association (Chicago)"], ["ABA"], "raw/x.txt"),
                  (["Ameri can Bar Association"], ["ABA"], "raw/x.txt")) == [
        ("aba-american-bar-association", "acronym"),  # similar name
        ("aba-ameri-can-bar-association", "new")]      # ABA's id already given in this run
    named_like_it = assign(reg, (["American Bar Association"], ["ABA"], PAGE),
                           (["American Bar Association"], ["ABA"], PAGE))
    assert named_like_it == [("aba-american-bar-association", "name"),
                             ("aba-american-bar-association-2", "new")]


def test_org_ids_repeats_take_the_registered_numbered_ids_in_order():
    reg = registry(OrgRecord("un", ("UN",), (), PAGE), OrgRecord("un-2", ("UN",), (), PAGE))
    ids = IdAssigner(reg)
    got = [ids.assign(["UN"], [], PAGE) for _ in range(3)]
    assert [(a.org_id, a.duplicate) for a in got] == [("un", False), ("un-2", True),
                                                      ("un-3", True)]


def test_org_ids_a_merge_leads_both_names_to_the_kept_id():
    reg = registry(OrgRecord("icty", ("International Criminal Tribunal for the former "
                                      "Yugoslavia",), ("ICTY",), PAGE),
                   OrgRecord("irmct", ("International Residual Mechanism for Criminal "
                                       "Tribunals",), ("IRMCT",), PAGE, merged_into="icty"))
    assert assign(reg, (["International Residual Mechanism for Criminal Tribunals"], ["IRMCT"])) \
        == [("icty", "name")]
    assert assign(reg, (["Residual Mechanism"], ["IRMCT"])) == [("icty", "acronym")]
    # the page still lists both: the second is a repeat of the kept id, numbered
    both = assign(reg, (["International Criminal Tribunal for the former Yugoslavia"], ["ICTY"]),
                  (["International Residual Mechanism for Criminal Tribunals"], ["IRMCT"]))
    assert both == [("icty", "name"), ("irmct-international-residual-mechanism-for-criminal-"
                                       "tribunals", "new")]


def test_org_ids_a_split_gives_the_split_off_body_its_own_record():
    """Both bodies were published as one id; the curator moved the second one's name to a
    record of its own: names win over the shared acronym."""
    reg = registry(OrgRecord("ejn", ("European Judicial Network",), ("EJN",), PAGE),
                   OrgRecord("ejn-civil", ("European Judicial Network in civil matters",),
                             ("EJN",), PAGE, split_from="ejn"))
    assert assign(reg, (["European Judicial Network in civil matters"], ["EJN"]),
                  (["European Judicial Network"], ["EJN"])) == [("ejn-civil", "name"),
                                                                 ("ejn", "name")]


def test_org_ids_unknown_names_are_reported():
    ids = IdAssigner(IAP_LIKE)
    kept = ids.assign(["International Legal Aid Consortium"], ["ILAC"], PAGE)
    assert kept.unknown == ("International Legal Aid Consortium",)
    assert ids.assign(["Council of Europe"], ["COE"], PAGE).unknown == ()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "org_ids.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_org_ids_registry_loads_with_records_in_file_order(tmp_path):
    reg = load_registry(write(tmp_path, "b-org:\n  names: [B]\n  acronyms: [BO]\n"
                                        "a-org:\n  names: [A]\n  note: why\n"
                                        "gone:\n  merged_into: a-org\n"))
    assert list(reg.records) == ["b-org", "a-org", "gone"]
    assert reg.records["a-org"] == OrgRecord("a-org", ("A",), (), "", "", "", "why", 4)
    assert reg.resolve("gone") == "a-org"
    assert load_registry(write(tmp_path, "# nothing yet\n")).records == {}


@pytest.mark.parametrize("text, message", [
    ("a:\n  names: [A]\na:\n  names: [B]\n", r":3: a: listed twice \(also line 1\)"),
    ("A B:\n  names: [A]\n", r":1: A B: an id is lower-case"),
    ("a:\n  names: [A]\n  nmes: [B]\n", r":3: a: unknown key 'nmes'"),
    ("a:\n  names: A\n", r":1: a: 'names' must be a list"),
    ("a:\n  names: [A]\n  merged_into: b\n", r":1: a: merged_into 'b' is not another id"),
    ("a:\n  names: [A]\n  split_from: a\n", r":1: a: split_from 'a' is not another id"),
    ("a:\n  names: [A]\nb:\n  merged_into: a\nc:\n  merged_into: b\n", r":5: c: merged into b"),
    ("- a\n", r"expected a mapping of org_id"),
    ("a: &x\n  names: [A]\nb: *x\n", r":3:4: cannot read the id registry: aliases"),
])
def test_org_ids_registry_errors_name_the_file_and_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(RegistryError, match=message) as err:
        load_registry(path)
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)


def test_org_ids_the_shipped_registry_holds_every_published_id():
    reg = load_registry(ROOT / "rules" / "org_ids.yaml")
    published = [line.split(",")[0] for line in
                 (ROOT / "extracted" / "organisations.csv").read_text().splitlines()[1:]]
    assert published and set(published) <= set(reg.records)
