"""Acronym definitions in running text: "Long Form (ACR)" and "ACR (Long Form)".

An abbreviation-definition search in the manner of Schwartz & Hearst (2003): the long form is
the shortest run of words before the bracket (or inside it) whose initials spell the acronym.
Reads: a text and a span of it. Writes: `Definition`s (acronym and long form as spans into the
text, and the rule that found them). Used by the entity layer (`segment.organisations`) and by
`extract.names`: one definition finder for both. Also the acronyms a text uses, defined or not
(`used_acronyms`), which the entity layer takes as names where they recur.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from pipeline.segment.labels import WORD as WORDS
from pipeline.segment.labels import is_acronym

# "Long Form (ACR)": a bracketed acronym; the long form is searched in the words before it.
PAREN_SHORT = re.compile(r"\(\s*([A-Z][A-Za-z0-9&/.\-]{1,15})\s*\)")
# "ACR (Long Form)" or "ACR(Long Form" closed by ")" or by the end of the sentence.
SHORT_PAREN = re.compile(
    r"\b([A-Z][A-Za-z0-9&/.\-]{1,15})\s*\(\s*([^()]{3,160}?)\s*(?:\)|(?=\.(?:\s|$))|$)")
SHORT_CHARS = 16   # the most characters of the acronym SHORT_PAREN's group 1 reads
# How far before a bracket a long form may start.
LOOK_BACK = 200
STRIPPED = "’',.-"   # around a word of a long form


@dataclass(frozen=True)
class Definition:
    """An acronym and its long form, as spans into the text, and the rule that paired them."""

    acronym: tuple[int, int]
    long_form: tuple[int, int]
    rule_id: str


def initials_match(acronym: str, words: list[str], function_words: frozenset) -> bool:
    """Whether the acronym's letters are the initials of the words, in order.

    Function words may be skipped or used ("COE": Council of Europe); one content word may be
    skipped ("ICTY": ... for former Yugoslavia); a letter may also come from inside the word
    whose initial was used just before ("SEEPAG": SouthEast)."""
    stripped = [w for w in (word.strip(STRIPPED) for word in words) if w]
    return _spelled([c.lower() for c in acronym if c.isalpha()], stripped,
                    [w.lower() for w in stripped], function_words)


def _spelled(letters: list[str], words: list[str], lowered: list[str],
             function_words: frozenset) -> bool:
    """`initials_match` of the acronym's letters (lower case) and words already stripped (none
    empty), and lowered."""
    first = next((w for w, low in zip(words, lowered) if low not in function_words), None)
    if not letters or first is None or first[0].lower() != letters[0]:
        return False
    return _match(letters, lowered, function_words, 0, 0, skips=1)


def _match(letters, words, function_words, li, wi, skips) -> bool:
    if li == len(letters):
        rest = [w for w in words[wi:] if w not in function_words]
        return len(rest) <= skips
    if wi == len(words):
        return False
    word = words[wi]
    if word[0] == letters[li]:
        # use this word's initial, then maybe more letters from inside it
        k = li + 1
        if _match(letters, words, function_words, k, wi + 1, skips):
            return True
        pos = 1
        while k < len(letters):
            pos = word.find(letters[k], pos)
            if pos < 0:
                break
            k, pos = k + 1, pos + 1
            if _match(letters, words, function_words, k, wi + 1, skips):
                return True
    if word in function_words:
        return _match(letters, words, function_words, li, wi + 1, skips)
    return skips > 0 and _match(letters, words, function_words, li, wi + 1, skips - 1)


def split_acronyms(text: str) -> list[str]:
    """'AIDP/IAPL' names two acronyms."""
    return [part for part in text.split("/") if part]


def long_form_before(text: str, end: int, acronym: str, function_words: frozenset,
                     start_limit: int) -> Optional[tuple[int, int]]:
    """Span of the shortest run of words before `end` whose initials spell the acronym."""
    found = list(WORDS.finditer(text, start_limit, end))
    letters = [c.lower() for c in acronym if c.isalpha()]
    # only the last words can be read (a run is at most five words longer than the acronym);
    # each is stripped and lowered once, not once for every run holding it
    tail = found[len(found) - min(len(found), len(letters) + 5):]
    stripped = [m.group().strip(STRIPPED) for m in tail]
    lowered = [w.lower() for w in stripped]
    first = letters[0] if letters else ""
    for i in range(len(tail) - 1, -1, -1):   # the runs tail[i:], shortest first
        # a run opening with a content word whose initial is not the acronym's first letter
        # is no long form (`initials_match`'s own first test, without reading the run)
        opening = stripped[i]
        if opening and lowered[i] not in function_words and opening[0].lower() != first:
            continue
        kept = [k for k in range(i, len(tail)) if stripped[k]]
        if _spelled(letters, [stripped[k] for k in kept], [lowered[k] for k in kept],
                    function_words):
            return tail[i].start(), tail[-1].end()
    return None


QUOTES = "\"“”'‘’"


def _unquoted(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span without quotes around it ('“International Union of Latin Notaries"')."""
    s, e = span
    while s < e and text[s] in QUOTES:
        s += 1
    while e > s and text[e - 1] in QUOTES:
        e -= 1
    return s, e


def find_definitions(text: str, start: int, end: int, function_words: frozenset
                     ) -> Iterator[Definition]:
    """Acronym definitions in text[start:end], both ways, in the order the patterns find them."""
    if text.find("(", start, end) == -1:   # both ways need a bracket (a cheap test first)
        return
    for m in PAREN_SHORT.finditer(text, start, end):
        if not is_acronym(m.group(1)):
            continue
        pos = m.start(1)
        for acronym in split_acronyms(m.group(1)):  # "(AIDP/IAPL)": either part may match
            at = text.index(acronym, pos)
            pos = at + len(acronym)
            span = long_form_before(text, m.start(), acronym, function_words,
                                    max(start, m.start() - LOOK_BACK))
            if span:
                yield Definition((at, at + len(acronym)), _unquoted(text, span),
                                 "names.definition_long_short")
    for m in short_paren_matches(text, start, end):
        acronym, long = m.group(1), m.group(2)
        if is_acronym(acronym) and initials_match(acronym, long.split(), function_words):
            yield Definition(m.span(1), (m.start(2), m.start(2) + len(long)),
                             "names.definition_short_long")


def short_paren_matches(text: str, start: int, end: int) -> Iterator[re.Match]:
    """`SHORT_PAREN.finditer(text, start, end)`, tried only where a match can start: at most
    SHORT_CHARS characters (and the spaces after them) before a bracket, the first after the
    match's start, as the acronym holds neither brackets nor spaces. `finditer` tries every
    character of the text, most of an entry's cost of finding definitions."""
    pos = start
    while True:
        bracket = text.find("(", pos, end)
        if bracket == -1:
            return
        first = bracket
        while first > pos and text[first - 1].isspace():   # `\s` is str.isspace
            first -= 1
        for at in range(max(pos, first - SHORT_CHARS), first):
            if "A" <= text[at] <= "Z":
                m = SHORT_PAREN.match(text, at, end)   # `\b` reads text[at - 1] as finditer
                if m:
                    yield m
                    pos = m.end()
                    break
        else:
            pos = bracket + 1


def used_acronyms(text: str, start: int, end: int, common: frozenset) -> dict[str, list]:
    """The spans of each acronym text[start:end] uses (three capitals at least, not one of the
    `common` acronyms, not a word of a line set in capitals), by acronym."""
    found: dict[str, list] = {}
    for m in re.finditer(r"[A-Z][A-Za-z0-9&\-]+", text[start:end]):
        word = m.group().rstrip("-")
        if word.isupper() and len(word) >= 3 and is_acronym(word) \
                and word not in common \
                and not _in_capitals(text, start + m.start(), start + m.start() + len(word)):
            found.setdefault(word, []).append((start + m.start(), start + m.start() + len(word)))
    return found


CAPITAL_WORD = re.compile(r"[A-Z][A-Z’'\-]+")


def _in_capitals(text: str, s: int, e: int) -> bool:
    """Whether the word stands in a run of words in capitals ("THE LAW COUNCIL WAS ..."), where
    capitals are the typesetting, not an acronym."""
    before = text[max(0, s - 30):s].split()
    after = text[e:e + 30].split()
    return bool(before and CAPITAL_WORD.fullmatch(before[-1])) or \
        bool(after and CAPITAL_WORD.fullmatch(after[0]))
