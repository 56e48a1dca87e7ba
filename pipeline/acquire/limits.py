"""The limits and scope settings of `partners fetch` (params.yaml, section `fetch`), and the
error one download ends with.

Reads: a mapping (the `fetch` section). Writes nothing. A section that is not a mapping, an
unknown key or a value of the wrong type is a `ValueError` naming the file, section and key.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping


@dataclass(frozen=True)
class FetchParams:
    """Limits and scope of `partners fetch` (params.yaml, section `fetch`)."""

    timeout_s: float = 30.0                 # one deadline per document: connect, headers, body, redirects
    max_bytes: int = 25_000_000             # per document
    max_redirects: int = 5
    max_documents: int = 200                # linked documents per fetch (the page not counted)
    max_total_bytes: int = 200_000_000      # all downloads of one fetch, the page included
    allowed_hosts: tuple[str, ...] = ()     # hosts besides the page's own
    allow_private: bool = False             # fetch from loopback/private/link-local addresses too
    document_extensions: tuple[str, ...] = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt")
    user_agent: str = "partners-fetch/0.1 (+curated dataset of partner pages)"

    @classmethod
    def from_mapping(cls, data: Any, where: str = "params.yaml:fetch") -> "FetchParams":
        """Params from a mapping; a non-mapping, an unknown key or a wrong type names it."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: expected a mapping of settings, got {_kind(data)}")
        defaults = {f.name: getattr(cls(), f.name) for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in defaults:
                raise ValueError(f"{where}: unknown key {key!r} (known: {', '.join(defaults)})")
            values[key] = _checked(f"{where}.{key}", defaults[key], value)
        return cls(**values)


def _checked(where: str, default: Any, value: Any) -> Any:
    """`value` as the type of `default`, or a ValueError naming `where`."""
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{where}: expected a list of strings, got {_kind(value)}")
        return tuple(v.lower() for v in value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{where}: expected true or false, got {_kind(value)}")
        return value
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError(f"{where}: expected a string, got {_kind(value)}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{where}: expected a whole number >= 0, got {_kind(value)}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{where}: expected a number > 0, got {_kind(value)}")
    return float(value)


def _kind(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"a {type(value).__name__}"


class FetchError(Exception):
    """A download that failed; carries a machine-readable reason."""

    def __init__(self, reason: str, detail: str):
        detail = one_line(detail)  # servers write some of it (reason phrases, status lines)
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def one_line(text: str, limit: int = 300) -> str:
    """`text` on one line of printable characters (others escaped), at most `limit` long."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(text.split()))
    return text if len(text) <= limit else text[:limit] + "..."
