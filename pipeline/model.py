"""The records that flow through the pipeline, and the one definition of the dataset's columns.

Every table of the dataset is a dataclass here. CSV headers, the Parquet schema and the
data-package descriptor are all derived from these classes (see `pipeline.dataset.formats` and
`pipeline.dataset.datapackage`); no column is named anywhere else. The records that pass
between stages are here too, so that one codec (`pipeline.records`) reads and writes them all.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, Optional


def col(description: str, *, key: str = "", **kwargs: Any) -> Any:
    """A dataclass field carrying the column's documentation; `key` is "primary" for the
    table's primary key, or the table a foreign key refers to ("organisations")."""
    return field(metadata={"description": description, "key": key}, **kwargs)


# --- intermediate records ---------------------------------------------------------------
# FAST_INIT: the records a run makes by the thousand (blocks, entries; `FieldValue`) have the
# __init__ their frozen dataclass would generate, written out: the generated one sets each
# field through object.__setattr__, about 1,700 instructions a field (a block: 19,300 against
# 8,800 written out). tests/test_model.py checks each against the generated one. Facts and
# organisation rows are made with `records.new_record`, which writes them so too.


@dataclass(frozen=True)
class Link:
    """A hyperlink kept from an HTML source: anchor text, target and its span in the text."""

    text: str = col("Anchor text of the link.")
    url: str = col("Target URL of the link, resolved against the page URL.")
    char_start: int = col("Start offset of the anchor text in the document text.")
    char_end: int = col("End offset (exclusive) of the anchor text in the document text.")


BLOCK_KINDS = ("heading", "item", "row", "cell", "term", "definition", "paragraph", "line")


@dataclass(frozen=True, init=False)
class Block:
    """One structural unit of a document (heading, list item, table row or cell, term,
    definition, paragraph, line) with its span in `Document.text`. Markup such as `## ` or
    `1. ` stays in the text; the span marks the content. Blocks may nest (an item holds the
    paragraphs of its body, a row its cells); they are listed in text order, outer first."""

    kind: str = col("heading, item, row, cell, term, definition, paragraph or line.")
    start: int = col("Start offset of the content in the document text.")
    end: int = col("End offset (exclusive) of the content in the document text.")
    level: int = col("Heading level, 1 the largest (0 for other kinds).", default=0)
    depth: int = col("Nesting depth of a list item, from 1 (0 for other kinds).", default=0)
    column: int = col("Column of a cell, from 0 (0 for other kinds).", default=0)
    lead_end: Optional[int] = col("End of a lead-in that can name the block (<strong>/<b> "
                                  "opening it, a bold PDF run, 'ACR:' before a colon), else "
                                  "None.", default=None)
    marker: str = col("Markup that made the block: '#', 'setext', the bullet or number as "
                      "written, 'th' for a header cell or row, 'tab' for a tab-separated row.",
                      default="")
    emphasis: str = col("'bold', 'caps' or 'large' where the whole block is set so.",
                        default="")
    boilerplate: bool = col("Navigation, menu, breadcrumb, footer, skip link: never content.",
                            default=False)
    page: int = col("Page number (from 1) for a PDF page, else 0.", default=0)

    def __init__(self, kind: str, start: int, end: int, level: int = 0, depth: int = 0,
                 column: int = 0, lead_end: Optional[int] = None, marker: str = "",
                 emphasis: str = "", boilerplate: bool = False, page: int = 0) -> None:
        # the dataclass's, its fields written at once (see FAST_INIT)
        self.__dict__.update(kind=kind, start=start, end=end, level=level, depth=depth,
                             column=column, lead_end=lead_end, marker=marker,
                             emphasis=emphasis, boilerplate=boilerplate, page=page)


@dataclass(frozen=True)
class Document:
    """One decoded input: the text every offset in the dataset refers to."""

    source_file: str = col("Path of the raw file as given to the pipeline.")
    source_sha256: str = col("sha256 of the raw file's bytes.")
    text: str = col("Decoded text; offsets are Unicode code points into it.")
    media_type: str = col("Media type of the raw file (text/plain, text/html, ...).")
    encoding: str = col("Encoding the raw bytes were decoded with.")
    url: str = col("URL the file was captured from, where known.", default="")
    text_file: str = col("Path of the saved extracted text (HTML and PDF pages), else empty.",
                         default="")
    text_sha256: str = col("sha256 of the UTF-8 encoded text.", default="")
    links: tuple[Link, ...] = col("Hyperlinks found in the source.", default=())
    title: str = col("Document title where the source states one (HTML <title>/<h1>).", default="")
    blocks: tuple[Block, ...] = col("The document's structure: blocks with their spans.",
                                    default=())


@dataclass(frozen=True, init=False)
class Entry:
    """One organisation's stretch of a document, as found by the segmenter."""

    source_file: str = col("Path of the source file.")
    source_sha256: str = col("sha256 of the source file.")
    index: int = col("Position of the entry in its document, from 0.")
    char_start: int = col("Start offset of the entry in the document text.")
    char_end: int = col("End offset (exclusive) of the entry in the document text.")
    heading_end: int = col("End offset of the heading (== char_start when there is none).")
    layout: str = col("Which structure the segmenter chose (dash, heading:N, item, row, term, "
                      "lead, line; page when none).")
    labels: tuple[tuple[str, int, int], ...] = col(
        "Heading parts as (role, start, end); role is group, acronym or name.", default=())
    paragraphs: tuple[tuple[int, int], ...] = col("Spans of the paragraphs of the entry.", default=())
    host_refs: tuple[tuple[int, int], ...] = col("Spans of pronouns read as the host.", default=())

    def __init__(self, source_file: str, source_sha256: str, index: int, char_start: int,
                 char_end: int, heading_end: int, layout: str, labels: tuple = (),
                 paragraphs: tuple = (), host_refs: tuple = ()) -> None:
        # the dataclass's, its fields written at once (see FAST_INIT)
        self.__dict__.update(source_file=source_file, source_sha256=source_sha256,
                             index=index, char_start=char_start, char_end=char_end,
                             heading_end=heading_end, layout=layout, labels=labels,
                             paragraphs=paragraphs, host_refs=host_refs)


# --- dataset tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One extracted value with its provenance: the long form every other table derives from."""

    fact_id: str = col("Stable id: hash of org, field, value, qualifier, unit, date and the "
                       "value's number among equal ones of its organisation.", key="primary")
    org_id: str = col("Organisation the fact belongs to (organisations.org_id).",
                      key="organisations")
    field: str = col("What the value is: name, acronym, alias, founded, headquarters, secretariat, "
                     "membership, founding_members, host_relationship, agreement, website.")
    value: str = col("The value, normalised (membership: the count as plain digits).")
    qualifier: str = col("Qualifier of the value (membership: exact, nearly, more than, ...; "
                         "founded: approximate for vague dates).", default="")
    unit: str = col("Unit as written (membership: 'members', 'Member States', ...).", default="")
    date: str = col("ISO date (YYYY, YYYY-MM or YYYY-MM-DD) where the fact has one.", default="")
    date_precision: str = col("Precision of `date`: day, month, year or decade.", default="")
    evidence: str = col("Source text at [char_start:char_end], exactly.", default="")
    source_file: str = col("Path of the source file as given on the command line.", default="")
    source_sha256: str = col("sha256 of the source file.", default="")
    char_start: int = col("Start offset (Unicode code points) of the evidence in the source text.",
                          default=0)
    char_end: int = col("End offset (exclusive) of the evidence in the source text.", default=0)
    rule_id: str = col("Id of the rule (rules/*.jsonl, heading, override) that produced the value.",
                       default="")
    page: Optional[int] = col("Page number (from 1) when the source is a PDF, else empty.",
                              default=None)
    raw_value: str = col("The value as written, before normalisation.", default="")


@dataclass(frozen=True)
class Organisation:
    """One row per entry of the page, in page order."""

    org_id: str = col("Stable id, kept across renames (rules/org_ids.yaml).", key="primary")
    name: str = col("Name of the organisation.")
    acronyms: tuple[str, ...] = col("Acronyms, heading first.")
    group: str = col("Group the page puts the organisation in, if any.")
    founded_year: Optional[int] = col("Year the organisation itself was founded.")
    founded_date: str = col("Founding date as precise as stated (YYYY, YYYY-MM or YYYY-MM-DD).")
    headquarters: str = col("Where the organisation itself is based.")
    website: str = col("Website stated in the entry.")
    host_relationship: str = col("Strongest relationship to the host stated in the entry "
                                 "(rules/host_relationship.yaml).")
    flags: tuple[str, ...] = col("Doubts recorded for the row, e.g. acronym_mismatch:AIMP.")
    source_file: str = col("Path of the source file.")
    source_sha256: str = col("sha256 of the source file.")
    char_start: int = col("Start offset of the entry in the source text.")
    char_end: int = col("End offset (exclusive) of the entry in the source text.")
    membership: str = col("Membership counts as 'qualifier count unit', joined with '; '.",
                          default="")


@dataclass(frozen=True)
class Agreement:
    """One agreement (cooperation agreement, memorandum of understanding, ...) the page mentions."""

    agreement_id: str = col("Stable id of the agreement mention.", key="primary")
    org_id: str = col("Organisation whose entry mentions the agreement.", key="organisations")
    kind: str = col("Kind of agreement (rules/agreement_kinds.yaml): agreement, mou, ...")
    parties: tuple[str, ...] = col("Parties as written.")
    date: str = col("ISO date of the agreement, as precise as stated.")
    date_precision: str = col("Precision of `date`: day, month or year.")
    evidence: str = col("Source text at [char_start:char_end].")
    source_file: str = col("Path of the source file.")
    source_sha256: str = col("sha256 of the source file.")
    char_start: int = col("Start offset of the evidence in the source text.")
    char_end: int = col("End offset (exclusive) of the evidence in the source text.")
    link: str = col("URL of the document the entry links for the agreement, if any.")
    rule_id: str = col("Id of the rule that found the mention.")
    document: str = col("Linked agreement PDF (raw path), if the link points to one.", default="")
    document_sha256: str = col("sha256 of the linked PDF.", default="")
    pages: Optional[int] = col("Number of pages of the linked PDF.", default=None)
    document_title: str = col("Title read from the linked PDF.", default="")
    document_date: str = col("Signature (else effective) date read from the linked PDF.",
                             default="")
    document_parties: tuple[str, ...] = col("Parties read from the linked PDF.", default=())
    flags: tuple[str, ...] = col("Doubts, e.g. document_date_mismatch:2014-03-07!=2014-03-08.",
                                 default=())


@dataclass(frozen=True)
class Issue:
    """Something the run could not use, or doubts: one structured record each."""

    source: str = col("File (or file and span) the issue is about.")
    stage: str = col("Stage that raised it: ingest, segment, extract, export.")
    reason: str = col("Machine-readable reason, e.g. sha256_mismatch, acronym_mismatch.")
    detail: str = col("Human-readable detail.")


# --- records between stages (JSON lines, see pipeline.records) ------------------------------


@dataclass(frozen=True)
class Accounting:
    """Where the paragraphs (blank-line runs of text) and blocks of one document went."""

    source_file: str
    layout: str
    paragraphs: int
    in_entries: int
    in_preamble: int
    continuation: int
    entries: int
    in_groups: int = 0
    boilerplate: int = 0
    unused: int = 0
    blocks_total: int = 0
    blocks_in_entries: int = 0
    blocks_in_preamble: int = 0
    blocks_in_groups: int = 0
    blocks_boilerplate: int = 0
    blocks_unused: int = 0


@dataclass(frozen=True)
class PdfPage:
    page_number: int   # from 1
    text: str          # every offset of a fact from this page refers to this text


@dataclass(frozen=True)
class PdfDocument:
    """One readable PDF: its pages' text and the lines set as its title."""

    source_file: str
    source_sha256: str
    pages: tuple[PdfPage, ...]
    title_lines: tuple[str, ...] = ()
    url: str = ""


@dataclass(frozen=True)
class Extraction:
    """Everything extracted for one entry."""

    org_id: str
    entry: Entry
    facts: tuple[Fact, ...]
    agreements: tuple[Agreement, ...] = ()


def source_span(source: str) -> Optional[tuple[str, int, int]]:
    """(file, start, end) of an issue source written "file:start-end", else None."""
    path, _, span = source.rpartition(":")
    start, _, end = span.partition("-")
    if path and start.isdigit() and end.isdigit():
        return path, int(start), int(end)
    return None


TABLES: dict[str, type] = {
    "organisations": Organisation,
    "facts": Fact,
    "agreements": Agreement,
}


def columns(cls: type) -> list[dataclasses.Field]:
    """The dataset columns of a table class, in order."""
    return list(dataclasses.fields(cls))


def stable_id(*parts: object, length: int = 16) -> str:
    """A short, deterministic id from the given parts."""
    joined = "\x1f".join(map(str, parts))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def to_dict(record: Any) -> dict[str, Any]:
    """A record as a plain dict (tuples become lists), for JSON lines."""
    return dataclasses.asdict(record)
