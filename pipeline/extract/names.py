"""Names and acronyms: from the heading, from definitions in the text, checked against initials.

- The heading's labels (from the segmenter) give the name, acronyms and group.
- Definitions in the text give long forms: "Long Form (ACR)" and "ACR (Long Form)" (an
  abbreviation-definition search in the manner of Schwartz & Hearst, 2003).
- An acronym opening the entry's text ("AIAMP is a non-profit entity") is recorded too.
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
from pipeline.segment.labels import WORD as WORDS
from pipeline.segment.labels import is_acronym
from pipeline.settings import Host

# "Long Form (ACR)": a bracketed acronym; the long form is searched in the words before it.
PAREN_SHORT = re.compile(r"\(\s*([A-Z][A-Za-z0-9&/.\-]{1,15})\s*\)")
# "ACR (Long Form)" or "ACR(Long Form" closed by ")" or by the end of the sentence.
SHORT_PAREN = re.compile(
    r"\b([A-Z][A-Za-z0-9&/.\-]{1,15})\s*\(\s*([^()]{3,160}?)\s*(?:\)|(?=\.(?:\s|$))|$)")


def initials_match(acronym: str, words: list[str], function_words: frozenset) -> bool:
    """Whether the acronym's letters are the initials of the words, in order.

    Function words may be skipped or used ("COE": Council of Europe); one content word may be
    skipped ("ICTY": ... for former Yugoslavia); a letter may also come from inside the word
    whose initial was used just before ("SEEPAG": SouthEast)."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    words = [w.strip("’',.-") for w in words if w.strip("’',.-")]
    content = [w for w in words if w.lower() not in function_words]
    if not letters or not content or content[0][0].lower() != letters[0]:
        return False
    return _match(letters, [w.lower() for w in words], function_words, 0, 0, skips=1)


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
    words = [(m.start(), m.end()) for m in WORDS.finditer(text, start_limit, end)]
    letters = sum(1 for c in acronym if c.isalpha())
    for k in range(1, min(len(words), letters + 5) + 1):
        chunk = words[-k:]
        if initials_match(acronym, [text[s:e] for s, e in chunk], function_words):
            return chunk[0][0], chunk[-1][1]
    return None


def definitions(text: str, start: int, end: int, function_words: frozenset) -> Iterator[FieldValue]:
    """Acronym definitions in text[start:end]: (acronym, long form) pairs as two FieldValues."""
    for m in PAREN_SHORT.finditer(text, start, end):
        if not is_acronym(m.group(1)):
            continue
        pos = m.start(1)
        for acronym in split_acronyms(m.group(1)):  # "(AIDP/IAPL)": either part may match
            at = text.index(acronym, pos)
            pos = at + len(acronym)
            span = long_form_before(text, m.start(), acronym, function_words, max(start, m.start() - 200))
            if span:
                rule = "names.definition_long_short"
                yield FieldValue("long_form", text[span[0]:span[1]], span[0], span[1], rule)
                yield FieldValue("acronym", acronym, at, at + len(acronym), rule)
    for m in SHORT_PAREN.finditer(text, start, end):
        acronym, long = m.group(1), m.group(2)
        if not is_acronym(acronym):
            continue
        words = long.split()
        if initials_match(acronym, words, function_words):
            rule = "names.definition_short_long"
            yield FieldValue("long_form", long, m.start(2), m.start(2) + len(long), rule)
            yield FieldValue("acronym", acronym, m.start(1), m.end(1), rule)


def strip_leading(text: str, start: int, end: int, leading: frozenset) -> tuple[int, int]:
    """Drop a leading 'The' from a name span."""
    first = WORDS.match(text, start)
    if first and first.group().lower() in leading and first.end() < end:
        start = first.end()
        while start < end and text[start].isspace():
            start += 1
    return start, end


def subject_acronym(text: str, start: int, end: int, host_acronym: str) -> Optional[FieldValue]:
    """An acronym opening the entry's text ("AIAMP is ...", "EJTN’s mandate")."""
    m = re.compile(r"[^\s(’']+").match(text, start, end)
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
    for role, start, end in entry.labels:
        if role == "acronym":
            pos = start
            for part in split_acronyms(text[start:end]):
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
        found.extend(names)
    name_texts = [n.value for n in names] + [lf.value for lf in long_forms.values()]
    extra = [d for d in defs if d.field == "acronym" and d.value not in heading_acronyms
             and any(initials_match(d.value, n.split(), fw) for n in [x.value for x in names])]
    # the body opens after the heading's separator: a dash, or the line break of a heading
    # on its own line
    opening = text[body:entry.char_end]
    subject = subject_acronym(text, body + len(opening) - len(opening.lstrip(" \u00a0-–—\r\n\t")),
                              entry.char_end, host.acronym)
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
