"""pipeline.extract.dates: DATE entities, found once, that the founding patterns read."""

from __future__ import annotations

import pytest


def dates(nlp, text):
    return [e.text for e in nlp(text).ents if e.label_ == "DATE"]


@pytest.mark.parametrize("text,found", [
    ("Founded on 5 May 1949 by ten states.", ["5 May 1949"]),
    ("It was set up in March 2001.", ["March 2001"]),
    ("Signed on May 5, 1949 in London.", ["May 5, 1949"]),
    ("It originated in the late 90s.", ["late 90s"]),
    ("It was created on 03/04/2005.", ["03/04/2005"]),
    ("It was founded in\t1924.", ["1924"]),
])
def test_dates_are_entities(nlp, text, found):
    assert dates(nlp, text) == found


@pytest.mark.parametrize("text,found", [
    ("The office in Vienna, 1949", ["1949"]),          # a comma after a place is not the date's
    ("It has 400 members and 12 offices.", []),        # counts are not dates
    ("Article 5 of the Statute", []),
    ("In May the Council met.", []),                   # a month without a year is no date here
])
def test_dates_not_dates(nlp, text, found):
    assert dates(nlp, text) == found


def test_dates_a_month_is_never_a_place(nlp):
    doc = nlp("It was set up in March 2001.")
    assert [e.label_ for e in doc.ents] == ["DATE"]


def test_dates_are_found_the_same_when_the_shape_cache_starts_again():
    import spacy

    from pipeline.extract.dates import Dates

    nlp = spacy.blank("en")
    finder = Dates(["May"], [])
    finder.MAX_SHAPES = 1   # every document starts the cache again
    for text, found in [("Founded on 5 May 1949.", ["5 May 1949"]),
                        ("Set up in 1950 in Rome.", ["1950"]),
                        ("Founded on 5 May 1949.", ["5 May 1949"])]:
        assert [e.text for e in finder(nlp(text)).ents] == found


def test_dates_leave_an_existing_entity_whole(nlp):
    from spacy.tokens import Span

    from pipeline.extract.doc_reading import add_entities

    doc = nlp.make_doc("Founded in May 2001, it met in 1999.")
    add_entities(doc, [Span(doc, 2, 3, label="HOST")])   # "May" is already an entity
    nlp.get_pipe("partners_dates")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("May", "HOST"), ("1999", "DATE")]
