"""The source texts a review may show: only files the dataset lists, only with their sha256.

Reads: the `sources` of a dataset's `datapackage.json` (each raw file's `path` and `sha256`,
and for HTML the `text_file` and `text_sha256` the offsets index), the files they name, and the
PDF page texts under the dataset's own `texts/` folder. Writes nothing.

A row's `source_file` is a claim, not a path to open: the page is built from untrusted rows,
and a row naming `/etc/passwd` must not put that file into `review.html`. So a text is shown
only when
- the name is one the sources list, or names the same file as one (a listed path may be
  written from the project root or from the folder of `datapackage.json`); a PDF page text
  must be a file inside the dataset's `texts/`,
- the file found for it lies inside the project root or the folder holding the dataset, is a
  regular file (a FIFO would block), and
- its bytes hash to the sha256 the sources list (a page text: the sha256 of the fact rows), and
  the row's own `source_sha256` is that same hash.
Otherwise the caller gets no text and a one-line note saying which of these failed.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pipeline.ingest.reader import decode_bytes
from pipeline.versions.version import DATAPACKAGE_FILE, Dataset

TEXTS = "texts"  # the dataset's folder of extracted texts (HTML pages, PDF pages)


@dataclass(frozen=True)
class Listed:
    """A file the dataset lists: the sha256 its bytes must have, and how its text is decoded
    (`raw`: as ingest decoded the input; `utf8`: a text the pipeline wrote)."""

    sha256: str
    decoding: str


@dataclass(frozen=True)
class SourceText:
    """The verified text of a file, or None and the note saying why it is not shown."""

    text: Optional[str]
    note: str = ""


def listed_files(dataset: Dataset) -> dict[str, Listed]:
    """Every file name the dataset's sources list, with its sha256."""
    files: dict[str, Listed] = {}
    for source in dataset.sources:
        files[source.path] = Listed(source.sha256, "raw")
        if source.text_file:
            files[source.text_file] = Listed(source.text_sha256, "utf8")
    return files


def inside(path: Path, folders: list[Path]) -> bool:
    """True when `path`, symlinks resolved, lies inside one of `folders`."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(f.resolve()) for f in folders)


def existing(path: Path) -> Optional[Path]:
    """The path with symlinks resolved when something is there, else None."""
    try:
        return path.resolve() if path.exists() else None
    except (OSError, ValueError):  # a loop of symlinks, a NUL in the name
        return None


def in_texts(name: str, folder: Path) -> Optional[Path]:
    """Where a name written as `<out>/texts/<rest>` is in this dataset's own `texts/`."""
    parts = Path(name).parts
    if TEXTS not in parts:
        return None
    last = len(parts) - 1 - parts[::-1].index(TEXTS)
    rest = parts[last + 1:]
    return folder.joinpath(TEXTS, *rest) if rest else None


class SourceTexts:
    """The texts a dataset's rows may be shown against, each read and verified once."""

    def __init__(self, dataset: Dataset, root: Path):
        self.dataset, self.root = dataset, Path(root)
        self.listed = listed_files(dataset)
        self.folder = dataset.folder
        self.bases = [self.root] + ([self.folder.parent] if self.folder else [])
        # a listed path may be written from the project root, as rows write it, or from the
        # descriptor's own folder, as Frictionless resolves it
        self.places = self.bases + ([self.folder] if self.folder else [])
        self.cache: dict[tuple[str, str], SourceText] = {}
        self.meant: dict[str, Optional[str]] = {}

    def candidates(self, name: str, listed: Listed) -> list[Path]:
        """Where a listed file may be, in order: a text in the dataset's own texts/ first."""
        found = [base / name for base in self.places]
        if listed.decoding == "utf8" and self.folder is not None:
            found.insert(0, in_texts(name, self.folder))
        return [c for c in found if c is not None]

    def listed_name(self, name: str) -> Optional[str]:
        """The listed name a row's name means: the same string, or a name of the same file."""
        if name not in self.meant:
            here = {existing(base / name) for base in self.bases} - {None}
            self.meant[name] = name if name in self.listed else next(
                (other for other, listed in self.listed.items()
                 if here & {existing(c) for c in self.candidates(other, listed)}), None)
        return self.meant[name]

    def entry_text(self, name: str, row_sha256: str) -> SourceText:
        """The text of a page an organisation row names (a listed raw file or HTML text)."""
        listed_as = self.listed_name(name)
        if listed_as is None:
            why = (f"the dataset has no {DATAPACKAGE_FILE}" if DATAPACKAGE_FILE in self.dataset.missing
                   else f"it is not among the sources {DATAPACKAGE_FILE} lists")
            return SourceText(None, f"source_not_listed: {name}: {why}; its text is not shown")
        listed = self.listed[listed_as]
        if row_sha256 != listed.sha256:
            return SourceText(None, f"source_sha256_mismatch: {name}: the row's sha256 "
                                    f"{row_sha256[:12] or '(none)'} is not the listed "
                                    f"{listed.sha256[:12] or '(none)'}; its text is not shown")
        return self.verified(name, self.candidates(listed_as, listed), self.bases,
                             listed.sha256, listed.decoding)

    def page_text(self, name: str, row_sha256: str) -> SourceText:
        """The text of one PDF page a fact row names: a file in the dataset's `texts/` only."""
        if self.folder is None:
            return SourceText(None, f"source_missing: {name}: no dataset folder to read it from")
        path = in_texts(name, self.folder)
        if path is None:
            return SourceText(None, f"source_not_listed: {name}: not a page text in the "
                                    f"dataset's {TEXTS}/; its text is not shown")
        return self.verified(name, [path], [self.folder / TEXTS], row_sha256, "utf8")

    def verified(self, name: str, candidates: list[Path], bases: list[Path], sha256: str,
                 decoding: str) -> SourceText:
        key = (name, sha256)
        if key not in self.cache:
            self.cache[key] = read_verified(name, candidates, bases, sha256, decoding)
        return self.cache[key]


def read_verified(name: str, candidates: list[Path], bases: list[Path], sha256: str,
                  decoding: str) -> SourceText:
    """The text of the first candidate that exists, if it passes every check of the module."""
    path = next((c for c in candidates if existing(c)), None)
    if path is None:
        return SourceText(None, f"source_missing: {name} not found")
    if not inside(path, bases):
        return SourceText(None, f"source_outside: {name} lies outside the project and the "
                                "dataset's folder; its text is not shown")
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return SourceText(None, f"source_missing: {name} is not a regular file")
        data = path.read_bytes()
    except OSError as err:
        return SourceText(None, f"source_missing: {name} cannot be read ({err.strerror or err})")
    if hashlib.sha256(data).hexdigest() != sha256.lower():
        return SourceText(None, f"source_changed: {name}'s bytes no longer have the listed "
                                "sha256; its text is not shown")
    if decoding == "raw":
        return SourceText(decode_bytes(data)[0])
    try:
        return SourceText(data.decode("utf-8"))
    except UnicodeDecodeError:
        return SourceText(None, f"source_changed: {name} is not UTF-8 text")
