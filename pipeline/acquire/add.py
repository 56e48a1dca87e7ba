"""`partners add FILE [--url URL]`: a page saved by hand goes into raw/ with its record.

In: a file (a page saved from a browser, a PDF of the page) and where it came from. Out: the
file in `raw/` and its entry in `raw/sources.yaml` (path, url, media type, sha256, capture date;
`previous_sha256` when it replaces another capture), written in the same transaction as a fetch:
the file and the manifest change together or not at all. A file already in `raw/` (dropped in
by the curator) is only recorded, so its hash is never typed by hand.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Optional

from pipeline.acquire.fetch import safe_name
from pipeline.acquire.transaction import MANIFEST, raw_transaction
from pipeline.ingest.manifest import read_manifest_file
from pipeline.ingest.reader import guess_type, sha256_hex
from pipeline.io import OutputError


class AddError(Exception):
    """A file that cannot be added: one line naming it and why."""


@dataclass(frozen=True)
class Added:
    path: str      # in the raw folder
    outcome: str   # new, changed, unchanged


def read_page(path: Path) -> bytes:
    """The bytes of a regular file (a FIFO or a folder is refused, never read)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise AddError(f"{path}: {err.strerror or err}") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise AddError(f"{path}: not a regular file")
        return fh.read()


def add_file(path: Path, into: Path, *, url: str = "", media_type: str = "",
             role: str = "", captured: Optional[date] = None) -> Added:
    """Copy `path` into `into` (unless it is there already) and record it in the manifest."""
    path, into = Path(path), Path(into)
    data = read_page(path)
    if not data.strip():
        raise AddError(f"{path}: the file is empty")
    inside = path.resolve().parent == into.resolve()
    media_type = media_type or guess_type(path.name)
    with raw_transaction(into) as tx:
        manifest = read_manifest_file(into / MANIFEST)
        entry = _entry_for(manifest.sources, path.name if inside else "", url)
        if entry is None:
            taken = {str(s.get("path")) for s in manifest.sources} | set(os.listdir(into))
            name = path.name if inside else safe_name(path.name, media_type, taken)
            entry = {"path": name}
            manifest.sources.append(entry)
            outcome = "new"
        elif entry.get("sha256") == sha256_hex(data) and (into / entry["path"]).is_file():
            outcome = "unchanged"
        else:
            if entry.get("sha256"):
                entry["previous_sha256"] = entry["sha256"]
            outcome = "changed"
        if not inside or entry["path"] != path.name:
            tx.stage(str(entry["path"]), data)
        entry.update(media_type=media_type, sha256=sha256_hex(data),
                     captured=(captured or date.today()).isoformat())
        entry.update({k: v for k, v in (("url", url), ("role", role)) if v})
        if outcome != "unchanged":
            tx.commit(manifest)
    return Added(str(entry["path"]), outcome)


def _entry_for(sources: list[dict], name: str, url: str) -> Optional[dict]:
    """The manifest entry this file renews: the same file in the folder, else the same URL."""
    return next((s for s in sources if (name and s.get("path") == name)
                 or (url and s.get("url") == url)), None)


def add_arguments(parser: Any) -> None:
    """Arguments of `partners add FILE [--url URL] [--into raw]`."""
    parser.add_argument("file", type=Path, help="the page as saved (HTML, text, Markdown, PDF)")
    parser.add_argument("--url", default="", help="where the page was captured from")
    parser.add_argument("--into", type=Path, default=Path("raw"),
                        help="folder with the sources.yaml manifest (default: %(default)s)")
    parser.add_argument("--media-type", default="",
                        help="media type (default: from the file name: text/html, text/plain, "
                             "application/pdf)")
    parser.add_argument("--role", choices=["page", "document"], default=None,
                        help="a PDF is the page itself (page, the default for a PDF) or a "
                             "document the page links to (document)")
    parser.add_argument("--captured", type=date.fromisoformat, default=None,
                        metavar="YYYY-MM-DD", help="capture date (default: today)")


def main(args: Any) -> int:
    """Run `partners add`: one line on stdout saying what happened to the manifest."""
    media_type = args.media_type or guess_type(args.file.name)
    role = args.role or ("page" if media_type == "application/pdf" else "")
    try:
        added = add_file(args.file, args.into, url=args.url, media_type=media_type,
                         role="" if role == "document" else role, captured=args.captured)
    except (AddError, OutputError) as err:
        print(f"partners add: error: {err}", file=sys.stderr)
        return 1
    print(f"{added.outcome:9} {args.into / added.path}")
    return 0
