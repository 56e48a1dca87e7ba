"""Label: value layouts: "Founded: 1961", "Headquarters — Vienna", "Formation 1995", an
infobox's label alone on its line with the value on the next ("Membership" / "Over 12,000
members"), and a directory entry's address line (the line right before "Tel:").

A line that opens with a label of `field_labels` (rules/vocabularies.yaml) inside the entry is
about the entry's organisation, unless a line naming another organisation stands above it in
the entry (two directory entries run together): then it is refused (`under_other_heading`). The value must be the whole rest of
the line (or the next lines) and parse as the field's kind: a date for `founded`, a count for
`membership`, text naming a PLACE for `headquarters`; anything else ("Founded in 1961 by ...",
"Membership: open to all") is left to the sentence patterns.

Reads: the spaCy doc of an entry (its text and PLACE entities) and the `Context`'s word lists.
Writes: `FieldValue`s whose evidence runs from the label to the end of the value, with rule ids
`label.<field>` (value on the label's line), `label.<field>.next_line` and
`label.headquarters.address_line`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Iterator, Optional

from spacy.tokens import Doc

from pipeline.extract.attribution import refers_to
from pipeline.extract.doc_reading import Entities, entry_text
from pipeline.extract.field_extractors import Context
from pipeline.extract.values import FieldValue, date_tokens, parse_count, parse_date

# The words of a value: digit groups ("12,000") whole, words, then any other character.
VALUE_WORD = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f]\d{3})+|\d+|[^\W\d_][\w'’.-]*|\S")
YEAR_SHAPED = re.compile(r"^(1[89]|20)\d\d$")
TRAILING_NOTE = re.compile(r"\s*[(\[].*[)\]]\s*$")   # "194 (Kiribati-194th member)"
MAX_VALUE_LINES = 3       # an address may take three lines before its place
MAX_ADDRESS_CHARS = 160   # a directory address line is short; a sentence is not one
PLACE_SHARE = 0.7         # of an address's words, capitalised or numbers
HEADING_WORDS = 10        # a line naming an organisation is short


@lru_cache(maxsize=8)
def label_line(labels: tuple) -> re.Pattern:
    """A line opening with one of `labels` (any case), then a separator or the value: ":",
    a dash, or a value opening with a capital or digit after spaces or glued to the label
    ("Formation 1995", "HeadquartersGeneva"); "Headquarters are in ..." is a sentence.
    Multi-line (`^` and `$` at each line's start and end); `line_matches` tries it at line
    starts."""
    return re.compile(rf"^[ \t]*(?i:(?P<label>{_alternatives(labels)}))"
                      rf"(?:(?P<mark>[ \t]*[:|—–-][ \t]*)|[ \t]+(?=[A-Z0-9\"“])"
                      rf"|(?=[A-Z0-9\"“])|[ \t\r]*$)(?P<value>.*?)[ \t\r]*$", re.M)


def label_start(labels: tuple) -> re.Pattern:
    """A line opening with one of `labels` (any case), whatever follows: every line a
    `label_line` pattern of some of these labels matches, and more (tried with `match` at a
    line start)."""
    return re.compile(rf"[ \t]*(?i:{_alternatives(labels)})")


def _alternatives(labels: tuple) -> str:
    """The labels as a pattern's alternatives, the longest first."""
    return "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))


LABELS_KEY = " label lines"   # `Context.sets`' key of `label_patterns` (no vocabulary's)


def label_patterns(ctx: Context) -> tuple[list, re.Pattern, Optional[re.Pattern]]:
    """The label-line pattern of each field, the contact lines' pattern, and one matching at
    the start of every line any of them matches (None when a field or the contacts have no
    label: their pattern may match any line), made once for an extractor's contexts."""
    found = ctx.sets.get(LABELS_KEY)
    if found is None:
        groups = {f: tuple(labels) for f, labels in ctx.words.get("field_labels", {}).items()}
        contact = tuple(ctx.words.get("contact_labels", ()))
        every = (*groups.values(), contact)
        found = ctx.sets[LABELS_KEY] = (
            [(f, label_line(labels)) for f, labels in groups.items()], label_line(contact),
            label_start(tuple(w for labels in every for w in labels)) if all(every) else None)
    return found


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of the text, line breaks excluded."""
    out, start = [], 0
    for line in text.split("\n"):
        out.append((start, start + len(line)))
        start += len(line) + 1
    return out


def line_matches(pattern: re.Pattern, text: str, starts: list[int]) -> Iterator[re.Match]:
    """The matches of a `label_line` pattern, in order: what `finditer` finds, since each of
    its matches starts at a line start and ends on that line."""
    for start in starts:
        m = pattern.match(text, start)
        if m:
            yield m


def labelled(doc: Doc, ctx: Context) -> list[FieldValue]:
    """Values of the entry's label: value lines and its directory address line."""
    text, base = entry_text(doc)   # offsets here are the entry's; moved by `base` at the end
    spans = lines(text)
    starts = [s for s, _ in spans]
    # a label line starts at a line start: tried there only (`finditer` would try the regex
    # at every character of the entry), and only where a line opens with some label (one
    # pattern for every field's labels: most lines open with none)
    fields, contact_line, can_open = label_patterns(ctx)
    tried = starts if can_open is None else [s for s in starts if can_open.match(text, s)]
    found = [(field, m) for field, pattern in fields for m in line_matches(pattern, text, tried)]
    contact = next(line_matches(contact_line, text, tried), None)
    if not found and not contact:
        return []   # most entries: their lines, one regex per field at each line start
    places = [(e.start_char - base, e.end_char - base) for e in Entities.of(doc, "PLACE").ents]
    out: list[FieldValue] = []
    for field, m in found:
        value = _value(field, text, spans, bisect_right(starts, m.start()) - 1, m, places, ctx)
        if value:
            out.append(value)
    if places and contact:
        out.extend(address_lines(text, spans, places, ctx))
    if not out:
        return out
    stop = other_heading(doc, text, base, spans, ctx)
    for v in [v for v in out if v.start >= stop]:
        ctx.rejected.append((v.rule_id, v.start + base, v.end + base, "under_other_heading"))
    return sorted((v.shifted(base) if base else v for v in out if v.start < stop),
                  key=lambda v: v.start)


def other_heading(doc: Doc, text: str, base: int, spans, ctx: Context) -> int:
    """Where a line of the entry's `text` (at `base` in the doc's) that names another
    organisation starts (a short line of capitalised words with a word for an organisation
    that does not refer to the entry: an entry the segmenter ran into); the text's end if
    none. A label line below it is that organisation's."""
    for s, e in spans[1:]:
        line = text[s:e].strip()
        words = line.split()
        if not 2 <= len(words) <= HEADING_WORDS or ":" in line or line[-1:] in ".;," or \
                not all(w[:1].isupper() or w.lower() in ctx.vocab.function_words
                        for w in words):
            continue
        if not any(w.lower().strip("(),") in ctx.vocab.subject_heads for w in words):
            continue
        tokens = doc.char_span(s + base, e + base, alignment_mode="expand")
        if tokens is not None and not refers_to(list(tokens), ctx.ref, ctx.vocab):
            return s
    return len(text)


def _value(field, text, spans, n, m, places, ctx) -> Optional[FieldValue]:
    """The value of the label line `m` (line n), on its line or the next ones."""
    rule = f"label.{field}"
    if m.group("value"):
        pieces = [(m.start("value"), m.end("value"))]
    else:
        rule += ".next_line"
        pieces = list(next_lines(text, spans, n, MAX_VALUE_LINES if field == "headquarters"
                                 else 1))
    if not pieces:
        return None
    start = m.start("label")
    if field == "headquarters":
        return place_value(text, pieces, places, start, rule, ctx.vocab.function_words)
    raw = text[pieces[0][0]:pieces[0][1]]
    if field == "founded":
        return date_value(raw, pieces[0][0], start, rule, ctx.words, ctx.languages)
    if field == "membership":
        return count_value(raw, pieces[0][0], start, rule, text[m.start("label"):m.end("label")],
                           ctx.words)
    return None


def next_lines(text: str, spans, n: int, most: int) -> Iterator[tuple[int, int]]:
    """Up to `most` non-blank lines after line n (a blank line between them allowed)."""
    blanks, taken = 0, 0
    for s, e in spans[n + 1:]:
        if not text[s:e].strip():
            blanks += 1
            if blanks > 1 and not taken or blanks > 2:
                return
            continue
        blanks = 0
        yield s + (len(text[s:e]) - len(text[s:e].lstrip())), s + len(text[s:e].rstrip())
        taken += 1
        if taken >= most:
            return


def date_value(raw: str, at: int, start: int, rule: str, vocab: dict,
               languages) -> Optional[FieldValue]:
    """A founding date when the value (at offset `at`) is a date and nothing else ("22 May
    1984"); the evidence runs from `start`."""
    raw = raw.rstrip(" .;")
    words = VALUE_WORD.findall(raw)
    k, precision = date_tokens(words, frozenset(vocab["months"]))
    if not k or k != len(words) or precision == "decade":
        return None
    date, qualifier = parse_date(raw, precision, languages)
    if not date:
        return None
    return FieldValue("founded", date[:4], start, at + len(raw), rule, qualifier=qualifier,
                      date=date, date_precision=precision, raw_value=raw)


def count_value(raw: str, at: int, start: int, rule: str, label: str,
                w: dict) -> Optional[FieldValue]:
    """A member count when the value is [qualifier] number [unit] ("Over 12,000 members"); the
    label names the unit when the value has none."""
    raw = TRAILING_NOTE.sub("", raw).rstrip(" .;")
    words = VALUE_WORD.findall(raw)
    qualifier, i = "exact", 0
    for size in (3, 2, 1):
        phrase = " ".join(x.lower() for x in words[:size])
        if len(words) > size and phrase in w["count_qualifiers"]:
            qualifier, i = w["count_qualifiers"][phrase], size
            break
    if i >= len(words):
        return None
    count = parse_count([words[i]], w["number_words"], w["number_scales"])
    unit_words = words[i + 1:]
    if count is None or len(unit_words) > 3 or not all(x.isalpha() for x in unit_words):
        return None
    heads = set(w["membership_strong_heads"]) | set(w["membership_weak_heads"])
    if unit_words and unit_words[-1].lower() not in heads:
        return None   # "Members / 2024 Annual Report": a count of something else
    if not unit_words and YEAR_SHAPED.match(words[i]):
        return None   # "Members / 2024": a year as likely as a count; never guessed
    unit = " ".join(unit_words) if unit_words else label.lower()
    return FieldValue("membership", str(count), start, at + len(raw), rule, qualifier=qualifier,
                      unit=unit, raw_value=words[i])


def place_value(text: str, pieces, places, start: int, rule: str,
                function_words: frozenset) -> Optional[FieldValue]:
    """The place as written, its lines joined, up to the first line that names a PLACE."""
    taken = []
    for s, e in pieces:
        taken.append((s, e))
        if any(s <= ps and pe <= e for ps, pe in places):
            break
    else:
        return None
    if not place_shaped(text[taken[0][0]:taken[-1][1]], function_words):
        return None
    value = " ".join(" ".join(text[s:e].split()) for s, e in taken).strip(" .;")
    end = taken[-1][1]
    return FieldValue("headquarters", value, start, end, rule, raw_value=text[taken[0][0]:end])


def place_shaped(value: str, function_words: frozenset) -> bool:
    """Whether a value reads as a place or an address, not a sentence: short, no full stop at
    its end, and most of its words (function words aside) capitalised or numbers ("6 Corridor
    Area, Off Jandu Road Arusha, Tanzania"; not "Please write to us in Geneva")."""
    words = [w for w in VALUE_WORD.findall(value) if w[:1].isalnum() and len(w) > 1
             and w.lower() not in function_words]
    shaped = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return len(value) <= MAX_ADDRESS_CHARS and not value.rstrip().endswith(".") and \
        (not words or shaped >= PLACE_SHARE * len(words))


def address_lines(text: str, spans, places, ctx: Context) -> list[FieldValue]:
    """A directory entry's address: the short line with a comma and a place right before a
    contact line ("Tel: ...", `contact_labels`)."""
    contact = label_patterns(ctx)[1]
    filled = [(s, e) for s, e in spans if text[s:e].strip()]
    out = []
    for (s, e), (ns, ne) in zip(filled, filled[1:]):
        line = text[s:e].strip()
        if not contact.match(text, ns, ne) or contact.match(text, s, e):
            continue
        if "," not in line or not place_shaped(line, ctx.vocab.function_words):
            continue
        if not any(s <= ps and pe <= e for ps, pe in places):
            continue
        lead = s + len(text[s:e]) - len(text[s:e].lstrip())
        out.append(FieldValue("headquarters", line, lead, lead + len(line),
                              "label.headquarters.address_line"))
    return out
