"""Where a ruler's patterns can match: the gate of `span_ruler`'s rulers.

A token pattern nearly always has tokens that must be present and are cheap to look up: a
spelled-out word (`{"LOWER": {"IN": ["founded", ...]}}`, `{"ORTH": "set"}`), an entity type
(`{"ENT_TYPE": "DATE"}`), a number or a URL (`{"LIKE_NUM": true}`): its requirements. A match
holds a token of each, so a document lacking one of a pattern's words cannot match it, and in a
document that has them a match can only start in a sentence holding, or followed within SPILL
tokens by, a token of every requirement. `DocIndex.regions` gives those sentences (with the
SPILL tokens past each) as token ranges: the Matcher run over them finds every match that ends
at most SPILL tokens past the sentence it starts in, which is every match the data has (none
crosses a sentence boundary but hard-wrapped text: "founded\nin 1990" runs 3 tokens past).

Reads: the token arrays of a doc (LOWER, SENT_START, ENT_TYPE, flags) and the patterns. Writes:
nothing; the rulers match where it says.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, Optional

import numpy
from spacy.attrs import ENT_TYPE, IDS, LOWER, SENT_START
from spacy.tokens import Doc

# "OP" values under which a token must occur at least once: none, "+", "{2}", "{1,3}", "{1,}"
AT_LEAST_ONE = re.compile(r"^(\+|1|\{[1-9]\d*(,\d*)?\})$")
# Flags a token must have that are cheap to read for a whole document (`Doc.to_array`).
FLAGS = ("LIKE_NUM", "LIKE_URL", "IS_DIGIT")
INDEX_KEY = "partners_gate_index"
# A match may run this many tokens past the end of the sentence it starts in ("founded\nin
# 1990" in hard-wrapped text runs 3): the Matcher reads that far past each sentence it runs on.
SPILL = 8


def literal_words(spec: dict) -> Optional[frozenset]:
    """Lowercase words one of which the token of `spec` must be; None when not spelled out."""
    best = None
    for key, value in spec.items():
        if key.upper() not in ("LOWER", "ORTH", "TEXT"):
            continue
        if isinstance(value, str):
            words = frozenset([value.lower()])
        elif isinstance(value, dict) and "IN" in value and set(value) <= {"IN", "NOT_IN"} \
                and all(isinstance(v, str) for v in value["IN"]):
            words = frozenset(v.lower() for v in value["IN"])
        else:
            continue
        if best is None or len(words) < len(best):
            best = words
    return best


def requirement(spec: dict) -> Any:
    """What the token of `spec` must be, cheap to look up: a frozenset of lowercase words,
    (ENT_TYPE, label) or (flag, 1); None when nothing such is required."""
    words = literal_words(spec)
    if words is not None:
        return words
    for key, value in spec.items():
        key = key.upper()
        if key == "ENT_TYPE" and isinstance(value, str) and value:
            return (ENT_TYPE, value)
        if key in FLAGS and value is True:
            return (IDS[key], 1)
    return None


def requirements(pattern: Any) -> Optional[tuple]:
    """The requirements a match of `pattern` must hold a token of each of (see `requirement`);
    None if the pattern has none (or is a phrase pattern)."""
    if not isinstance(pattern, list):
        return None
    found = []
    for spec in pattern:
        op = next((v for k, v in spec.items() if k.upper() == "OP"), None)
        if op is not None and not AT_LEAST_ONE.match(str(op)):
            continue
        needed = requirement(spec)
        if needed is not None and needed not in found:
            found.append(needed)
    return tuple(found) or None


class DocIndex:
    """Where a document's words, entity types and flags are: read from its token arrays at the
    first ruler that needs them, and shared by every ruler."""

    def __init__(self, doc: Doc):
        self.lowers = doc.to_array(LOWER).tolist()
        self.words = set(self.lowers)
        self.bounds: list = []    # first token of each sentence, then len(doc)
        self.where: dict = {}     # word -> its token positions
        self.found: dict = {}     # requirement -> the sentences a match holding it can start in

    @classmethod
    def of(cls, doc: Doc) -> "DocIndex":
        """The doc's index, built at the first ruler that reads it."""
        index = doc.user_data.get(INDEX_KEY)
        if index is None:
            index = doc.user_data[INDEX_KEY] = cls(doc)
        return index

    def possible(self, needed: tuple) -> bool:
        """Whether every word a pattern requires is somewhere in the document."""
        return all(not isinstance(item, frozenset) or not item.isdisjoint(self.words)
                   for item in needed)

    def read_sentences(self, doc: Doc) -> None:
        """The sentence bounds and the words' positions (once per document)."""
        starts = doc.to_array(SENT_START).tolist()
        self.bounds = [0] + [i for i, v in enumerate(starts) if v == 1 and i] + [len(doc)]
        where = self.where
        for i, word in enumerate(self.lowers):
            at = where.get(word)
            if at is None:
                where[word] = [i]
            else:
                at.append(i)

    def near(self, doc: Doc, needed: Any) -> set:
        """The sentences a match holding a token that meets the requirement can start in: the
        token's own, and those ending up to SPILL tokens before it."""
        found = self.found.get(needed)
        if found is None:
            if isinstance(needed, frozenset):
                where = self.where
                at = [i for w in needed & self.words for i in where[w]]
            else:
                at = numpy.flatnonzero(doc.to_array(needed[0]) == needed[1]).tolist()
            bounds, found = self.bounds, set()
            for i in at:
                found.update(range(bisect_right(bounds, max(i - SPILL, 0)) - 1,
                                   bisect_right(bounds, i)))
            self.found[needed] = found
        return found

    def regions(self, doc: Doc, gate: tuple) -> list[tuple[int, int]]:
        """Token ranges to match: each sentence (and SPILL tokens past it) that holds, or is
        followed within SPILL tokens by, a token of every requirement of some pattern of the
        gate; merged. The whole doc when it is one sentence."""
        possible = [needed for needed in gate if self.possible(needed)]
        if not possible:
            return []
        if not self.bounds:
            self.read_sentences(doc)
        if len(self.bounds) <= 2:
            return [(0, len(doc))]
        centres: set = set()
        for needed in possible:
            allowed = None
            for item in needed:
                near = self.near(doc, item)
                allowed = set(near) if allowed is None else allowed & near
                if not allowed:
                    break
            if allowed:
                centres |= allowed
        out: list[list[int]] = []
        for centre in sorted(centres):
            start, end = self.bounds[centre], min(self.bounds[centre + 1] + SPILL, len(doc))
            if out and start <= out[-1][1]:
                out[-1][1] = max(out[-1][1], end)
            else:
                out.append([start, end])
        return [(s, e) for s, e in out]


class Gated:
    """The gate of a ruler: per pattern its requirements; None when some pattern has none
    (then every document is matched whole)."""

    gate: Optional[tuple] = None

    def gated_matches(self, doc: Doc) -> Optional[list]:
        """(match_id, start, end) of the ruler's Matcher over the regions where some pattern can
        match; None when the ruler has no gate (match the whole document)."""
        if self.gate is None:
            return None
        regions = DocIndex.of(doc).regions(doc, self.gate)
        if regions == [(0, len(doc))]:
            return list(self.matcher(doc))
        return [(key, s + start, e + start) for start, end in regions
                for key, s, e in self.matcher(doc[start:end])]

    def could_match(self, doc: Doc) -> bool:
        """Whether some pattern of the ruler could match somewhere in the document."""
        return self.gate is None or any(map(DocIndex.of(doc).possible, self.gate))

    def _refresh_gate(self, patterns) -> None:
        gate = []
        ids = self.nlp.vocab.strings.as_int  # a word's id: its hash, or spaCy's symbol ("DATE")
        for pattern in patterns:
            needed = requirements(pattern)
            if needed is None:
                self.gate = None
                return
            gate.append(tuple(frozenset(map(ids, item)) if isinstance(item, frozenset)
                              else (item[0], ids(item[1]) if isinstance(item[1], str) else item[1])
                              for item in needed))
        self.gate = tuple(gate) or None
