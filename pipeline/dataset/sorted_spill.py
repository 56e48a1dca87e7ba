"""Sorting more records than should sit in memory: sorted runs on disk, merged at the end.

Reads: flat records of one dataclass (fields of strings and numbers, as an `Issue`), in any
order (`add`). Writes: nothing that outlives it; its runs are JSON lines in a temporary folder,
removed on exit, each record the array of its field values: no keys to sort, and read back by
the class's own constructor (a record as a sorted object, rebuilt with `model.from_dict`, cost
twice as much, 8 against 4 microseconds an issue written and read; pickle is never used in the
package). `merged` gives the records sorted by `key`, stably (records with equal
keys keep the order they were added in), with at most one run in memory at a time. Export uses
it for issues: a corpus of many pages can raise one per entry, and the issues file is sorted.
"""

from __future__ import annotations

import dataclasses
import heapq
import json
import operator
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

RUN = 20_000  # records per sorted run (an issue is a few hundred bytes)
_JSON = json.JSONEncoder(ensure_ascii=False).encode


class SortedSpill:
    """Collect records; get them back sorted. Use as a context manager (it owns a folder)."""

    def __init__(self, cls: type, key: Callable[[Any], Any], dir: Optional[Path] = None,
                 run: int = RUN):
        self.cls, self.key, self.run = cls, key, run
        self.values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))
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
        path = self.folder / f"run-{len(self.runs):05d}.jsonl"
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for record in sorted(self.buffer, key=self.key):
                values = self.values(record)
                fh.write(_JSON(values if isinstance(values, tuple) else (values,)) + "\n")
        self.runs.append(path)
        self.buffer = []

    def _read_run(self, path: Path) -> Iterator[Any]:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                yield self.cls(*json.loads(line))

    def merged(self, before: Iterable[Any] = (), after: Iterable[Any] = ()) -> Iterator[Any]:
        """Everything added, with `before` and `after` (small) placed as if added first and
        last, sorted by key."""
        runs: list[Iterable[Any]] = [sorted(before, key=self.key)]
        runs += [self._read_run(p) for p in self.runs]
        runs += [sorted(self.buffer, key=self.key), sorted(after, key=self.key)]
        return heapq.merge(*runs, key=self.key)
