"""pipeline.extract.agreements: agreement mentions, their kind, parties (the grammar in
rules/agreement_parties.yaml) and date."""

from __future__ import annotations

import dataclasses

import pytest

HEADING = "ABA - American Bar Association - The ABA is large.\n\n"


def agreements_of(extract_text, sentence):
    _, xs, _ = extract_text(HEADING + sentence + "\n")
    return xs[0].agreements


def test_agreements_parties_and_date(extract_text):
    (agreement,) = agreements_of(
        extract_text, "The Agreement to cooperate between The American Bar Association Section "
        "of Criminal Justice (SCJ) and the IAP dated 7 March 2014 can be accessed here.")
    assert agreement.kind == "agreement"
    assert agreement.parties == ("The American Bar Association Section of Criminal Justice (SCJ)",
                                 "the IAP")
    assert (agreement.date, agreement.date_precision) == ("2014-03-07", "day")


@pytest.mark.parametrize("sentence,kind,parties", [
    # "with X": the host named before the agreement, and X
    ("The IAP has signed a Memorandum of Understanding with the Council of Europe.", "mou",
     ("IAP", "the Council of Europe")),
    # an "and" before a lower-case word is inside the first party
    ("A letter of intent between bar associations and law societies and the IAP was signed.",
     "letter_of_intent", ("bar associations and law societies", "the IAP")),
    # "between" too far from the agreement's name is not its parties; no date either: no row
    ("An agreement was reached later in talks between A Body and B Body.", None, None),
])
def test_agreements_party_grammar(extract_text, sentence, kind, parties):
    found = agreements_of(extract_text, sentence)
    assert [(a.kind, a.parties) for a in found] == ([(kind, parties)] if kind else [])


def test_agreements_date_cue_right_after_the_name_is_not_a_date(extract_text):
    (agreement,) = agreements_of(extract_text, "The Agreement on 2014 between A Body and B Body.")
    assert agreement.date == ""  # "Agreement on ...": the subject, not a date


def test_agreements_grammar_is_data(rules, nlp, host):
    """A word added to the grammar in rules/ is a word the extractor reads."""
    from pipeline.extract.extractor import Extractor
    from pipeline.ingest.reader import Source, bytes_to_document
    from pipeline.segment.segmenter import document_to_entries

    text = HEADING + "The Agreement to cooperate among A Body and the IAP is here.\n"
    doc = bytes_to_document(text.encode(), Source("p.txt", "text/plain"))
    entries, _, _ = document_to_entries(doc, rules.segment)
    grammar = dataclasses.replace(rules.parties, open=rules.parties.open + ("among",))
    for used, expected in ((rules, ()), (dataclasses.replace(rules, parties=grammar),
                                         ("A Body", "the IAP"))):
        xs = [r for r in Extractor(nlp, used, host).run((e, doc) for e in entries)
              if hasattr(r, "agreements")]
        assert [a.parties for x in xs for a in x.agreements] == ([expected] if expected else [])


def test_agreements_opening_word_at_the_end_of_a_sentence(extract_text):
    # it used to raise IndexError and end the whole run
    assert agreements_of(extract_text, "It signed an agreement between") == ()
