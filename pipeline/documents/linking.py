"""Linked documents -> entries: which entry links to which PDF, and do their dates agree.

Reads: a page `Document` (its links carry spans into its text), the page's `Entry`s, the
`PdfDocument`s read from the manifest, and for the date check an `Agreement` mention and the
PDF's `DocumentSummary`. Writes: plain values (no I/O): the links per entry, the `agreements`
table's document columns, and a flag plus an `Issue` where the page and the PDF disagree on
the date.

- A link belongs to the entry whose span contains the link's start. It points to a PDF when
  their URLs are the same once the fragment, the host's case and a default port are set aside;
  failing that, when the last path segment of the link is the PDF's file name (a manifest
  written by `partners fetch` names files after their URLs).
- Two dates agree when they are equal at the coarser of their precisions: "March 2014" agrees
  with 2014-03-07; "7 March 2014" and "8 March 2014" do not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Optional, Sequence
from urllib.parse import unquote, urldefrag, urlsplit

from pipeline.documents.pdf_facts import (
    DocumentSummary,
    document_summary,
    load_agreement_rules,
    pdf_facts,
)
from pipeline.model import Agreement, Document, Entry, Issue, Link, PdfDocument

DEFAULT_PORTS = {"http": 80, "https": 443}
ISO_LENGTH = {"year": 4, "month": 7, "day": 10}


@dataclass(frozen=True)
class LinkedDocument:
    """A PDF an entry links to, with the link that does it."""

    entry_index: int
    link: Link
    pdf: PdfDocument


def url_key(url: str) -> str:
    """A URL reduced to what identifies the document: no fragment, lower-case host, no :80."""
    parts = urlsplit(urldefrag(url.strip())[0])
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    port = f":{parts.port}" if parts.port and parts.port != DEFAULT_PORTS.get(scheme) else ""
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{host}{port}{unquote(parts.path) or '/'}{query}"


def pdf_for_url(url: str, pdfs: Sequence[PdfDocument]) -> Optional[PdfDocument]:
    """The PDF a link URL points to: same URL first, else same file name."""
    key = url_key(url)
    for pdf in pdfs:
        if pdf.url and url_key(pdf.url) == key:
            return pdf
    name = PurePosixPath(unquote(urlsplit(url).path)).name.lower()
    for pdf in pdfs:
        if name and PurePosixPath(pdf.source_file).name.lower() == name:
            return pdf
    return None


def link_documents(document: Document, entries: Sequence[Entry],
                   pdfs: Sequence[PdfDocument]) -> dict[int, list[LinkedDocument]]:
    """For each entry index, the PDFs its links point to, in link order."""
    linked: dict[int, list[LinkedDocument]] = {}
    ordered = sorted(entries, key=lambda e: e.char_start)
    for link in document.links:
        entry = next((e for e in ordered if e.char_start <= link.char_start < e.char_end), None)
        pdf = pdf_for_url(link.url, pdfs) if entry is not None else None
        if pdf is not None:
            linked.setdefault(entry.index, []).append(LinkedDocument(entry.index, link, pdf))
    return linked


def agreement_columns(summary: Optional[DocumentSummary]) -> dict[str, Any]:
    """The `agreements` table's document columns (empty when no PDF is linked)."""
    if summary is None:
        return {"document": "", "document_sha256": "", "pages": None, "document_title": "",
                "document_date": "", "document_parties": ()}
    return {"document": summary.document, "document_sha256": summary.document_sha256,
            "pages": summary.pages, "document_title": summary.document_title,
            "document_date": summary.document_date,
            "document_parties": summary.document_parties}


def dates_agree(a: str, a_precision: str, b: str, b_precision: str) -> bool:
    """Equal at the coarser of the two precisions."""
    length = min(ISO_LENGTH[a_precision], ISO_LENGTH[b_precision])
    return a[:length] == b[:length]


def date_disagreement(agreement: Agreement, summary: DocumentSummary
                      ) -> tuple[str, Optional[Issue]]:
    """A flag for the agreement row and an issue when the page and the PDF disagree on the date.

    Returns ("", None) when they agree or either side states no date.
    """
    if not (agreement.date and agreement.date_precision and summary.document_date
            and summary.document_date_precision):
        return "", None
    if dates_agree(agreement.date, agreement.date_precision, summary.document_date,
                   summary.document_date_precision):
        return "", None
    flag = f"document_date_mismatch:{agreement.date}!={summary.document_date}"
    issue = Issue(
        source=f"{agreement.source_file}:{agreement.char_start}-{agreement.char_end}",
        stage="link", reason="document_date_mismatch",
        detail=f"the page says {agreement.date} ({agreement.evidence!r}), "
               f"{summary.document} says {summary.document_date}")
    return flag, issue


def agreement_linker(pdfs, rules_dir: Path):
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

    rules = load_agreement_rules(rules_dir)
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
