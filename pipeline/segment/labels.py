"""Heading text -> labels: which parts of a heading are a group, an acronym, a name.

Reads: a span of a document's text (a heading, a lead-in, a table cell, the start of a paragraph).
Writes: a `Heading` (where it ends, its labels as (role, start, end) spans into the text), or
None when the span reads as prose; and how much a heading looks like an organisation's
(`org_likeness`). Layouts: `ACR - Name` (hyphen, en or em dash, any spacing), `Name (ACR)`,
`ACR (Name)`, `ACR: Name`, `1. Name (ACR)`, `NAME IN CAPITALS (ACR)`, a recurring group prefix
(`Special Tribunals and Courts - ICC`). The words it needs are in rules/segment.yaml.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Optional

# A heading separator: a hyphen with space before it ("COE -Council"), or an en/em dash with
# space on either side. Hyphens inside words ("Agenda-promoting") never separate. The matches of
# `S+[-D]S*|S*[D]S+` (S a space, D an en or em dash), written to open with one character class,
# which lets the regex engine skip to spaces and dashes (that form was tried at every character:
# 1.8 times the time over a page).
_S, _D = r"[ \t\u00a0]", r"[\u2013\u2014]"
SEPARATOR = re.compile(rf"[ \t\u00a0\u2013\u2014](?:(?<={_S})(?:{_S}*[-\u2013\u2014]{_S}*"
                       rf"|{_S}*{_D}{_S}+)|(?<={_D}){_S}+)")
# An acronym, with parts after a slash or dot ("AIDP/IAPL", "UN/ECE") and a hyphenated qualifier
# word ("EJN-Civil": the acronym of a network's civil branch).
ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&]*(?:[/.][A-Za-z0-9&]+)*(?:-[A-Za-z]+)?\.?")
# An acronym in brackets closing the text. It, PAREN_TAIL, SENTENCE_PUNCT and ACRONYM_COLON open
# with one character class (look-behinds tell their alternatives apart), as `SEPARATOR` does; the
# tests keep their first forms, opening with `\s*` or alternatives, tried at every character.
PAREN_ACRONYM = re.compile(r"[\s(](?:(?<=\()|(?<=\s)\s*\()([A-Z][A-Za-z0-9&/.\-]{1,15})\)\s*$")
# A bracket closing a heading part that is no acronym: a country code ("(D)", "(GB)"), a label
# of the relation ("(Memorandum of Agreement)"), the name in another language: never the name.
PAREN_TAIL = re.compile(r"[\s(](?:(?<=\()|(?<=\s)\s*\()([^()]{1,80})\)\s*$")
WORD = re.compile(r"[^\s()]+")
SENTENCE_PUNCT = re.compile(r"[,;:!?.wh](?:(?<=[,;:!?])|(?<=\.)(?=\s|$)|(?<=w)ww\.|(?<=h)ttps?:)")


@dataclass(frozen=True)
class SegmentRules:
    function_words: frozenset
    head_nouns: frozenset = frozenset()
    field_labels: frozenset = frozenset()
    # (label, field) of the value labels a table header names its columns with ("estd.",
    # "founded"), from `field_labels` of rules/vocabularies.yaml
    column_labels: tuple = ()
    max_label_words: int = 12
    max_heading_chars: int = 120
    min_capitalised_share: float = 0.5
    sub_body_heads: frozenset = frozenset()   # "Working Group on ...": a part of a body
    section_leads: frozenset = frozenset()    # "About Us": a section's title, no name
    # the entity layer (rules/organisations.yaml, read by extract.rules.load_rules)
    instrument_words: frozenset = frozenset()
    common_acronyms: frozenset = frozenset()
    fact_words: frozenset = frozenset()       # a sentence stating a fact about an organisation
    host_fact_words: frozenset = frozenset()  # ... about the host itself (founding, seat, members)
    host_pronouns: frozenset = frozenset()    # words that refer back to the host ("it", "we")
    host_subject_pronouns: frozenset = frozenset()  # ... as a sentence's subject ("it", "we")
    subject_verbs: frozenset = frozenset()    # after a name, make it its sentence's subject
    relation_words: frozenset = frozenset()   # a relation to the host ("member", "partner")
    not_prose_heads: frozenset = frozenset()  # heads of events and organs, not bodies, in prose
    indefinite_determiners: frozenset = frozenset()  # "an International Organization": no name
    determiners: frozenset = frozenset()      # "the regional Bar Association": no name

    @cached_property
    def field_labels_by_length(self) -> tuple[tuple[int, frozenset], ...]:
        """`field_labels` by length, shortest first: a line's opening is looked up once for
        each length, not compared with every label."""
        lengths = sorted({len(label) for label in self.field_labels})
        return tuple((n, frozenset(lab for lab in self.field_labels if len(lab) == n))
                     for n in lengths)


@dataclass(frozen=True)
class Heading:
    """A recognised heading: where it ends and its labels as (role, start, end)."""

    end: int
    labels: tuple[tuple[str, int, int], ...]


def is_acronym(word: str) -> bool:
    """A short all-caps token such as 'ABA', 'AIDP/IAPL', 'COE' (not 'Comnet')."""
    if not ACRONYM.fullmatch(word) or len(word) > 20:
        return False
    if "-" in word:  # "EJN-Civil": the part before the qualifier is the acronym
        word = word.split("-")[0]
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        return False  # "NGOs", "INGOs", "NHRIs": a plural names a kind of body, not one body
    letters = "".join(filter(str.isalpha, word))
    upper = sum(map(str.isupper, letters))
    return upper >= 2 and upper >= 0.6 * len(letters)


def starts_like_name(text: str, rules: SegmentRules) -> bool:
    """Starts with a capital or digit, or with a function word before one ('the Southeast ...')."""
    found = WORD.search(text, 0, 200)   # word by word to the deciding one, most often the first
    while found and not (w := found.group())[0].isupper() and w.lower() in rules.function_words:
        found = WORD.search(text, found.end(), 200)   # (a `finditer` was a third of the call)
    return bool(found) and (found.group()[0].isupper() or found.group()[0].isdigit())


def is_label(text: str, rules: SegmentRules) -> bool:
    """Whether a heading part reads like a name or acronym rather than prose."""
    text = text.strip()
    if not text or not starts_like_name(text, rules):
        return False
    bare = PAREN_ACRONYM.sub("", text)
    if SENTENCE_PUNCT.search(bare):
        return False
    words = WORD.findall(bare) or WORD.findall(text)  # "(ACR)": no word
    if not words or len(words) > rules.max_label_words:
        return False
    content = [w for w in words if w.lower() not in rules.function_words]
    if not content:
        return False
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised >= rules.min_capitalised_share * len(content)


def is_bare_phrase(text: str, rules: SegmentRules) -> bool:
    """A short description with no sentence in it: a heading with no description at all."""
    text = text.strip()
    return bool(text) and starts_like_name(text, rules) and not SENTENCE_PUNCT.search(text) \
        and len(WORD.findall(text)) <= rules.max_label_words


def parse_dash_heading(text: str, start: int, end: int, rules: SegmentRules) -> Optional[Heading]:
    """The labels of a dash heading at text[start:end], or None if the line is prose."""
    parts: list[tuple[int, int]] = []
    pos = start
    while True:
        sep = SEPARATOR.search(text, pos, min(end, pos + rules.max_heading_chars))
        if not sep or not is_label(text[pos:sep.start()], rules):
            break
        parts.append((pos, sep.start()))
        pos = sep.end()
    if not parts:
        return None
    rest = text[pos:end]
    if rest and not (starts_like_name(rest, rules) or rest[0] in "\"'‘“(["):
        return None  # "Rwanda - admitted at ...": a dash inside a sentence
    if is_bare_phrase(rest, rules):
        parts.append((pos, end))
        pos = end
    return Heading(end=pos if pos == end else parts[-1][1], labels=tuple(_label_roles(text, parts)))


def _label_roles(text: str, parts: list[tuple[int, int]], common: frozenset = frozenset()
                 ) -> Iterator[tuple[str, int, int]]:
    """Role of each heading part: acronym, or name (with a parenthesised acronym split off;
    one of the `common` acronyms in brackets, "(MoU)", labels the relation, never the body)."""
    for start, end in parts:
        part = text[start:end]
        if is_acronym(part):
            yield ("acronym", start, end)
            continue
        paren = PAREN_ACRONYM.search(part)
        tail = PAREN_TAIL.search(part)
        while tail and PAREN_TAIL.search(part, 0, tail.start()):  # "... (Memorandum ...) (GB)"
            tail = PAREN_TAIL.search(part, 0, tail.start())
        if paren and paren.group(1) in common:
            paren = None
        if paren and is_acronym(paren.group(1)) and not _country_code(part, paren):
            yield ("name", start, start + paren.start())
            yield ("acronym", start + paren.start(1), start + paren.end(1))
        elif tail and tail.start() > 0 and (paren or not is_acronym(part[:tail.start()].strip())):
            yield ("name", start, start + tail.start())
        else:
            yield ("name", start, end)


def _country_code(part: str, paren: re.Match) -> bool:
    """'(GB)' after 'Kent Police College': two letters that are not the name's initials (as
    'UN' is of 'United Nations') mark a country, not an acronym."""
    code = paren.group(1)
    words = WORD.findall(part[:paren.start()])
    return len(code) <= 2 and not (len(words) >= len(code) and all(
        w[0].upper() == c for w, c in zip(words[-len(code):], code)))


def assign_groups(text: str, headings: dict[int, Heading]) -> dict[int, Heading]:
    """Mark a leading name part as the group when it recurs across headings or precedes
    'ACRONYM - Name' ("Special Tribunals and Courts - ICC - ...")."""
    def first_two(h: Heading) -> list[tuple[str, int, int]]:
        return list(h.labels[:2])

    def lead_of(h: Heading) -> str:  # "Special Tribunals and\tCourts" is the same group
        return " ".join(text[h.labels[0][1]:h.labels[0][2]].split())

    leads = Counter(lead_of(h) for h in headings.values()
                    if len(h.labels) >= 2 and h.labels[0][0] == "name")
    out = {}
    for i, h in headings.items():
        two = first_two(h)
        if len(two) == 2 and two[0][0] == "name" and two[1][0] == "acronym":
            lead = lead_of(h)
            names_after = [lab for lab in h.labels[2:] if lab[0] == "name"]
            if leads[lead] >= 2 or names_after:
                h = Heading(h.end, (("group",) + two[0][1:],) + h.labels[1:])
        out[i] = h
    return out


# A numbering before a heading ("1. ", "(a) ", "iv) ") and a colon after an acronym ("ABA: ").
NUMBERING = re.compile(r"(?:\d{1,3}[.)]|\(?[a-z]{1,4}\))[ \t\u00a0]+")
ACRONYM_COLON = re.compile(r"[ \t\u00a0:](?:(?<=:)|(?<=[ \t\u00a0])[ \t\u00a0]*:)[ \t\u00a0]+")
ACRONYM_PAREN_NAME = re.compile(r"([A-Z][A-Za-z0-9&/.]{1,15})[ \t\u00a0]*\((.+)\)")
TRIM = " \t\u00a0:;-\u2013\u2014\r\n"  # ";" ends a list item ("- French Agency;")


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding spaces, colons and dashes."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def parse_heading(text: str, start: int, end: int, rules: SegmentRules) -> Optional[Heading]:
    """The labels of a whole heading text[start:end] (every part a name or an acronym), or None
    when it is too long or reads as prose."""
    start, end = trimmed(text, start, end)
    numbering = NUMBERING.match(text, start, end)
    if numbering and numbering.end() < end:
        start = numbering.end()
    if start >= end or end - start > rules.max_heading_chars:
        return None
    parts, pos = [], start
    while True:
        sep = SEPARATOR.search(text, pos, end) or _acronym_colon(text, pos, end)
        if not sep:
            break
        parts.append((pos, sep.start()))
        pos = sep.end()
    parts.append((pos, end))
    if not all(_is_part(text[s:e], rules, last=n == len(parts) - 1 and len(parts) > 1)
               for n, (s, e) in enumerate(parts)):
        return None
    return Heading(end=end, labels=tuple(_roles(text, parts, rules.common_acronyms)))


def _is_part(part: str, rules: SegmentRules, last: bool) -> bool:
    """A heading part: a label or an acronym; a plain phrase may follow an acronym ("MEDEL -
    Magistrats européens pour la démocratie") or carry one ("Magistrats ... (MEDEL)")."""
    if is_label(part, rules) or is_acronym(part):
        return True
    return (last or bool(PAREN_ACRONYM.search(part))) and is_bare_phrase(part, rules)


def _acronym_colon(text: str, pos: int, end: int):
    """'ABA: American Bar Association': a colon right after an acronym separates."""
    colon = ACRONYM_COLON.search(text, pos, end)
    if colon and is_acronym(text[pos:colon.start()].strip()):
        return colon
    return None


def _roles(text: str, parts: list[tuple[int, int]], common: frozenset = frozenset()
           ) -> Iterator[tuple[str, int, int]]:
    for start, end in parts:
        paren = ACRONYM_PAREN_NAME.fullmatch(text, start, end)
        if paren and is_acronym(paren.group(1)) and not is_acronym(paren.group(2)):
            yield ("acronym", paren.start(1), paren.end(1))  # "UNODC (United Nations ...)"
            yield ("name", paren.start(2), paren.end(2))
        else:
            yield from _label_roles(text, [(start, end)], common)


def org_likeness(text: str, labels: tuple[tuple[str, int, int], ...], rules: SegmentRules
                 ) -> float:
    """1 for a heading with an acronym or an organisation head noun ("... Council"), 0.5 for
    a short capitalised name ("Eurojust"), else 0."""
    if any(role == "acronym" for role, _, _ in labels):
        return 1.0
    names = [text[s:e] for role, s, e in labels if role == "name"]
    if not names or not any(c.isalpha() for c in names[-1]):
        return 0.0  # "10", "(no name)": no organisation is named without a letter
    words = [w.strip(".,;:'\u2019").lower() for w in WORD.findall(names[-1])]
    if is_sub_body(words, rules) or (words and words[0] in rules.section_leads):
        return 0.0
    if any(w in rules.head_nouns for w in words):
        return 1.0
    content = [w for w in words if w not in rules.function_words]
    return 0.5 if 0 < len(content) <= 6 else 0.0


def is_sub_body(words: list[str], rules: SegmentRules) -> bool:
    """Whether the name's first noun phrase (lower-case words, up to the first function word)
    holds a sub-body head ("working group on ...", "... audit subcommittee")."""
    core = []
    for w in words:
        if w in rules.function_words:
            break
        core.append(w)
    phrase = f" {' '.join(core)} "
    return any(f" {head} " in phrase for head in rules.sub_body_heads)
