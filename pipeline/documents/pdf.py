"""Linked PDFs -> per-page text, each PDF read in its own process with time and memory limits.

Reads: the PDFs a manifest lists (media_type application/pdf), or PDF bytes given directly.
Writes: one `PdfDocument` per readable PDF (text per page, title lines, hashes) and one `Issue`
(stage "pdf") per PDF that cannot be used, with a reason code:
  too_large, not_a_pdf, truncated        checked here on the bytes, before any parsing;
  encrypted, malformed, no_text_layer,
  too_many_pages, compression_bomb,
  memory_limit                           reported by the worker (`pipeline.documents.pdf_worker`);
  time_limit, worker_failed              seen here when the worker is killed or crashes.
PDFs are untrusted: pdfplumber/pdfminer run only in the child, which gets the bytes on stdin,
an address-space and CPU limit, and may not write files, so a bad file can cost one worker and
never a half-written output. pdfminer.six >= 20251107 is required (no pickle-based CMap loading,
CVE-2025-64512); `tests/test_pdf.py` checks the installed version.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Union

from pipeline.ingest.reader import IngestError, expand_inputs, safe_read, sha256_hex
from pipeline.io import progress_wanted
from pipeline.model import Issue, PdfDocument, PdfPage

# A PDF starts with this marker within its first KiB and ends with %%EOF within its last KiB.
MAGIC, EOF_MARK, SLACK = b"%PDF-", b"%%EOF", 1024
# How running out of address space shows in a worker's stderr (Python, or the loader mapping a
# shared library while importing).
OUT_OF_MEMORY = ("MemoryError", "failed to map segment", "Cannot allocate memory")


def limit(default: Any, meaning: str) -> Any:
    """A limit of reading one PDF, with what it means (the option's help)."""
    return dataclasses.field(default=default, metadata={"help": meaning})


@dataclass(frozen=True)
class PdfParams:
    """Limits for reading one PDF (params.yaml, section `pdf`)."""

    timeout_s: float = limit(30.0, "wall-clock seconds per PDF, worker start included")
    memory_mb: int = limit(768, "address space of the worker, in MB (RLIMIT_AS)")
    max_bytes: int = limit(20_000_000, "largest PDF file read, in bytes")
    max_pages: int = limit(300, "most pages read from one PDF")
    max_stream_bytes: int = limit(50_000_000, "largest decoded page content stream, in bytes "
                                              "(compression bombs)")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "params.yaml:pdf") -> "PdfParams":
        """Params from a mapping; an unknown key or a non-number is an error naming it."""
        known = {f.name: f.type for f in dataclasses.fields(cls)}
        values = {}
        for key, value in (data or {}).items():
            if key not in known:
                raise ValueError(f"{where}: unknown key {key!r} (known: {', '.join(known)})")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"{where}.{key}: expected a positive number, got {value!r}")
            values[key] = float(value) if known[key] == "float" else int(value)
        return cls(**values)


class PdfError(IngestError):
    """A PDF that cannot be used: an unusable input, reported by the pdf stage."""

    stage = "pdf"


def check_bytes(data: bytes, source: str, params: PdfParams) -> None:
    """Refuse, before parsing, what is too big, not a PDF at all, or cut short."""
    if len(data) > params.max_bytes:
        raise PdfError(source, "too_large", f"{len(data)} bytes, the limit is {params.max_bytes}")
    if MAGIC not in data[:SLACK]:
        head = data[:SLACK].lstrip().lower()
        what = "an HTML page" if head.startswith((b"<!doctype html", b"<html")) else "not a PDF"
        raise PdfError(source, "not_a_pdf", f"the file is {what} (no %PDF- header)")
    if EOF_MARK not in data[-SLACK:]:
        raise PdfError(source, "truncated", "no %%EOF marker at the end: the file is cut short")


def run_worker(data: bytes, source: str, params: PdfParams, layout: bool = False) -> dict:
    """The worker's JSON answer for `data` (with each page's lines and fonts if `layout`);
    raises PdfError when it fails or is killed."""
    limits = {"memory_mb": params.memory_mb, "cpu_s": max(1, int(params.timeout_s) + 1),
              "max_pages": params.max_pages, "max_stream_bytes": params.max_stream_bytes,
              "layout": layout}
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    try:
        done = subprocess.run([sys.executable, "-m", "pipeline.documents.pdf_worker", json.dumps(limits)],
                              input=data, capture_output=True, timeout=params.timeout_s, env=env)
    except subprocess.TimeoutExpired:
        raise PdfError(source, "time_limit", f"not read within {params.timeout_s:g} s") from None
    if done.returncode == 0:
        try:
            return json.loads(done.stdout.decode("utf-8"))
        except ValueError:
            pass
    raise PdfError(source, *_failure(done, params))


def _failure(done: subprocess.CompletedProcess, params: PdfParams) -> tuple[str, str]:
    """Reason and detail for a worker that did not answer."""
    stderr = done.stderr.decode("utf-8", "replace")
    last = (stderr.strip().splitlines() or [""])[-1][:300]
    if done.returncode == -signal.SIGXCPU:
        return "time_limit", f"CPU limit of {params.timeout_s:g} s reached"
    if done.returncode == -signal.SIGKILL or any(sign in stderr for sign in OUT_OF_MEMORY):
        return "memory_limit", f"over {params.memory_mb} MB: {last}".rstrip(": ")
    return "worker_failed", f"worker exit status {done.returncode}: {last}"


def bytes_to_pdf(data: bytes, source: str, params: PdfParams, *, url: str = "") -> PdfDocument:
    """Read one PDF's bytes in a worker; raise PdfError with a reason when it cannot be used."""
    check_bytes(data, source, params)
    answer = run_worker(data, source, params)
    if "error" in answer:
        raise PdfError(source, answer["error"], answer.get("detail", ""))
    pages = tuple(PdfPage(page_number=p["page_number"], text=p["text"]) for p in answer["pages"])
    return PdfDocument(source_file=source, source_sha256=sha256_hex(data), pages=pages,
                       title_lines=tuple(answer.get("title_lines", ())), url=url)


def read_page_answer(data: bytes, source: str, params: PdfParams) -> dict:
    """The worker's answer for a PDF read as the page itself: pages with their lines."""
    check_bytes(data, source, params)
    answer = run_worker(data, source, params, layout=True)
    if "error" in answer:
        raise PdfError(source, answer["error"], answer.get("detail", ""))
    return answer


def read_pdfs(inputs: Iterable[str], params: PdfParams) -> Iterator[Union[PdfDocument, Issue]]:
    """Every PDF the inputs list (manifest order): a PdfDocument, or an Issue saying why not."""
    for source, root in expand_inputs(inputs):
        if not source.linked_document:
            continue  # a page (a PDF that is the page itself too) is read by ingest
        try:
            data = safe_read(source.path, root)
            digest = sha256_hex(data)
            if source.sha256 and digest != source.sha256.lower():
                raise IngestError(source.path, "sha256_mismatch",
                                  f"sha256 is {digest}, the manifest says {source.sha256}")
            yield bytes_to_pdf(data, source.path, params, url=source.url)
        except IngestError as err:  # PdfError included: each names its own stage
            yield err.to_issue()


# --- stage: files in, JSON lines out --------------------------------------------------------


def run(inputs: Iterable[str], out_path: Path, params: PdfParams,
        progress: bool = False) -> tuple[int, int]:
    """Read every manifest PDF; write documents and issues as JSON lines (atomically); a
    progress bar on stderr when `progress`."""
    from pipeline.io import progress_bar
    from pipeline.records import write_records

    inputs = list(inputs)
    counts = {"pdf_document": 0, "issue": 0}
    total = sum(1 for source, _ in expand_inputs(inputs)
                if source.linked_document) if progress else None

    def records() -> Iterator[Union[PdfDocument, Issue]]:
        with progress_bar(total, enabled=progress, unit="pdf", desc="partners pdf") as bar:
            for result in read_pdfs(inputs, params):
                counts["issue" if isinstance(result, Issue) else "pdf_document"] += 1
                bar.update(1)
                yield result

    write_records(Path(out_path), records())
    return counts["pdf_document"], counts["issue"]


def add_arguments(parser: Any) -> None:
    """Arguments of `partners pdf RAW... --out FILE` with the limits from params.yaml."""
    parser.add_argument("inputs", nargs="+", help="raw folder(s) with a sources.yaml manifest")
    parser.add_argument("--out", required=True, help="JSON lines of documents and issues")
    for f in dataclasses.fields(PdfParams):
        parser.add_argument(f"--{f.name.replace('_', '-')}", dest=f.name, default=f.default,
                            type=float if f.type == "float" else int, metavar="N",
                            help=f"{f.metadata['help']} (params.yaml pdf.{f.name}; "
                                 "default: %(default)s)")


def main(args: Any) -> int:
    """Run the stage; one status line of counts on stderr (unless -q)."""
    missing = [given for given in args.inputs if not os.path.exists(given)]
    if missing:
        print(f"partners pdf: error: {missing[0]}: no such file or folder", file=sys.stderr)
        return 1
    params = PdfParams(**{f.name: getattr(args, f.name) for f in dataclasses.fields(PdfParams)})
    quiet = getattr(args, "quiet", False)
    documents, issues = run(args.inputs, Path(args.out), params, progress=progress_wanted(quiet))
    if not quiet:
        print(f"pdf: {documents} document(s) read, {issues} issue(s) -> {args.out}",
              file=sys.stderr)
    return 0
