"""Stage 1, ingest: raw files (through their manifest) -> documents.

Reads: a folder with a `sources.yaml` manifest, or single files.
Writes: one `Document` per readable file (text, hashes, links) and one `Issue` per file that
cannot be used (missing, outside the folder, hash mismatch, empty, binary). Nothing is rewritten:
the text of a document is the decoded bytes, so offsets into it are offsets into the source.
HTML pages are the exception: their text is extracted (`pipeline.ingest.html`), offsets refer to that
text, saved with the dataset (`name_text_file` says where) so a reviewer can check them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from pipeline.ingest.blocks import text_blocks
from pipeline.ingest.html import html_to_text
from pipeline.ingest.manifest import read_manifest_file
from pipeline.ingest.pdf_page import page_text
from pipeline.ingest.reading_view import find_mojibake
from pipeline.model import Document, Issue

MANIFEST = "sources.yaml"
# Reads a PDF page's bytes (path for messages) into the worker's answer: pages with lines.
PdfReader = Callable[[bytes, str], dict]
TEXT_TYPES = {".txt": "text/plain", ".text": "text/plain", ".md": "text/plain",
              ".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf"}
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


class IngestError(Exception):
    """A raw file that cannot be used; carries a machine-readable reason and its stage."""

    stage = "ingest"

    def __init__(self, source: str, reason: str, detail: str):
        super().__init__(f"{source}: {detail}")
        self.source, self.reason, self.detail = source, reason, detail

    def to_issue(self) -> Issue:
        return Issue(source=self.source, stage=self.stage, reason=self.reason, detail=self.detail)


@dataclass(frozen=True)
class Source:
    """One manifest entry (or a file given directly)."""

    path: str            # as the pipeline names it: folder as given + manifest path
    media_type: str
    sha256: str = ""     # expected hash; empty when the file was given directly
    url: str = ""
    captured: str = ""
    role: str = ""       # "page" for a PDF that is the page itself (else a linked document)

    @property
    def linked_document(self) -> bool:
        """A PDF the page links to (read by the pdf stage), not a page (read by ingest)."""
        return self.media_type == "application/pdf" and self.role != "page"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode raw bytes: BOM first, then strict UTF-8, then cp1252 (detected and recorded)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


# Control characters but tab, line feed, carriage return, form feed and vertical tab.
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def looks_binary(text: str) -> bool:
    """True when decoded text holds a NUL anywhere or is mostly control characters (a binary
    file read as text)."""
    sample = text[:4096]
    controls = len(CONTROLS.findall(sample))   # (44 us, where a test of each char took 150)
    return "\x00" in text or controls > len(sample) * 0.05


def bytes_to_document(data: bytes, source: Source, read_pdf: Optional[PdfReader] = None
                      ) -> Document:
    """Verify and decode one raw file; raise IngestError when it cannot be used. A PDF page is
    read by `read_pdf` (the limited worker, handed in by the caller)."""
    digest = sha256_hex(data)
    if source.sha256 and digest != source.sha256.lower():
        raise IngestError(source.path, "sha256_mismatch",
                          f"sha256 is {digest}, the manifest says {source.sha256}")
    if source.media_type == "application/pdf":
        if source.linked_document or read_pdf is None:
            raise IngestError(source.path, "not_a_page", "PDFs are read as linked documents")
        return pdf_to_document(read_pdf(data, source.path), digest, source)
    text, encoding = decode_bytes(data)
    if not text.strip():
        raise IngestError(source.path, "empty", "the file has no text"
                          if not text else "the file holds only whitespace")
    if looks_binary(text):
        raise IngestError(source.path, "binary", "the file is not text (control bytes)")
    if source.media_type == "text/html":
        return html_to_document(text, encoding, digest, source)
    return Document(source_file=source.path, source_sha256=digest, text=text,
                    media_type=source.media_type, encoding=encoding, url=source.url,
                    text_sha256=sha256_hex(text.encode("utf-8")), blocks=text_blocks(text))


def html_to_document(html: str, encoding: str, digest: str, source: Source) -> Document:
    """An HTML page as a document: its extracted text (offsets refer to it), links and title."""
    page = html_to_text(html, source.url)
    if not page.text.strip():
        raise IngestError(source.path, "empty", "the HTML page has no text content")
    return Document(source_file=source.path, source_sha256=digest, text=page.text,
                    media_type=source.media_type, encoding=encoding, url=source.url,
                    text_sha256=sha256_hex(page.text.encode("utf-8")), links=page.links,
                    title=page.title, blocks=page.blocks)


def pdf_to_document(answer: dict, digest: str, source: Source) -> Document:
    """A PDF page as a document: its text laid out from lines and fonts, with its blocks."""
    text, blocks = page_text(answer)
    if not text.strip():
        raise IngestError(source.path, "no_text_layer", f"{len(answer.get('pages', []))} "
                          "page(s) without text (a scan?): nothing to read")
    return Document(source_file=source.path, source_sha256=digest, text=text,
                    media_type=source.media_type, encoding="pdf", url=source.url,
                    text_sha256=sha256_hex(text.encode("utf-8")), blocks=blocks,
                    title=" ".join(answer.get("title_lines", ())))


def name_text_file(document: Document, folder: Path) -> Document:
    """The document with `text_file` set to where its text is saved in the dataset
    (`folder/<raw file name>.<hash of its path>.txt`: two inputs named alike never share one).
    For HTML and PDF pages the offsets of every fact refer to this text, not to the raw bytes;
    the export writes it (`pipeline.dataset.export.write_text`) with the rest of the dataset."""
    tag = hashlib.sha256(document.source_file.encode("utf-8")).hexdigest()[:8]
    path = Path(folder) / f"{Path(document.source_file).name}.{tag}.txt"
    return dataclasses.replace(document, text_file=str(path))


def read_manifest(folder: Path, given: str) -> list[Source]:
    """The sources a manifest lists; a malformed manifest raises ManifestError."""
    manifest = read_manifest_file(folder / MANIFEST, missing_ok=False)
    return [Source(path=_join(given, item["path"]),
                   media_type=str(item.get("media_type") or guess_type(item["path"])),
                   sha256=str(item.get("sha256") or ""), url=str(item.get("url") or ""),
                   captured=str(item.get("captured") or ""), role=str(item.get("role") or ""))
            for item in manifest.sources]


def _join(given: str, path: str) -> str:
    return path if given in ("", ".") else f"{given.rstrip('/')}/{path}"


def guess_type(path: str) -> str:
    return TEXT_TYPES.get(Path(path).suffix.lower(), "text/plain")


def safe_read(path: str, root: Union[str, None]) -> bytes:
    """Read a file that must lie inside `root` (symlinks resolved); refuse anything else."""
    if root is not None:
        # the part the manifest gave ("raw//etc/passwd" is "/etc/passwd"); the folder itself
        # may be given as "../raw" or absolute
        prefix = root.rstrip("/") + "/"
        listed = path[len(prefix):] if path.startswith(prefix) else path
        if os.path.isabs(listed) or ".." in Path(listed).parts:
            raise IngestError(path, "outside_raw", f"path leaves the folder {root}/")
        real_root = os.path.realpath(root)
        real = os.path.realpath(path)
        if os.path.commonpath([real_root, real]) != real_root:
            raise IngestError(path, "outside_raw", f"path resolves outside {root}/: {real}")
    try:
        # O_NONBLOCK: opening a FIFO nobody writes to would wait forever (holding the lock)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise IngestError(path, "special_file", "not a regular file (a FIFO, device "
                                  "or socket); refused")
            return fh.read()
    except FileNotFoundError:
        raise IngestError(path, "missing", "the file listed does not exist") from None
    except IsADirectoryError:
        raise IngestError(path, "unreadable", "the path is a folder") from None
    except OSError as err:
        raise IngestError(path, "unreadable", str(err)) from None


def expand_inputs(inputs: Iterable[str]) -> Iterator[tuple[Source, Union[str, None]]]:
    """Each input file with the folder it must stay in (None for a file given directly)."""
    for given in inputs:
        given = given.rstrip("/") or "/"
        if os.path.isdir(given):
            if os.path.exists(os.path.join(given, MANIFEST)):
                for source in read_manifest(Path(given), given):
                    yield source, given
            else:
                for name in sorted(os.listdir(given)):
                    path = _join(given, name)
                    if os.path.isfile(path) and not name.startswith("."):
                        yield Source(path=path, media_type=guess_type(name)), given
        else:  # a file given directly is the page, a PDF too
            yield Source(path=given, media_type=guess_type(given), role="page"), None


def ingest(inputs: Iterable[str], read_pdf: Optional[PdfReader] = None
           ) -> Iterator[Union[Document, Issue]]:
    """Documents for every usable input, an Issue for every other one, in input order."""
    for source, root in expand_inputs(inputs):
        if source.linked_document:
            continue  # read by their own stage
        try:
            document = bytes_to_document(safe_read(source.path, root), source, read_pdf)
        except IngestError as err:
            yield err.to_issue()
            continue
        yield document
        yield from mojibake_issues(document)


def mojibake_issues(document: Document) -> Iterator[Issue]:
    """One issue for a text with mojibake ("doesnâ€™t"): the text is kept as it is (offsets
    stay valid); matching reads the characters that were meant (`pipeline.ingest.reading_view`)."""
    found = find_mojibake(document.text)
    first = next(found, None)
    if first is None:
        return
    start, end, meant = first
    n = 1 + sum(1 for _ in found)
    yield Issue(document.source_file, "ingest", "mojibake",
                f"{n} sequence(s) of UTF-8 read as cp1252, first {document.text[start:end]!r} "
                f"(meant {meant!r}) at {start}-{end}; text kept as it is, read as meant")
