"""The evaluation corpus: its manifest (pages and their hosts) and its gold organisation records.

The corpus lives outside the repository (third-party text that must not be committed); it is read
from a folder the user names, by default `../shared/corpus` next to the project root. Its layout
and annotation rules are in that folder's README.md: `manifest.tsv` (one row per page, with the
`host_names` a run should be told the host is called) and `gold.jsonl` (one record per
organisation a page describes).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = PROJECT_ROOT / ".." / "shared" / "corpus"
MANIFEST, GOLD = "manifest.tsv", "gold.jsonl"


class CorpusError(Exception):
    """The corpus folder is missing or one of its files cannot be used."""


@dataclass(frozen=True)
class Page:
    """One page of the manifest: its file (relative to the corpus folder) and its host."""

    file: str
    url: str
    kind: str
    host: str
    host_names: tuple[str, ...]

    @property
    def stem(self) -> str:
        return Path(self.file).stem


@dataclass(frozen=True)
class GoldOrg:
    """One gold organisation record, reduced to the fields the evaluation scores."""

    file: str
    name: str
    acronyms: tuple[str, ...]
    founded_year: Optional[int]
    headquarters: Optional[str]
    membership: tuple[int, ...]  # the counts; qualifier and unit are not scored
    relationship: Optional[str]  # gold vocabulary (mou, partner, ...), None when not stated


@dataclass(frozen=True)
class Corpus:
    folder: Path
    pages: tuple[Page, ...]
    gold: tuple[GoldOrg, ...]

    def gold_for(self, page: Page) -> list[GoldOrg]:
        """The gold records of one page, in file order."""
        return [g for g in self.gold if g.file == page.file]


def parse_manifest(text: str) -> list[Page]:
    """Pages from the text of manifest.tsv (tab-separated, with a header row)."""
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    missing = {"file", "host_names"} - set(rows[0] if rows else ())
    if missing:
        raise CorpusError(f"{MANIFEST}: missing column(s) {', '.join(sorted(missing))}")
    return [Page(file=r["file"], url=r.get("url") or "", kind=r.get("kind") or "",
                 host=r.get("host") or "",
                 host_names=tuple(n.strip() for n in (r["host_names"] or "").split("|")
                                  if n.strip()))
            for r in rows]


def gold_from_record(record: dict) -> GoldOrg:
    """One gold.jsonl object as a GoldOrg."""
    relation = record.get("relationship_to_host") or {}
    return GoldOrg(file=record["file"], name=record["name"],
                   acronyms=tuple(record.get("acronyms") or ()),
                   founded_year=record.get("founded_year"),
                   headquarters=record.get("headquarters"),
                   membership=tuple(int(m["count"]) for m in record.get("membership") or ()),
                   relationship=relation.get("type"))


def parse_gold(text: str) -> list[GoldOrg]:
    """Gold records from the text of gold.jsonl (one JSON object a line; blank lines skipped)."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(gold_from_record(json.loads(line)))
        except (ValueError, KeyError, TypeError) as err:
            raise CorpusError(f"{GOLD}:{n}: not a usable gold record: {err}") from err
    return out


def load_corpus(folder: Path) -> Corpus:
    """Read manifest.tsv and gold.jsonl from the corpus folder."""
    folder = Path(folder)
    try:
        pages = parse_manifest((folder / MANIFEST).read_text(encoding="utf-8"))
        gold = parse_gold((folder / GOLD).read_text(encoding="utf-8"))
    except OSError as err:
        raise CorpusError(f"cannot read the corpus in {folder}: {err.strerror}: "
                          f"{err.filename}") from err
    known = {p.file for p in pages}
    stray = sorted({g.file for g in gold} - known)
    if stray:
        raise CorpusError(f"{GOLD}: records for page(s) not in {MANIFEST}: {', '.join(stray)}")
    return Corpus(folder=folder, pages=tuple(pages), gold=tuple(gold))
