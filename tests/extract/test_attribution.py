"""pipeline.extract.attribution: whether a matched phrase is about the entry's organisation."""

from __future__ import annotations

import pytest
from conftest import one

from pipeline.extract.attribution import EntryRef, Vocab, about_entry, refers_to


def test_attribution_founded_not_a_predecessors_founding(extract_text):
    _, xs, issues = extract_text(
        "AIDP - The International Association of Penal Law (AIDP) is a network.\n\n"
        "Founded in 1924, the AIDP carries on the work undertaken by the International Union "
        "of Penal law founded in 1889.\n")
    assert one(xs, "founded") == ["1924"]
    assert any(i.reason == "not_used:object_of_by" for i in issues)


@pytest.fixture(scope="module")
def vocab(rules):
    return Vocab.from_rules(rules.vocab, rules.segment.function_words)


@pytest.fixture(scope="module")
def ref(vocab):
    return EntryRef.from_names(["Council of Europe"], ["COE"], vocab.function_words)


@pytest.mark.parametrize("phrase,expected", [
    ("the COE", True), ("The Council of Europe", True), ("It", True),
    ("the commission", True),          # a description whose head is a word for an organisation
    ("the regional secretariat", True),
    ("the European Court of Human Rights", False),
    ("The annual conference", False),  # refused by default: an event is not the organisation
    ("the programme", False), ("the first meeting", False), ("", False),
])
def test_attribution_refers_to(nlp, vocab, ref, phrase, expected):
    assert refers_to(list(nlp.make_doc(phrase)), ref, vocab) is expected


@pytest.mark.parametrize("sentence,trigger,expected", [
    ("Founded in 1949, the COE grew.", "Founded", (True, "")),
    # a trigger opening the second sentence: nothing of the first is before it
    ("The European Court of Human Rights met. Founded in 1949, the COE grew.", "Founded",
     (True, "")),
    ("The COE was founded in 1949.", "founded", (True, "")),
    ("It was set up by the European Court of Human Rights founded in 1959.", "founded",
     (False, "object_of_by")),
    ("The European Court of Human Rights was founded in 1959.", "founded",
     (False, "subject_is_other_body")),
    ("It advises a body established in 2002.", "established", (False, "indefinite_phrase")),
    ("The annual conference was established in 2005.", "established",
     (False, "subject_is_other_body")),
    ("The Secretariat is housed with Eurojust.", "Secretariat", (True, "")),
])
def test_attribution_about_entry(nlp, vocab, ref, sentence, trigger, expected):
    doc = nlp(sentence)
    i = next(t.i for t in doc if t.text == trigger)
    assert about_entry(doc, i, ref, vocab) == expected


@pytest.mark.parametrize("sentence", [
    "The annual conference was established in 2005.",
    "The training programme was launched in 2011.",
    "The first meeting was held in 1990 and the project was created in 1991.",
])
def test_attribution_founded_refuses_events_and_programmes(extract_text, sentence):
    _, xs, _ = extract_text(f"COE - Council of Europe - The COE works on law. {sentence}\n")
    assert one(xs, "founded") == []


def test_attribution_its_headquarters_are_the_entry_own(extract_text):
    _, xs, _ = extract_text(
        "NCJ - Nordic Council of Judges - The NCJ brings judges together. The motto of the NCJ "
        "is Lex una and its headquarters are located in Oslo.\n\n"
        "ABU - Alpine Bar Union - The ABU meets yearly.\n")
    assert one(xs, "headquarters") == ["Oslo"]


@pytest.mark.parametrize("names,acronyms,expected", [
    (["International Association of Prosecutors"], [], True),
    (["the International Association of Prosecutors (.)"], [], True),   # the same words
    (["International Association of Young Prosecutors"], [], False),
    (["Prosecutors"], ["IAP"], True),                                   # the host's acronym
    (["Association of Prosecutors"], [], False),
])
def test_attribution_is_host_compares_the_words_of_names(vocab, names, acronyms, expected):
    from pipeline.extract.attribution import is_host, name_words
    from pipeline.settings import Host

    host = Host(name="International Association of Prosecutors", acronym="IAP")
    assert is_host(names, set(acronyms), host, vocab) is expected
    assert name_words("The ( International ) Association of Prosecutors.",
                      vocab.function_words) == {"international", "association", "prosecutors"}
