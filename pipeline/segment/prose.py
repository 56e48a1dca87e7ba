"""Prose pages -> entries: one per organisation the text states something about.

Reads: a document's text, the organisations the entity layer finds in it
(`segment.organisations`), the host's names, and the fact words of rules/organisations.yaml
(through `SegmentRules`). Writes: `Entry`s with layout `prose` and an `Accounting`.

An organisation gets an entry when a sentence that mentions it
  - opens a paragraph with it as the subject (the paragraph is its own entry), or
  - states a founding, seat or membership with the organisation named before the fact word
    ("INTOSAI was established in 1953", "... (CCBE), founded in 1960"), or
  - states a relation (member, partner, agreement, status, ...) and names the host or refers
    back to it ("It is also a member of the ENNHRI").
The host itself gets an entry only where the page describes it (a dated founding, or a page
that states nothing about another body); a page that states nothing about any body and has no
host is about the body it names most.
An entry runs from the first sentence that mentions its organisation to the last; its labels
point at the definition or first full mention. Prose entries may overlap (two organisations in
one sentence): the no-overlap invariant of the other layouts does not hold for this one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import Optional

from pipeline.model import Accounting, Document, Entry
from pipeline.segment.accounting import overlaps
from pipeline.segment.host_refs import host_references, is_pronoun
from pipeline.segment.labels import SegmentRules
from pipeline.segment.organisations import NAME_WORD, Organisation, find_organisations
from pipeline.segment.sentences import sentences
from pipeline.settings import Host

LAYOUT = "prose"


@lru_cache(maxsize=1 << 15)
def stem(word: str) -> str:
    """A crude stem, so "cooperates" meets "cooperate" and "members" meets "member" (kept per
    word: a page's sentences stem each of their words, mostly words met before)."""
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)]
    return word


@lru_cache(maxsize=16)
def stems_of(words: frozenset) -> frozenset:
    """The stems of a word list (once per list: it was a third of segmenting a prose page)."""
    return frozenset(stem(w) for w in words)


def _norm(text: str) -> str:
    words = " ".join(text.replace("’", "'").split()).lower().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def host_spans(text: str, host: Host) -> list[tuple[int, int]]:
    """Where the text names the host (case-insensitive for names, exact for its acronym)."""
    spans = []
    for mention in host.mentions():
        flags = 0 if mention.isupper() else re.IGNORECASE
        words = mention.split()
        body = r"\s+".join(map(re.escape, words)) + r"(?![\w\-])"
        # "no word character before it", tested after its first character: a pattern opening
        # with a literal is searched for that literal, one opening with a look-behind is tried
        # at every position (six times slower on a page, for an acronym)
        first = re.escape(words[0][0]) if words else ""
        pattern = f"{first}(?<![\\w\\-]{first}){body[len(first):]}" if first \
            else r"(?<![\w\-])" + body
        spans += [m.span() for m in re.finditer(pattern, text, flags)]
    return spans


def is_host(text: str, org: Organisation, host: Host, spans: list[tuple[int, int]]) -> bool:
    """Whether the organisation is the host: a name that is one of the host's (or starts one),
    an acronym that is the host's, or mentions that are all mentions of the host."""
    names = [_norm(m) for m in host.mentions()]
    forms = [_norm(text[s:e]) for s, e in filter(None, (org.name, org.acronym))]
    # "Anti-Corruption Agency" starts the host's name; "Law Council of Australia" starts with
    # its alias "Law Council" (a name of two words or more: "CMJA Endowment Fund" is a fund)
    if any(f == n or n.startswith(f + " ") or (" " in n and f.startswith(n + " "))
           for f in forms for n in names if n):
        return True
    return all(any(a <= s and e <= b for a, b in spans) for s, e in org.mentions)


# After a name: its acronym in brackets, then the next word (a comma kept to tell a list).
NEXT_WORD = re.compile(r"(?:\s*\([^()]{1,20}\))?(\s*,)?\s*([^\W\d_][\w\-]*)?")
# A year in a sentence about the host: its founding is dated ("founded in 1970").
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# Most words between a relation word and the organisation it relates ("a member of the X").
RELATION_REACH = 3


def is_subject(text: str, mention: tuple[int, int], rules: SegmentRules, stems: set) -> bool:
    """Whether the mention reads as its sentence's subject: a verb follows it (an auxiliary, a
    fact word, a lower-case word in -s or -ed), or a fact word after a comma ("(CCBE), founded
    in 1960"; "the IBA, the ILA" is a list)."""
    m = NEXT_WORD.match(text, mention[1])
    word = (m.group(2) or "").lower()
    if stem(word) in stems:
        return True
    return not m.group(1) and (word in rules.subject_verbs or (
        (m.group(2) or "").islower() and len(word) > 3 and word.endswith(("s", "ed"))))


def states_fact(page: "PageSentences", sentence: tuple[int, int], mentions: list,
                words: frozenset, rules: SegmentRules) -> bool:
    """A fact word after a mention that is the sentence's subject."""
    stems = stems_of(words)
    subjects = [m for m in mentions if is_subject(page.text, m, rules, stems)]
    return bool(subjects) and any(w in stems and at >= subjects[0][1]
                                  for w, at in page.stems(sentence))


def opens_paragraph(text: str, sentence: tuple[int, int], mention: tuple[int, int],
                    rules: SegmentRules) -> bool:
    """Whether the mention is the subject opening a paragraph ("The Baltic Audit Office (BAO)
    unites ..."): the paragraph is the organisation's own entry."""
    lead = text[sentence[0]:mention[0]]
    at_start = sentence[0] == 0 or text[:sentence[0]].rstrip(" \t")[-1:] in ("\n", "")
    return at_start and lead.strip().lower() in ("", "the") and \
        is_subject(text, mention, rules, set())


def states_relation(page: "PageSentences", sentence: tuple[int, int], mentions: list,
                    rules: SegmentRules) -> bool:
    """A relation word next to a mention (at most RELATION_REACH words between), and the host
    named or referred back to in the sentence."""
    if not page.names_host(sentence):
        return False
    text = page.text
    stems = stems_of(rules.relation_words)
    words = page.words(sentence)
    for m0, m1 in mentions:
        before = [w for w in words if w.end() <= m0][-(RELATION_REACH + 1):]
        after = [w for w in words if w.start() >= m1][:RELATION_REACH + 1]
        for w in before + after:
            # lower case: "Judicial Cooperation Unit" is a name, not a relation; no comma
            # between: "Within the Council of Europe, the host cooperates" is about others
            if w.group().islower() and stem(w.group()) in stems and not re.search(
                    r"[,;:]", text[min(w.end(), m1):max(w.start(), m0)]):
                return True
    return False


class PageSentences:
    """What `about` reads of a page's sentences, once per sentence however many organisations it
    mentions: its words, their stems, whether it names the host or refers back to it. The words
    are the page's (`NAME_WORD` matches of the whole text, read once for the entity layer too):
    no word runs across a sentence's bounds (a stop, a line break or a space is at each, and no
    word holds one), so a sentence's words are the page's words that start inside it."""

    def __init__(self, text: str, host: list, rules: SegmentRules, words: list):
        self.text, self.host, self.pronouns = text, host, rules.host_pronouns
        self.page_words, self.starts = words, [w.start() for w in words]
        self._words: dict = {}
        self._stems: dict = {}
        self._named: dict = {}

    def words(self, sentence: tuple[int, int]) -> list:
        found = self._words.get(sentence)
        if found is None:
            s, e = sentence
            found = self._words[sentence] = self.page_words[
                bisect_left(self.starts, s):bisect_left(self.starts, e)]
        return found

    def stems(self, sentence: tuple[int, int]) -> list[tuple[str, int]]:
        """(stem, start) of each word."""
        found = self._stems.get(sentence)
        if found is None:
            found = self._stems[sentence] = [(stem(m.group()), m.start())
                                             for m in self.words(sentence)]
        return found

    def names_host(self, sentence: tuple[int, int]) -> bool:
        found = self._named.get(sentence)
        if found is None:
            s, e = sentence
            found = self._named[sentence] = any(s <= a < e for a, _ in self.host) or any(
                is_pronoun(m.group(), self.pronouns) for m in self.words(sentence))
        return found


def about(page: PageSentences, org: Organisation, host_org: bool, rules: SegmentRules,
          sents: list[tuple[int, int]]) -> Optional[tuple[int, int]]:
    """The first and last sentence mentioning the organisation, when one states a fact."""
    text = page.text
    # each mention to its sentence by bisection (sentences by every mention was quadratic)
    starts, by_sent = [s for s, _ in sents], {}
    for m in org.mentions:
        k = bisect_right(starts, m[0]) - 1
        if k >= 0 and m[0] < sents[k][1]:
            by_sent.setdefault(k, []).append(m)
    mentioned = [(sents[k], by_sent[k]) for k in sorted(by_sent)]
    if host_org:  # the page describes its host where it dates its founding or gives its seat
        stated = any(states_fact(page, sent, ms, rules.host_fact_words, rules)
                     and YEAR.search(text, *sent) for sent, ms in mentioned)
    else:
        stated = any(states_fact(page, sent, ms, rules.fact_words, rules)
                     or states_relation(page, sent, ms, rules)
                     or opens_paragraph(text, sent, ms[0], rules) for sent, ms in mentioned)
    return (mentioned[0][0][0], mentioned[-1][0][1]) if stated else None


def _host_labels(text: str, org: Organisation, host: Host) -> list:
    """The host's labels: its own formal name where the page writes it, else the mention's."""
    labels = org.label_spans()
    if host.name:
        found = re.search(re.escape(host.name), text)
        if found:
            labels = [("name",) + found.span()] + [lab for lab in labels if lab[0] != "name"]
    return labels


def prose_entries(doc: Document, text: str, rules: SegmentRules, host: Host,
                  whole_page: bool = True) -> list[Entry]:
    """One entry per organisation of the page that the text states something about. Of a
    whole page stating nothing about anyone, the body it is about (not of a preamble: the
    structure below it states about the others)."""
    sents = sentences(text, 0, len(text))
    spans = host_spans(text, host)
    entries = []
    host_done = False
    words = list(NAME_WORD.finditer(text))   # the page's words, read once
    orgs = find_organisations(text, 0, len(text), rules, words)
    hosting = [is_host(text, o, host, spans) for o in orgs]
    refs = host_references(text, sents, spans, [m for o, h in zip(orgs, hosting) if not h
                                                 for m in o.mentions], rules)
    page = PageSentences(text, spans, rules, words)
    for org, host_org in zip(orgs, hosting):
        span = None if host_org and host_done else about(page, org, host_org, rules, sents)
        if span is not None:
            host_done = host_done or host_org
            entry = _entry(doc, text, org, host if host_org else None, span, len(entries))
            entries.append(replace(entry, host_refs=tuple(
                (s, e) for s, e in refs if entry.char_start <= s and e <= entry.char_end)))
    if not entries and orgs and whole_page:
        # nothing stated about anyone else: the page is about its host where it names it (an
        # about page, a news item of the host), else about the body it names most
        hosts = [o for o, h in zip(orgs, hosting) if h]
        org = hosts[0] if hosts else max(orgs, key=lambda o: len(o.mentions))
        if hosts or len(org.mentions) >= MIN_MENTIONS:
            inside = [sent for sent in sents if any(sent[0] <= m[0] < sent[1]
                                                    for m in org.mentions)]
            span = (inside[0][0], inside[-1][1])
            entries.append(_entry(doc, text, org, host if hosts else None, span, 0))
    return entries


# A page that states nothing about anyone is about the body it names at least this often.
MIN_MENTIONS = 2


def _entry(doc: Document, text: str, org: Organisation, host: Optional[Host],
           span: tuple[int, int], index: int) -> Entry:
    labels = tuple(_host_labels(text, org, host) if host else org.label_spans())
    start = min([span[0]] + [s for _, s, _ in labels])
    end = max([span[1]] + [e for _, _, e in labels])
    return Entry(source_file=doc.source_file, source_sha256=doc.source_sha256, index=index,
                 char_start=start, char_end=end, heading_end=start, layout=LAYOUT,
                 labels=labels, paragraphs=tuple(sentences(doc.text, start, end)))


def prose_accounting(doc: Document, paragraphs: list[tuple[int, int]], blocks,
                     entries: list[Entry]) -> Accounting:
    """Each paragraph (of a prose page: each sentence, the unit its entries are made of) and
    block once: in an entry when an entry overlaps it, else unused (or boilerplate when it is,
    or a boilerplate block holds it)."""
    boiler = [(b.start, b.end) for b in blocks if b.boilerplate]
    where = []
    for s, e in paragraphs:
        if overlaps(entries, s, e):
            where.append("entry")
        elif any(a <= s and e <= b for a, b in boiler):
            where.append("boilerplate")
        else:
            where.append("unused")
    roles = ["boilerplate" if b.boilerplate else "entry" if overlaps(entries, b.start, b.end)
             else "unused" for b in blocks]
    return Accounting(doc.source_file, LAYOUT, len(where), where.count("entry"), 0, 0,
                      len(entries), boilerplate=where.count("boilerplate"),
                      unused=where.count("unused"), blocks_total=len(blocks),
                      blocks_in_entries=roles.count("entry"),
                      blocks_boilerplate=roles.count("boilerplate"),
                      blocks_unused=roles.count("unused"))
