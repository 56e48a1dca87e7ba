"""The raw folder's manifest (`sources.yaml`) as data, and written back in its own style.

Reads: the manifest text (YAML with a leading comment block, a `sources` list, and for fetched
files a `failed` list). Writes: the same layout, byte-stable: the leading comments kept, entries
sorted by path (failures by URL), keys in a fixed order (the keys ingest reads first), scalars
plain where YAML reads them back unchanged and double-quoted otherwise. Dumping an unchanged
manifest gives back its bytes, so a fetch that changes nothing leaves the file untouched.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.io import atomic_path, load_yaml, yaml_problem

DEFAULT_HEADER = """\
# Manifest of the raw inputs: every file the pipeline reads is listed here with
# where it came from and its sha256; `partners ingest` refuses a file whose bytes
# no longer match. Paths are relative to this folder.
"""
# Keys in the order they are written; any other key follows in its original order.
KEY_ORDER = ("path", "url", "final_url", "status", "media_type", "content_type", "bytes",
             "sha256", "previous_sha256", "retrieved", "captured", "reason", "detail")
PLAIN_UNSAFE_START = tuple("#&*!|>'\"%@`{[-?:,")


class ManifestError(Exception):
    """A manifest that cannot be read: names the file (and line, column or key) and why."""


@dataclass
class Manifest:
    header: str = DEFAULT_HEADER
    sources: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    other: dict[str, Any] = field(default_factory=dict)


def parse_manifest(text: str, where: str = "sources.yaml") -> Manifest:
    """A manifest from its text; the leading comment block is kept as its header. Every
    source has a `path`; a malformed manifest raises ManifestError in one line."""
    lines = text.splitlines(keepends=True)
    header = "".join(line for line in _leading_comments(lines))
    try:
        data = load_yaml(text) or {}
    except yaml.YAMLError as err:  # one line: where, and what (a python/* tag is refused)
        raise ManifestError(yaml_problem(err, where, "cannot read the manifest")) from err
    if not isinstance(data, dict) or not isinstance(data.get("sources", []), list):
        raise ManifestError(f"{where}: expected a 'sources' list")
    sources, failed = data.pop("sources", None) or [], data.pop("failed", None) or []
    for key, items in (("sources", sources), ("failed", failed)):
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ManifestError(f"{where}: '{key}' must be a list of mappings")
    for i, item in enumerate(sources):
        if not isinstance(item.get("path"), str):
            raise ManifestError(f"{where}: sources[{i}] needs a 'path'")
    return Manifest(header=header or DEFAULT_HEADER, sources=sources, failed=failed, other=data)


def _leading_comments(lines: list[str]):
    for line in lines:
        if not line.startswith("#"):
            return
        yield line


def read_manifest_file(path: Path, *, missing_ok: bool = True) -> Manifest:
    """The manifest at `path` (an empty one when the file does not exist yet and `missing_ok`)."""
    if Path(path).exists() and not Path(path).is_file():  # a FIFO would block the read
        raise ManifestError(f"{path}: cannot read the manifest: not a regular file")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return Manifest()
        raise ManifestError(f"{path}: cannot read the manifest: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ManifestError(f"{path}: cannot read the manifest: {err}") from err
    return parse_manifest(text, str(path))


def scalar(value: Any) -> str:
    """One YAML scalar: plain when it reads back as itself, else a double-quoted string."""
    if value is None or isinstance(value, (bool, int, float)):
        return yaml.safe_dump(value).splitlines()[0]
    text = str(value)
    return text if _reads_back_plain(text) else json.dumps(text, ensure_ascii=False)


@functools.lru_cache(maxsize=65536)  # media types, dates, reasons repeat in every entry
def _reads_back_plain(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or text.startswith(PLAIN_UNSAFE_START):
        return False
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False


def _entry(item: dict[str, Any]) -> str:
    keys = [k for k in KEY_ORDER if k in item] + [k for k in item if k not in KEY_ORDER]
    lines = []
    for i, key in enumerate(keys):
        value = item[key]
        if isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False)  # flow style is valid YAML
        lines.append(f"{'  - ' if i == 0 else '    '}{key}: {scalar(value)}\n")
    return "".join(lines)


def dump_manifest(manifest: Manifest) -> str:
    """The manifest's text: header, sources sorted by path, failures sorted by URL."""
    out = [manifest.header, "sources:\n"]
    out += [_entry(s) for s in sorted(manifest.sources, key=lambda s: str(s.get("path", "")))]
    if manifest.failed:
        out.append("failed:\n")
        out += [_entry(f) for f in sorted(manifest.failed, key=lambda f: str(f.get("url", "")))]
    if manifest.other:
        out.append(yaml.safe_dump(manifest.other, allow_unicode=True, sort_keys=True))
    return "".join(out)


def write_manifest_file(path: Path, manifest: Manifest) -> bool:
    """Write the manifest atomically if its text changed; return whether it was written."""
    text = dump_manifest(manifest)
    try:
        if Path(path).read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return True
