"""Sorting more records than should sit in memory: sorted runs on disk, merged at the end.

Reads: records of one dataclass, in any order (`add`). Writes: nothing that outlives it; its
runs are pickled chunks of records in a private temporary folder (`mkdtemp`: the user's own),
read back by this process only and removed on exit. Pickle, not JSON lines: a run is never a
published format, and JSON cost a sorted encoding, a decoding and a dataclass rebuilt per
record, most of the issues' cost on a page of many small entries. `merged` gives the records sorted
by `key`, stably (records with equal keys keep the order they were added in), with at most one
run in memory at a time. Export uses it for issues: a corpus of many pages can raise one per
entry, and the issues file is sorted.
"""

from __future__ import annotations

import heapq
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

RUN = 20_000  # records per sorted run (an issue is a few hundred bytes)
CHUNK = 1_000  # records per pickle in a run: one chunk in memory at a time when merging


class SortedSpill:
    """Collect records; get them back sorted. Use as a context manager (it owns a folder)."""

    def __init__(self, key: Callable[[Any], Any], dir: Optional[Path] = None, run: int = RUN):
        self.key, self.run = key, run
        self.folder = Path(tempfile.mkdtemp(prefix=".spill-", dir=dir))
        self.buffer: list = []
        self.runs: list[Path] = []

    def __enter__(self) -> "SortedSpill":
        return self

    def __exit__(self, *exc: Any) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def add(self, record: Any) -> None:
        self.buffer.append(record)
        if len(self.buffer) >= self.run:
            self._write_run()

    def extend(self, records: Iterable[Any]) -> None:
        for record in records:
            self.add(record)

    def _write_run(self) -> None:
        path = self.folder / f"run-{len(self.runs):05d}.pickle"
        ordered = sorted(self.buffer, key=self.key)
        with open(path, "wb") as fh:
            for i in range(0, len(ordered), CHUNK):
                pickle.dump(ordered[i:i + CHUNK], fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.runs.append(path)
        self.buffer = []

    def _read_run(self, path: Path) -> Iterator[Any]:
        with open(path, "rb") as fh:
            while True:
                try:
                    chunk = pickle.load(fh)
                except EOFError:
                    return
                yield from chunk

    def merged(self, before: Iterable[Any] = (), after: Iterable[Any] = ()) -> Iterator[Any]:
        """Everything added, with `before` and `after` (small) placed as if added first and
        last, sorted by key."""
        runs: list[Iterable[Any]] = [sorted(before, key=self.key)]
        runs += [self._read_run(p) for p in self.runs]
        runs += [sorted(self.buffer, key=self.key), sorted(after, key=self.key)]
        return heapq.merge(*runs, key=self.key)
