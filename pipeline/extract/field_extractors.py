"""Field extractors: each reads the spans one pattern file matched and returns the entry's values.

Reads: the spaCy doc of an entry (or a piece of a long one), its spans per pattern file, and the
`Context` (the entry's names, the vocabularies). Writes: `FieldValue`s with the rule id of the
pattern that matched and character offsets into the doc's text, and the matches not used (with
a reason) in `Context.rejected`. Every function here is pure but for that list (and the
reads of the doc it caches on the doc: `doc_reading.Entities.of`).
Attribution (is this about the entry's organisation?) is in `pipeline.extract.attribution`;
values are parsed in `pipeline.extract.values`; agreements are read in
`pipeline.extract.agreements`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from pipeline.extract.attribution import (
    EntryRef,
    Vocab,
    about_entry,
    phrase_after,
    phrase_before,
    refers_to,
)
from pipeline.extract.doc_reading import (
    Entities,
    end_of,
    longest_per_start,
    matched,
    text_of,
    words_before,
    words_of,
)
from pipeline.extract.rules import PartyGrammar
from pipeline.extract.values import FieldValue, date_tokens, parse_count, parse_date

# An all-numeric date: its day/month order is not stated, so it is flagged, not read.
NUMERIC_DATE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.](?:\d{2}|\d{4})$")
SPACES = re.compile(r"\s+")
DECADE_WORDS = " decade words"   # `Context.sets`' key of `decade_words` (no vocabulary's)
URLISH = re.compile(r"^(?:https?://|www\.)|^[a-z0-9-]+(?:\.[a-z0-9-]+)+/", re.I)


@dataclass
class Context:
    """What the extractors need to know about the entry and the rules."""

    ref: EntryRef
    vocab: Vocab
    words: dict                     # rules/vocabularies.yaml
    parties: PartyGrammar           # rules/agreement_parties.yaml
    languages: tuple = ("en",)
    rejected: list = field(default_factory=list)   # (rule_id, start, end, reason)
    host_entry: bool = False        # the entry is the host's own: no relationship to itself
    sets: dict = field(default_factory=dict)   # word sets made of `words`; an extractor's
    # contexts share one dict, so each set is made once, not at every match

    def word_set(self, key: str) -> frozenset:
        """The word list `words[key]` as a set."""
        found = self.sets.get(key)
        if found is None:
            found = self.sets[key] = frozenset(self.words[key])
        return found


def founded(doc: Doc, ctx: Context) -> list[FieldValue]:
    """The year (and date, at its precision) the entry's organisation was founded."""
    out = []
    limit = int(ctx.words.get("max_pattern_tokens", 45))
    for span in longest_per_start(s for s in matched(doc, "founded")   # (its tokens read only
                                   if len(s) <= limit or len(words_of(s)) <= limit):  # if long)
        tokens = words_of(span)
        words = [t.text for t in tokens]
        k, precision = date_tokens(words, ctx.word_set("months"), decade_words(ctx))
        if not k:
            if NUMERIC_DATE.match(words[-1]):  # 03/04/2005: day or month first? never guessed
                ctx.rejected.append((span.id_, span.start_char, span.end_char,
                                     "numeric_date_ambiguous"))
            continue
        date_text = text_of(doc)[tokens[-k].idx:span.end_char]   # (a `Span`'s text joins
        # its tokens' texts, each token made in Python)
        if span[0].lower_ in ctx.words["founding_nouns"]:
            ok = refers_to(phrase_after(doc, span.start + 2, span.end, ctx.vocab), ctx.ref,
                           ctx.vocab)
            reason = "" if ok else "phrase_is_other_body"
        else:
            ok, reason = about_entry(doc, span.start, ctx.ref, ctx.vocab)
        if not ok:
            ctx.rejected.append((span.id_, span.start_char, span.end_char, reason))
            continue
        date, qualifier = parse_date(date_text, precision, ctx.languages,
                                     ctx.words["decade_parts"])
        if not date:
            continue
        year = date[:4] if precision != "decade" else date
        out.append(FieldValue("founded", year, span.start_char, span.end_char, span.id_,
                         qualifier=qualifier, date=date, date_precision=precision,
                         raw_value=date_text))
    return out


def decade_words(ctx: Context) -> frozenset:
    """Words that may lead a decade: "the late 90s"."""
    found = ctx.sets.get(DECADE_WORDS)
    if found is None:
        found = ctx.sets[DECADE_WORDS] = ctx.word_set("decade_parts") | ctx.vocab.determiners
    return found


def headquarters(doc: Doc, ctx: Context) -> list[FieldValue]:
    """Where the entry's organisation (or its secretariat) sits: places, or the host body."""
    out = []
    spans = matched(doc, "headquarters")
    places_in_doc = Entities.of(doc, "PLACE") if spans else None
    for span in longest_per_start(spans):
        ok, reason = about_entry(doc, span.start, ctx.ref, ctx.vocab)
        if not ok:
            ctx.rejected.append((span.id_, span.start_char, span.end_char, reason))
            continue
        places = places_in_doc.within(span.start, span.end)
        if places:
            value = ", ".join(p.text for p in places)
            raw = text_of(doc)[places[0].start_char:places[-1].end_char + (span.text.endswith(")"))]
        else:  # "the Secretariat is housed with Eurojust": the body that hosts it
            first = span.end
            while first > span.start and doc[first - 1].is_title:
                first -= 1
            value = raw = doc[first:span.end].text if first < span.end else ""
        if value:
            out.append(FieldValue(span.label_, value, span.start_char, span.end_char, span.id_,
                             raw_value=raw))
    return out


def _qualifier(doc: Doc, i: int, ctx: Context) -> tuple[str, int]:
    """The qualifier right before token i ("more than", "nearly") and where it starts."""
    table = ctx.words["count_qualifiers"]
    for n in (3, 2, 1):
        before = words_before(doc, i, n)
        if len(before) == n:
            phrase = " ".join(t.lower_ for t in before)
            if phrase in table:
                return table[phrase], before[0].i
    return "exact", i


def _context(doc: Doc, i: int, phrases) -> str:
    for n in (3, 2, 1):
        before = words_before(doc, i, n)
        if len(before) == n:
            phrase = " ".join(t.lower_ for t in before)
            if phrase in phrases:
                return phrase
    return ""


def at_founding(doc: Doc, span: Span, q_start: int, ctx: Context) -> bool:
    """A count the founding had: "It was formed ... with only 24 members" (a founding verb
    earlier in the same clause, `founding_count_cues` right before the count)."""
    before = words_before(doc, q_start, 1)
    if not before or before[0].lower_ not in ctx.words.get("founding_count_cues", ()):
        return False
    verbs = set(ctx.words["founding_verbs"])
    # the founding's own clause: "formed in 1995 with only 24 members", not a count after a
    # comma that closes it ("X, established in 1947, is ..., with 80,000 members")
    clause = doc[span.sent.start:q_start]
    last_verb = max((t.i for t in clause if t.lower_ in verbs), default=None)
    return last_verb is not None and not any(t.text == "," for t in doc[last_verb:q_start])


def membership(doc: Doc, ctx: Context) -> list[FieldValue]:
    """Member counts with qualifier and unit; counts of founders are founding_members."""
    out: list[FieldValue] = []
    w = ctx.words
    strong_heads, markers = set(w["membership_strong_heads"]), set(w["membership_markers"])
    spans = longest_per_start(matched(doc, "membership"))
    accepted_end, last_end = -1, -1
    for span in spans:
        if span.start < last_end:
            continue  # "400 000 members" also matches from "000"
        last_end = span.end
        tokens = words_of(span)
        nums = [t for t in tokens[:-1] if t.like_num]
        if not nums or any(n is not t for n, t in zip(nums, tokens)):
            continue
        unit = words_of(doc[nums[-1].i + 1:span.end])
        count = parse_count([t.text for t in nums], w["number_words"], w["number_scales"])
        if count is None:
            continue
        qualifier, q_start = _qualifier(doc, span.start, ctx)
        context = _context(doc, q_start, w["membership_context"])
        negative = _context(doc, q_start, w["not_membership_context"])
        # "400,000 members and more than 3,500 entities": a count joined by "and" to an
        # accepted membership count is one too
        prev = words_before(doc, q_start, 2)
        coordinated = len(prev) == 2 and prev[1].lower_ == "and" and accepted_end == prev[0].i
        strong = unit[-1].lower_ in strong_heads or any(t.lower_ in markers for t in unit)
        after = words_of(doc[span.end:min(span.end + 2, end_of(doc))])[:1]
        if unit[-1].lower_ == "member" and after and after[0].is_alpha:
            # "the 15 member Southern African region": "member" describes the next noun
            ctx.rejected.append((span.id_, span.start_char, span.end_char, "count_of_other_noun"))
            continue
        if negative == "by" or at_founding(doc, span, q_start, ctx):
            field_name = "founding_members"
        elif negative:
            ctx.rejected.append((span.id_, span.start_char, span.end_char, f"count_after_{negative}"))
            continue
        elif strong or context or coordinated:
            field_name = "membership"
        else:
            ctx.rejected.append((span.id_, span.start_char, span.end_char, "count_without_context"))
            continue
        start_char = doc[q_start].idx
        out.append(FieldValue(field_name, str(count), start_char, span.end_char, span.id_,
                         qualifier=qualifier,
                         unit=SPACES.sub(" ", doc[unit[0].i:unit[-1].i + 1].text),
                         raw_value=text_of(doc)[nums[0].idx:nums[-1].idx + len(nums[-1].text)]))
        accepted_end = span.end - 1
    return out


def websites(doc: Doc, ctx: Context) -> list[FieldValue]:
    """URLs in the entry: the entry's website when they follow its name, else a mention."""
    out = []
    for span in matched(doc, "website"):
        text = span.text.rstrip(".,;")
        if not URLISH.search(text):
            continue
        start, end = phrase_before(doc, span.start, span.sent.start, ctx.vocab)
        own = end > start and refers_to(doc[start:end], ctx.ref, ctx.vocab)
        out.append(FieldValue("website" if own else "url", text, span.start_char,
                         span.start_char + len(text), span.id_ if own else "website.url_of_other_body"))
    return out


def aliases(doc: Doc, ctx: Context) -> list[FieldValue]:
    """Other names ("better known as the Venice Commission"), and the name they follow."""
    out = []
    for span in longest_per_start(matched(doc, "names")):
        head = [t for t in span if t.lower_ == "as"]
        start = (head[-1].i + 1) if head else span.start
        if start < span.end and doc[start].lower_ in ctx.vocab.determiners:
            start += 1
        if any(t.is_title for t in doc[start:span.end]):
            name = doc[start:span.end]
            out.append(FieldValue(span.label_, name.text, name.start_char, name.end_char, span.id_))
            # "The European Commission for Democracy through Law, better known as the Venice
            # Commission": the name before is the same body's other name
            e = span.start - 1 if span.start and doc[span.start - 1].text == "," else span.start
            s = e
            while s > span.sent.start and (doc[s - 1].is_title or doc[s - 1].is_upper
                                           or doc[s - 1].lower_ in ctx.vocab.function_words):
                s -= 1
            while s < e and (doc[s].lower_ in ctx.vocab.determiners
                             or not (doc[s].is_title or doc[s].is_upper)):
                s += 1
            if e - s >= 2:
                other = doc[s:e]
                out.append(FieldValue(span.label_, other.text, other.start_char, other.end_char,
                                 f"{span.id_}.subject"))
    return out
