"""Following a token pattern from a start token, as a regular expression is: every count an
`OP` allows, every way at once. The sets of states a match can be in, and the set each moves to
on a token's test results, are made once per pattern and kept with it (`Pattern.states`), so a
pattern met in many documents works each step out once.

Reads: a compiled `token_matcher.Pattern` and a doc's columns. Writes: the ends of matches.
"""

from __future__ import annotations

from typing import Any, Optional

Pattern = Any   # a `token_matcher.Pattern` (not imported: that module imports this one)

MANY = 1 << 30        # the count of an item that may repeat without end
MAX_STATES = 10_000   # sets of states kept per pattern (and its start)
START = None          # Pattern.states: where a match starts


def state_of(pattern: Pattern, found: frozenset) -> Optional["States"]:
    """The (item, count) states `found` as one `States`, made once (None: no state)."""
    if not found:
        return None
    known = pattern.states.get(found)
    if known is None:
        if len(pattern.states) >= MAX_STATES:   # (a pattern of huge counts: start again)
            pattern.states.clear()
        known = pattern.states[found] = States(pattern, found)
    return known


class States:
    """A set of states a match may be in at once, each (item, occurrences so far), the count
    capped at the least the item needs when it may repeat without end: whether a match may end
    here (`final`), the items whose test a token must be put to (`tests`: (bit, test)), and the
    set it moves to for each outcome of those tests (`moves`, filled as outcomes are met)."""

    __slots__ = ("pattern", "found", "final", "tests", "moves")

    def __init__(self, pattern: Pattern, found: frozenset):
        items, last = pattern.items, len(pattern.items)
        self.pattern, self.found = pattern, found
        self.final = (last, 0) in found
        self.tests = tuple((1 << k, items[k][0]) for k in sorted(
            {k for k, c in found if k != last and c < items[k][2]}))
        self.moves: dict = {}

    def move(self, passed: int) -> Optional["States"]:
        """The states after a token that passed the tests of the items in bitmask `passed`."""
        items, entered = self.pattern.items, self.pattern.entered
        last = len(items)
        moved = set()
        for k, c in self.found:
            if k == last or not passed >> k & 1:
                continue
            _, least, most = items[k]
            if c < most:
                c = c + 1 if most != MANY or c < least else c
                moved.add((k, c))
                if c >= least:
                    moved.update(entered[k + 1])
        found = self.moves[passed] = state_of(self.pattern, frozenset(moved))
        return found


def ends(pattern: Pattern, start: int, n: int, cols) -> list[int]:
    """Every end of a match of the pattern starting at token `start`: its items followed as a
    regular expression, all ways at once (`States`)."""
    found = []
    state = pattern.states.get(START)
    if state is None:
        state = pattern.states[START] = state_of(pattern, frozenset(pattern.entered[0]))
    i = start
    while state is not None:
        if state.final and i > start:
            found.append(i)
        if i >= n:
            break
        passed = 0
        for bit, test in state.tests:
            if test(cols, i):
                passed |= bit
        moves = state.moves
        state = moves[passed] if passed in moves else state.move(passed)
        i += 1
    return found
