"""Child process of `pipeline.documents.pdf`: read one untrusted PDF with pdfplumber under resource limits.

Reads: the PDF's bytes on stdin; limits as one JSON object in argv[1]
       (`memory_mb`, `cpu_s`, `max_pages`, `max_stream_bytes`; `layout: true` for a PDF read
       as the page itself, which adds each page's lines with their words' type size and weight).
Writes: one JSON object on stdout, either
       {"pages": [{"page_number": 1, "text": "..."}, ...], "title_lines": ["..."]}
       or {"error": reason, "detail": "..."} for a PDF it cannot read (exit status 0 both ways).
Anything else (a signal, a crash) is for the parent to classify. The child may not create files
(RLIMIT_FSIZE 0) and reads nothing but stdin.

Page text: duplicate characters drawn for faux bold are removed (`Page.dedupe_chars`); a page
laid out in two columns is read header, left column, right column, footer.
"""

from __future__ import annotations

import io
import json
import re
import resource
import struct
import sys
import zlib

# Ligatures stay as written ("\ufb01"): offsets index the raw text; pipeline.documents.pdf_facts matches
# them as their letters.
TEXT_OPTIONS = {"expand_ligatures": False}
# Half the width of an empty band that counts as a column gutter (points): wider than any space
# between words, narrower than the gutters of two-column layouts.
GUTTER_HALF = 5.0
MIN_COLUMN_LINES = 3
# How a font's name says it is bold ("DejaVuSans-Bold", "Arial,Bold", "Helvetica-Black").
BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


# What pdfminer raises on a broken file besides its own PSException family. Anything else
# crashes the worker and the parent reports it as `worker_failed` with the traceback's last line.
BROKEN_FILE_ERRORS = (ValueError, KeyError, TypeError, IndexError, AttributeError, EOFError,
                      zlib.error, struct.error, AssertionError, UnicodeError)


class Unreadable(Exception):
    """A PDF this worker refuses: reason code and detail."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def set_limits(memory_mb: int, cpu_s: int) -> None:
    """Cap address space and CPU time; forbid writing files."""
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def check_streams(page, max_bytes: int) -> None:
    """Refuse a page whose Flate content streams decode to more than `max_bytes` (a bomb)."""
    from pdfminer.pdftypes import resolve1

    contents = page.page_obj.contents or []
    for ref in contents:
        stream = resolve1(ref)
        filters = stream.get_filters() if hasattr(stream, "get_filters") else []
        if decodes_past(stream.rawdata or b"", filters, max_bytes):
            raise Unreadable("compression_bomb", f"page {page.page_number}: a content stream "
                             f"decodes to more than {max_bytes} bytes")


def decodes_past(data: bytes, filters: list, max_bytes: int) -> bool:
    """Whether a stream's filter chain, decoded stage by stage with every Flate stage bounded,
    grows past `max_bytes`. Chains through other filters stop the check where they start:
    ASCII85/hex shrink, and LZW's growth per code is bounded (the memory limit covers it)."""
    for name, _ in filters:
        if getattr(name, "name", name) not in ("FlateDecode", "Fl"):
            return False
        try:
            data = zlib.decompressobj().decompress(data, max_bytes + 1)
        except zlib.error:
            return False  # pdfminer reports broken streams its own way
        if len(data) > max_bytes:
            return True
    return False


def _lines(words: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _crosses(line: list[dict], x: float) -> bool:
    return any(w["x0"] < x + GUTTER_HALF and w["x1"] > x - GUTTER_HALF for w in line)


def _two_sided(line: list[dict], x: float) -> bool:
    return (any(w["x1"] <= x - GUTTER_HALF for w in line)
            and any(w["x0"] >= x + GUTTER_HALF for w in line))


def find_columns(lines: list[list[dict]], width: float):
    """(gutter x, first line, last line) of a two-column zone, or None.

    A gutter is a vertical band wider than any word space that no word of a run of consecutive
    lines touches, with text on both sides in at least MIN_COLUMN_LINES of them. The zone runs
    from the first to the last of those lines; `page_text` extends it over the longer column's
    last lines while they keep the column's line pitch.
    """
    best = None
    for step in range(30, 71):
        x = width * step / 100
        run_start = None
        for i in range(len(lines) + 1):
            if i < len(lines) and not _crosses(lines[i], x):
                run_start = i if run_start is None else run_start
                continue
            if run_start is not None:
                sided = [j for j in range(run_start, i) if _two_sided(lines[j], x)]
                if len(sided) >= MIN_COLUMN_LINES and (best is None or len(sided) > best[0]):
                    best = (len(sided), x, sided[0], sided[-1])
            run_start = None
    return None if best is None else best[1:]


def page_text(page) -> str:
    """The page's text; two columns read one after the other, what is above and below around."""
    lines = _lines(page.extract_words(**TEXT_OPTIONS))
    columns = find_columns(lines, float(page.width))
    if columns is None:
        return page.extract_text(**TEXT_OPTIONS)
    gutter, start, end = columns
    pitch = (lines[end][0]["top"] - lines[start][0]["top"]) / max(1, end - start)
    while (end + 1 < len(lines) and not _crosses(lines[end + 1], gutter)
           and lines[end + 1][0]["top"] - lines[end][0]["top"] <= 1.3 * pitch):
        end += 1  # the longer column goes on at the same line pitch
    top = max(0.0, min(w["top"] for w in lines[start]) - 1)
    bottom = min(float(page.height), max(w["bottom"] for w in lines[end]) + 1)
    boxes = [(0, 0, page.width, top), (0, top, gutter, bottom),
             (gutter, top, page.width, bottom), (0, bottom, page.width, page.height)]
    parts = [page.crop(box).extract_text(**TEXT_OPTIONS) for box in boxes if box[1] < box[3]]
    return "\n".join(part for part in parts if part)


def layout_lines(page) -> list[dict]:
    """The page's lines, top to bottom: position and words with their size and boldness."""
    words = page.extract_words(extra_attrs=["size", "fontname"], **TEXT_OPTIONS)
    out = []
    for line in _lines(words):
        line.sort(key=lambda w: w["x0"])
        out.append({"top": round(min(w["top"] for w in line), 2),
                    "bottom": round(max(w["bottom"] for w in line), 2),
                    "x0": round(line[0]["x0"], 2),
                    "words": [[w["text"], round(w["size"], 1), bool(BOLD.search(w["fontname"]))]
                              for w in line]})
    return out


def title_lines(page) -> list[str]:
    """The lines set in the largest type on the page (running headers are set small)."""
    lines = [line for line in page.extract_text_lines(**TEXT_OPTIONS) if line["text"].strip()]
    if not lines:
        return []
    size = lambda line: round(max(c["size"] for c in line["chars"]), 1)  # noqa: E731
    biggest = max(size(line) for line in lines)
    return [line["text"] for line in lines if size(line) == biggest]


def read(data: bytes, limits: dict) -> dict:
    """Pages and title lines of the PDF in `data`; raises Unreadable."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > limits["max_pages"]:
                raise Unreadable("too_many_pages", f"{len(pdf.pages)} pages, the limit is "
                                 f"{limits['max_pages']}")
            pages, titles = [], []
            for page in pdf.pages:
                check_streams(page, limits["max_stream_bytes"])
                page = page.dedupe_chars()
                entry = {"page_number": page.page_number, "text": page_text(page)}
                if limits.get("layout"):
                    entry["lines"] = layout_lines(page)
                pages.append(entry)
                if not titles:
                    titles = title_lines(page)
    except (PdfminerException, PSException) as err:
        cause = err.args[0] if isinstance(err, PdfminerException) and err.args else err
        if isinstance(cause, PDFEncryptionError):
            raise Unreadable("encrypted", f"cannot decrypt: {type(cause).__name__}") from None
        if isinstance(cause, MemoryError):
            raise cause from None
        raise Unreadable("malformed", f"{type(cause).__name__}: {cause}"[:300]) from None
    if not any(p["text"].strip() for p in pages):
        raise Unreadable("no_text_layer", f"{len(pages)} page(s) without text (a scan?)")
    return {"pages": pages, "title_lines": titles}


def main(argv: list[str]) -> int:
    limits = json.loads(argv[1])
    data = sys.stdin.buffer.read()
    set_limits(limits["memory_mb"], limits["cpu_s"])
    try:
        result = read(data, limits)
    except Unreadable as err:
        result = {"error": err.reason, "detail": err.detail}
    except MemoryError:
        result = {"error": "memory_limit", "detail": f"over {limits['memory_mb']} MB"}
    except RecursionError:
        result = {"error": "malformed", "detail": "objects nested too deeply"}
    except BROKEN_FILE_ERRORS as err:
        result = {"error": "malformed", "detail": f"{type(err).__name__}: {err}"[:300]}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
