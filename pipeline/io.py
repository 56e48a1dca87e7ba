"""Files written whole or not at all, JSON (lines) in a byte-stable form, and progress bars.

Writers are atomic: each file is written beside its destination under a temporary name and
moved into place only when complete, so a killed run leaves the previous file whole. The
dataset's own formats (CSV and Parquet) are in `pipeline.dataset.formats`.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

import yaml


class OutputError(Exception):
    """An output path that cannot be written (read-only, full, not a folder)."""


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it into place only if the block succeeds."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a dataset is for reading
    except OSError as err:
        raise OutputError(f"cannot write to {path.parent}: {err.strerror or err}") from err
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except OSError as err:
        _unlink(tmp)
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def json_encoder(sort_keys: bool = False, separators: Optional[tuple[str, str]] = None
                 ) -> Callable[[Any], str]:
    """`json.JSONEncoder(ensure_ascii=False, sort_keys=..., separators=...).encode`, with the
    json module's C encoder made once: `encode` makes it for every call, 2.6 of the 4.1
    microseconds an issue's line took. It is made with the arguments `JSONEncoder.iterencode`
    gives it, but no check for circular references (no record has one), and kept only if it
    writes what `encode` writes; else, or without the C encoder, `encode` is returned."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=sort_keys, separators=separators)
    try:
        made = json.encoder.c_make_encoder(
            None, encoder.default, json.encoder.encode_basestring, None,
            encoder.key_separator, encoder.item_separator, sort_keys, False, True)
        fast = lambda value: "".join(made(value, 0))  # noqa: E731
        sample = {"b": [1, 2.5, None, True], "a": "é\"\n", "c": {"y": [], "x": {}}}
        return fast if fast(sample) == encoder.encode(sample) else encoder.encode
    except (TypeError, AttributeError):   # no C encoder, or one made differently
        return encoder.encode


_SORTED_JSON = json_encoder(sort_keys=True)   # made once


def dumps(record: Any) -> str:
    """One JSON line for a record or plain dict; keys sorted so output is byte-stable."""
    data = plain(record) if dataclasses.is_dataclass(record) else record
    return _SORTED_JSON(data)


_SCALARS = frozenset((str, int, float, bool, type(None)))


def plain(value: Any) -> Any:
    """`model.to_dict` of a record (nested records as dicts, tuples as lists), without the
    deep copy of every value `dataclasses.asdict` makes: a fifth of the export's time. A
    scalar field is taken as it is, without a call for it (an issue is four strings)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind in (tuple, list):
        return [plain(v) for v in value]
    names = _field_names(kind)
    if names is None:
        return value
    fields = {n: getattr(value, n) for n in names}
    for n, v in fields.items():
        if type(v) not in _SCALARS:
            fields[n] = plain(v)
    return fields


@functools.lru_cache(maxsize=None)
def _field_names(kind: type) -> Optional[tuple]:
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind))


def write_jsonl(path: Path, records: Iterable[Any]) -> int:
    """Write records as JSON lines atomically; return how many were written."""
    n = 0
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(dumps(record) + "\n")
            n += 1
    return n


def read_jsonl(path: Path) -> Iterator[dict]:
    """Plain dicts from a JSON lines file."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def write_json(path: Path, data: Any) -> None:
    """A JSON document, pretty and byte-stable."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                       encoding="utf-8")


class NoAliasLoader(yaml.SafeLoader):
    """safe_load without aliases: `*name` lets a few lines expand into gigabytes (an alias
    bomb), and no file of this project (manifest, params, overrides, rules) needs them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


# PyYAML's loader on libyaml, its C extension (in PyYAML's wheels): the same constructor and
# resolver as `yaml.SafeLoader`, the text scanned and parsed in C. The rule files, read at
# every start, took 56 ms with the pure-Python loader and take 8 ms so, their events scanned
# once for an alias first. None where PyYAML was built without libyaml.
C_LOADER = getattr(yaml, "CSafeLoader", None)


def load_yaml(text: str) -> Any:
    """YAML read as `yaml.safe_load` reads it, with aliases refused. Read with libyaml when it
    is there and the text holds no alias; a text libyaml refuses (or one with an alias) is
    read again by `NoAliasLoader`, whose error is the one reported, with or without libyaml."""
    if libyaml_reads(text):
        return yaml.load(text, Loader=C_LOADER)
    return yaml.load(text, Loader=NoAliasLoader)


def libyaml_reads(text: str) -> bool:
    """Whether the text is read with libyaml: it is there, parses the text, and meets no
    alias (`*name`) in it."""
    return C_LOADER is not None and not has_alias_or_error(text)


def has_alias_or_error(text: str) -> bool:
    """Whether libyaml's parser meets an alias (`*name`) in the text, or cannot parse it."""
    parser = C_LOADER(text)
    try:
        while parser.check_event():
            if isinstance(parser.get_event(), yaml.AliasEvent):
                return True
    except yaml.YAMLError:
        return True
    finally:
        parser.dispose()
    return False


def yaml_problem(err: yaml.YAMLError, where: str, what: str = "not valid YAML") -> str:
    """A YAML error in one line: file:line:column, what, and the parser's problem."""
    mark = getattr(err, "problem_mark", None)
    at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
    problem = " ".join(str(getattr(err, "problem", None) or err).split())
    return f"{where}{at}: {what}: {problem}"


def lock_at_once(fd: Any, busy: Exception) -> None:
    """An exclusive lock on an open file or folder, taken at once; `busy` is raised when
    another process holds it (a second run or fetch on the same folder stops immediately)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise busy from None


@dataclasses.dataclass(frozen=True)
class YamlItem:
    """Where one item of a YAML list or mapping starts (lines from 1): the item (or the key of
    a mapping), and the keys of its value."""

    line: int
    key: Any = None                 # the key, for an item of a mapping
    keys: dict = dataclasses.field(default_factory=dict)   # key -> line, for a mapping value


def load_yaml_items(text: str) -> tuple[Any, list[YamlItem]]:
    """YAML read as `load_yaml` reads it, and the items of its list (or the entries of its
    mapping) with their lines: a curator's file is checked item by item with errors naming the
    line. PyYAML keeps marks on nodes only, so the document is composed into nodes once and
    the data constructed from them (what `yaml.load` does in one call), on libyaml as
    `load_yaml` reads (libyaml's nodes keep their marks too)."""
    loader = C_LOADER(text) if libyaml_reads(text) else NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, _items(node)


def _items(node: Any) -> list[YamlItem]:
    """The items of a list node (the entries of a mapping node) and their lines."""
    def keys(value: Any) -> dict:
        if not isinstance(value, yaml.MappingNode):
            return {}
        return {str(k.value): k.start_mark.line + 1 for k, _ in value.value}

    if isinstance(node, yaml.SequenceNode):
        return [YamlItem(i.start_mark.line + 1, None, keys(i)) for i in node.value]
    if isinstance(node, yaml.MappingNode):
        return [YamlItem(k.start_mark.line + 1, k.value, keys(v)) for k, v in node.value]
    return []


def progress_wanted(quiet: bool) -> bool:
    """Progress is for a person at a terminal: never with -q, never into a log or a pipe."""
    return not quiet and sys.stderr.isatty()


def progress_bar(total: Optional[float], *, enabled: bool, unit: str, desc: str,
                 **options: Any) -> Any:
    """A progress bar on stderr with the total, the rate and the time left (tqdm; `options`
    are tqdm's); when not `enabled`, tqdm's disabled bar, which shows nothing."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, disable=not enabled, file=sys.stderr,
                dynamic_ncols=True, **options)
