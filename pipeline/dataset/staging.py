"""The output folder: one run writes it at a time, and a dataset appears whole or not at all.

`output_lock` refuses a second run on the same folder at once; `output_folder` gives a staging
folder inside it whose files replace the dataset's when the block succeeds (a killed run leaves
only the staging folder, which the next run removes).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterator

from pipeline.io import OutputError


class LockedError(Exception):
    """Another run is writing the same output folder."""


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock: a second run on the same folder is refused at once."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = open(out / ".partners.lock", "w")
    except OSError as err:
        raise OutputError(f"cannot write to {out}: {err.strerror or err}") from err
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"another partners run is writing {out}; wait for it to finish") from None
        yield
    finally:
        lock.close()


@contextmanager
def output_folder(out: Path, *, locked: bool = False) -> Iterator[Path]:
    """A staging folder inside `out` (locked here unless the caller holds the lock); its files
    replace the dataset's on success."""
    with nullcontext() if locked else output_lock(out):
        for stale in out.glob(".staging-*"):  # left by a killed run; the lock is ours now
            shutil.rmtree(stale, ignore_errors=True)
        try:
            staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
        except OSError as err:
            raise OutputError(f"cannot write to {out}: {err.strerror or err}") from err
        try:
            yield staging
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    target = out / path.relative_to(staging)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, target)
        except OSError as err:
            raise OutputError(f"cannot write {out}: {err.strerror or err}") from err
        finally:
            shutil.rmtree(staging, ignore_errors=True)
