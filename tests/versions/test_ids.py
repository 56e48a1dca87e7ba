"""partners ids: a published dataset's organisations recorded in the id registry."""

from __future__ import annotations

from dataclasses import replace

from dataset_versions import (
    V1,
    build,
    partners_cli,  # noqa: F401 (fixtures)
    write,
)

from pipeline.extract.org_ids import load_registry

AIMP = "aimp-ibero-american-association-of-public-ministries"


def test_ids_records_every_organisation_once(tmp_path, partners_cli):
    dataset, ids = write(tmp_path, build(V1)), tmp_path / "rules" / "org_ids.yaml"
    ids.parent.mkdir()
    code, out, err = partners_cli("ids", "--dataset", dataset, "--ids", ids)
    assert code == 0, err
    assert out.splitlines()[1] == f"added     {AIMP}: Ibero-American Association of Public " \
                                  "Ministries, AIMP"
    registry = load_registry(ids)
    assert list(registry.records) == [o.org_id for o in build(V1).organisations]
    assert registry.records[AIMP].source == "raw/page.txt"
    assert ids.read_text(encoding="utf-8").startswith("# The org id registry")
    assert partners_cli("ids", "--dataset", dataset, "--ids", ids, "--check")[0] == 0
    before = ids.read_bytes()
    assert partners_cli("ids", "--dataset", dataset, "--ids", ids)[1] == ""  # nothing to add
    assert ids.read_bytes() == before


def test_ids_after_a_rename_adds_the_new_name_and_keeps_the_curators_notes(tmp_path, partners_cli):
    ids = tmp_path / "org_ids.yaml"
    partners_cli("ids", "--dataset", write(tmp_path / "v1", build(V1)), "--ids", ids)
    text = ids.read_text(encoding="utf-8").replace(
        f"{AIMP}:\n", f"# checked with their secretariat\n{AIMP}:\n  note: one body since 1954\n")
    ids.write_text(text, encoding="utf-8")
    renamed = build(V1)
    renamed.organisations = [replace(o, name="Ibero-American Association of Public Prosecutors",
                                     acronyms=("AIMP", "AIAMP")) if o.org_id == AIMP else o
                             for o in renamed.organisations]
    dataset = write(tmp_path / "v2", renamed)
    code, _, err = partners_cli("ids", "--dataset", dataset, "--ids", ids, "--check")
    assert code == 1 and err.count("\n") == 1 and f"extended  {AIMP}" in err
    code, out, _ = partners_cli("ids", "--dataset", dataset, "--ids", ids)
    assert out == (f"extended  {AIMP}: Ibero-American Association of Public Prosecutors, "
                   "AIAMP\n")
    record = load_registry(ids).records[AIMP]
    assert record.names == ("Ibero-American Association of Public Ministries",
                            "Ibero-American Association of Public Prosecutors")
    assert record.acronyms == ("AIMP", "AIAMP") and record.note == "one body since 1954"
    assert "# checked with their secretariat\n" in ids.read_text(encoding="utf-8")


def test_ids_a_broken_registry_is_one_line(tmp_path, partners_cli):
    ids = tmp_path / "org_ids.yaml"
    ids.write_text("a:\n  names: [A]\na:\n  names: [B]\n", encoding="utf-8")
    code, out, err = partners_cli("ids", "--dataset", write(tmp_path, build(V1)), "--ids", ids)
    assert code == 1 and out == "" and err == f"partners ids: error: {ids}:3: a: listed twice " \
                                              "(also line 1)\n"


def test_ids_a_name_listed_under_a_merged_id_is_known_as_extraction_knows_it():
    """The registry finds an organisation by the names of ids merged into its own: `partners
    ids` adds only what that lookup lacks, as the extractor's kept_org_id issue says."""
    from pipeline.extract.org_ids import OrgRecord, Registry
    from pipeline.versions.ids import missing

    registry = Registry([OrgRecord("icc", ("International Criminal Court",), ("ICC",)),
                         OrgRecord("old-icc", ("Old Court",), ("OC",), merged_into="icc")])
    (org,) = [replace(o, org_id="icc", name="Old Court", acronyms=("ICC", "OC"))
              for o in build(V1).organisations[:1]]
    assert missing(registry, [org]) == []
    assert registry.unknown("icc", ["Old Court", "New Court"], ["ICC"]) == ("New Court",)
    (change,) = missing(registry, [replace(org, name="New Court")])
    assert (change.org_id, change.kind, change.names) == ("icc", "extended", ("New Court",))
    # a dataset made before the merge still names the merged id: what its family lists is known
    assert missing(registry, [replace(org, org_id="old-icc", name="International Criminal "
                                      "Court", acronyms=("OC",))]) == []
