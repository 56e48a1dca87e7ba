"""Agreement mentions in an entry: the kind, the parties and the date a sentence states.

Reads: the spans `rules/agreements.jsonl` matched (each labelled with a kind of
rules/agreement_kinds.yaml), the sentence around each, and the parties' grammar of
rules/agreement_parties.yaml. Writes: one `agreement` value per mention that names parties or a
date; its evidence is the sentence, its parties a tuple.

- parties: "between X and Y" (the opening word a few tokens after the agreement's name; the
  second party ends at a stop word or the sentence end, and starts with a capital letter or a
  listed word), else "signed ... with X" (the host named before the agreement, and the name
  after the word);
- date: the first date right after a cue word (`agreement_date_cues`) that states at least a
  year.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline.extract.attribution import phrase_after
from pipeline.extract.doc_reading import Entities, longest_per_start, matched, text_of
from pipeline.extract.field_extractors import Context
from pipeline.extract.rules import PartyGrammar
from pipeline.extract.values import FieldValue, date_tokens, parse_date

DATE_TOKENS = 5  # a cue's date is looked for in the tokens right after it ("March 7 , 2014")


def agreements(doc: Doc, ctx: Context) -> list[FieldValue]:
    """Agreement mentions with parties ("between X and Y" / "signed ... with X") or a date."""
    out, covered = [], set()
    for span in sorted(longest_per_start(matched(doc, "agreements")), key=lambda s: -len(s)):
        if span.start in covered:
            continue
        covered.update(range(span.start, span.end))
        sent = span.sent
        after = doc[span.end:sent.end]
        parties = sentence_parties(doc, span, after, ctx)
        date, precision, date_end = agreement_date(after, ctx)
        if not parties and not date:
            continue
        end = max(date_end, span.end_char)
        text = sent.text.rstrip()
        out.append(FieldValue("agreement", span.label_, sent.start_char,
                              sent.start_char + len(text), span.id_, date=date,
                              date_precision=precision, raw_value=text_of(doc)[span.start_char:end],
                              parties=tuple(parties)))
    return sorted(out, key=lambda v: v.start)


@lru_cache(maxsize=4)
def second_party_split(grammar: PartyGrammar) -> re.Pattern:
    """Where "X and Y" divides: a separator before a capital letter or a listed word."""
    words = lambda ws: "|".join(map(re.escape, ws))  # noqa: E731
    return re.compile(rf"\s+(?:{words(grammar.separator)})\s+"
                      rf"(?=[A-Z]|(?:{words(grammar.second_party_starts)})\s)")


def first_within(words: list[str], wanted, within: int) -> int:
    """Index of the first of `words[:within]` that is one of `wanted`, or -1."""
    return next((i for i, w in enumerate(words[:within]) if w in wanted), -1)


def sentence_parties(doc: Doc, span: Span, after: Span, ctx: Context) -> list[str]:
    """The parties the sentence names after the agreement's name `span` (`after`: the rest)."""
    grammar = ctx.parties
    words = [t.lower_ for t in after]
    opening = first_within(words, grammar.open, grammar.open_within)
    if opening >= 0:
        if opening + 1 >= len(after):  # "... an agreement between" ends the text: no party
            return []
        start = after[opening + 1].i
        end = start
        while end < after.end and doc[end].lower_ not in grammar.sentence_stops \
                and not doc[end].is_sent_end:
            end += 1
        text = doc[start:end].text.strip(" ,.")
        parts = second_party_split(grammar).split(text, maxsplit=1)
        return [p.strip(" ,") for p in parts if p.strip(" ,")]
    with_at = first_within(words, grammar.with_words, grammar.with_within)
    if with_at >= 0:
        tail = phrase_after(doc, after[with_at].i + 1, after.end, ctx.vocab)
        sent = span.sent
        host = [e for e in Entities.of(doc, "HOST").within(sent.start, sent.end)
                if e.end <= span.start]
        named = doc[tail[0].i:tail[-1].i + 1].text if tail else ""
        return [p for p in ([host[-1].text] if host else []) + [named] if p]
    return []


def agreement_date(after: Span, ctx: Context) -> tuple[str, str, int]:
    """(ISO date, precision, end offset) of the first date after a cue, or ("", "", -1)."""
    months = ctx.word_set("months")
    not_first = ctx.words["agreement_date_cues_not_first"]
    for i, tok in enumerate(after):
        if tok.lower_ in ctx.words["agreement_date_cues"] and (tok.lower_ not in not_first
                                                                 or i > 0):
            window = after[i + 1:i + 1 + DATE_TOKENS]
            for end in range(len(window), 0, -1):
                words = [t.text for t in window[:end]]
                k, precision = date_tokens(words, months)
                if k == end and precision in ("day", "month", "year"):
                    date, _ = parse_date(window[:end].text, precision, ctx.languages)
                    if date:
                        return date, precision, window[end - 1].idx + len(window[end - 1].text)
    return "", "", -1
