"""The cyclic garbage collector in a `partners` process, tuned for what a run builds.

A run first builds about 100,000 objects that live until it ends: spaCy's modules and
vocabulary, the rules, the gazetteer's names, the rulers. None of them is garbage, yet
CPython's cyclic collector scans them again and again while they are built (about 0.1 s of
`partners run` on one page, half of it importing spaCy) and once more at exit (about 0.15 s):
together a third of that run's start-up, against `import spacy; spacy.blank("en")`.

So the console script (`pipeline.cli:entry`, a process of its own) calls `start()`: the
collector is paused; `settled()` (the command's modules imported) and `long_lived()` (around
building the pipeline) freeze what exists (`gc.freeze`: a permanent generation the collector
ignores) and resume collecting, for what the command makes next (`settled()` also makes the
youngest generation's collections rarer, `YOUNG`); `end()` freezes everything before the
interpreter's final collection, as the process's memory goes back whole.

Called in-process (tests, `main()` from Python), none of this freezes anything: freezing would
keep the garbage of whatever ran before for ever. Only the pause inside `long_lived()` applies.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

_own_process = False   # set by start(): this process ends when the command does
# Objects made between two collections of the youngest generation (CPython's default: 700).
# An entry makes thousands (tokens' spans, values, facts, issues), nearly all freed without a
# cycle: collecting every 700 only scanned them, about 4% of a run of 10,000 small entries
# (0 to 1% of larger ones). Cyclic garbage then waits for 10,000 new objects at most.
YOUNG = 10_000


def start() -> None:
    """The console script's first step: pause the collector until start-up is done."""
    global _own_process
    _own_process = True
    gc.disable()


def settled() -> None:
    """What exists now lives until exit (the command's modules): freeze it, resume collecting,
    less often than by default (see YOUNG)."""
    if _own_process:
        gc.freeze()
        gc.set_threshold(YOUNG, *gc.get_threshold()[1:])
        gc.enable()


@contextmanager
def long_lived() -> Iterator[None]:
    """Build objects that live until exit (the spaCy pipeline) with the collector paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _own_process:
            gc.freeze()
        if enabled:
            gc.enable()


def end() -> None:
    """Before the interpreter's final collection: nothing left is worth scanning."""
    if _own_process:
        gc.freeze()
