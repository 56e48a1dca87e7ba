"""The raw folder changes as a whole: downloads wait in a temporary area until the fetch ends.

Reads and writes: the folder `partners fetch --into` names, and its `sources.yaml`.
- `raw_transaction(into)` holds the folder's lock (a second fetch into it stops at once),
  deals with what an interrupted fetch left (below), and yields a `Transaction` whose
  temporary area `.fetch-tmp-*` is inside the folder (same file system: moves are renames).
- Downloads are staged in the area. `commit` keeps a hard link to every file it will replace,
  writes a commit record (the new manifest's sha256, the files it places), moves the files
  into place and writes the manifest last, atomically: the manifest is the commit point.
- Killed before the commit, a fetch changed nothing; the next fetch removes its area. Killed
  between the first move and the manifest, the files are ahead of the manifest (ingest would
  refuse them as `sha256_mismatch`); the next fetch moves the old files back and removes the
  new ones, so the folder is as it was. Either way it says what it did through `note`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

from pipeline.ingest.manifest import Manifest, dump_manifest
from pipeline.io import OutputError, atomic_path, lock_at_once

MANIFEST = "sources.yaml"
AREA_PREFIX = ".fetch-tmp-"
RECORD = "commit.json"
Note = Callable[[str], None]


class FetchLockedError(OutputError):
    """Another fetch is writing the same folder."""


class Transaction:
    """Files staged for one fetch, placed with the manifest by `commit`."""

    def __init__(self, into: Path, area: Path):
        self.into, self.area = into, area
        self.staged: dict[str, tuple[Path, str]] = {}  # name in the folder -> (staged file, sha256)
        self.keep_area = False  # set while the area holds the only copy of replaced files
        self.numbers = itertools.count()
        (area / "files").mkdir()

    def stage(self, name: str, data: bytes) -> None:
        """Keep `data` to be placed as `name` in the folder when the fetch commits."""
        path = self.area / "files" / str(next(self.numbers))
        path.write_bytes(data)
        self.staged[name] = (path, hashlib.sha256(data).hexdigest())

    def commit(self, manifest: Manifest) -> bool:
        """Place the staged files, then the manifest; return whether the manifest changed."""
        text = dump_manifest(manifest).encode("utf-8")  # before the window: dumping is slow
        changed = _read(self.into / MANIFEST) != text
        if not self.staged and not changed:
            return False
        replaced = sorted(n for n in self.staged if (self.into / n).exists())
        (self.area / "backup").mkdir()
        for name in replaced:
            _keep(self.into / name, self.area / "backup" / name)
        record = {"manifest_sha256": hashlib.sha256(text).hexdigest(),
                  "placed": {name: digest for name, (_, digest) in self.staged.items()},
                  "replaced": replaced}
        (self.area / f"{RECORD}.tmp").write_text(json.dumps(record, sort_keys=True))
        self.keep_area = True
        os.replace(self.area / f"{RECORD}.tmp", self.area / RECORD)  # now a kill is rolled back
        try:
            # new names first: until a listed file is replaced, the old manifest still holds
            for name in sorted(self.staged, key=lambda n: (n in replaced, n)):
                os.replace(self.staged[name][0], self.into / name)
            if changed:
                with atomic_path(self.into / MANIFEST) as tmp:  # the commit point
                    tmp.write_bytes(text)
        except BaseException:
            _roll_back(self.into, self.area, record)  # if this fails, the next fetch rolls back
            self.keep_area = False
            raise
        self.keep_area = False
        return changed


@contextmanager
def raw_transaction(into: Path, note: Optional[Note] = None) -> Iterator[Transaction]:
    """The folder locked and cleaned of interrupted fetches, with a fresh temporary area."""
    note = note or (lambda message: None)
    try:
        into.mkdir(parents=True, exist_ok=True)
        fd = os.open(into, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as err:
        raise OutputError(f"cannot write to {into}: {err.strerror or err}") from err
    try:
        lock_at_once(fd, FetchLockedError(f"another partners fetch is writing {into}; "
                                          "wait for it to finish"))
        try:
            recover(into, note)
            area = Path(tempfile.mkdtemp(prefix=AREA_PREFIX, dir=into))
            transaction = Transaction(into, area)
        except OSError as err:
            raise OutputError(f"cannot write to {into}: {err.strerror or err}") from err
        try:
            yield transaction
        except OSError as err:
            raise OutputError(f"cannot write to {into}: {err.strerror or err}") from err
        finally:
            if not transaction.keep_area:
                shutil.rmtree(area, ignore_errors=True)
    finally:
        os.close(fd)


def recover(into: Path, note: Note) -> None:
    """Roll back or remove what interrupted fetches left in the folder, saying so."""
    for path in sorted(into.glob(".fetch-*")) + sorted(into.glob(f".{MANIFEST}.*.tmp")):
        if path.is_dir() and path.name.startswith(AREA_PREFIX):
            note(_recover_area(into, path))
        elif path.is_file() and not path.is_symlink():
            path.unlink()  # a half-written file of an interrupted fetch or manifest write
            note(f"removed {path.name}, left by an interrupted fetch")


def _recover_area(into: Path, area: Path) -> str:
    try:
        record = json.loads((area / RECORD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        record = None  # interrupted before its commit: the folder was not touched
    if record is None:
        outcome = "nothing in the folder had changed"
    elif _sha256(into / MANIFEST) == record["manifest_sha256"]:
        outcome = "its manifest had been written"
    else:
        restored, removed = _roll_back(into, area, record)
        outcome = f"rolled back: {restored} files restored, {removed} removed"
    shutil.rmtree(area)
    return f"removed {area.name}, left by an interrupted fetch ({outcome})"


def _roll_back(into: Path, area: Path, record: dict) -> tuple[int, int]:
    """Put the replaced files back and remove the ones placed new; return the two counts."""
    restored = removed = 0
    for name in record["replaced"]:
        backup = area / "backup" / name
        if backup.exists():
            os.replace(backup, into / name)
            restored += 1
    for name, digest in record["placed"].items():
        if name not in record["replaced"] and _sha256(into / name) == digest:
            (into / name).unlink()
            removed += 1
    return restored, removed


def _keep(path: Path, backup: Path) -> None:
    try:
        os.link(path, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup)


def _read(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _sha256(path: Path) -> Optional[str]:
    data = _read(path)
    return None if data is None else hashlib.sha256(data).hexdigest()
