"""The output folder: one run writes it at a time, and a dataset appears whole or not at all.

`output_lock` refuses a second run on the same folder at once; `output_folder` gives a staging
folder beside it that takes the dataset folder's place in one step when the block succeeds
(renameat2's RENAME_EXCHANGE), so a reader sees the old dataset or the new one, never a mix;
a killed run leaves only the staging folder, which the next run removes.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterator

from pipeline.io import OutputError, lock_at_once

LOCK = ".partners.lock"


class LockedError(Exception):
    """Another run is writing the same output folder."""


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock: a second run on the same folder is refused at once."""
    try:
        check_dataset_folder(out)
        out.mkdir(parents=True, exist_ok=True)
        lock = open(out / LOCK, "w")
    except OSError as err:
        raise OutputError(f"cannot write to {out}: {err.strerror or err}") from err
    try:
        lock_at_once(lock, LockedError(f"another partners run is writing {out}; "
                                       "wait for it to finish"))
        yield
    finally:
        lock.close()


# What a dataset folder may hold besides this run's files: the DVC stages' interim files, the
# review page, the lock, a failed run's issues. Anything else means --out names another folder.
KEPT = ("interim", "review.html", LOCK, ".failed-run")
DATASET = ("organisations", "facts", "agreements", "datapackage", "metrics", "issues", "texts")


def check_dataset_folder(out: Path) -> None:
    """Refuse an output folder that holds anything but a dataset (`--out /`, `--out .`)."""
    if str(out) == "-":
        raise OutputError("--out -: a dataset is a folder, not standard output")
    if not out.is_dir():
        return
    for entry in sorted(out.iterdir()):
        stem = entry.name.split(".")[0]
        if entry.name not in KEPT and stem not in DATASET and not entry.name.startswith(".staging-"):
            raise OutputError(f"{out} is not a dataset folder (it holds {entry.name!r}); "
                              "give --out a new, empty or dataset folder")


@contextmanager
def output_folder(out: Path, *, locked: bool = False) -> Iterator[Path]:
    """A staging folder beside `out` (locked here unless the caller holds the lock); on
    success it takes the place of `out` in one step, keeping `out`'s KEPT entries."""
    out = Path(out)
    with nullcontext() if locked else output_lock(out):
        prefix = f".{out.resolve().name}.staging-"
        for stale in out.resolve().parent.glob(prefix + "*"):  # a killed run's; the lock is ours
            shutil.rmtree(stale, ignore_errors=True)
        for stale in out.glob(".staging-*"):  # staging folders of older versions
            shutil.rmtree(stale, ignore_errors=True)
        try:
            staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out.resolve().parent))
            os.chmod(staging, 0o755)  # mkdtemp makes 0700; a dataset is for reading
        except OSError as err:
            raise OutputError(f"cannot write beside {out}: {err.strerror or err}") from err
        try:
            try:
                yield staging
            except OutputError as err:  # a file of the staging folder: name the dataset
                raise OutputError(f"{out}: {err}") from err
            for name in KEPT:
                link_tree(out / name, staging / name)
            swap(staging, out.resolve())
        except OSError as err:
            raise OutputError(f"cannot write {out}: {err.strerror or err}") from err
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def link_tree(source: Path, target: Path) -> None:
    """Hard-link a file or a folder's files into the staging folder (same inodes: the lock
    stays held, DVC's interim files stay what its lock file says)."""
    if source.is_dir() and not source.is_symlink():
        target.mkdir(exist_ok=True)
        for child in source.iterdir():
            link_tree(child, target / child.name)
    elif source.exists() and not target.exists():
        os.link(source, target)


# renameat2(2) with RENAME_EXCHANGE swaps two paths atomically (Linux >= 3.15): a reader
# opening `out/...` sees the whole old dataset or the whole new one. The standard library
# has no binding for it, hence ctypes.
RENAME_EXCHANGE, AT_FDCWD = 2, -100


def swap(staging: Path, out: Path) -> None:
    """Put `staging` at `out` in one step; the old folder ends up at `staging` (removed by the
    caller). Where the kernel or file system cannot exchange, two renames (a moment with no
    folder at `out`, never a mix of the two)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "renameat2"):
        if libc.renameat2(AT_FDCWD, bytes(staging), AT_FDCWD, bytes(out), RENAME_EXCHANGE) == 0:
            return
        if ctypes.get_errno() not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(out))
    old = staging.with_name(staging.name + ".old")
    os.rename(out, old)
    os.rename(staging, out)
    os.rename(old, staging)


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - not a glibc/musl system
        return None
