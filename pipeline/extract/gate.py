"""What a token pattern needs, and where a document has it: the gate of the rulers.

A token pattern nearly always has tokens that must be present and are cheap to look up: a
spelled-out word (`{"LOWER": {"IN": ["founded", ...]}}`, `{"ORTH": "set"}`), an entity type
(`{"ENT_TYPE": "DATE"}`), a number or a URL (`{"LIKE_NUM": true}`): its requirements. A match
holds a token of each, so a document lacking one of a pattern's words cannot match it, and a
match starts at a token meeting the requirement of the pattern's first required token.
`DocIndex` reads a document's token arrays once and answers both questions with set and dict
look-ups, for every ruler; the other components read their columns from it too (sentence
starts, dates, places).

Reads: the token arrays of a doc (its lexical attributes at once, and the attributes a pattern
tests) and the patterns. Writes: nothing (the index is kept in `doc.user_data`).
"""
from __future__ import annotations

import re
from typing import Any, Optional

import numpy
from spacy.attrs import (
    ENT_IOB,
    ENT_TYPE,
    IDS,
    IDX,
    IS_PUNCT,
    LOWER,
    ORTH,
    SHAPE,
    SPACY,
)
from spacy.tokens import Doc

# "OP" values under which a token must occur at least once: none, "+", "{2}", "{1,3}", "{1,}"
AT_LEAST_ONE = re.compile(r"^(\+|1|\{[1-9]\d*(,\d*)?\})$")
# Flags a token must have that are cheap to read for a whole document (`Doc.to_array`).
FLAGS = ("LIKE_NUM", "LIKE_URL", "IS_DIGIT")
INDEX_KEY = "partners_gate_index"
LONG = 2_000  # tokens: a document this long is searched with numpy
# Token attributes fixed at tokenisation, read at once: words, offsets, shapes, orth, spacing
# (the components' columns), the flags a requirement may test, and punctuation (sentences).
LEXICAL = (LOWER, IDX, SHAPE, ORTH, SPACY) + tuple(IDS[flag] for flag in FLAGS) + (IS_PUNCT,)


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
    """A document's token arrays, read once (its lexical ones together, the others at the first
    reader of each) and shared by every component: its words, the tokens meeting each
    requirement, and any attribute as a list. The entity columns are read again after a
    component adds entities (`forget_entities`)."""

    def __init__(self, doc: Doc):
        # the attributes that never change once a doc is tokenised, in one call for every
        # component that reads them (a call per column was most of their cost on short entries)
        table = doc.to_array(list(LEXICAL))
        self.columns: dict = dict(zip(LEXICAL, table.T.tolist()))
        self.lowers = self.columns[LOWER]
        self.words = set(self.lowers)
        self.found: dict = {}                # requirement -> the tokens meeting it
        # numpy columns, for a long document: the lexical ones from the same read (each
        # `Doc.to_array` reads every token again: a doc of many entries asks for dozens)
        self.arrays: dict = dict(zip(LEXICAL, table.T)) if len(doc) > LONG else {}

    @classmethod
    def of(cls, doc: Doc) -> "DocIndex":
        """The doc's index, built at the first ruler that reads it."""
        index = doc.user_data.get(INDEX_KEY)
        if index is None:
            index = doc.user_data[INDEX_KEY] = cls(doc)
        return index

    def forget_entities(self) -> None:
        """Drop what was read of the entities (a ruler is about to change them): the columns
        and the tokens found for an entity type, read again when next asked."""
        for attr in (ENT_TYPE, ENT_IOB):
            self.columns.pop(attr, None)
            self.arrays.pop(attr, None)
        self.found = {k: v for k, v in self.found.items() if isinstance(k, frozenset)}

    def possible(self, words: tuple) -> bool:
        """Whether the document has a word of each set a pattern requires one of
        (`Pattern.words`: frozensets of lowercase word ids)."""
        return not any(map(self.words.isdisjoint, words))

    def column(self, doc: Doc, attr: int) -> list:
        """An attribute of every token, as a list."""
        found = self.columns.get(attr)
        if found is None:
            found = self.columns[attr] = doc.to_array(attr).tolist()
        return found

    def load(self, doc: Doc, attrs: tuple) -> dict:
        """The columns of these attributes (those not read yet read in one call)."""
        missing = [a for a in attrs if a not in self.columns]
        if missing:
            table = doc.to_array(missing).reshape(len(doc), len(missing))
            for attr, values in zip(missing, table.T.tolist()):
                self.columns[attr] = values
        return self.columns

    def array(self, doc: Doc, attr: int) -> numpy.ndarray:
        """An attribute of every token, as a numpy array (read once)."""
        found = self.arrays.get(attr)
        if found is None:
            found = self.arrays[attr] = doc.to_array(attr)
        return found

    def positions(self, doc: Doc, needed: Any) -> list[int]:
        """The tokens meeting a requirement (a set of words, or (attribute, value)), in order:
        read in Python in a short document, with numpy in a long one."""
        found = self.found.get(needed)
        if found is not None:
            return found
        if isinstance(needed, frozenset):
            present = needed & self.words
            if not present:
                found = []
            elif len(self.lowers) > LONG:
                wanted = numpy.array(sorted(present), dtype=numpy.uint64)
                found = numpy.flatnonzero(numpy.isin(self.array(doc, LOWER), wanted)).tolist()
            elif len(present) == 1:
                found = indices(self.lowers, next(iter(present)))
            else:
                found = sorted(i for w in present for i in indices(self.lowers, w))
        elif len(self.lowers) > LONG:
            found = numpy.flatnonzero(self.array(doc, needed[0]) == needed[1]).tolist()
        else:
            attr, value = needed
            found = indices(self.column(doc, attr), value)
        self.found[needed] = found
        return found


def indices(values: list, value) -> list[int]:
    """Where `value` is in the list, in order (`list.count` and `list.index` scan in C; the
    values sought are rare, so this is faster than testing each in Python, and no ValueError
    is raised and caught at the end: about a microsecond a call)."""
    found, i = [], -1
    for _ in range(values.count(value)):
        i = values.index(value, i + 1)
        found.append(i)
    return found
