"""Scoring of the evaluation: alignment, per-field counts, relationship mapping (hand-made data)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.evaluation.corpus import GoldOrg
from pipeline.evaluation.relationships import RELATIONSHIP_MAP, map_relationship
from pipeline.evaluation.runner import PredictedOrg
from pipeline.evaluation.score import (
    FIELDS,
    Counts,
    align,
    normalise_name,
    same_place,
    score_corpus,
    score_page,
)

ROOT = Path(__file__).resolve().parents[2]


def pred(name="", acronyms=(), year=None, hq="", rel="none_stated", members=(), org_id="p"):
    return PredictedOrg(org_id, name, tuple(acronyms), year, hq, rel, tuple(members))


def gold(name, acronyms=(), year=None, hq=None, rel=None, members=()):
    return GoldOrg("pages/x.txt", name, tuple(acronyms), year, hq, tuple(members), rel)


def counts(score, field):
    c = score.counts[field]
    return c.tp, c.fp, c.fn


def test_names_are_folded_and_lose_a_leading_article():
    assert normalise_name("The  European Law-Institute.") == normalise_name("european law institute")
    assert normalise_name("African Commission on Human and People’s Rights") == \
        normalise_name("African Commission on Human and People's Rights")


def test_alignment_by_shared_acronym_when_names_differ():
    score = score_page("x", [pred("England Association of Democratic Service Officers", ["ADSO"])],
                       [gold("Association of Democratic Service Officers", ["ADSO"])])
    assert counts(score, "entries") == (1, 0, 0)
    assert counts(score, "acronyms") == (1, 0, 0)
    assert [p.basis for p in score.pairs] == ["acronym"]


def test_alignment_of_a_name_with_an_acronym_both_ways():
    pairs = align([pred("INTERPOL"), pred("Organisation for Security", ["OSCE"])],
                  [gold("International Criminal Police Organization", ["INTERPOL"]), gold("OSCE")])
    assert pairs == [(0, 0, "name~acronym"), (1, 1, "name~acronym")]


def test_alignment_is_one_to_one_and_prefers_the_row_whose_values_agree():
    bare = pred("East Africa Law Society", org_id="bare")
    full = pred("East Africa Law Society", ["EALS"], members=[12000], org_id="full")
    score = score_page("x", [bare, full], [gold("East Africa Law Society", ["EALS"],
                                                 members=[12000])])
    assert counts(score, "entries") == (1, 1, 0)
    assert counts(score, "membership") == (1, 0, 0)
    assert [m.value for m in score.misses if m.field == "entries"] == ["bare"]


def test_a_name_beats_an_acronym_in_alignment():
    # both predictions could take the gold record; the exact name wins, the other is spurious
    pairs = align([pred("UN Economic Commission", ["UN"]), pred("United Nations")],
                  [gold("United Nations", ["UN"])])
    assert pairs == [(1, 0, "name")]


def test_values_of_a_spurious_organisation_are_false_positives():
    score = score_page("x", [pred("Text Size", ["TS"], 1999, "Paris", "partner", [5])],
                       [gold("Egmont Group", year=1995, hq="Toronto, Canada", members=[166])])
    assert counts(score, "entries") == (0, 1, 1)
    assert counts(score, "acronyms") == (0, 1, 0)
    assert counts(score, "founded_year") == (0, 1, 1)
    assert counts(score, "headquarters") == (0, 1, 1)
    assert counts(score, "membership") == (0, 1, 1)
    assert counts(score, "relationship") == (0, 1, 0)  # the gold record states no relation


def test_a_wrong_value_is_one_false_positive_and_one_false_negative():
    score = score_page("x", [pred("CCBE", year=1961)], [gold("CCBE", year=1960)])
    assert counts(score, "founded_year") == (0, 1, 1)


def test_headquarters_match_when_one_place_is_a_whole_word_part_of_the_other():
    assert same_place("Strasbourg", "Strasbourg, France")
    assert same_place("Rome, Italy", "Rome (Italy) Via Flaminia, 160")
    assert same_place("Geneva, Switzerland", "Geneva")
    assert not same_place("Strasbourg", "Strasbourger Str. 5, Berlin")
    assert not same_place("", "Geneva")
    score = score_page("x", [pred("ILO", hq="Geneva")], [gold("ILO", hq="Geneva, Switzerland")])
    assert counts(score, "headquarters") == (1, 0, 0)


def test_acronyms_are_compared_case_sensitively_and_membership_as_sets():
    score = score_page("x", [pred("European Court of Human Rights", ["ECTHR"], members=[6, 6, 10])],
                       [gold("European Court of Human Rights", ["ECtHR"], members=[10, 12])])
    assert counts(score, "acronyms") == (0, 1, 1)
    assert counts(score, "membership") == (1, 1, 1)


@pytest.mark.parametrize("term,gold_type,expected", [
    ("organisational_member_of_host", "member_of_host", (1, 0, 0)),
    ("host_member_of", "host_is_member", (1, 0, 0)),
    ("observer_status", "observer", (1, 0, 0)),
    ("relationship", "cooperation", (1, 0, 0)),
    ("participation", "cooperation", (1, 0, 0)),
    ("none_stated", "partner", (0, 0, 1)),
    ("none_stated", None, (0, 0, 0)),
    ("partner", None, (0, 1, 0)),
    ("mou", "agreement", (0, 1, 1)),
])
def test_relationship_terms_are_mapped_to_the_gold_vocabulary(term, gold_type, expected):
    score = score_page("x", [pred("Europol", rel=term)], [gold("Europol", rel=gold_type)])
    assert counts(score, "relationship") == expected


def test_every_pipeline_relationship_term_is_mapped():
    terms = yaml.safe_load((ROOT / "rules" / "host_relationship.yaml").read_text())["terms"]
    assert {t["term"] for t in terms} <= set(RELATIONSHIP_MAP)
    assert map_relationship("none_stated") is None and map_relationship("") is None
    assert map_relationship("a_new_term") == "a_new_term"  # never silently right


def test_figures_are_micro_averaged_and_zero_when_undefined():
    score = score_corpus([
        ("a", [pred("A", ["A1"])], [gold("A", ["A1"]), gold("B")], ""),
        ("b", [pred("C"), pred("D")], [gold("C")], ""),
    ])
    entries = score.totals["entries"]
    assert (entries.tp, entries.fp, entries.fn) == (2, 1, 1)
    assert entries.precision == pytest.approx(2 / 3) and entries.recall == pytest.approx(2 / 3)
    assert [p.file for p in score.pages] == ["a", "b"]
    assert set(score.totals) == set(FIELDS)
    assert Counts().as_dict() == {"tp": 0, "fp": 0, "fn": 0, "precision": 0.0, "recall": 0.0,
                                  "f1": 0.0}
