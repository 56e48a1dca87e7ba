"""List intros: a relationship stated once above a list applies to every entry of the list.

"We are members of the following networks:", "The EJTN would like to thank all its partners:",
"There is intensive cooperation with, among others:", a heading "Our partners": the text
between two entries (or above the first) is read in page order; its last line (the one right
above the list), when it states a term with a cue of `list_intro_cues` (rules/vocabularies.yaml) is the
intro, and it is carried over the entries below it until text that is not a bullet stands
between two entries again (the next section, which may bring its own intro). An entry that
states a relationship of its own keeps it: the intro only fills in a silent entry.

An intro counts only when it is shaped like one: a sentence ending with ":", a sentence naming
the host (its name, acronym, aliases, or `host_self_words`: "we", "our"), a sentence pointing at
the list (`list_pointers`: "the following"), or a short heading line. "The Association has
developed close links with ..." states no term of the list: the page's introduction is not an
intro.

The same holds for an instrument named in brackets in the entry's own heading, as partner
lists label items: "Canterbury Christ Church University (Memorandum of Agreement)". A bracket
of a few words ending in a phrase of an agreement kind (rules/agreement_kinds.yaml) whose id is a
relationship term gives that term, rule id `host.heading_label.<term>`; it comes before the
list's intro, being the entry's own.

Reads: entries in page order and their document's text; the `Host`. Writes: for each entry under
an intro, a `host_relationship` value whose evidence is the intro (offsets in the document),
rule id `host.list_intro.<term>`.
"""

from __future__ import annotations

import re
from typing import Optional

from pipeline.extract.values import FieldValue
from pipeline.model import Entry
from pipeline.segment.prose import LAYOUT as PROSE
from pipeline.settings import Host

WORD = re.compile(r"\w[\w'’-]*")
# A sentence ends at ".", "!" or "?" before a space, or at a line break.
SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+(?=\s|$)|$)", re.M)
# What may stand between the items of one list: space, bullets, dashes, numbers.
BULLETS = re.compile(r"^[\s•·*\-–—▪◦●○■□>|\d.)(]*$")
MARKUP = " \t#>*•·-–—"   # a heading's or item's marks before an intro's words ("## Our partners")
HEADING_WORDS = 8   # a heading line that is an intro ("Our international partners") is short
BRACKET = re.compile(r"\(([^()\n]{2,60})\)")
LABEL_WORDS = 4     # a relation label in brackets is short ("Memorandum of Agreement")


class ListIntros:
    """The intro in effect, carried entry by entry in page order (one per run)."""

    def __init__(self, words: dict, host: Host, labels: tuple = ()):
        cues = words.get("list_intro_cues") or {}
        self.cues = sorted(((term, tuple(p.lower().split())) for term, phrases in cues.items()
                            for p in phrases), key=lambda item: -len(item[1]))
        self.pointers = [tuple(p.lower().split()) for p in words.get("list_pointers", ())]
        self.host_words = [tuple(m.lower().split()) for m in host.mentions()] + \
            [(w.lower(),) for w in words.get("host_self_words", ())]
        self.active = bool(host.mentions()) and bool(self.cues)
        self.source, self.last_end = None, 0
        self.current: Optional[tuple[str, int, int]] = None
        # (term, phrase words) of the instruments a heading may name in brackets, in the
        # order of the agreement kinds (specific first)
        self.labels = tuple((term, tuple(p.lower().split())) for term, p in labels)

    def heading_label(self, entry: Entry, text: str) -> Optional[FieldValue]:
        """The relationship an instrument named in brackets in the entry's heading states."""
        if not self.active:
            return None
        for m in BRACKET.finditer(text, entry.char_start, entry.heading_end):
            words = tuple(w.lower() for w in WORD.findall(m.group(1)))
            if len(words) > LABEL_WORDS:
                continue
            for term, phrase in self.labels:
                if words[-len(phrase):] == phrase:
                    return FieldValue("host_relationship", term, m.start(1), m.end(1),
                                      f"host.heading_label.{term}", raw_value=m.group(1))
        return None

    def relation(self, entry: Entry, text: str) -> Optional[FieldValue]:
        """The relationship the intro above `entry` states (call for every entry, in order)."""
        if entry.source_file != self.source:
            self.source, self.last_end, self.current = entry.source_file, 0, None
        if entry.layout == PROSE:   # read from sentences: under no list, the list's gap kept
            return None
        gap_start = min(self.last_end, entry.char_start)
        self.last_end = max(self.last_end, entry.char_end)
        if not self.active:
            return None
        gap = text[gap_start:entry.char_start]
        if not BULLETS.match(gap):
            self.current = self.find(gap, gap_start)
        if self.current is None:
            return None
        term, start, end = self.current
        return FieldValue("host_relationship", term, start, end, f"host.list_intro.{term}",
                          raw_value=text[start:end])

    def find(self, gap: str, offset: int) -> Optional[tuple[str, int, int]]:
        """(term, start, end) of the intro in the gap's last line (the one right above the
        list), or None."""
        lines = [m for m in re.finditer(r"[^\n]+", gap) if not BULLETS.match(m.group())][-1:]
        for line in reversed(lines):
            sentences = list(SENTENCE.finditer(line.group()))
            for m in reversed(sentences):
                found = self.intro(m.group(), len(sentences) == 1)
                if found:
                    lead = len(m.group()) - len(m.group().lstrip(MARKUP))
                    start = offset + line.start() + m.start() + lead
                    return found, start, start + len(m.group().lstrip(MARKUP).rstrip())
        return None

    def intro(self, sentence: str, whole_line: bool) -> str:
        """The term an intro-shaped sentence states, or ""."""
        words = tuple(w.lower() for w in WORD.findall(sentence))
        term = next((t for t, cue in self.cues if contains(words, cue)), "")
        if not term:
            return ""
        shaped = (sentence.rstrip().endswith(":")
                  or any(contains(words, h) for h in self.host_words)
                  or any(contains(words, p) for p in self.pointers)
                  or (whole_line and len(words) <= HEADING_WORDS
                      and not sentence.rstrip().endswith(".")))
        return term if shaped else ""


def contains(words: tuple, phrase: tuple) -> bool:
    """Whether the words hold the phrase's words in a row (looked for where its first word
    is: every entry's intro is tried against every cue)."""
    if not phrase:
        return True
    n, first, i = len(phrase), phrase[0], -1
    while True:
        try:
            i = words.index(first, i + 1)
        except ValueError:
            return False
        if words[i:i + n] == phrase:
            return True
