"""Extraction over worker processes, with output identical to one process.

Reads: (entry, document) pairs in page order. Writes: the same `Extraction`s and `Issue`s, in
the same order, as `Extractor.run` in one process.

The expensive part of extraction, matching (`Extractor.analyse`: the spaCy pipeline and the
field extractors), holds no state across entries, so chunks of entries go to worker processes,
each of which builds the pipeline once. Giving org ids (numbered when an organisation repeats)
depends on every earlier entry, so the parent does that part (`Extractor.finish`) on the
results in page order. At most a few chunks per worker are in flight: the input is read as the
work goes, never all at once.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from itertools import islice
from typing import Iterable, Iterator, Optional, Union

from pipeline.extract.extractor import Extractor
from pipeline.extract.nlp import build_nlp
from pipeline.extract.org_ids import Registry
from pipeline.extract.rules import Rules
from pipeline.model import Document, Entry, Extraction, Issue
from pipeline.runtime import long_lived
from pipeline.settings import Host

CHUNK = 64          # entries per task: large enough to amortise pickling, small for balance
IN_FLIGHT = 3       # tasks queued per worker

_worker: Optional[Extractor] = None
_failure: Optional[BaseException] = None


def _start_worker(rules: Rules, host: Host, languages: tuple, batch_size: int) -> None:
    global _worker, _failure
    try:
        with long_lived():
            _worker = Extractor(build_nlp(rules, host), rules, host, languages, batch_size)
    except Exception as err:  # noqa: BLE001 - raised again by the first task, in the parent
        # an initializer that raises makes the pool start new workers for ever
        _failure = err


def _analyse_chunk(chunk: list) -> list:
    if _failure is not None:
        raise _failure
    return _worker.analyse_many(chunk)


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Lists of `size` items in order (the last may be shorter), read as they are needed."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class ParallelExtractor:
    """`Extractor.run` over `workers` processes; use as a context manager (it owns the pool)."""

    def __init__(self, rules: Rules, host: Host, languages=("en",), batch_size: int = 64,
                 workers: int = 2, chunk: int = CHUNK, registry: Optional[Registry] = None):
        # ids are given in the parent, in page order: the registry stays here
        self.finisher = Extractor(None, rules, host, languages, batch_size, registry)
        self.workers, self.chunk = workers, chunk
        # fork: workers inherit the imported modules; the pool starts before any output
        # writer (and its threads) exists
        context = multiprocessing.get_context("fork")
        self.pool = context.Pool(workers, initializer=_start_worker,
                                 initargs=(rules, host, tuple(languages), batch_size))

    def __enter__(self) -> "ParallelExtractor":
        return self

    def __exit__(self, exc_type, *_) -> None:
        if exc_type is None:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def run(self, items: Iterable[tuple[Entry, Document]]) -> Iterator[Union[Extraction, Issue]]:
        """Extractions in entry order, each followed by the issues it raised."""
        pending: deque = deque()
        for chunk in chunks(items, self.chunk):
            pending.append((chunk, self.pool.apply_async(_analyse_chunk, (chunk,))))
            if len(pending) >= self.workers * IN_FLIGHT:
                yield from self._finish(*pending.popleft())
        while pending:
            yield from self._finish(*pending.popleft())

    def _finish(self, chunk: list, result) -> Iterator[Union[Extraction, Issue]]:
        for (entry, doc), analysis in zip(chunk, result.get()):
            yield from self.finisher.finish(analysis, entry, doc.text, doc.links)
