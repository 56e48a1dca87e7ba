"""Stage 4, export: extractions -> the curated dataset (CSV and Parquet side by side).

Reads: `Extraction`s (one per entry, in page order), the documents and their paragraph
accounting, issues from every stage, curator overrides, and the PDFs the page links to.
Writes, into the output folder: organisations / facts / agreements as .csv and .parquet,
`datapackage.json`, `metrics.json`, `issues.jsonl`, all derived from the dataclasses in
`pipeline.model`. Files are written into a staging folder and moved into place at the end, so
a killed run leaves the previous dataset whole; a lock refuses a second run on the same folder.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from pipeline.dataset.checks import FAILED_RUN, OutputChecks, failures, keep_failed_run
from pipeline.dataset.datapackage import datapackage
from pipeline.dataset.formats import TableWriter
from pipeline.dataset.metric_keys import MetricKeys
from pipeline.dataset.metrics import Totals, build_metrics, count
from pipeline.dataset.override_apply import OverrideTracker, warning_lines
from pipeline.dataset.overrides import Override
from pipeline.dataset.sorted_spill import SortedSpill
from pipeline.io import OutputError, dumps, write_json
from pipeline.model import TABLES, Extraction, Fact, Issue, Organisation, source_span
from pipeline.records import new_record
from pipeline.settings import Host, Licence


def extraction_to_organisation(x: Extraction, facts: Sequence[Fact], order: Sequence[str]) -> Organisation:
    """One organisation row from its (overridden) facts, read in one pass."""
    by_field: dict[str, list[Fact]] = {}
    for f in facts:
        by_field.setdefault(f.field, []).append(f)
    of = lambda name: by_field.get(name, ())  # noqa: E731
    value = lambda name: of(name)[0].value if of(name) else ""  # noqa: E731
    founded = next((f for f in of("founded") if f.date_precision in ("day", "month", "year")),
                   None)
    terms = [f.value for f in of("host_relationship")]
    relationship = min(terms, key=lambda t: order.index(t) if t in order else len(order)) \
        if terms else "none_stated"
    membership = "; ".join(f"{f.qualifier} {f.value} {f.unit}".strip()
                           for f in of("membership"))
    # every field written at once (`records.new_record`; a test compares it with
    # `Organisation(...)`)
    return new_record(Organisation, dict(
        org_id=x.org_id, name=value("name"),
        acronyms=tuple(dict.fromkeys(f.value for f in of("acronym"))), group=value("group"),
        founded_year=int(founded.date[:4]) if founded else None,
        founded_date=founded.date if founded else "", headquarters=value("headquarters"),
        website=value("website"), host_relationship=relationship,
        flags=tuple(f.value for f in of("flag")),
        source_file=x.entry.source_file, source_sha256=x.entry.source_sha256,
        char_start=x.entry.char_start, char_end=x.entry.char_end, membership=membership))


def export(extractions: Iterable[Extraction], stage: Path, out: Path, *, documents: Sequence[Any],
           accounting: Sequence[Any], issues: Iterable[Issue], host: Host,
           relationship_order: Sequence[str], overrides: Sequence[Override] = (),
           licence: Licence = Licence(),
           link_agreement=None, checks: OutputChecks = OutputChecks(),
           metric_keys: MetricKeys = MetricKeys()) -> dict:
    """Write the dataset for `out` into its staging folder `stage` (`staging.output_folder`);
    return the metrics written. A dataset failing `checks` raises CheckError, so the caller's
    staging folder replaces nothing; the run's issues are kept in out/.failed-run/."""
    totals = Totals()
    per_page: Counter = Counter()
    tracker = OverrideTracker(overrides)
    # a corpus can raise an issue per entry: they wait on disk, sorted at the end
    (stage / "texts").mkdir(exist_ok=True)  # always there: dvc.yaml declares it an output
    reasons: Counter = Counter()   # of the issues of this stage; those of earlier stages
    # (`issues`, still growing while the entries stream in) are counted at the end
    with SortedSpill(issue_order, dumps, stage) as spill:
        def new_issues(found: Iterable[Issue]) -> None:
            for issue in found:
                reasons[issue.reason] += 1
                spill.add(issue)

        writers = {name: TableWriter(cls, stage / f"{name}.csv", stage / f"{name}.parquet")
                   for name, cls in TABLES.items()}
        for w in writers.values():
            w.__enter__()
        try:
            for x in extractions:
                if isinstance(x, Issue):
                    new_issues((x,))
                    continue
                facts, agreements, override_issues = tracker.apply(x.org_id, x.facts,
                                                                   x.agreements)
                new_issues(override_issues)
                org = extraction_to_organisation(x, facts, relationship_order)
                count(totals, org, facts)
                per_page[x.entry.source_file] += 1
                writers["organisations"].write(org)
                for fact in facts:
                    writers["facts"].write(fact)
                for agreement in agreements:
                    if link_agreement:
                        agreement, pdf_facts, extra, pages = link_agreement(agreement)
                        new_issues(extra)
                        for fact in save_pages(pdf_facts, pages, Path(out), stage):
                            totals.facts_by_field[fact.field] += 1
                            writers["facts"].write(fact)
                    totals.agreements += 1
                    writers["agreements"].write(agreement)
        except BaseException:
            for w in writers.values():
                w.__exit__(*sys.exc_info())
            raise
        for w in writers.values():
            w.__exit__(None, None, None)
        # issues arrive in an order that depends on batching; sort them for stable output
        leftovers = tracker.leftovers()
        for line in warning_lines(leftovers):  # the curator must see these, -q or not
            print(f"partners: {line}", file=sys.stderr)
        stale = [issue for _, issue in leftovers]
        reasons.update(issue.reason for issue in (*issues, *stale))
        with open(stage / "issues.jsonl", "w", encoding="utf-8", newline="\n") as fh:
            for line in spill.merged(before=issues, after=stale):
                fh.write(line + "\n")
        write_checksums(stage / "texts")
        metrics = build_metrics(totals, documents, accounting, reasons, metric_keys)
        write_json(stage / "metrics.json", metrics)
        write_json(stage / "datapackage.json", datapackage(documents, host, Path(out), licence))
        pages = [d.text_file or d.source_file for d in documents]
        found = failures(checks, issues, pages, per_page)
        if found:
            raise keep_failed_run(stage, Path(out), found)
    shutil.rmtree(Path(out) / FAILED_RUN, ignore_errors=True)  # this run passed: no longer news
    return metrics


CHECKSUMS = "SHA256SUMS"


def write_checksums(texts: Path) -> None:
    """texts/SHA256SUMS: the sha256 of every saved text, as `sha256sum -c SHA256SUMS` checks
    them. Written even when no text is saved: git keeps no empty folder (a fresh clone would
    lack texts/, which dvc.yaml declares) and DVC warns about an empty output."""
    names = sorted(p.relative_to(texts).as_posix() for p in texts.rglob("*")
                   if p.is_file() and p.name != CHECKSUMS)
    with open(texts / CHECKSUMS, "w", encoding="utf-8", newline="\n") as fh:
        for name in names:
            fh.write(f"{hashlib.sha256((texts / name).read_bytes()).hexdigest()}  {name}\n")


def write_text(document: Any, stage: Path, out: Path) -> None:
    """Save the text a document's facts refer to (`text_file`, inside `out`) into the staging
    folder, so it is published with the tables that point to it."""
    if not document.text_file:
        return
    try:
        relative = Path(document.text_file).relative_to(out)
    except ValueError:
        raise OutputError(f"{document.text_file}: the text of {document.source_file} must be "
                          f"saved inside the dataset folder {out}") from None
    target = stage / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(document.text.encode("utf-8"))


def save_pages(facts: Sequence[Fact], pages: dict, out: Path, stage: Path) -> list[Fact]:
    """Facts read from a PDF point to the saved text of their page (texts/<pdf>.page-<n>.txt),
    so their offsets can be checked like any other fact's; the PDF itself is named in the
    agreements row (`document`, `document_sha256`)."""
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


