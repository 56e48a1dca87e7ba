"""Names and acronyms: from the heading, from definitions in the text, checked against initials.

- The heading's labels (from the segmenter) give the name, acronyms and group. A heading that
  is one acronym and nothing else ("UNESCO") gives the name only: the page names the body by
  its short form, and no longer name exists for the acronym to abbreviate.
- Definitions in the text give long forms: "Long Form (ACR)" and "ACR (Long Form)" (the one
  definition finder, `segment.acronyms`, after Schwartz & Hearst, 2003).
- An acronym opening the entry's text ("AIAMP is a non-profit entity") is recorded too (not in a
  prose entry, whose first sentence may be about anything).
- A slashed acronym that spells the name whole ("UN/ECE") is one acronym; else its parts are.
- Every acronym is checked against the initials of the entry's names; a disagreement is a flag
  (`acronym_mismatch:AIMP`, `acronym_variant:AIMP~AIAMP`), never a silent correction.

Reads: the document's text and an `Entry` (its heading labels and body span). Writes:
`FieldValue`s (name, acronym, long_form, group, flag) with offsets into the document's text.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from pipeline.extract.rules import Rules
from pipeline.extract.values import FieldValue
from pipeline.model import Entry
from pipeline.segment.acronyms import (
    find_definitions,
    initials_match,
    split_acronyms,
)
from pipeline.segment.labels import WORD as WORDS
from pipeline.segment.labels import is_acronym
from pipeline.segment.prose import LAYOUT as PROSE
from pipeline.settings import Host

DASH_AFTER = re.compile(r"[ \t\u00a0]*[-\u2013\u2014]")


def definitions(text: str, start: int, end: int, function_words: frozenset) -> Iterator[FieldValue]:
    """Acronym definitions in text[start:end]: (long form, acronym) pairs as two FieldValues."""
    for d in find_definitions(text, start, end, function_words):
        (ls, le), (s, e) = d.long_form, d.acronym
        yield FieldValue("long_form", text[ls:le], ls, le, d.rule_id)
        yield FieldValue("acronym", text[s:e], s, e, d.rule_id)


def strip_leading(text: str, start: int, end: int, leading: frozenset) -> tuple[int, int]:
    """Drop a leading 'The' from a name span."""
    first = WORDS.match(text, start)
    if first and first.group().lower() in leading and first.end() < end:
        start = first.end()
        while start < end and text[start].isspace():
            start += 1
    return start, end


OPENING_WORD = re.compile(r"[^\s(’']+")   # a word, without a bracket or possessive after it


def subject_acronym(text: str, start: int, end: int, host_acronym: str) -> Optional[FieldValue]:
    """An acronym opening the entry's text ("AIAMP is ...", "EJTN’s mandate")."""
    m = OPENING_WORD.match(text, start, end)
    if not m:
        return None
    word = m.group().rstrip(".,:;")
    if word == host_acronym or not is_acronym(word):
        return None
    return FieldValue("acronym", word, m.start(), m.start() + len(word),
                      "names.text_subject_acronym")


def heading_values(text: str, entry: Entry, rules: Rules) -> list[FieldValue]:
    """Name, acronyms and group as the heading gives them."""
    leading = frozenset(rules.vocab.get("name_leading_words", []))
    out = []
    names = [text[s:e].split() for role, s, e in entry.labels if role == "name"]
    fw = rules.segment.function_words
    for role, start, end in entry.labels:
        if role == "acronym":
            pos = start
            whole = text[start:end]
            # "UN/ECE" spells one name (United Nations Economic Commission for Europe) and is
            # one acronym; "AIDP/IAPL" spells none whole: two acronyms
            one = "/" in whole and any(initials_match(whole.replace("/", ""), n, fw)
                                       for n in names)
            for part in [whole] if one else split_acronyms(whole):
                at = text.index(part, pos, end)
                out.append(FieldValue("acronym", part, at, at + len(part), "heading.acronym"))
                pos = at + len(part)
        else:
            s, e = strip_leading(text, start, end, leading) if role == "name" else (start, end)
            out.append(FieldValue(role, text[s:e], s, e, f"heading.{role}"))
    return out


def names_and_flags(text: str, entry: Entry, rules: Rules, host: Host) -> list[FieldValue]:
    """The entry's name, acronyms, group and acronym flags, with their spans."""
    fw = rules.segment.function_words
    leading = frozenset(rules.vocab.get("name_leading_words", []))
    found = heading_values(text, entry, rules)
    heading_acronyms = [f.value for f in found if f.field == "acronym"]
    body = entry.heading_end
    defs = list(definitions(text, body, entry.char_end, fw))
    long_forms = {}
    for i in range(0, len(defs), 2):
        long, acr = defs[i], defs[i + 1]
        long_forms.setdefault(acr.value, long)
    names = [f for f in found if f.field == "name"]
    if not names:
        long = next((long_forms[a] for a in heading_acronyms if a in long_forms), None)
        if long:
            s, e = strip_leading(text, long.start, long.end, leading)
            names = [FieldValue("name", text[s:e], s, e, long.rule_id)]
        elif heading_acronyms:
            a = next(f for f in found if f.field == "acronym")
            names = [FieldValue("name", a.value, a.start, a.end, "heading.acronym_as_name")]
            if len(heading_acronyms) == 1 and not DASH_AFTER.match(text, entry.heading_end):
                # only the short form is given ("UNESCO"): it is the name, and no acronym of a
                # longer name the page never writes (after "AMCTO - ..." the page writes one:
                # the acronym stays, whatever the name part read as)
                found.remove(a)
                heading_acronyms = []
        found.extend(names)
    name_texts = [n.value for n in names] + [lf.value for lf in long_forms.values()]
    extra = [d for d in defs if d.field == "acronym" and d.value not in heading_acronyms
             and any(initials_match(d.value, n.split(), fw) for n in [x.value for x in names])]
    # the body opens after the heading's separator: a dash, or the line break of a heading
    # on its own line
    opening = text[body:entry.char_end]
    # (a prose entry opens with a sentence about anything: its first word is no subject)
    subject = None if entry.layout == PROSE else subject_acronym(
        text, body + len(opening) - len(opening.lstrip(" \u00a0-–—\r\n\t")), entry.char_end,
        host.acronym)
    if subject and subject.value not in heading_acronyms and heading_acronyms:
        extra.append(subject)
        found.append(FieldValue("flag", f"acronym_variant:{heading_acronyms[0]}~{subject.value}",
                           subject.start, subject.end, "check.acronym_variant"))
    seen = set(heading_acronyms)
    for acr in [f for f in found if f.field == "acronym"] + extra:
        if acr.rule_id != "heading.acronym" and acr.value in seen:
            continue
        seen.add(acr.value)
        if acr.rule_id != "heading.acronym":
            found.append(acr)
        if not any(initials_match(acr.value, n.split(), fw) for n in name_texts):
            found.append(FieldValue("flag", f"acronym_mismatch:{acr.value}", acr.start, acr.end,
                               "check.acronym_initials"))
    return found
