"""Fetch a page and the documents it links to into the raw folder, recorded in its manifest.

Reads: a page URL (http or https only) and `FetchParams` (params.yaml, section `fetch`).
Writes: the page and each linked document (same host as the page, or a host in
`allowed_hosts`, with a document extension) into the target folder, and their entries in its
`sources.yaml`: path, url, final_url, status, media_type, content_type, bytes, sha256,
retrieved, captured (and previous_sha256 when a file changed). A download that fails goes to
the manifest's `failed` list with its reason; the others still come in.
- A file whose bytes did not change is left alone, entry included: re-fetching an unchanged
  site leaves the manifest byte-identical.
- File names come from the URL or Content-Disposition but are reduced to one safe name
  ([a-z0-9._-], no leading dot, never the manifest's name), so nothing is ever written outside
  the folder; files are written atomically.
- Limits per request: bytes, redirects (to http/https only) and time (a deadline over the whole
  response, not only per socket read). Only urllib's HTTP handlers are installed: no file:,
  ftp: or data: URLs, even through a redirect.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional
from urllib.parse import unquote, urldefrag, urlsplit

import yaml

from pipeline.acquire.download import Download, FetchError, FetchParams, download
from pipeline.ingest.html import html_to_text
from pipeline.ingest.manifest import Manifest, read_manifest_file, write_manifest_file
from pipeline.ingest.reader import decode_bytes, sha256_hex
from pipeline.model import Issue

MANIFEST = "sources.yaml"
EXTENSIONS = {"text/html": ".html", "application/pdf": ".pdf", "text/plain": ".txt"}
UNSAFE = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class FetchReport:
    """What one fetch did: (path, url, outcome) per file, and an Issue per failed download."""

    stored: tuple[tuple[str, str, str], ...]   # outcome: new, changed, unchanged, restored
    issues: tuple[Issue, ...]
    manifest_written: bool


def safe_name(name: str, media_type: str, taken: set[str]) -> str:
    """A file name that stays in the folder, ends as its media type says, and is not taken."""
    name = unicodedata.normalize("NFKC", unquote(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE.sub("-", name.lower()).strip(".-_")[:100] or "document"
    ext = EXTENSIONS.get(media_type, "")
    if ext and not name.endswith(ext):
        name += ext
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    candidate, n = name, 1
    while candidate in taken or candidate == MANIFEST:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    return candidate


def document_links(page: Download, params: FetchParams) -> list[str]:
    """URLs of the documents the page links to that we may fetch, in page order, once each."""
    if page.media_type != "text/html":
        return []
    text, _ = decode_bytes(page.data)
    host = urlsplit(page.final_url).hostname
    seen, urls = {urldefrag(page.final_url)[0]}, []
    for link in html_to_text(text, page.final_url).links:
        url = urldefrag(link.url)[0]
        parts = urlsplit(url)
        if (parts.scheme in ("http", "https") and url not in seen
                and (parts.hostname == host or parts.hostname in params.allowed_hosts)
                and parts.path.lower().endswith(tuple(params.document_extensions))):
            seen.add(url)
            urls.append(url)
    return urls


class _Store:
    """Puts downloads into the folder and their entries into the manifest."""

    def __init__(self, into: Path, manifest: Manifest, now: datetime):
        self.into, self.manifest, self.now = into, manifest, now
        self.stored: list[tuple[str, str, str]] = []
        self.issues: list[Issue] = []

    def add(self, got: Download) -> None:
        entry = next((s for s in self.manifest.sources if s.get("url") == got.url
                      and s.get("media_type") == got.media_type), None)
        digest = sha256_hex(got.data)
        if entry is not None and entry.get("sha256") == digest:
            outcome = "unchanged"
            if not (self.into / str(entry["path"])).is_file():
                self._write(str(entry["path"]), got.data)  # same bytes as recorded: entry stays
                outcome = "restored"
            self.stored.append((str(entry["path"]), got.url, outcome))
            self._clear_failure(got.url)
            return
        if entry is None:
            taken = {str(s.get("path")) for s in self.manifest.sources} | set(os.listdir(self.into))
            entry = {"path": safe_name(_name_of(got), got.media_type, taken)}
            self.manifest.sources.append(entry)
            outcome = "new"
        else:
            entry["previous_sha256"] = entry.get("sha256", "")
            outcome = "changed"
        self._write(str(entry["path"]), got.data)
        entry.update(url=got.url, final_url=got.final_url, status=got.status,
                     media_type=got.media_type, content_type=got.content_type,
                     bytes=len(got.data), sha256=digest,
                     retrieved=self.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     captured=self.now.strftime("%Y-%m-%d"))
        self.stored.append((str(entry["path"]), got.url, outcome))
        self._clear_failure(got.url)

    def fail(self, url: str, err: FetchError) -> None:
        self.issues.append(Issue(source=url, stage="fetch", reason=err.reason, detail=err.detail))
        self._clear_failure(url)
        self.manifest.failed.append({"url": url, "reason": err.reason, "detail": err.detail})

    def _clear_failure(self, url: str) -> None:
        self.manifest.failed = [f for f in self.manifest.failed if f.get("url") != url]

    def _write(self, name: str, data: bytes) -> None:
        folder = self.into.resolve()
        target = folder / name
        if target.parent != folder or name in ("", ".", "..", MANIFEST):
            raise AssertionError(f"unsafe file name {name!r}")  # safe_name makes this a bug
        fd, tmp = tempfile.mkstemp(prefix=".fetch-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise


def _name_of(got: Download) -> str:
    return got.filename or urlsplit(got.final_url).path.rstrip("/").rsplit("/", 1)[-1] \
        or urlsplit(got.final_url).hostname or "document"


def fetch(url: str, into: Path, *, params: FetchParams,
          now: Optional[datetime] = None) -> FetchReport:
    """Download the page at `url` and its linked documents into `into`; update its manifest."""
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest_file(into / MANIFEST)
    store = _Store(into, manifest, now or datetime.now(timezone.utc))
    try:
        page = download(url, params)
    except FetchError as err:
        store.fail(url, err)
    else:
        store.add(page)
        for doc_url in document_links(page, params):
            try:
                store.add(download(doc_url, params))
            except FetchError as err:
                store.fail(doc_url, err)
    written = write_manifest_file(into / MANIFEST, manifest)
    return FetchReport(stored=tuple(store.stored), issues=tuple(store.issues),
                       manifest_written=written)


def load_params(path: str) -> FetchParams:
    """The `fetch` section of a params file (defaults when the file or section is missing)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return FetchParams()
    return FetchParams.from_mapping(data.get("fetch") or {}, where=f"{path}:fetch")


def add_arguments(parser: Any) -> None:
    """Arguments of `partners fetch URL [--into raw/] [--params params.yaml]`."""
    parser.add_argument("url", help="page to fetch (http or https)")
    parser.add_argument("--into", default="raw", help="folder with the sources.yaml manifest")
    parser.add_argument("--params", default="params.yaml", help="params file (section fetch)")


def main(args: Any) -> int:
    """Run a fetch; 0 when everything came in, 2 when some downloads failed, 1 on no page."""
    try:
        params = load_params(args.params)
    except (ValueError, yaml.YAMLError) as err:
        print(f"partners fetch: {err}", file=sys.stderr)
        return 1
    report = fetch(args.url, Path(args.into), params=params)
    for path, url, outcome in report.stored:
        print(f"{outcome:9} {path}  <- {url}")
    for issue in report.issues:
        print(f"failed    {issue.source}: {issue.reason}: {issue.detail}", file=sys.stderr)
    if not report.stored:
        return 1
    return 2 if report.issues else 0
