"""PDFs given as the page itself: read in the limited worker, and their facts' page numbers.

In: a page-PDF's bytes (ingest hands them to `pdf_page_reader`'s function, which runs
`pipeline.documents.pdf`'s worker with each page's lines and fonts), and the extractions of its
entries. Out: the worker's answer (for `pipeline.ingest.pdf_page` to lay out), and facts that
carry the number of the page their evidence is on.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Iterator

from pipeline.documents.pdf import PdfParams, read_page_answer
from pipeline.ingest.pdf_page import page_of
from pipeline.model import Extraction


def pdf_page_reader(params=None):
    """Reads a PDF given as the page in the limited worker (also under --no-pdfs, which is
    about the documents a page links to)."""
    return lambda data, path: read_page_answer(data, path, params or PdfParams())


def with_pages(records: Iterable, blocks_of: dict) -> Iterator:
    """Facts from a PDF page get the number of the page their evidence is on."""
    for record in records:
        blocks = blocks_of.get(record.entry.source_file) if isinstance(record, Extraction) \
            else None
        if blocks:
            facts = tuple(replace(f, page=page_of(blocks, f.char_start)) for f in record.facts)
            record = replace(record, facts=facts)
        yield record
