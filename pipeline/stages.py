"""The stages as file-to-file steps (what dvc.yaml runs), and all of them in one process.

Each `*_stage` function reads its input files, calls the stage's pure function and writes its
output; `run_all` chains the pure functions with generators, so `partners run` never writes
the intermediate files and holds one batch of entries at a time.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union

from pipeline.dataset.export import export, write_text
from pipeline.dataset.metric_keys import metric_keys
from pipeline.dataset.staging import output_folder
from pipeline.documents.pages import pdf_page_reader, with_pages
from pipeline.extract.extractor import Extractor
from pipeline.extract.nlp import build_nlp
from pipeline.extract.org_ids import Registry, load_registry
from pipeline.extract.rules import Rules, load_rules
from pipeline.ingest.reader import expand_inputs, ingest, name_text_file
from pipeline.io import progress_bar
from pipeline.model import (
    Accounting,
    Document,
    Entry,
    Extraction,
    Issue,
    PdfDocument,
)
from pipeline.records import read_records, write_records
from pipeline.runtime import long_lived
from pipeline.segment.segmenter import segment
from pipeline.settings import Settings

TEXTS = "texts"
DERIVED_TEXT = ("text/html", "application/pdf")


# --- the pure chain --------------------------------------------------------------------------


def as_text_source(doc: Document) -> Document:
    """An HTML page's facts refer to its saved text: make that the source downstream."""
    if doc.text_file:
        return replace(doc, source_file=doc.text_file, source_sha256=doc.text_sha256)
    return doc


def ingested(inputs: Sequence[str], texts_dir: Path, pdf_params=None
             ) -> Iterator[Union[Document, Issue]]:
    """Documents and issues; the text of an HTML or PDF page is named a file in `texts_dir`
    (facts refer to it; the export saves it with the dataset)."""
    for record in ingest(inputs, pdf_page_reader(pdf_params)):
        if isinstance(record, Document) and record.media_type in DERIVED_TEXT:
            record = name_text_file(record, texts_dir)
        yield record


def load(settings: Settings) -> Rules:
    return load_rules(settings.rules_folder)


def make_extractor(rules: Rules, settings: Settings, registry: Optional[Registry] = None
                   ) -> Extractor:
    with long_lived():
        nlp = build_nlp(rules, settings.host)
    return Extractor(nlp, rules, settings.host, settings.languages, settings.batch_size,
                     registry)


def load_registry_file(path: Optional[Path]) -> Optional[Registry]:
    """The org id registry, or None when the settings name none."""
    return load_registry(path) if path else None


def load_overrides_file(path: Optional[Path], registry: Optional[Registry]):
    from pipeline.dataset.overrides import load_overrides

    return load_overrides(path, registry) if path and Path(path).exists() else []


def run_all(inputs: Sequence[str], out: Path, settings: Settings) -> dict:
    """ingest -> segment -> extract -> export in one process (its extraction spread over
    `settings.workers` processes); returns the metrics."""
    rules = load(settings)
    registry = load_registry_file(settings.ids)
    overrides = load_overrides_file(settings.overrides, registry)
    documents, issues, accounting, paged = [], [], [], {}

    def stream(stage: Path) -> Iterator[tuple[Entry, Document]]:
        # one document in memory at a time; export keeps only what describes it
        for record in ingested(inputs, Path(out) / TEXTS, settings.pdf_params):
            if not isinstance(record, Document):
                issues.append(record)
                continue
            write_text(record, stage, Path(out))
            documents.append(replace(record, text="", links=(), blocks=()))
            source = as_text_source(record)
            if any(b.page for b in record.blocks):
                paged[source.source_file] = record.blocks
            items = list(segment([source], rules.segment, settings.host))
            shown.page(source.source_file, sum(isinstance(i, Entry) for i in items))
            for item in items:
                if isinstance(item, Entry):
                    yield item, source
                elif isinstance(item, Accounting):
                    accounting.append(item)
                else:
                    issues.append(item)

    # the lock is taken before anything is read; everything is written into the staging folder
    with output_folder(Path(out)) as stage, \
            extractor_for(rules, settings, registry) as extractor, \
            RunProgress(inputs, settings.progress) as shown:
        link = linker(inputs, documents, settings, issues)
        return export(shown.entries(with_pages(extractor.run(stream(stage)), paged)), stage, out,
                      documents=documents, accounting=accounting, issues=issues,
                      host=settings.host, licence=settings.licence,
                      relationship_order=[t["term"] for t in rules.relationships],
                      overrides=overrides, link_agreement=link, metric_keys=metric_keys(rules),
                      **checks_of(settings))


def checks_of(settings: Settings) -> dict:
    """The export's `checks` argument, where the settings give them."""
    return {"checks": settings.checks} if settings.checks is not None else {}


@contextmanager
def extractor_for(rules: Rules, settings: Settings, registry: Optional[Registry] = None
                  ) -> Iterator:
    """The extractor of a run: in this process, or over worker processes."""
    if settings.workers <= 1:
        yield make_extractor(rules, settings, registry)
        return
    from pipeline.extract.parallel import ParallelExtractor

    with ParallelExtractor(rules, settings.host, settings.languages, settings.batch_size,
                           workers=settings.workers, registry=registry) as extractor:
        yield extractor


def linker(inputs, sources, settings: Settings, issues: list):
    """Read the PDFs the manifest lists; return a function completing an agreement row."""
    if settings.pdf_params is None:
        return None
    from pipeline.documents.pdf import read_pdfs

    pdfs = []
    for record in read_pdfs(inputs, settings.pdf_params):
        (pdfs if isinstance(record, PdfDocument) else issues).append(record)
    from pipeline.documents.linking import agreement_linker

    return agreement_linker(pdfs, settings.rules_folder)


class RunProgress:
    """A run's progress bar: pages done of the pages given, each page's share advancing entry
    by entry as its entries are extracted (so one long page shows its time left too)."""

    def __init__(self, inputs: Sequence[str], enabled: bool):
        total = sum(1 for source, _ in expand_inputs(inputs)
                    if not source.linked_document) if enabled else None
        self.bar = progress_bar(total, enabled=enabled, unit="page", desc="partners run",
                                bar_format="{desc}: {percentage:3.0f}%|{bar}| "
                                           "[{elapsed}<{remaining}{postfix}]")
        self.share: dict[str, float] = {}
        self.pages = self.done = 0

    def page(self, source_file: str, entries: int) -> None:
        """A page segmented into `entries` entries (none: it is done)."""
        self.pages += 1
        if entries:
            self.share[source_file] = 1 / entries
        else:
            self.bar.update(1)

    def entries(self, records: Iterable) -> Iterator:
        """Pass the extraction stream through, advancing the bar at each entry."""
        if self.bar.disable:   # (nothing shown: no text made for it at every entry)
            yield from records
            return
        for record in records:
            if isinstance(record, Extraction):
                self.done += 1
                self.bar.update(self.share.get(record.entry.source_file, 0))
                self.bar.set_postfix_str(f"page {self.pages}/{self.bar.total}, "
                                         f"{self.done:,} entries", refresh=False)
            yield record

    def __enter__(self) -> "RunProgress":
        return self

    def __exit__(self, *exc) -> None:
        if not exc[0] and self.bar.total:  # pages that gave no document count as done
            self.bar.update(self.bar.total - self.bar.n)
        self.bar.close()


# --- file-to-file stages (dvc.yaml) ----------------------------------------------------------


def ingest_stage(inputs: Sequence[str], out: Path, texts_dir: Path) -> int:
    return write_records(out, ingested(inputs, texts_dir))


def segment_stage(documents: Path, out: Path, settings: Settings) -> int:
    rules = load(settings)

    def records():
        docs = [as_text_source(r) for r in read_records(documents) if isinstance(r, Document)]
        with progress_bar(len(docs), enabled=settings.progress, unit="page",
                          desc="partners segment") as bar:
            for doc in docs:
                yield from segment([doc], rules.segment, settings.host)
                bar.update(1)

    return write_records(out, records())


def extract_stage(documents: Path, entries: Path, out: Path, settings: Settings) -> int:
    rules = load(settings)
    registry = load_registry_file(settings.ids)
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
        paged = {name: d.blocks for name, d in docs.items() if any(b.page for b in d.blocks)}
        total = sum(isinstance(r, Entry) for r in read_records(entries)) \
            if settings.progress else None  # a first pass for the total, only for the bar
        with extractor_for(rules, settings, registry) as extractor, \
                progress_bar(total, enabled=settings.progress, unit="entry",
                             desc="partners extract") as bar:
            for record in with_pages(extractor.run(entries_only()), paged):
                bar.update(isinstance(record, Extraction))
                yield record
        yield from passthrough

    return write_records(out, records())


def export_stage(documents: Path, extractions: Path, out: Path, settings: Settings,
                 pdfs: Optional[Path] = None) -> dict:
    rules = load(settings)
    overrides = load_overrides_file(settings.overrides, load_registry_file(settings.ids))
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
    if pdfs:  # named on the command line: a missing file is an error
        found = []
        for record in read_records(pdfs):
            (found if isinstance(record, PdfDocument) else issues).append(record)
        from pipeline.documents.linking import agreement_linker

        link = agreement_linker(found, settings.rules_folder)
    issues.extend(r for r in read_records(documents) if isinstance(r, Issue))
    with output_folder(Path(out)) as stage:
        for doc in docs:
            write_text(doc, stage, Path(out))
        docs = [replace(d, text="", links=(), blocks=()) for d in docs]
        return export(stream(), stage, out, documents=docs, accounting=accounting, issues=issues,
                  host=settings.host, licence=settings.licence,
                  relationship_order=[t["term"] for t in rules.relationships],
                  overrides=overrides, link_agreement=link,
                  metric_keys=metric_keys(rules), **checks_of(settings))
