"""One HTTP(S) download with limits: bytes, redirects and a deadline over the whole response.

Reads: a URL and `FetchParams`. Writes nothing: returns a `Download` (bytes, final URL after
redirects, status, media type, the Content-Disposition file name as sent) or raises
`FetchError` with a reason: bad_scheme, bad_redirect, too_many_redirects, http_error,
too_large, timeout, unreachable, bad_response. Uses only urllib's HTTP handlers (no file:,
ftp: or data: URLs, even through a redirect).
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, fields
from typing import Any, Mapping
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream", "application/download")
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchParams:
    """Limits and scope of `partners fetch` (params.yaml, section `fetch`)."""

    timeout_s: float = 30.0
    max_bytes: int = 25_000_000
    max_redirects: int = 5
    allowed_hosts: tuple[str, ...] = ()     # hosts besides the page's own
    document_extensions: tuple[str, ...] = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt")
    user_agent: str = "partners-fetch/0.1 (+curated dataset of partner pages)"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "params.yaml:fetch"):
        """Params from a mapping; an unknown key or a wrong type is an error naming it."""
        defaults = {f.name: getattr(cls(), f.name) for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in (data or {}).items():
            if key not in defaults:
                raise ValueError(f"{where}: unknown key {key!r} (known: {', '.join(defaults)})")
            default = defaults[key]
            if isinstance(default, tuple):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ValueError(f"{where}.{key}: expected a list of strings")
                value = tuple(v.lower() for v in value)
            elif isinstance(default, str):
                if not isinstance(value, str):
                    raise ValueError(f"{where}.{key}: expected a string")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{where}.{key}: expected a number >= 0, got {value!r}")
            values[key] = type(default)(value)
        return cls(**values)


@dataclass(frozen=True)
class Download:
    url: str
    final_url: str
    status: int
    content_type: str
    media_type: str
    data: bytes
    filename: str = ""


class FetchError(Exception):
    """A download that failed; carries a machine-readable reason."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, limit: int):
        self.max_redirections = limit

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise FetchError("bad_redirect", f"redirect to a non-http(s) URL: {newurl[:200]}")
        if len(getattr(req, "redirect_dict", {})) >= self.max_redirections:
            raise FetchError("too_many_redirects", f"more than {self.max_redirections} redirects")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(params: FetchParams) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(), _Redirects(params.max_redirects),
                    urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def media_type_of(content_type: str, data: bytes, url: str) -> str:
    """The media type the server states, or what the bytes are when it says nothing useful."""
    stated = content_type.split(";")[0].strip().lower()
    if stated not in GENERIC_TYPES:
        return stated
    if data.lstrip()[:5] == b"%PDF-":
        return "application/pdf"
    return "text/html" if urlsplit(url).path.lower().endswith((".html", ".htm")) else stated


def download(url: str, params: FetchParams) -> Download:
    """Fetch one URL within the limits; raise FetchError saying why not."""
    if urlsplit(url).scheme.lower() not in SCHEMES:
        raise FetchError("bad_scheme", f"only http and https URLs are fetched: {url[:200]}")
    request = urllib.request.Request(url, headers={"User-Agent": params.user_agent})
    deadline = time.monotonic() + params.timeout_s
    try:
        with _opener(params).open(request, timeout=params.timeout_s) as response:
            data = _read(response, params, deadline)
            headers = response.headers
            return Download(url=url, final_url=response.geturl(), status=response.status,
                            content_type=headers.get("Content-Type", ""),
                            media_type=media_type_of(headers.get("Content-Type", ""), data,
                                                     response.geturl()),
                            data=data, filename=headers.get_filename() or "")
    except urllib.error.HTTPError as err:
        if 300 <= err.code < 400:  # urllib refused the redirect itself (scheme or loop)
            reason = "too_many_redirects" if "infinite loop" in str(err.reason) else "bad_redirect"
            raise FetchError(reason, f"HTTP {err.code}: {err.reason}"[:200]) from None
        raise FetchError("http_error", f"HTTP {err.code} {err.reason}") from None
    except (socket.timeout, TimeoutError):
        raise FetchError("timeout", f"no complete answer within {params.timeout_s:g} s") from None
    except urllib.error.URLError as err:
        if isinstance(err.reason, (socket.timeout, TimeoutError)):
            raise FetchError("timeout", f"no answer within {params.timeout_s:g} s") from None
        raise FetchError("unreachable", str(err.reason)[:200]) from None
    except (http.client.HTTPException, ConnectionError) as err:
        raise FetchError("bad_response", f"{type(err).__name__}: {err}"[:200]) from None


def _read(response: Any, params: FetchParams, deadline: float) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > params.max_bytes:
        raise FetchError("too_large", f"{length} bytes announced, the limit is {params.max_bytes}")
    chunks, total = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError("timeout", f"no complete answer within {params.timeout_s:g} s")
        chunk = response.read1(CHUNK)  # what has arrived: read() would wait for a full chunk
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > params.max_bytes:
            raise FetchError("too_large", f"more than {params.max_bytes} bytes")
        chunks.append(chunk)
