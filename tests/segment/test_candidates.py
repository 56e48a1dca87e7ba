"""pipeline.segment.candidates: which lines open a unit, and which only label a field."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.segment.candidates import is_field_label, starts_with_field_label


def label_by_label(text: str, rules) -> bool:
    """starts_with_field_label as first written: every label compared in turn."""
    head = text[:40]
    for label in rules.field_labels:
        if len(head) > len(label) and head[:len(label)].lower() == label:
            after = head[len(label)]
            if not after.isalpha() or after.isupper():
                return True
    return False


@pytest.mark.parametrize("line, expected", [
    ("Formation 1952", True),            # a label, a space, its value
    ("AbbreviationICJ", True),           # flattened from an infobox: glued on with a capital
    ("Founded: 1961", True),
    ("Foundedness of claims", False),    # a longer word that starts like a label
    ("Council of Europe", False),
    ("Founded", False),                  # the label alone: no value after it
])
def test_candidates_a_line_opening_with_a_field_label(rules, line, expected):
    assert starts_with_field_label(line, 0, len(line), rules.segment) is expected


@given(st.data())
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_candidates_field_labels_looked_up_by_length_as_one_by_one(rules, data):
    labels = sorted(rules.segment.field_labels)
    label = data.draw(st.sampled_from(labels))
    case = data.draw(st.sampled_from([str.lower, str.upper, str.title]))
    rest = data.draw(st.text(alphabet="aZ1 :\u00e9\u0130", max_size=6))
    line = case(label) + rest
    assert starts_with_field_label(line, 0, len(line), rules.segment) == \
        label_by_label(line, rules.segment)


def test_candidates_is_field_label(rules):
    assert is_field_label(" Headquarters: ", rules.segment)
    assert not is_field_label("Headquarters of the Council", rules.segment)
