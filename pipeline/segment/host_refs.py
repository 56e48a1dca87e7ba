"""Pronouns that refer back to the host in its own page's prose:

    The Ombudsman is a member of various international organisations. At the global level, it
    is a member of the Global Alliance of National Human Rights Institutions (GANHRI).

A sentence's subject is read where it stands: at the sentence's start, or right after a short
lead-in that ends with a comma ("At the global level,"). A subject pronoun of
`host_subject_pronouns` (rules/organisations.yaml) followed by a lower-case word refers to the
host when the last subject before it was the host (or a pronoun read as the host); a subject
that is another organisation breaks the chain. Anything else leaves the pronoun unread.

Reads: a text, its sentences, the host's mentions and the other organisations' mentions.
Writes: spans of the pronouns read as the host (`Entry.host_refs`).
"""

from __future__ import annotations

import re

from pipeline.segment.labels import SegmentRules

LEAD_CHARS = 60   # a lead-in before the subject is short ("In 2019,", "At the global level,")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
VERB_AFTER = re.compile(r"[ \t\u00a0]+[a-z]")   # "it is", "it also works": a lower-case word


def is_pronoun(word: str, pronouns: frozenset) -> bool:
    """One of the pronouns, whatever its case, but not in capitals ("US" is a country)."""
    return word.lower() in pronouns and not word.isupper()


def host_references(text: str, sents: list[tuple[int, int]], host: list[tuple[int, int]],
                    others: list[tuple[int, int]], rules: SegmentRules) -> list[tuple[int, int]]:
    """Spans of the subject pronouns that refer to the host, in text order."""
    if not host or not rules.host_subject_pronouns:
        return []
    host_starts = {s for s, _ in host}
    other_starts = {s for s, _ in others} - host_starts
    out: list[tuple[int, int]] = []
    host_subject = False
    for s, e in sents:
        for at in _subject_starts(text, s, e):
            if at in host_starts:
                host_subject = True
                break
            if at in other_starts:
                host_subject = False
                break
            word = WORD.match(text, at, e)
            if word and is_pronoun(word.group(), rules.host_subject_pronouns) \
                    and VERB_AFTER.match(text, word.end(), e):
                if host_subject:
                    out.append(word.span())
                break
    return out


def _subject_starts(text: str, s: int, e: int) -> list[int]:
    """Where a sentence's subject may start: the sentence's start and, after a short lead-in
    ending in a comma, the word after it; a leading "the" is skipped ("the Ombudsman")."""
    starts = [s]
    comma = text.find(",", s, min(e, s + LEAD_CHARS))
    if comma >= 0:
        starts.append(comma + 1)
    out = []
    for at in starts:
        while at < e and text[at].isspace():
            at += 1
        out.append(at)
        if text[at:at + 4].lower() == "the ":
            out.append(at + 4)
    return out
