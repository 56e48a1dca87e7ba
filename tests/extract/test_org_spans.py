"""pipeline.extract.org_spans: the entity layer as a spaCy component writing ORG spans."""

from __future__ import annotations

import pytest
import spacy


@pytest.fixture(scope="module")
def nlp(rules, host):
    from pipeline.extract.nlp import build_nlp

    return build_nlp(rules, host, org_spans=True)


def test_organisations_component_writes_org_spans_with_rule_ids(nlp):
    doc = nlp("The RBC is a member of the Alpine Lawyers Network (ALN). The ALN met the "
              "Danube Judges Association last year.")
    found = [(s.text, s.label_, s.id_) for s in doc.spans["ORG"]]
    assert found == [("Alpine Lawyers Network", "ORG", "names.definition_long_short"),
                     ("ALN", "ORG", "names.definition_long_short"),
                     ("ALN", "ORG", "names.definition_long_short"),
                     ("Danube Judges Association", "ORG", "org.head_noun")]


def test_organisations_component_round_trips_with_the_pipeline(nlp, tmp_path):
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    text = "It cooperates with the Danube Judges Association."
    mine, theirs = nlp(text), loaded(text)  # (a span group lives as long as its doc)
    assert [s.text for s in theirs.spans["ORG"]] == [s.text for s in mine.spans["ORG"]] == [
        "Danube Judges Association"]
    assert loaded.get_pipe("partners_organisations").rules == nlp.get_pipe(
        "partners_organisations").rules
