"""pipeline.extract.sentencizer: spaCy's sentencizer rule, read from token arrays."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from spacy.pipeline import Sentencizer

from pipeline.extract.nlp import mark_line_starts
from pipeline.extract.sentencizer import ArraySentencizer

# sentence stops (".", "!", "?", "。"), other punctuation, words and whitespace
ALPHABET = "ab.!?。,;()\"'…- \n\t\u00a0"


def starts(doc) -> list:
    return [t.is_sent_start for t in doc]


@given(st.text(alphabet=ALPHABET, max_size=80), st.integers(-3, 90))
def test_sets_the_starts_spacys_sentencizer_sets(nlp, text, body):
    """The same starts as spaCy's own, with line starts set before it (kept) or not."""
    for mark in (False, True):
        ours, theirs = nlp.make_doc(text), nlp.make_doc(text)
        if mark:
            mark_line_starts(ours, text, body)
            mark_line_starts(theirs, text, body)
        assert starts(ArraySentencizer()(ours)) == starts(Sentencizer()(theirs))


@given(st.text(alphabet=ALPHABET, max_size=80))
def test_overwrite_and_own_punctuation_as_spacys(nlp, text):
    ours, theirs = nlp.make_doc(text), nlp.make_doc(text)
    mark_line_starts(ours, text, 3)
    mark_line_starts(theirs, text, 3)
    settings = {"punct_chars": [";", "!"], "overwrite": True}
    assert starts(ArraySentencizer(**settings)(ours)) == starts(Sentencizer(**settings)(theirs))


def test_examples(nlp):
    """A sentence starts at the first word after a stop: punctuation between stays behind."""
    doc = ArraySentencizer()(nlp.make_doc("It was founded in 1950. (It has 12 members.) Next!"))
    assert [s.text for s in doc.sents] == ["It was founded in 1950. (", "It has 12 members.)",
                                           "Next!"]
    assert [s.text for s in ArraySentencizer()(nlp.make_doc("")).sents] == []


def test_punctuation_read_back_from_bytes_is_used(nlp):
    saved = ArraySentencizer(punct_chars=[";"]).to_bytes()
    loaded = ArraySentencizer().from_bytes(saved)
    doc = loaded(nlp.make_doc("One; two. Three"))
    assert [s.text for s in doc.sents] == ["One;", "two. Three"]


def test_the_pipeline_uses_it(nlp):
    assert isinstance(nlp.get_pipe("sentencizer"), ArraySentencizer)
