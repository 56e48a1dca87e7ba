"""spaCy's Matcher, for the token patterns the rules use, read from token arrays and started
only at the tokens a match can start with.

spaCy's Matcher walks every token of a document for every pattern and makes a Python `Token` of
each (most of the cost of extraction). A match of a pattern starts at a token meeting its first
required token spec (`{"LOWER": {"IN": "@founding_verbs"}}`, `{"ENT_TYPE": "HOST"}`,
`{"LIKE_NUM": true}`), and such tokens are few and found from the token arrays in one look-up
(`gate.DocIndex`); from each, the pattern is followed token by token, as a regular expression
is (every count an `OP` allows, every way), until no way goes on (`match_states`: each step
worked out once per pattern). The matches are spaCy's:
every (start, end) the pattern can cover, none empty (`tests/extract/test_token_matcher.py`
compares both on real pages and on random token sequences). A pattern using anything else (a
key or operator not read here) is left to spaCy's Matcher (`compile_pattern` returns None).

Reads: a doc's token arrays (through its `DocIndex`). Writes: (key, start, end) matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from spacy.attrs import IDS, LOWER, ORTH, SENT_START
from spacy.tokens import Doc

from pipeline.extract.gate import DocIndex, requirement, requirements
from pipeline.extract.match_states import MANY, ends

# Boolean token attributes a spec may test, read from the doc's arrays.
FLAGS = frozenset({"IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE",
                   "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_BRACKET", "IS_QUOTE", "LIKE_NUM",
                   "LIKE_URL", "LIKE_EMAIL"})
STRING_KEYS = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER}
COUNTS = re.compile(r"^\{(\d*)(,?)(\d*)\}$")


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern: its key; per item its test, the least and most occurrences in a
    row; `entered[k]`: the states ((item, 0): no occurrence yet) a match enters once item k-1
    is done (item k, and the ones after it while those before may be skipped; item
    `len(items)` is the end); `starts`: the requirements of the tokens it may start with
    (None when one of them has none: then it may start anywhere); `words`: the sets of words
    of which it requires one each (each must meet the document); `anchors`: items after a run
    of items of fixed length ("the Association": "association" one token in), whose rarer
    tokens may give the starts instead."""

    key: int
    items: tuple
    entered: tuple
    starts: Optional[tuple]
    words: tuple
    attrs: tuple
    anchors: tuple = ()   # (offset, requirement) of later items a fixed number of tokens in
    # the sets of states a match of it can be in, each made once (`match_states`)
    states: dict = field(default_factory=dict, init=False, repr=False, compare=False)


def counts(op: Any) -> Optional[tuple[int, int]]:
    """(least, most) occurrences an OP allows; None for one not read here ("!")."""
    if op is None:
        return 1, 1
    fixed = {"?": (0, 1), "*": (0, MANY), "+": (1, MANY), "1": (1, 1)}
    if op in fixed:
        return fixed[op]
    m = COUNTS.match(str(op))
    if not m or not (m.group(1) or m.group(3)):
        return None
    least = int(m.group(1) or 0)
    most = int(m.group(3)) if m.group(3) else (MANY if m.group(2) else least)
    return (least, most) if most >= least else None


def compile_checks(spec: dict, strings) -> Optional[list]:
    """The checks of a token spec, each (attribute, test, value); None when it uses a key or
    value not read here."""
    checks = []
    for key, value in spec.items():
        key = key.upper()
        if key == "OP":
            continue
        if key in STRING_KEYS:
            attr = STRING_KEYS[key]
            if isinstance(value, str):
                checks.append((attr, "in", frozenset([strings.as_int(value)])))
                continue
            if not isinstance(value, dict) or not value:
                return None
            for op, arg in value.items():
                if op in ("IN", "NOT_IN") and isinstance(arg, list) \
                        and all(isinstance(a, str) for a in arg):
                    checks.append((attr, op.lower(), frozenset(strings.as_int(a) for a in arg)))
                elif op == "REGEX" and isinstance(arg, str):
                    checks.append((attr, "regex", re.compile(arg)))
                else:
                    return None
        elif key == "ENT_TYPE" and isinstance(value, str):
            checks.append((IDS["ENT_TYPE"], "in", frozenset([strings.as_int(value)])))
        elif key == "IS_SENT_START" and isinstance(value, bool):
            checks.append((SENT_START, "start", value))
        elif key in FLAGS and isinstance(value, bool):
            checks.append((IDS[key], "flag", int(value)))
        else:
            return None
    return checks


def check_test(attr: int, kind: str, value: Any, strings) -> Callable:
    """One check as a function of (columns, token index)."""
    if kind == "in" and len(value) == 1:
        (one,) = value
        return lambda cols, i: cols[attr][i] == one
    if kind == "in":
        return lambda cols, i: cols[attr][i] in value
    if kind == "not_in":
        return lambda cols, i: cols[attr][i] not in value
    if kind == "flag":
        return lambda cols, i: cols[attr][i] == value
    if kind == "start":   # spaCy's matcher reads sent_start 1 as true, 0 and -1 as false
        return lambda cols, i: (cols[attr][i] == 1) == value
    seen: dict = {}       # regex: on the token's text (or lowercase text), once per string

    def regex(cols, i):
        h = cols[attr][i]
        found = seen.get(h)
        if found is None:
            found = seen[h] = value.search(strings[h]) is not None
        return found
    return regex


def spec_test(checks: list, strings) -> Callable:
    """All checks of a spec as one function; the cheap ones first, regexes last."""
    tests = [check_test(*c, strings) for c in sorted(checks, key=lambda c: c[1] == "regex")]
    if not tests:
        return lambda cols, i: True
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda cols, i: first(cols, i) and second(cols, i)
    return lambda cols, i: all(t(cols, i) for t in tests)


def compile_pattern(key: int, pattern: Any, strings) -> Optional[Pattern]:
    """A token pattern compiled, or None if it uses something not read here."""
    if not isinstance(pattern, list) or not pattern:
        return None
    items, raws, attrs = [], [], set()
    for raw in pattern:
        span = counts(next((v for k, v in raw.items() if k.upper() == "OP"), None))
        checks = compile_checks(raw, strings)
        if span is None or checks is None:
            return None
        if span[1] > 0:
            items.append((spec_test(checks, strings), *span))
            raws.append(raw)
            attrs.update(attr for attr, _, _ in checks)
    if not items:
        return None
    last = len(items)
    reach = []
    for k in range(last + 1):
        j, out = k, []
        while j < last and items[j][1] == 0:
            out.append(j)
            j += 1
        out.append(j)   # the first required item, or the end
        reach.append(tuple(out))
    ids = strings.as_int
    resolve = lambda s: (frozenset(map(ids, s)) if isinstance(s, frozenset)  # noqa: E731
                         else (s[0], ids(s[1]) if isinstance(s[1], str) else s[1]))
    starts: Optional[list] = []
    for k in reach[0]:   # the tokens a match can start with: those of its first items
        needed = requirement(raws[k]) if k < last else None
        if needed is None:
            starts = None
            break
        starts.append(resolve(needed))
    words = tuple(resolve(w) for w in requirements(pattern) or () if isinstance(w, frozenset))
    anchors, offset = [], 0
    for (_, least, most), raw in zip(items, raws):
        if least != most:
            break
        needed = requirement(raw)
        if needed is not None and offset:
            anchors.append((offset, resolve(needed)))
        offset += least
    entered = tuple(tuple((j, 0) for j in r) for r in reach)
    return Pattern(key, tuple(items), entered,
                   tuple(starts) if starts is not None else None, words, tuple(sorted(attrs)),
                   tuple(anchors))


class TokenMatcher:
    """Compiled patterns, matched over a doc from the tokens they can start with."""

    def __init__(self, patterns: list[Pattern]):
        self.patterns = patterns
        # patterns by one set of words they require (its fewest), so that a document is
        # looked up once for all, not once per pattern; `free`: those requiring no word
        self.free: list[int] = []
        self.by_word: dict = {}
        for k, pattern in enumerate(patterns):
            if not pattern.words:
                self.free.append(k)
            for word in min(pattern.words, key=len, default=()):
                self.by_word.setdefault(word, []).append(k)
        self.keywords = frozenset(self.by_word)

    def candidates(self, index: DocIndex) -> list[Pattern]:
        """The patterns whose required words the document has, in order."""
        found = set(self.free)
        for word in self.keywords.intersection(index.words):
            found.update(self.by_word[word])
        patterns = self.patterns
        return [patterns[k] for k in sorted(found) if index.possible(patterns[k].words)]

    def __call__(self, doc: Doc, index: DocIndex) -> list:
        """(key, start, end) of every match (duplicates possible, as spaCy's)."""
        out: list = []
        n = len(doc)
        started = [(pattern, starts) for pattern in self.candidates(index)
                   if (starts := self.starts(pattern, doc, index))]
        # the columns they test, those not read yet read in one call
        cols = index.load(doc, tuple({a for pattern, _ in started for a in pattern.attrs}))
        for pattern, starts in started:
            for start in starts:
                for end in ends(pattern, start, n, cols):
                    out.append((pattern.key, start, end))
        return out

    @staticmethod
    def starts(pattern: Pattern, doc: Doc, index: DocIndex) -> Any:
        """The tokens a match may start at: those meeting the first items' requirements, or
        those a rarer anchor's tokens give, whichever are fewer."""
        if pattern.starts is None:
            return range(len(doc))
        if len(pattern.starts) == 1:
            found = index.positions(doc, pattern.starts[0])
        else:
            found = sorted({i for s in pattern.starts for i in index.positions(doc, s)})
        for offset, needed in pattern.anchors:
            if len(found) <= 1:
                break
            at = index.positions(doc, needed)
            if len(at) < len(found):
                found = [i - offset for i in at if i >= offset]
        return found
