"""Fetch a page and the documents it links to into the raw folder, recorded in its manifest.

Reads: a page URL (http or https only) and `FetchParams` (params.yaml, section `fetch`).
Writes: the page and each linked document (same origin as the page, or a host in
`allowed_hosts`, with a document extension) into the target folder, and their entries in its
`sources.yaml`: path, url, final_url, status, media_type, content_type, bytes, sha256,
retrieved, captured (and previous_sha256 when a file changed). A download that fails, and a
link over the caps (`max_documents`, `max_total_bytes`), goes to the manifest's `failed` list
with its reason; the others still come in.
- All or nothing: downloads are staged in a temporary area and placed with the manifest at the
  end (`transaction`); a crash or kill leaves the folder and its manifest as they were.
- A file whose bytes did not change is left alone, entry included: re-fetching an unchanged
  site leaves the manifest byte-identical.
- File names come from the URL or Content-Disposition but are reduced to one safe name
  ([a-z0-9._-], no leading dot, never the manifest's name), so nothing is ever written outside
  the folder.
- Where requests may go (scope, addresses) is `scope`; one request with its limits, deadline
  and redirects is `download`.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import unquote, urlsplit

import yaml

from pipeline.acquire.download import Download, FetchError, FetchParams, download
from pipeline.acquire.scope import (
    Lookup,
    Resolver,
    Scope,
    ascii_host,
    parse_url,
    system_lookup,
)
from pipeline.acquire.transaction import Transaction, raw_transaction
from pipeline.ingest.html import html_to_text
from pipeline.ingest.manifest import Manifest, read_manifest_file
from pipeline.ingest.reader import decode_bytes, sha256_hex
from pipeline.io import load_yaml, progress_bar, progress_wanted, yaml_problem
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


def document_links(page: Download, params: FetchParams,
                   scope: Scope) -> tuple[list[str], list[tuple[str, FetchError]]]:
    """URLs of the documents the page links to that we may fetch, in page order, once each;
    and the document links that cannot be requested as written (bad host, bad port)."""
    if page.media_type != "text/html":
        return [], []
    text, _ = decode_bytes(page.data)
    extensions = tuple(params.document_extensions)
    seen, urls, bad = {page.final_url}, [], []
    for link in html_to_text(text, page.final_url).links:
        written = link.url.split("#", 1)[0]
        try:
            target = parse_url(written)
        except FetchError as err:
            if err.reason == "bad_url" and written.split("?")[0].lower().endswith(extensions):
                bad.append((written, err))
            continue
        if (target.path.split("?")[0].lower().endswith(extensions)
                and target.origin in scope.origins and target.url not in seen):
            seen.add(target.url)
            urls.append(target.url)
    return urls, bad


class _Store:
    """Stages downloads for the folder and puts their entries into the manifest."""

    def __init__(self, transaction: Transaction, manifest: Manifest, now: datetime):
        self.tx, self.manifest, self.now = transaction, manifest, now
        self.stored: list[tuple[str, str, str]] = []
        self.issues: list[Issue] = []
        self.tried: set[str] = set()  # URLs whose earlier failure this fetch replaces

    def add(self, got: Download) -> None:
        entry = next((s for s in self.manifest.sources if s.get("url") == got.url
                      and s.get("media_type") == got.media_type), None)
        digest = sha256_hex(got.data)
        if entry is not None and entry.get("sha256") == digest:
            outcome = "unchanged"
            if not (self.tx.into / str(entry["path"])).is_file():
                self._stage(str(entry["path"]), got.data)  # same bytes as recorded: entry stays
                outcome = "restored"
            self.stored.append((str(entry["path"]), got.url, outcome))
            self.tried.add(got.url)
            return
        if entry is None:
            taken = {str(s.get("path")) for s in self.manifest.sources} | set(
                os.listdir(self.tx.into))
            entry = {"path": safe_name(_name_of(got), got.media_type, taken)}
            self.manifest.sources.append(entry)
            outcome = "new"
        else:
            entry["previous_sha256"] = entry.get("sha256", "")  # the capture this one replaces
            outcome = "changed"
        self._stage(str(entry["path"]), got.data)
        entry.update(url=got.url, final_url=got.final_url, status=got.status,
                     media_type=got.media_type, content_type=got.content_type,
                     bytes=len(got.data), sha256=digest,
                     retrieved=self.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     captured=self.now.strftime("%Y-%m-%d"))
        self.stored.append((str(entry["path"]), got.url, outcome))
        self.tried.add(got.url)

    def fail(self, url: str, err: FetchError) -> None:
        self.issues.append(Issue(source=url, stage="fetch", reason=err.reason, detail=err.detail))
        self.tried.add(url)

    def failed(self) -> list[dict[str, Any]]:
        """The manifest's failures: earlier ones of URLs not tried again, then this fetch's."""
        kept = [f for f in self.manifest.failed if f.get("url") not in self.tried]
        return kept + [{"url": i.source, "reason": i.reason, "detail": i.detail}
                       for i in self.issues]

    def _stage(self, name: str, data: bytes) -> None:
        if name in ("", ".", "..", MANIFEST) or "/" in name or "\\" in name or name.startswith("."):
            raise AssertionError(f"unsafe file name {name!r}")  # safe_name makes this a bug
        self.tx.stage(name, data)


def _name_of(got: Download) -> str:
    return got.filename or urlsplit(got.final_url).path.rstrip("/").rsplit("/", 1)[-1] \
        or urlsplit(got.final_url).hostname or "document"


def fetch(url: str, into: Path, *, params: FetchParams, now: Optional[datetime] = None,
          lookup: Lookup = system_lookup,
          note: Optional[Callable[[str], None]] = None, progress: bool = False) -> FetchReport:
    """Download the page at `url` and its linked documents into `into`; update its manifest.
    The folder and its manifest change together at the end, or not at all. `progress`: a bar
    of the documents on stderr."""
    into = Path(into)
    with raw_transaction(into, note) as transaction:
        manifest = read_manifest_file(into / MANIFEST)
        store = _Store(transaction, manifest, now or datetime.now(timezone.utc))
        _download_all(store, url, params, lookup, progress)
        manifest.failed = store.failed()
        written = transaction.commit(manifest)
    return FetchReport(stored=tuple(store.stored), issues=tuple(store.issues),
                       manifest_written=written)


def _download_all(store: _Store, url: str, params: FetchParams, lookup: Lookup,
                  progress: bool = False) -> None:
    """The page, then its documents up to the caps; each failure recorded in the store."""
    try:
        page_target = parse_url(url)
    except FetchError as err:
        return store.fail(url, err)
    scope = Scope.of_page(page_target, params.allowed_hosts)
    resolver = Resolver([page_target.host], allow_private=params.allow_private, lookup=lookup)
    left = params.max_total_bytes
    try:
        page = download(page_target.url, params, scope=scope, resolver=resolver, budget=left)
    except FetchError as err:
        return store.fail(page_target.url, err)
    store.add(page)
    left -= len(page.data)
    links, bad = document_links(page, params, scope)
    for link, err in bad:
        store.fail(link, err)
    with progress_bar(min(len(links), params.max_documents), enabled=progress, unit="doc",
                      desc="partners fetch") as bar:
        for n, link in enumerate(links):
            if n >= params.max_documents:
                store.fail(link, FetchError("over_max_documents", "not fetched: the page links "
                                            f"to {len(links)} documents, max_documents is "
                                            f"{params.max_documents}"))
                continue
            left = _document(store, link, params, scope, resolver, left)
            bar.update(1)


def _document(store: _Store, link: str, params: FetchParams, scope: Scope, resolver: Resolver,
              left: int) -> int:
    """Download one linked document within the bytes `left`; return what is left after it."""
    if left <= 0:
        store.fail(link, FetchError("over_max_total_bytes", "not fetched: max_total_bytes "
                                    f"({params.max_total_bytes}) reached"))
        return left
    try:
        got = download(link, params, scope=scope, resolver=resolver, budget=left)
    except FetchError as err:
        store.fail(link, err)
        return 0 if err.reason == "over_max_total_bytes" else left
    store.add(got)
    return left - len(got.data)


def load_params(path: str) -> FetchParams:
    """The `fetch` section of a params file (defaults when the file or section is missing);
    a file that cannot be read or a bad section is a ValueError in one line."""
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return FetchParams()
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: cannot read the params file: {err}") from None
    except yaml.YAMLError as err:
        raise ValueError(yaml_problem(err, path)) from None
    if data is not None and not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of sections (fetch: ...)")
    params = FetchParams.from_mapping((data or {}).get("fetch"), where=f"{path}:fetch")
    for host in params.allowed_hosts:
        try:
            ascii_host(host)
        except FetchError as err:
            raise ValueError(f"{path}:fetch.allowed_hosts: {err.detail}") from None
    return params


def add_arguments(parser: Any) -> None:
    """Arguments of `partners fetch URL [--into raw/] [--params params.yaml] [--allow-private]`."""
    parser.add_argument("url", help="page to fetch (http or https)")
    parser.add_argument("--into", default="raw", metavar="DIR",
                        help="folder with the sources.yaml manifest (default: %(default)s)")
    parser.add_argument("--params", default="params.yaml", metavar="FILE",
                        help="params file, section fetch: limits and hosts "
                             "(default: %(default)s)")
    parser.add_argument("--allow-private", action="store_true",
                        help="also fetch from loopback, private and link-local addresses "
                             "(the page's own host is always allowed)")


# Reasons for links that were not tried: one summary line each instead of a line per link.
NOT_TRIED = ("over_max_documents", "over_max_total_bytes")


def main(args: Any) -> int:
    """Run a fetch; 0 when everything came in, 2 when some downloads failed, 1 on no page."""
    try:
        params = load_params(args.params)
    except ValueError as err:
        print(f"partners fetch: error: {err}", file=sys.stderr)
        return 1
    if args.allow_private:
        params = replace(params, allow_private=True)
    report = fetch(args.url, Path(args.into), params=params,
                   note=lambda message: print(f"partners fetch: {message}", file=sys.stderr),
                   progress=progress_wanted(getattr(args, "quiet", False)))
    for path, url, outcome in report.stored:
        print(f"{outcome:9} {path}  <- {url}")
    for issue in report.issues:
        if issue.reason not in NOT_TRIED:
            print(f"failed    {issue.source}: {issue.reason}: {issue.detail}", file=sys.stderr)
    for reason in NOT_TRIED:
        count = sum(issue.reason == reason for issue in report.issues)
        if count:
            print(f"skipped   {count} links: {reason} (listed under failed in sources.yaml)",
                  file=sys.stderr)
    if not report.stored:
        return 1
    return 2 if report.issues else 0
