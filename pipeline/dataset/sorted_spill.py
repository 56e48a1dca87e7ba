"""Sorting more records than should sit in memory: sorted runs on disk, merged at the end.

Reads: records of any kind (`add`), with the record's sort key (a flat tuple of strings and
numbers, as `export.issue_order` gives) and its output line (`encode`: one line of text, no
line break in it, as `io.dumps` gives). Writes: nothing that outlives it; its runs are text
files in a temporary folder, removed on exit, one record a line: its key as a JSON array, a
tab, and its output line. `merged` gives the output lines sorted by key, stably (records with
equal keys keep the order they were added in), with at most one run in memory at a time.
Export uses it for issues: a corpus of many pages can raise one per entry, and the issues
file is sorted.

Each record is encoded once, when added. Spilled records used to be rebuilt from their field
values and encoded again at the end, their key computed twice: the 20,074 issues of 10,000
tiny entries, added, sorted and written, took 20.5-22.4 microseconds an issue that way, and
12.9-14.1 now. Nothing here is pickled: the package never unpickles.
"""

from __future__ import annotations

import heapq
import json
import operator
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from pipeline.io import json_encoder

RUN = 20_000  # records per sorted run (an issue is a few hundred bytes)
_KEY = json_encoder()                    # a key written: 0.7 microseconds, not 1.8 (encode)
_READ_KEY = json.JSONDecoder().raw_decode   # and read: 0.5, not 1.5 (json.loads)
_FIRST = operator.itemgetter(0)


class SortedSpill:
    """Collect records; get their lines back sorted. Use as a context manager (it owns a
    folder)."""

    def __init__(self, key: Callable[[Any], tuple], encode: Callable[[Any], str],
                 dir: Optional[Path] = None, run: int = RUN):
        self.key, self.encode, self.run = key, encode, run
        self.folder = Path(tempfile.mkdtemp(prefix=".spill-", dir=dir))
        self.buffer: list = []     # (key, line)
        self.runs: list[Path] = []

    def __enter__(self) -> "SortedSpill":
        return self

    def __exit__(self, *exc: Any) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _entry(self, record: Any) -> tuple:
        return self.key(record), self.encode(record)

    def add(self, record: Any) -> None:
        self.buffer.append(self._entry(record))
        if len(self.buffer) >= self.run:
            self._write_run()

    def extend(self, records: Iterable[Any]) -> None:
        for record in records:
            self.add(record)

    def _write_run(self) -> None:
        path = self.folder / f"run-{len(self.runs):05d}.txt"
        self.buffer.sort(key=_FIRST)   # stable: equal keys keep the order they came in
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            # a JSON array holds no raw tab or line break: the first tab ends the key
            fh.writelines(f"{_KEY(key)}\t{line}\n" for key, line in self.buffer)
        self.runs.append(path)
        self.buffer = []

    @staticmethod
    def _read_run(path: Path) -> Iterator[tuple]:
        with open(path, encoding="utf-8", newline="\n") as fh:
            for text in fh:
                key, _, line = text.partition("\t")
                yield tuple(_READ_KEY(key)[0]), line[:-1]

    def _sorted(self, records: Iterable[Any]) -> list:
        return sorted(map(self._entry, records), key=_FIRST)

    def merged(self, before: Iterable[Any] = (), after: Iterable[Any] = ()) -> Iterator[str]:
        """The lines of everything added, with `before` and `after` (small) placed as if added
        first and last, sorted by key."""
        runs: list[Iterable[tuple]] = [self._sorted(before)]
        runs += [self._read_run(p) for p in self.runs]
        runs += [sorted(self.buffer, key=_FIRST), self._sorted(after)]
        return map(operator.itemgetter(1), heapq.merge(*runs, key=_FIRST))
