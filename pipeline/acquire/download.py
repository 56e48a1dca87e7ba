"""One HTTP(S) download, inside the fetch's scope, within its limits and one deadline.

Reads: a URL, `FetchParams`, the fetch's `Scope` and `Resolver`, and the bytes left of the
fetch's budget. Writes nothing: returns a `Download` (bytes, final URL after redirects, status,
media type, the Content-Disposition file name as sent) or raises `FetchError` with a reason:
bad_url, bad_scheme, out_of_scope, non_public_address, bad_redirect, too_many_redirects,
http_error, too_large, over_max_total_bytes, truncated, timeout, unreachable, bad_response.
- Every hop (the URL, then each redirect) is parsed, checked against the scope (scheme, host
  and port) and resolved through the resolver before anything is sent; the connection goes to
  the address the resolver checked, never to a second DNS answer.
- One deadline for the whole exchange: connecting, TLS, request, headers, body and every
  redirect. Each socket operation waits at most the time left, so a server dripping one header
  byte every few seconds is cut off at `timeout_s`.
- A body shorter than its Content-Length (or a chunked body cut short) is `truncated`.
- Proxies from the environment are not used: the address check must see the address that is
  connected to. Only http and https are spoken (no file:, ftp: or data:, even by redirect).
"""

from __future__ import annotations

import http.client
import io
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urljoin, urlsplit

from pipeline.acquire.limits import FetchError, FetchParams
from pipeline.acquire.scope import Resolver, Scope, Target, parse_url

__all__ = ["Download", "FetchError", "FetchParams", "download", "media_type_of"]

GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream", "application/download")
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Download:
    url: str
    final_url: str
    status: int
    content_type: str
    media_type: str
    data: bytes
    filename: str = ""


def media_type_of(content_type: str, data: bytes, url: str) -> str:
    """The media type the server states, or what the bytes are when it says nothing useful."""
    stated = content_type.split(";")[0].strip().lower()
    if stated not in GENERIC_TYPES:
        return stated
    if data.lstrip()[:5] == b"%PDF-":
        return "application/pdf"
    return "text/html" if urlsplit(url).path.lower().endswith((".html", ".htm")) else stated


def download(url: str, params: FetchParams, *, scope: Optional[Scope] = None,
             resolver: Optional[Resolver] = None, budget: Optional[int] = None) -> Download:
    """Fetch one URL within scope, limits and deadline; raise FetchError saying why not.
    Without a scope or resolver, the URL's own origin is the scope and its host is trusted."""
    target = parse_url(url)
    scope = scope or Scope.of_page(target, params.allowed_hosts)
    resolver = resolver or Resolver([target.host], allow_private=params.allow_private)
    deadline = time.monotonic() + params.timeout_s
    try:
        for hop in range(params.max_redirects + 1):
            scope.check(target, "link" if hop == 0 else "redirect")
            conn, response = _exchange(target, resolver.addresses(target), deadline, params)
            try:
                location = response.getheader("Location")
                if response.status in REDIRECTS and location:
                    target = _redirected(target, location)
                    continue
                if not 200 <= response.status < 300:
                    raise FetchError("http_error", f"HTTP {response.status} {response.reason}"[:200])
                data = _body(response, params, budget)
            finally:
                response.close()
                conn.close()
            content_type = response.getheader("Content-Type", "")
            return Download(url=url, final_url=target.url, status=response.status,
                            content_type=content_type,
                            media_type=media_type_of(content_type, data, target.url),
                            data=data, filename=response.msg.get_filename() or "")
    except (socket.timeout, TimeoutError):
        raise FetchError("timeout", f"no complete answer within {params.timeout_s:g} s") from None
    except http.client.IncompleteRead as err:
        raise FetchError("truncated", f"body cut short: {err}"[:200]) from None
    except (http.client.HTTPException, OSError) as err:
        raise FetchError("bad_response", f"{type(err).__name__}: {err}"[:200]) from None
    raise FetchError("too_many_redirects", f"more than {params.max_redirects} redirects")


def _redirected(current: Target, location: str) -> Target:
    """The next hop of a redirect; a Location that cannot be fetched is bad_redirect."""
    try:
        return parse_url(urljoin(current.url, location.strip()))
    except (FetchError, ValueError) as err:
        raise FetchError("bad_redirect", f"redirect to {location[:200]!r}: {err}") from None


def _exchange(target: Target, addresses: tuple[str, ...], deadline: float,
              params: FetchParams) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """Send the request to one of the checked addresses; the response with its headers read."""
    cls = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    conn = cls(target.host, target.port, addresses, deadline)
    try:
        conn.putrequest("GET", target.path, skip_accept_encoding=True)
        for key, value in (("User-Agent", params.user_agent), ("Accept", "*/*"),
                           ("Connection", "close")):
            conn.putheader(key, value)
        conn.endheaders()
        return conn, conn.getresponse()
    except BaseException:
        conn.close()
        raise


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


class _PinnedHTTP(http.client.HTTPConnection):
    """A connection to checked addresses only (the Host header still names the host)."""

    def __init__(self, host: str, port: int, addresses: tuple[str, ...], deadline: float):
        super().__init__(host, port)
        self.addresses, self.deadline = addresses, deadline

    def connect(self) -> None:
        self.sock = _DeadlineSocket(self._connected(), self.deadline)

    def _connected(self) -> socket.socket:
        errors = []
        for address in self.addresses:
            try:
                return socket.create_connection((address, self.port), timeout=_left(self.deadline))
            except (socket.timeout, TimeoutError):
                raise
            except OSError as err:
                errors.append(f"{address}: {err.strerror or err}")
        raise FetchError("unreachable", f"cannot connect to {self.host}:{self.port} "
                                        f"({'; '.join(errors)})"[:200])


class _PinnedHTTPS(_PinnedHTTP):
    def connect(self) -> None:
        raw = self._connected()
        try:
            raw.settimeout(_left(self.deadline))  # the handshake as a whole waits at most this
            tls = ssl.create_default_context().wrap_socket(raw, server_hostname=self.host)
        except ssl.SSLError as err:
            raw.close()
            raise FetchError("unreachable", f"TLS with {self.host}: {err}"[:200]) from None
        except BaseException:
            raw.close()
            raise
        self.sock = _DeadlineSocket(tls, self.deadline)


class _DeadlineSocket:
    """A socket whose every read and write waits at most until the deadline. Like a socket's
    makefile, the reader keeps it open until both are closed (http.client closes the
    connection before the body of a `Connection: close` response is read)."""

    def __init__(self, sock: socket.socket, deadline: float):
        self.sock, self.deadline = sock, deadline
        self.readers, self.closing = 0, False

    def sendall(self, data: bytes) -> None:
        self.sock.settimeout(_left(self.deadline))
        self.sock.sendall(data)

    def recv_into(self, buffer) -> int:
        self.sock.settimeout(_left(self.deadline))
        return self.sock.recv_into(buffer)

    def makefile(self, mode: str) -> io.BufferedReader:
        self.readers += 1
        return io.BufferedReader(_Reader(self))

    def close(self) -> None:
        self.closing = True
        if not self.readers:
            self.sock.close()

    def reader_closed(self) -> None:
        self.readers -= 1
        if self.closing and not self.readers:
            self.sock.close()


class _Reader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket):
        self.sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self.sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self.sock.reader_closed()
        super().close()


def _body(response: http.client.HTTPResponse, params: FetchParams,
          budget: Optional[int]) -> bytes:
    """The whole body within the byte limits, or a FetchError (too large, cut short)."""
    announced = response.length  # Content-Length as http.client read it (None: not given)
    if announced is not None:
        _within(announced, params, budget, f"{announced} bytes announced")
    chunks, total = [], 0
    while chunk := response.read1(CHUNK):
        total += len(chunk)
        _within(total, params, budget, f"at least {total} bytes sent")
        chunks.append(chunk)
    if response.length:  # bytes the Content-Length promised and the connection never sent
        raise FetchError("truncated", f"{total} of the {announced} bytes of Content-Length "
                                      "arrived before the connection closed")
    return b"".join(chunks)


def _within(size: int, params: FetchParams, budget: Optional[int], what: str) -> None:
    if size > params.max_bytes:
        raise FetchError("too_large", f"{what}, the limit is max_bytes {params.max_bytes}")
    if budget is not None and size > budget:
        raise FetchError("over_max_total_bytes", f"{what}, only {budget} left of "
                                                 f"max_total_bytes {params.max_total_bytes}")
