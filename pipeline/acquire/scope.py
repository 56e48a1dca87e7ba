"""Where a fetch may go: URLs made plain ASCII, the origins in scope, and the addresses allowed.

Reads: URLs (from the command line, the page's links, redirects) and host names. Writes
nothing; may look host names up in DNS. Answers, for every request before it is made:
- `parse_url`: the URL as it goes on the wire. Non-ASCII path and query characters are
  percent-encoded as UTF-8 (existing `%XX` escapes kept), the host made IDNA ASCII; a URL
  that cannot be sent (bad host label, bad port, `http://[::1/x`) is a `bad_url` FetchError.
- `Scope`: the origins (scheme, host, port) a fetch may request: the page's own, its https
  form on the standard port, and the `allowed_hosts` on the standard ports. A link or a
  redirect hop anywhere else is out of scope, even on the same host or IP.
- `Resolver`: each host is looked up once per fetch and every address it gives is checked;
  loopback, private, link-local, multicast, reserved and other non-global addresses are
  refused (`non_public_address`) unless the host is the page's own (named on the command
  line) or private addresses are allowed. Connections go to the address that was checked, so
  a second DNS answer (rebinding) is never used.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Callable, Iterable, Optional
from urllib.parse import quote, urlsplit

from pipeline.acquire.limits import FetchError

SCHEMES = {"http": 80, "https": 443}
PATH_SAFE = "/:@!$&'()*+,;=-._~%"
QUERY_SAFE = PATH_SAFE + "?"
LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
HOST_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")

Address = str
Lookup = Callable[[str, int], Iterable[Address]]


@dataclass(frozen=True)
class Target:
    """One URL ready for the wire: ASCII, with its origin spelt out."""

    url: str       # what is recorded and requested (fragment dropped)
    scheme: str
    host: str      # lower case; IDNA ASCII; an IPv6 address without brackets
    port: int      # the explicit port, else the scheme's standard one
    path: str      # path and query for the request line

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)


def parse_url(url: str) -> Target:
    """The URL as sent: scheme checked, host IDNA-encoded, path and query percent-encoded."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as err:  # "Invalid IPv6 URL", a port that is not a number, ...
        raise FetchError("bad_url", f"{err}: {_short(url)}") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise FetchError("bad_scheme", f"only http and https URLs are fetched: {_short(url)}")
    if parts.username is not None or parts.password is not None:
        raise FetchError("bad_url", f"a user name in the URL is not sent: {_short(url)}")
    host = ascii_host(parts.hostname or "", url)
    path = LONE_PERCENT.sub("%25", quote(parts.path, safe=PATH_SAFE)) or "/"
    query = LONE_PERCENT.sub("%25", quote(parts.query, safe=QUERY_SAFE))
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    request = path + (f"?{query}" if query or url.split("#")[0].endswith("?") else "")
    return Target(url=f"{scheme}://{netloc}{request}", scheme=scheme, host=host,
                  port=SCHEMES[scheme] if port is None else port, path=request)


def ascii_host(host: str, url: str = "") -> str:
    """The host as DNS and the Host header take it (IDNA, lower case), or a bad_url
    FetchError naming `url` (or the host)."""
    if not host:
        raise FetchError("bad_url", f"no host in {_short(url or host)}")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    name = host[:-1] if host.endswith(".") else host
    try:
        ascii_name = name.encode("idna").decode("ascii").lower()
    except UnicodeError as err:  # a label over 63 characters, an empty label, ...
        raise FetchError("bad_url", f"invalid host name ({err}): {_short(host)}") from None
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or not all(HOST_LABEL.match(label) for label in labels):
        raise FetchError("bad_url", f"invalid host name: {_short(host)}")
    return ascii_name


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:200] + "..."


@dataclass(frozen=True)
class Scope:
    """The origins (scheme, host, port) a fetch may request."""

    origins: frozenset[tuple[str, str, int]]

    @classmethod
    def of_page(cls, page: Target, allowed_hosts: Iterable[str] = ()) -> "Scope":
        """The page's origin, its https form, and the allowed hosts on the standard ports."""
        origins = {page.origin}
        if page.origin == ("http", page.host, 80):  # the same site upgraded to https
            origins.add(("https", page.host, 443))
        for host in allowed_hosts:
            name = ascii_host(host)
            origins |= {(scheme, name, port) for scheme, port in SCHEMES.items()}
        return cls(frozenset(origins))

    def check(self, target: Target, what: str = "link") -> None:
        """Raise `out_of_scope` unless the target's origin is in scope."""
        if target.origin not in self.origins:
            scheme, host, port = target.origin
            raise FetchError("out_of_scope", f"{what} to {scheme}://{host}:{port}, outside the "
                                             f"page's origin and allowed_hosts: {_short(target.url)}")


def non_public_kind(address: Address) -> Optional[str]:
    """What makes an address non-public ("loopback", "private", ...), or None if it is global."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            if ip in ipaddress.IPv6Network("64:ff9b::/96") else None)
        if ip.teredo:
            return "teredo"
        if embedded is not None:
            kind = non_public_kind(str(embedded))
            return None if kind is None else f"{kind} (embedded in {ip})"
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "not global"


def system_lookup(host: str, port: int) -> list[Address]:
    """The host's addresses from the system resolver, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


class Resolver:
    """Looks each host up once per fetch, checks every address, and pins the answer."""

    def __init__(self, trusted_hosts: Iterable[str] = (), *, allow_private: bool = False,
                 lookup: Lookup = system_lookup):
        self.trusted = {host.lower() for host in trusted_hosts}
        self.allow_private, self.lookup = allow_private, lookup
        self.pinned: dict[str, tuple[Address, ...]] = {}

    def addresses(self, target: Target) -> tuple[Address, ...]:
        """The checked addresses to connect to for the target's host (looked up only once)."""
        if target.host not in self.pinned:
            self.pinned[target.host] = self._checked(target.host, self._lookup(target))
        return self.pinned[target.host]

    def _lookup(self, target: Target) -> tuple[Address, ...]:
        try:
            ipaddress.ip_address(target.host)
            return (target.host,)
        except ValueError:
            pass
        try:
            found = tuple(dict.fromkeys(self.lookup(target.host, target.port)))
        except (OSError, UnicodeError) as err:
            raise FetchError("unreachable", f"cannot resolve {target.host}: {err}") from None
        if not found:
            raise FetchError("unreachable", f"cannot resolve {target.host}: no address")
        return found

    def _checked(self, host: str, found: tuple[Address, ...]) -> tuple[Address, ...]:
        if self.allow_private or host in self.trusted:
            return found
        for address in found:
            kind = non_public_kind(address)
            if kind is not None:
                raise FetchError("non_public_address",
                                 f"{host} resolves to {address} ({kind}); not fetched "
                                 f"(--allow-private or fetch.allow_private to allow it)")
        return found
