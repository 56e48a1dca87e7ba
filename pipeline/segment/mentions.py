"""Where a text writes any of a page's forms (names, acronyms) as whole words: the words of a
form with any spaces or line breaks between them, not inside a longer word or hyphenated
compound; leftmost first, and where several forms start at one character, the one listed first
(the longest: "High Commissioner for Human Rights" before "Commissioner for Human Rights").

Read with `str.find`, not as one regular expression of all the forms: such an expression is
new on every page, and Python's `re` compiles a pattern in Python code (segmenting the 25 real
pages with `re`'s cache emptied took 1,390 µs a page with the patterns, 1,197 without; a run
over copies of the same pages hid this, their patterns cached). What the pattern did is kept
exactly: `\\w` is `str.isalnum` or "_", `\\s` is `str.isspace`, and the end of the span read
ends a word, as the end of a search's span does for a regular expression.
"""

from __future__ import annotations

from typing import Optional


def is_word_char(c: str) -> bool:
    """A character of `\\w` (Python's `re` on str)."""
    return c.isalnum() or c == "_"


def written_in(word: str, body: str) -> bool:
    """Whether body holds the word with no word character on either side: what
    `re.search(r"(?<!\\w)" + re.escape(word) + r"(?!\\w)", body)` finds, with no pattern
    compiled for each word (a heading's name: a new one on every page)."""
    at = body.find(word)
    while at != -1:
        stop = at + len(word)
        if (at == 0 or not is_word_char(body[at - 1])) and \
                (stop == len(body) or not is_word_char(body[stop])):
            return True
        at = body.find(word, at + 1)
    return False


def _joins_word(c: str) -> bool:
    """A character a mention can neither follow nor precede: a word's, or a hyphen."""
    return c == "-" or is_word_char(c)


def _end_of(text: str, at: int, words: list[str], end: int) -> Optional[int]:
    """Where the form's words, the first at `at`, end: each next word after at least one space
    (any whitespace), no word character or hyphen after the last; None where they are not all
    there."""
    p = at + len(words[0])
    for word in words[1:]:
        if p >= end or not text[p].isspace():
            return None
        p += 1
        while p < end and text[p].isspace():
            p += 1
        if not text.startswith(word, p, end):
            return None
        p += len(word)
    if p < end and _joins_word(text[p]):
        return None
    return p


def find_mentions(text: str, start: int, end: int, forms: list[str]) -> list[tuple[int, int, int]]:
    """(start, end, form number) of each mention in text[start:end] of the `forms` (words with
    single spaces between them, in order of preference), in text order, none overlapping."""
    hits = []
    for k, form in enumerate(forms):
        words = form.split()
        if not words:
            continue
        at = text.find(words[0], start, end)
        while at != -1:
            stop = _end_of(text, at, words, end)
            if stop is not None:
                hits.append((at, k, stop))
            at = text.find(words[0], at + 1, end)
    hits.sort()
    out, pos = [], start
    for at, k, stop in hits:
        if at < pos:
            continue   # inside the last mention, or a later form at the same character
        if at > 0 and _joins_word(text[at - 1]):
            pos = at + 1   # inside a word: the forms that start here are not mentions either
            continue
        out.append((at, stop, k))
        pos = stop
    return out
