"""Stage 4, export: extractions -> the curated dataset (CSV and Parquet side by side).

Reads: `Extraction`s (one per entry, in page order), the documents and their paragraph
accounting, issues from every stage, curator overrides, and the PDFs the page links to.
Writes, into the output folder: organisations / facts / agreements as .csv and .parquet,
`datapackage.json`, `metrics.json`, `issues.jsonl`, all derived from the dataclasses in
`pipeline.model`. Files are written into a staging folder and moved into place at the end, so
a killed run leaves the previous dataset whole; a lock refuses a second run on the same folder.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from pipeline.extract.extractor import Extraction
from pipeline.io import OutputError, TableWriter, dumps, write_json
from pipeline.model import TABLES, Fact, Issue, Organisation, columns, source_span
from pipeline.dataset.overrides import Override, apply_overrides
from pipeline.extract.rules import Host
from pipeline.dataset.sorted_spill import SortedSpill


class LockedError(Exception):
    """Another run is writing the same output folder."""


@dataclass
class Totals:
    """What the run counted, for metrics.json."""

    facts_by_field: Counter = field(default_factory=Counter)
    filled: Counter = field(default_factory=Counter)
    organisations: int = 0
    agreements: int = 0
    relationships: Counter = field(default_factory=Counter)


def extraction_to_organisation(x: Extraction, facts: Sequence[Fact], order: Sequence[str]) -> Organisation:
    """One organisation row from its (overridden) facts."""
    first = lambda name: next((f for f in facts if f.field == name), None)  # noqa: E731
    founded = next((f for f in facts if f.field == "founded"
                    and f.date_precision in ("day", "month", "year")), None)
    terms = [f.value for f in facts if f.field == "host_relationship"]
    relationship = min(terms, key=lambda t: order.index(t) if t in order else len(order)) \
        if terms else "none_stated"
    acronyms = tuple(dict.fromkeys(f.value for f in facts if f.field == "acronym"))
    membership = "; ".join(f"{f.qualifier} {f.value} {f.unit}".strip()
                           for f in facts if f.field == "membership")
    value = lambda name: first(name).value if first(name) else ""  # noqa: E731
    return Organisation(
        org_id=x.org_id, name=value("name"), acronyms=acronyms, group=value("group"),
        founded_year=int(founded.date[:4]) if founded else None,
        founded_date=founded.date if founded else "", headquarters=value("headquarters"),
        website=value("website"), host_relationship=relationship,
        flags=tuple(f.value for f in facts if f.field == "flag"),
        source_file=x.entry.source_file, source_sha256=x.entry.source_sha256,
        char_start=x.entry.char_start, char_end=x.entry.char_end, membership=membership)


def count(totals: Totals, org: Organisation, facts: Sequence[Fact]) -> None:
    totals.organisations += 1
    totals.facts_by_field.update(f.field for f in facts)
    for f in columns(Organisation):
        if getattr(org, f.name) not in ("", None, ()):
            totals.filled[f.name] += 1
    totals.relationships[org.host_relationship] += 1


class OverrideTracker:
    """Applies overrides one organisation at a time and reports those that matched nothing."""

    def __init__(self, overrides: Sequence[Override]):
        self.overrides = list(overrides)
        self.used: dict[int, set] = {o.number: set() for o in self.overrides}

    def apply(self, org_id: str, facts: list[Fact]) -> tuple[list[Fact], list[Issue]]:
        if not self.overrides:
            return facts, []
        facts, issues = apply_overrides(facts, self.overrides)
        kept = []
        for issue in issues:
            if issue.reason == "stale_override":
                continue  # stale only if no organisation matched: decided in leftovers()
            self.used[int(issue.source.rsplit("#", 1)[1])].add(org_id)
            kept.append(issue)
        return facts, kept

    def leftovers(self) -> list[Issue]:
        out = []
        for o in self.overrides:
            if not self.used[o.number]:
                out.append(Issue(f"{o.source}#{o.number}", "export", "stale_override",
                                 f"{o.action} {o.field} of {o.org}: matches no fact any more "
                                 f"({o.reason})"))
            elif len(self.used[o.number]) > 1:
                out.append(Issue(f"{o.source}#{o.number}", "export", "ambiguous_override",
                                 f"{o.org!r} named {', '.join(sorted(self.used[o.number]))}: "
                                 "applied to each; use an org_id"))
        return out


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


def export(extractions: Iterable[Extraction], out: Path, *, documents: Sequence[Any],
           accounting: Sequence[Any], issues: Iterable[Issue], host: Host,
           relationship_order: Sequence[str], overrides: Sequence[Override] = (),
           link_agreement=None, locked: bool = False) -> dict:
    """Write the dataset into `out`; return the metrics written. `locked`: the caller already
    holds `output_lock(out)` (a whole run does, from its first step)."""
    totals = Totals()
    tracker = OverrideTracker(overrides)
    # a corpus can raise an issue per entry: they wait on disk, sorted at the end
    with output_folder(Path(out), locked=locked) as stage, SortedSpill(Issue, issue_order, stage) as new_issues:
        writers = {name: TableWriter(cls, stage / f"{name}.csv", stage / f"{name}.parquet")
                   for name, cls in TABLES.items()}
        for w in writers.values():
            w.__enter__()
        try:
            for x in extractions:
                if isinstance(x, Issue):
                    new_issues.add(x)
                    continue
                facts, override_issues = tracker.apply(x.org_id, list(x.facts))
                new_issues.extend(override_issues)
                org = extraction_to_organisation(x, facts, relationship_order)
                count(totals, org, facts)
                writers["organisations"].write(org)
                for fact in facts:
                    writers["facts"].write(fact)
                for agreement in x.agreements:
                    if link_agreement:
                        agreement, pdf_facts, extra, pages = link_agreement(agreement)
                        new_issues.extend(extra)
                        for fact in save_pages(pdf_facts, pages, Path(out), stage):
                            totals.facts_by_field[fact.field] += 1
                            writers["facts"].write(fact)
                    totals.agreements += 1
                    writers["agreements"].write(agreement)
        except BaseException:
            for w in writers.values():
                w.__exit__(*_exc())
            raise
        for w in writers.values():
            w.__exit__(None, None, None)
        # issues arrive in an order that depends on batching; sort them for stable output
        reasons: Counter = Counter()
        with open(stage / "issues.jsonl", "w", encoding="utf-8", newline="\n") as fh:
            for issue in new_issues.merged(before=issues, after=tracker.leftovers()):
                reasons[issue.reason] += 1
                fh.write(dumps(issue) + "\n")
        metrics = build_metrics(totals, documents, accounting, reasons)
        write_json(stage / "metrics.json", metrics)
        write_json(stage / "datapackage.json", datapackage(documents, host))
    return metrics


def save_pages(facts: Sequence[Fact], pages: dict, out: Path, stage: Path) -> list[Fact]:
    """Facts read from a PDF point to the saved text of their page (texts/<pdf>.page-<n>.txt),
    so their offsets can be checked like any other fact's; the PDF itself is named in the
    agreements row (`document`, `document_sha256`)."""
    import hashlib

    out_facts = []
    for fact in facts:
        name = f"{Path(fact.source_file).name}.page-{fact.page}.txt"
        text = pages[fact.page]
        target = stage / "texts" / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        out_facts.append(replace(fact, source_file=str(out / "texts" / name),
                                 source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest()))
    return out_facts


STAGES = ("ingest", "pdf", "segment", "extract", "link", "export")


def issue_order(issue: Issue) -> tuple:
    """Stage, then file, then position in the file, then reason."""
    path, start, _ = source_span(issue.source) or (issue.source, -1, -1)
    rank = STAGES.index(issue.stage) if issue.stage in STAGES else len(STAGES)
    return (rank, path, start, issue.reason, issue.detail)


def _exc():
    import sys

    return sys.exc_info()


def build_metrics(totals: Totals, documents, accounting, reasons: Counter) -> dict:
    """Counts and fill rates, for `dvc metrics diff`."""
    n = totals.organisations or 1
    return {
        "documents": len(documents),
        "organisations": totals.organisations,
        "agreements": totals.agreements,
        "facts": sum(totals.facts_by_field.values()),
        "facts_by_field": dict(sorted(totals.facts_by_field.items())),
        "fill_rate": {f.name: round(totals.filled[f.name] / n, 4)
                      for f in columns(Organisation)},
        "host_relationship": dict(sorted(totals.relationships.items())),
        "paragraphs": {
            "total": sum(a.paragraphs for a in accounting),
            "in_entries": sum(a.in_entries for a in accounting),
            "in_preamble": sum(a.in_preamble for a in accounting),
            "continuation": sum(a.continuation for a in accounting),
            "in_groups": sum(a.in_groups for a in accounting),
            "boilerplate": sum(a.boilerplate for a in accounting),
            "unused": sum(a.unused for a in accounting),
        },
        "blocks": {key: sum(getattr(a, f"blocks_{key}") for a in accounting) for key in
                   ("total", "in_entries", "in_preamble", "in_groups", "boilerplate", "unused")},
        "issues": sum(reasons.values()),
        "issues_by_reason": dict(sorted(reasons.items())),
    }


ARROW_TO_FRICTIONLESS = {"string": "string", "int64": "integer", "list<item: string>": "array"}


def datapackage(documents: Sequence[Any], host: Host) -> dict:
    """A Frictionless Data Package descriptor derived from the model."""
    from pipeline.io import arrow_schema

    resources = []
    for name, cls in TABLES.items():
        schema = arrow_schema(cls)
        fields = [{"name": f.name, "type": ARROW_TO_FRICTIONLESS.get(str(f.type), "string"),
                   "description": f.metadata[b"description"].decode()} for f in schema]
        for fmt in ("csv", "parquet"):
            resource = {"name": f"{name}-{fmt}", "path": f"{name}.{fmt}", "format": fmt,
                        "schema": {"fields": fields}}
            if fmt == "csv":
                resource.update({"mediatype": "text/csv", "encoding": "utf-8",
                                 "dialect": {"delimiter": ",", "listSeparator": "|"}})
            resources.append(resource)
    sources = [{"path": d.source_file, "sha256": d.source_sha256, "url": d.url,
                "media_type": d.media_type, "encoding": d.encoding,
                "text_file": d.text_file, "text_sha256": d.text_sha256} for d in documents]
    return {"profile": "tabular-data-package", "name": "partners",
            "title": f"Partner organisations of the {host.name}",
            "host": {"name": host.name, "acronym": host.acronym, "aliases": list(host.aliases)},
            "sources": sources, "resources": resources}
