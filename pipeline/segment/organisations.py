"""The entity layer: organisations named in a text, found once, with every mention.

Reads: a text, a span of it, and the words of rules/segment.yaml and rules/organisations.yaml
(through `SegmentRules`). Writes: `Organisation`s, each with its name and acronym as spans into
the text and the spans of all its mentions (name or acronym, whole words), in text order.
Three kinds of evidence, each a rule id:
  org.definition   an acronym definition, `Long Form (ACR)` or `ACR (Long Form)`
                   (`segment.acronyms`), whose long form is a name and not an instrument;
  org.head_noun    a capitalised run of words holding an organisation head noun ("Council
                   of Bars and Law Societies of Europe"), inner function words allowed;
  org.acronym      an acronym in capitals the page uses as a name at least twice ("INTERPOL").
A name that is only a head noun ("the Commission") is a reference back, not a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Optional

from pipeline.segment.acronyms import (
    find_definitions,
    initials_match,
    split_acronyms,
    used_acronyms,
)
from pipeline.segment.labels import SegmentRules, is_acronym, is_sub_body
from pipeline.segment.mentions import find_mentions

# A word of a name: letters with inner hyphens or apostrophes ("Co-operation", "People’s").
NAME_WORD = re.compile(r"[^\W\d_][\w’'&\-]*[\w&]|[^\W\d_]")
POSSESSIVE = ("’s", "'s")
# An undefined acronym must recur this often to be taken as a name.
MIN_ACRONYM_USES = 2
BRACKETED = re.compile(r"[ \t\u00a0]*\(([A-Z][A-Za-z0-9&/.\-]{1,15})\)")


@dataclass
class Organisation:
    """One organisation of a text: its name and acronym spans, and every mention's span."""

    name: Optional[tuple[int, int]]
    acronym: Optional[tuple[int, int]]
    rule_id: str
    mentions: list = field(default_factory=list)

    def label_spans(self) -> list[tuple[str, int, int]]:
        out = [("name",) + self.name] if self.name else []
        return out + ([("acronym",) + self.acronym] if self.acronym else [])


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


def head_noun_names(text: str, start: int, end: int, rules: SegmentRules,
                    words: Optional[list] = None) -> Iterator[tuple[int, int]]:
    """Spans of capitalised names holding a head noun: capitalised words, function words only
    between them; the words before the first head noun must all be capitalised; "and" joins
    only a part with no head noun of its own ("Council of Bars and Law Societies"). `words`:
    the NAME_WORD matches of text[start:end], when the caller has them."""
    words = list(NAME_WORD.finditer(text, start, end)) if words is None else words
    head_nouns = rules.head_nouns
    # `_is_head`, written out: called for every word of a page it was 3% more of segmenting
    heads = [k for k, w in enumerate(words)
             if (word := w.group())[0].isupper() and _bare(word).lower() in head_nouns]
    # only a run holding a head noun holds a name: each is read from its first head noun, back
    # to where it starts, then forward (the other capitalised words are never read as a run)
    after = 0
    for h in heads:
        if h >= after:
            run = _run(text, words, _run_start(text, words, h, rules), rules)
            after = run[-1] + 1
            yield from _names_in(text, words, run, rules)


def _capitalised(w: str) -> bool:
    return w[0].isupper()


def _run(text: str, words, i: int, rules: SegmentRules) -> list[int]:
    """Indices of a run of capitalised words (function words inside) starting at i."""
    if not _capitalised(words[i].group()):
        return []
    run, j = [i], i + 1
    while j < len(words) and _joined(text, words, j, rules):
        run.append(j)
        j += 1
    while run and not _capitalised(words[run[-1]].group()):
        run.pop()
    return run


def _run_start(text: str, words, k: int, rules: SegmentRules) -> int:
    """The first word of the run that holds the capitalised word k: back from k while each
    word is joined to the one before, then on to the first capitalised word."""
    while k > 0 and _joined(text, words, k, rules):
        k -= 1
    while not _capitalised(words[k].group()):
        k += 1
    return k


def _joined(text: str, words, j: int, rules: SegmentRules) -> bool:
    """Whether word j continues a run through word j - 1: only spaces between (punctuation or
    a line break ends a name), and word j capitalised, or a function word with only spaces
    after it."""
    gap = text[words[j - 1].end():words[j].start()]
    if gap.strip() or "\n" in gap:
        return False
    w = words[j].group()
    return _capitalised(w) or (w.lower() in rules.function_words and j + 1 < len(words)
                               and not text[words[j].end():words[j + 1].start()].strip())


def _bare(w: str) -> str:
    """The word without a possessive ("Union’s" -> "Union")."""
    return w[:-2] if w.endswith(POSSESSIVE) else w


def _is_head(w: str, rules: SegmentRules) -> bool:
    return _capitalised(w) and _bare(w).lower() in rules.head_nouns


def _names_in(text: str, words, run: list[int], rules: SegmentRules) -> Iterator[tuple[int, int]]:
    tokens = [words[k].group() for k in run]
    if sum(1 for t in tokens if t.isupper() and len(t) > 1) > len(tokens) / 2:
        return  # a line in capitals: capitals are no evidence of a name there
    heads = [n for n, t in enumerate(tokens) if _is_head(t, rules)]
    if not heads:
        return
    # split at an "and" whose right side holds a head noun of its own
    parts, begin = [], 0
    for n, t in enumerate(tokens):
        if t.lower() == "and" and any(h > n for h in heads) and \
                _starts_name_after(tokens, n, heads):
            parts.append((begin, n))
            begin = n + 1
    parts.append((begin, len(tokens)))
    for a, b in parts:
        own = [h for h in heads if a <= h < b]
        if not own:
            continue
        first = own[0]
        # before the first head: capitalised words only (cut after the last function word)
        lead = [n for n in range(a, first) if not _capitalised(tokens[n])
                or tokens[n].lower() in rules.function_words  # "Canada The Alberta ..."
                ]
        a = lead[-1] + 1 if lead else a
        core_end = next((n for n in range(a, b) if tokens[n].lower() in rules.function_words), b)
        owner = [n for n in range(a, core_end) if tokens[n].endswith(POSSESSIVE)]
        a = owner[-1] + 1 if owner else a  # "the Union’s Legal Service": a part, named by owner
        if not any(a <= h < b for h in heads):
            continue
        while b > a and (not _capitalised(tokens[b - 1]) or (  # "... Academy CEPOL"
                b - 1 > first and tokens[b - 1].isupper() and len(tokens[b - 1]) > 1)):
            b -= 1
        if _core_head(tokens, a, b, heads, rules) in rules.not_prose_heads or \
                is_sub_body([t.lower() for t in tokens[a:b]], rules):
            continue
        content = [t for t in tokens[a:b] if t.lower() not in rules.function_words]
        if len(content) >= 2:
            last = words[run[b - 1]]
            yield words[run[a]].start(), last.start() + len(_bare(last.group()))


def _core_head(tokens: list[str], a: int, b: int, heads: list[int], rules: SegmentRules
               ) -> str:
    """The head noun of the name's first noun phrase ("Congress" of "International Congress
    of Supreme Audit Institutions", "Secretariat" of "Egmont Group Secretariat")."""
    end = next((n for n in range(a, b) if tokens[n].lower() in rules.function_words), b)
    core = [n for n in heads if a <= n < end]
    return _bare(tokens[core[-1]]).lower() if core else ""


def _starts_name_after(tokens: list[str], n: int, heads: list[int]) -> bool:
    """Whether the words after tokens[n] up to the next function word hold a head noun."""
    k = n + 1
    while k < len(tokens) and not tokens[k][0].isupper():  # "and the European Union"
        k += 1
    while k < len(tokens) and tokens[k][0].isupper():
        if k in heads:
            return True
        k += 1
    return False


def _is_name(long_form: str, rules: SegmentRules, instruments: frozenset) -> bool:
    words = [w.lower() for w in NAME_WORD.findall(long_form)]
    content = [w for w in words if w not in rules.function_words]
    if not content or sum(1 for w in NAME_WORD.findall(long_form)
                          if w[0].isupper()) < 0.5 * len(content):
        return False
    has_head = any(w in rules.head_nouns for w in words)
    return has_head or not any(w in instruments for w in words)


def find_organisations(text: str, start: int, end: int, rules: SegmentRules,
                       words: Optional[list] = None) -> list[Organisation]:
    """The organisations named in text[start:end], each with all its mentions, in order of
    first mention (`words`: as `head_noun_names` takes them)."""
    orgs: dict[str, Organisation] = {}
    by_name: dict[str, str] = {}
    for d in find_definitions(text, start, end, rules.function_words):
        acr = text[d.acronym[0]:d.acronym[1]]
        long = text[d.long_form[0]:d.long_form[1]]
        if acr in rules.common_acronyms or not _is_name(long, rules, rules.instrument_words):
            continue
        if acr not in orgs and _norm(long) not in by_name:
            orgs[acr] = Organisation(d.long_form, d.acronym, d.rule_id)
            by_name[_norm(long)] = acr
    for s, e in head_noun_names(text, start, end, rules, words):
        key = _norm(text[s:e])
        if key not in by_name and not any(_overlaps((s, e), o.name) for o in orgs.values()) \
                and not _described(text, s, rules):
            by_name[key] = key
            orgs[key] = Organisation((s, e), None, "org.head_noun")
    taken = {text[o.acronym[0]:o.acronym[1]] for o in orgs.values() if o.acronym} | set(orgs)
    for org in list(orgs.values()):
        bracket = BRACKETED.match(text, org.name[1]) if org.acronym is None and org.name \
            else None
        # "The Council of Bars and Law Societies of Europe (CCBE)": an acronym in brackets
        # right after a head-noun name is its own, even when its letters are another
        # language's (a mismatch the extract stage flags); three letters at least ("(GB)")
        if bracket and len(bracket.group(1)) >= 3 and is_acronym(bracket.group(1)) \
                and bracket.group(1) not in rules.common_acronyms | taken:
            org.acronym = bracket.span(1)
            taken.add(bracket.group(1))
    for acr, spans in used_acronyms(text, start, end, rules.common_acronyms).items():
        known = {text[o.acronym[0]:o.acronym[1]] for o in orgs.values() if o.acronym}
        if acr in known or acr in orgs:
            continue
        owner = _spelled_by(text, acr, spans[0][0], orgs.values(), rules)
        if owner is not None:  # "... Association of Judges. The IAJ was founded": its acronym
            owner.acronym = spans[0]
        elif len(spans) >= MIN_ACRONYM_USES:
            orgs[acr] = Organisation(spans[0], None, "org.acronym")
    found = list(orgs.values())
    assign_mentions(text, start, end, found)
    return sorted([o for o in found if o.mentions], key=lambda o: o.mentions[0][0])


def _spelled_by(text: str, acronym: str, at: int, orgs, rules: SegmentRules
                ) -> Optional[Organisation]:
    """The named organisation without an acronym, named before it, whose initials the acronym
    spells."""
    for org in orgs:
        if org.acronym is None and org.name and org.name[1] <= at and initials_match(
                acronym, text[org.name[0]:org.name[1]].split(), rules.function_words):
            return org
    return None


def _overlaps(span: tuple[int, int], other: Optional[tuple[int, int]]) -> bool:
    return other is not None and other[0] < span[1] and span[0] < other[1]


def _described(text: str, start: int, rules: SegmentRules) -> bool:
    """Whether a name is a description: after "a"/"an" ("is an International Organization")
    or after an article and a lower-case word ("is the regional Bar Association of ...")."""
    before = NAME_WORD.findall(text[max(0, start - 40):start])
    if before and before[-1].lower() in rules.indefinite_determiners:
        return True
    return len(before) >= 2 and before[-1].islower() and \
        before[-1] not in rules.function_words and before[-2].lower() in rules.determiners


def forms_of(text: str, org: Organisation) -> list[str]:
    """The ways the text writes the organisation: its name, its acronym and an acronym's parts
    ("UN/ECE": also "ECE")."""
    forms = [text[org.name[0]:org.name[1]]] if org.name else []
    if org.acronym:
        acr = text[org.acronym[0]:org.acronym[1]]
        forms += [acr] + [p for p in split_acronyms(acr) if p != acr and len(p) > 2]
    return forms


def assign_mentions(text: str, start: int, end: int, orgs: list[Organisation]) -> None:
    """Every organisation's mentions: whole-word spans of its forms (`segment.mentions`), longest
    form first, so a name inside a longer one ("Commissioner for Human Rights" inside "High
    Commissioner for Human Rights") is the longer one's mention only."""
    owner: dict[str, Organisation] = {}
    for org in orgs:
        org.mentions = []
        for form in forms_of(text, org):
            owner.setdefault(" ".join(form.split()), org)
    forms = sorted(owner, key=len, reverse=True)
    for s, e, k in find_mentions(text, start, end, forms):
        owner[forms[k]].mentions.append((s, e))
