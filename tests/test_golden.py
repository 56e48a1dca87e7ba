"""Golden expectations for the IAP page: the dataset's organisations and facts as reviewed by hand.

`tests/golden/iap-page.expected.json` is the reviewed output. When it is missing (a new input
format), the test writes what the pipeline produced there and fails, so a person reviews it
before it becomes the expectation (as juriscraper does).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.dataset.formats import read_table_csv, read_table_parquet
from pipeline.model import Fact, Organisation

GOLDEN = Path(__file__).parent / "golden"
ORG_COLUMNS = ("org_id", "name", "acronyms", "group", "founded_year", "founded_date",
               "headquarters", "website", "host_relationship", "flags", "membership")
FACT_COLUMNS = ("org_id", "field", "value", "qualifier", "unit", "date", "date_precision",
                "evidence", "rule_id")


def summarise(out: Path) -> dict:
    orgs = read_table_csv(Organisation, out / "organisations.csv")
    facts = read_table_csv(Fact, out / "facts.csv")
    return {
        "organisations": [{c: _plain(getattr(o, c)) for c in ORG_COLUMNS} for o in orgs],
        "facts": [[_plain(getattr(f, c)) for c in FACT_COLUMNS] for f in facts],
    }


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def check_golden(name: str, actual: dict) -> None:
    path = GOLDEN / f"{name}.expected.json"
    if not path.exists():
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.fail(f"{path} did not exist: written for review")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual["organisations"] == expected["organisations"]
    assert actual["facts"] == expected["facts"]


@pytest.fixture(scope="module")
def iap_dataset(tmp_path_factory):
    from conftest import project_settings

    from pipeline.stages import run_all

    out = tmp_path_factory.mktemp("dataset")
    run_all(["raw"], out, project_settings())
    return out


def test_golden_iap_text_page(iap_dataset):
    check_golden("iap-page", summarise(iap_dataset))


def test_golden_iap_html_rendering_gives_the_same_organisations_and_facts(tmp_path, iap_dataset):
    from conftest import project_settings

    from pipeline.stages import run_all

    html = Path(__file__).parent / "data" / "iap-page.html"
    run_all([str(html)], tmp_path / "out", project_settings())
    html_summary, text_summary = summarise(tmp_path / "out"), summarise(iap_dataset)
    assert html_summary == text_summary


def test_golden_provenance_invariant_for_every_fact(iap_dataset):
    for fact in read_table_parquet(Fact, iap_dataset / "facts.parquet"):
        text = Path(fact.source_file).read_text(encoding="utf-8")
        assert text[fact.char_start:fact.char_end] == fact.evidence, fact


def test_golden_every_organisation_row_lies_inside_its_source(iap_dataset, iap_text):
    orgs = read_table_csv(Organisation, iap_dataset / "organisations.csv")
    assert len(orgs) == 34
    assert len({o.org_id for o in orgs}) == 34
    spans = [(o.char_start, o.char_end) for o in orgs]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
