"""A new word's lexical attributes: each function gives spaCy's value for any string, and a
built pipeline's words have the attributes spaCy's own vocabulary gives them."""

import spacy
from hypothesis import example, given, settings
from hypothesis import strategies as st
from spacy.attrs import IS_ASCII, LIKE_NUM, LIKE_URL, SHAPE
from spacy.lang import lex_attrs as base
from spacy.lang.en import lex_attrs as english

from pipeline.extract import lexeme_attrs
from pipeline.extract.lexeme_attrs import is_ascii, like_num, like_url, word_shape

PIECES = ["http://", "https://", "www.", ".", "/", ":", "@", "org", "com", "x", "-", "+",
          "±", "~", ",", "1", "12", "3rd", "th", "twelve", "Third", "İ", "é", "\u00a0", " ",
          "\n", "a", "Z", "ǅ", "二", "½", "²", "Eheh", "EHEH", "lawyers", "ß", "ﬁ", "Σ", "ς",
          "1900"]
WORDS = st.one_of(st.text(min_size=1), st.lists(st.sampled_from(PIECES), min_size=1,
                                                 max_size=5).map("".join))


@settings(max_examples=1500, deadline=None)
@given(WORDS)
@example("twelve")
@example("Twentieth")
@example("http://x")
@example("https:example")
@example("www.")
@example("iap-association.org")
@example(".")
@example("İ")
@example("İstanbul")
@example("ǅemal")
@example("Zweiter" * 15)
def test_lexeme_attrs_give_spacys_values(text):
    assert is_ascii(text) == base.is_ascii(text)
    assert word_shape(text) == base.word_shape(text)
    assert like_url(text) == base.like_url(text)
    assert like_num(text) == english.like_num(text)


def test_lexeme_attrs_every_number_word_is_like_a_number_in_any_case():
    for word in english._num_words + english._ordinal_words:
        for form in (word, word.title(), word.upper()):
            assert like_num(form) is True is english.like_num(form)


def test_lexeme_attrs_number_words_are_spacys_lists_or_none_when_renamed():
    """spaCy's lists are private: a spaCy without them under these names keeps its own
    `like_num` (nothing is read from a list that is not there)."""
    import types

    words = lexeme_attrs.number_words(english)
    assert {"twelve", "third", "million"} <= words
    assert lexeme_attrs.number_words(types.SimpleNamespace(num_words=["one"])) is None
    assert lexeme_attrs.number_words(types.SimpleNamespace(_num_words=None,
                                                           _ordinal_words=None)) is None


def test_lexeme_attrs_speed_up_replaces_only_spacys_own_getters():
    nlp = spacy.blank("en")
    own = lambda text: False  # noqa: E731
    nlp.vocab.lex_attr_getters[LIKE_URL] = own
    lexeme_attrs.speed_up(nlp.vocab)
    getters = nlp.vocab.lex_attr_getters
    assert getters[IS_ASCII] is is_ascii and getters[LIKE_NUM] is like_num
    assert getters[SHAPE] is word_shape
    assert getters[LIKE_URL] is own


def test_lexeme_attrs_a_built_pipeline_reads_words_as_spacy_does():
    from pipeline.extract.nlp import TOKENIZER

    ours = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    assert ours.vocab.lex_attr_getters[LIKE_NUM] is like_num
    theirs = spacy.blank("en")
    text = ("Founded in 1912 (twelve years on), www.iap-association.org has 1,300 members; "
            "see https://example.org or mail a@b.org. Ärzte Zweiter 3rd ½")
    for a, b in zip(ours.tokenizer(text), theirs.tokenizer(text)):
        assert (a.text, a.is_ascii, a.like_url, a.like_num, a.shape_) == \
            (b.text, b.is_ascii, b.like_url, b.like_num, b.shape_)


def test_lexeme_attrs_word_shape_is_spacys_for_every_character():
    """Each letter and digit (any other character leaves the short paths) alone, five times,
    and after a capital before lower-case letters: the short paths' case and digit tests agree
    with spaCy's test of each character."""
    for c in filter(lambda c: c.isalpha() or c.isdigit(), map(chr, range(0x110000))):
        for text in (c, c * 5, "A" + c + "bc"):
            assert word_shape(text) == base.word_shape(text), repr(text)
