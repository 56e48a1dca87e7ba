"""Curator overrides at load: every item checked, errors name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dataset_versions import V1, build, registry_of

from pipeline.dataset.overrides import FIELDS, OverrideError, load_overrides
from pipeline.extract.org_ids import OrgRecord, Registry, load_registry

ROOT = Path(__file__).resolve().parents[2]


def v1_registry() -> Registry:
    """The ids the small V1 page was published with (ABA, AIMP, IBA, OLD)."""
    return registry_of(build(V1))


def write_overrides(tmp_path: Path, items: object) -> Path:
    path = tmp_path / "overrides.yaml"
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_overrides_shipped_file_is_an_empty_list_with_a_valid_example(tmp_path):
    shipped = ROOT / "rules" / "overrides.yaml"
    registry = load_registry(ROOT / "rules" / "org_ids.yaml")
    assert load_overrides(shipped, registry) == []
    lines = shipped.read_text(encoding="utf-8").splitlines()
    example = "\n".join(line[2:] for line in lines if line.startswith(("# - ", "#   ")))
    example = example[example.index("- id:"):]  # the commented example, uncommented
    loaded = load_overrides(write_overrides(tmp_path, yaml.safe_load(example)), registry)
    assert [(o.id, o.action, o.org_ids) for o in loaded] == [
        ("aimp-acronym", "correct", ("aimp-ibero-american-association-of-public-prosecutors",)),
        ("aba-branch-office", "suppress", ("aba-american-bar-association",))]
    assert loaded[0].rule_id == "override:aimp-acronym"


GOOD = {"id": "x", "org": "ABA", "field": "founded", "action": "suppress", "reason": "why"}


@pytest.mark.parametrize("change, line, message", [
    ({"reason": None}, 1, r"missing or empty 'reason'"),
    ({"reason": " "}, 5, r"'reason'"),
    ({"id": None}, 1, r"missing or empty 'id'"),
    ({"id": "has space"}, 1, r"id 'has space'"),
    ({"action": "drop"}, 4, r"action 'drop'"),
    ({"action": "correct"}, 1, r"needs a 'value'"),
    ({"feild": "founded"}, 6, r"unknown key 'feild'"),
    ({"field": "headquaters"}, 3, r"unknown field 'headquaters'"),
    ({"org": "ABBA"}, 2, r"unknown organisation 'ABBA'"),
    ({"org": "aba-american-bar-associaton"}, 2, r"unknown organisation"),
])
def test_overrides_load_fails_naming_file_line_and_key(tmp_path, change, line, message):
    item = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    path = write_overrides(tmp_path, [item])
    with pytest.raises(OverrideError, match=message) as err:
        load_overrides(path, v1_registry())
    text = str(err.value)
    assert text.startswith(f"{path}:{line}: ") and "\n" not in text


def test_overrides_load_names_the_line_of_the_second_item(tmp_path):
    path = write_overrides(tmp_path, [GOOD, {**GOOD, "id": "y", "field": "headquaters"}])
    with pytest.raises(OverrideError, match=rf"^{path}:8: unknown field"):
        load_overrides(path, v1_registry())


def test_overrides_ids_are_unique(tmp_path):
    path = write_overrides(tmp_path, [GOOD, {**GOOD, "field": "name"}])
    with pytest.raises(OverrideError, match=rf"^{path}:6: id 'x' is used twice \(also line 1\)"):
        load_overrides(path, v1_registry())


def test_overrides_load_rejects_a_mapping_instead_of_a_list(tmp_path):
    with pytest.raises(OverrideError, match="expected a list"):
        load_overrides(write_overrides(tmp_path, {"org": "ABA"}), v1_registry())


def test_overrides_without_a_registry_cannot_name_an_organisation(tmp_path):
    with pytest.raises(OverrideError, match="no id registry"):
        load_overrides(write_overrides(tmp_path, [GOOD]), None)
    assert load_overrides(write_overrides(tmp_path, []), None) == []


def test_overrides_org_resolves_to_registered_ids(tmp_path):
    registry = Registry([OrgRecord("coe-council-of-europe", ("Council of Europe",), ("COE",)),
                         OrgRecord("coe-cybercrime", ("Cybercrime",), ("COE",)),
                         OrgRecord("old-name", ("Old",), ("OLDN",), merged_into="coe-cybercrime")])
    items = [{**GOOD, "id": "a", "org": "COE"}, {**GOOD, "id": "b", "org": "coe-council-of-europe"},
             {**GOOD, "id": "c", "org": "old-name"}, {**GOOD, "id": "d", "org": "OLDN"}]
    loaded = load_overrides(write_overrides(tmp_path, items), registry)
    assert [o.org_ids for o in loaded] == [("coe-council-of-europe", "coe-cybercrime"),
                                           ("coe-council-of-europe",), ("coe-cybercrime",),
                                           ("coe-cybercrime",)]


def test_overrides_fields_are_the_fields_the_pipeline_writes():
    written = {line.split(",")[2] for line in
               (ROOT / "extracted" / "facts.csv").read_text(encoding="utf-8").splitlines()[1:]}
    assert written <= set(FIELDS)
    assert "headquaters" not in FIELDS
