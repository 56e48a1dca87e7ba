"""A new word's lexical attributes: spaCy's values, found in fewer Python steps.

The first time spaCy's vocabulary meets a word (`Vocab._new_lexeme`) it calls each of its
`lex_attr_getters`, about two dozen functions, in Python: 4.5 microseconds a word. Three of
them read the word a character at a time or search a list: whether it is ASCII, like a URL,
like a number (English). A page no one has run before is mostly words the vocabulary has not
met (1,800 in the 25 pages of the evaluation corpus), and so is a list of made-up names.

`speed_up(vocab)` puts in their place functions that give the same value for every string,
with `str` methods that run in C; a word off a function's short path gets spaCy's own. Over
the words of one sentence (ASCII, URL, number): 0.39, 1.10 and 1.78 microseconds a word
against 0.07, 0.27 and 0.67. The shape of a word of letters in one case, capitalised, or of
digits (most words) is read with `str` methods too: over the 2,152 distinct tokens of the 25
real pages, 0.80 microseconds a token with spaCy's (its most costly getter), 0.34 now
(`str.translate` and a pattern for a shape's runs were slower than spaCy's). A getter that
is not spaCy's (another language's, a pipeline's own) is left as it is. Tests compare each
function with spaCy's over generated strings. Written here because spaCy has no faster form
of them; they are spaCy's definitions, not rules.
"""

from __future__ import annotations

from typing import Optional

from spacy.attrs import IS_ASCII, LIKE_NUM, LIKE_URL, SHAPE
from spacy.lang import lex_attrs as base
from spacy.lang.en import lex_attrs as english
from spacy.vocab import Vocab


def number_words(lang_attrs) -> Optional[frozenset]:
    """The number and ordinal words of a language's `lex_attrs` module, or None when it does
    not have them under the names spaCy 3 gives them (private names: a spaCy that renames
    them keeps its own `like_num`, not a wrong set)."""
    try:
        return frozenset(lang_attrs._num_words) | frozenset(lang_attrs._ordinal_words)
    except (AttributeError, TypeError):
        return None


_NUMBER_WORDS = number_words(english)


def is_ascii(text: str) -> bool:
    """`spacy.lang.lex_attrs.is_ascii`."""
    return text.isascii()


def like_url(text: str) -> bool:
    """`spacy.lang.lex_attrs.like_url`: without a dot, a word is like a URL only when it
    starts with a scheme."""
    if text and "." not in text:
        return text.startswith(("http://", "https://"))
    return base.like_url(text)


def like_num(text: str) -> bool:
    """`spacy.lang.en.lex_attrs.like_num`: a word of letters only is like a number when it
    is a number word or an ordinal ("twelve", "Third")."""
    if text.isalpha() and _NUMBER_WORDS is not None:
        return text.lower() in _NUMBER_WORDS
    return english.like_num(text)


def word_shape(text: str) -> str:
    """`spacy.lang.lex_attrs.word_shape`: a word of letters in one case, or capitalised, or of
    digits, is its runs of "x", "X" and "d" (each cut at four), read without a step per
    character; any other word is spaCy's."""
    n = len(text)
    if 0 < n < 100:
        if text.isdigit():
            return "dddd"[:n]
        if text.isalpha():
            if text.islower():   # (an uncased letter is "x" too, as in spaCy's)
                return "xxxx"[:n]
            if text.isascii() and text.isupper():
                return "XXXX"[:n]
            if n > 1 and text[0].isupper() and text[1:].islower():
                return "X" + "xxxx"[:n - 1]
    return base.word_shape(text)


FASTER = {IS_ASCII: (base.is_ascii, is_ascii), LIKE_URL: (base.like_url, like_url),
          SHAPE: (base.word_shape, word_shape)}
if _NUMBER_WORDS is not None:
    FASTER[LIKE_NUM] = (english.like_num, like_num)


def speed_up(vocab: Vocab) -> None:
    """Give the vocabulary these functions where it has spaCy's own."""
    getters = vocab.lex_attr_getters
    for attr, (spacys, faster) in FASTER.items():
        if getters.get(attr) is spacys:
            getters[attr] = faster
