"""The stages as file-to-file steps (what dvc.yaml runs), and all of them in one process.

Each `*_stage` function reads its input files, calls the stage's pure function and writes its
output; `run_all` chains the pure functions with generators, so `partners run` never writes
the intermediate files and holds one batch of entries at a time.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union

from pipeline.dataset.export import export
from pipeline.dataset.staging import output_lock
from pipeline.extract.extractor import Extractor
from pipeline.extract.nlp import build_nlp
from pipeline.extract.rules import Rules, load_rules
from pipeline.ingest.reader import ingest, save_text
from pipeline.model import (
    Accounting,
    Agreement,
    Document,
    Entry,
    Extraction,
    Issue,
    PdfDocument,
)
from pipeline.records import read_records, write_records
from pipeline.segment.headings import segment
from pipeline.settings import Settings

TEXTS = "texts"


# --- the pure chain --------------------------------------------------------------------------


def as_text_source(doc: Document) -> Document:
    """An HTML page's facts refer to its saved text: make that the source downstream."""
    if doc.text_file:
        return replace(doc, source_file=doc.text_file, source_sha256=doc.text_sha256)
    return doc


def ingested(inputs: Sequence[str], texts_dir: Path) -> Iterator[Union[Document, Issue]]:
    for record in ingest(inputs):
        if isinstance(record, Document) and record.media_type == "text/html":
            record = save_text(record, texts_dir)
        yield record


def load(settings: Settings) -> Rules:
    return load_rules(settings.rules_dir) if settings.rules_dir else load_rules()


def make_extractor(rules: Rules, settings: Settings) -> Extractor:
    nlp = build_nlp(rules, settings.host)
    return Extractor(nlp, rules, settings.host, settings.languages, settings.batch_size)


def load_overrides_file(path: Optional[Path]):
    from pipeline.dataset.overrides import load_overrides

    return load_overrides(path) if path and Path(path).exists() else []


def run_all(inputs: Sequence[str], out: Path, settings: Settings) -> dict:
    """ingest -> segment -> extract -> export in one process (its extraction spread over
    `settings.workers` processes); returns the metrics."""
    rules = load(settings)
    overrides = load_overrides_file(settings.overrides)
    documents, issues, accounting = [], [], []

    def stream() -> Iterator[tuple[Entry, Document]]:
        # one document in memory at a time; export keeps only what describes it
        for record in ingested(inputs, Path(out) / TEXTS):
            if not isinstance(record, Document):
                issues.append(record)
                continue
            documents.append(replace(record, text="", links=()))
            source = as_text_source(record)
            for item in segment([source], rules.segment):
                if isinstance(item, Entry):
                    yield item, source
                elif isinstance(item, Accounting):
                    accounting.append(item)
                else:
                    issues.append(item)

    # the lock is taken before anything is read or written (texts of HTML pages included)
    with output_lock(Path(out)), extractor_for(rules, settings) as extractor:
        link = linker(inputs, documents, settings, issues)
        return export(progress(extractor.run(stream()), settings.progress), out,
                      documents=documents, accounting=accounting, issues=issues,
                      host=settings.host,
                      relationship_order=[t["term"] for t in rules.relationships],
                      overrides=overrides, link_agreement=link, locked=True)


@contextmanager
def extractor_for(rules: Rules, settings: Settings) -> Iterator:
    """The extractor of a run: in this process, or over worker processes."""
    if settings.workers <= 1:
        yield make_extractor(rules, settings)
        return
    from pipeline.extract.parallel import ParallelExtractor

    with ParallelExtractor(rules, settings.host, settings.languages, settings.batch_size,
                           workers=settings.workers) as extractor:
        yield extractor


def linker(inputs, sources, settings: Settings, issues: list):
    """Read the PDFs the manifest lists; return a function completing an agreement row."""
    if settings.pdf_params is None:
        return None
    from pipeline.documents.pdf import read_pdfs

    pdfs = []
    for record in read_pdfs(inputs, settings.pdf_params):
        (pdfs if isinstance(record, PdfDocument) else issues).append(record)
    return agreement_linker(pdfs)


def agreement_linker(pdfs):
    """A function completing an agreement row from the PDF its link points to: the document
    columns, a flag where the dates disagree, and (once per PDF) the PDF's facts with the text
    of each page they refer to."""
    if not pdfs:
        return None
    from pipeline.documents.linking import (
        agreement_columns,
        date_disagreement,
        pdf_for_url,
    )
    from pipeline.documents.pdf_facts import (
        document_summary,
        load_agreement_rules,
        pdf_facts,
    )

    rules = load_agreement_rules()
    done: set = set()

    def link(agreement: Agreement):
        pdf = pdf_for_url(agreement.link, pdfs) if agreement.link else None
        if pdf is None:
            return agreement, [], [], {}
        facts = pdf_facts(pdf, rules, org_id=agreement.org_id)
        summary = document_summary(pdf, facts)
        row = replace(agreement, **agreement_columns(summary))
        flag, issue = date_disagreement(row, summary)
        if flag:
            row = replace(row, flags=row.flags + (flag,))
        if pdf.source_file in done:
            facts = []
        done.add(pdf.source_file)
        pages = {p.page_number: p.text for p in pdf.pages}
        return row, facts, [issue] if issue else [], pages

    return link


def progress(records: Iterable, enabled: bool, every: int = 500) -> Iterator:
    """Pass records through, telling stderr how many entries are done on long input."""
    n = 0
    for record in records:
        if isinstance(record, Extraction):
            n += 1
            if enabled and n % every == 0:
                print(f"extract: {n} entries", file=sys.stderr, flush=True)
        yield record
    if enabled and n >= every:
        print(f"extract: {n} entries done", file=sys.stderr, flush=True)


# --- file-to-file stages (dvc.yaml) ----------------------------------------------------------


def ingest_stage(inputs: Sequence[str], out: Path, texts_dir: Path) -> int:
    return write_records(out, ingested(inputs, texts_dir))


def segment_stage(documents: Path, out: Path, settings: Settings) -> int:
    rules = load(settings)

    def records():
        docs = []
        for record in read_records(documents):
            if isinstance(record, Document):
                docs.append(as_text_source(record))
        yield from segment(docs, rules.segment)

    return write_records(out, records())


def extract_stage(documents: Path, entries: Path, out: Path, settings: Settings) -> int:
    rules = load(settings)
    docs = {d.source_file: d for d in map(as_text_source, (r for r in read_records(documents)
                                                           if isinstance(r, Document)))}
    passthrough: list = []

    def entries_only():
        for record in read_records(entries):
            if isinstance(record, Entry):
                yield record, docs[record.source_file]
            else:
                passthrough.append(record)

    def records():
        with extractor_for(rules, settings) as extractor:
            yield from extractor.run(entries_only())
        yield from passthrough

    return write_records(out, progress(records(), settings.progress))


def export_stage(documents: Path, extractions: Path, out: Path, settings: Settings,
                 pdfs: Optional[Path] = None) -> dict:
    rules = load(settings)
    docs = [r for r in read_records(documents) if isinstance(r, Document)]
    accounting, issues = [], []

    def stream():
        for record in read_records(extractions):
            if isinstance(record, Accounting):
                accounting.append(record)
            elif isinstance(record, Issue):
                issues.append(record)
            else:
                yield record

    link = None
    if pdfs and Path(pdfs).exists():
        found = []
        for record in read_records(pdfs):
            (found if isinstance(record, PdfDocument) else issues).append(record)
        link = agreement_linker(found)
    issues.extend(r for r in read_records(documents) if isinstance(r, Issue))
    return export(stream(), out, documents=docs, accounting=accounting, issues=issues,
                  host=settings.host, relationship_order=[t["term"] for t in rules.relationships],
                  overrides=load_overrides_file(settings.overrides), link_agreement=link)
