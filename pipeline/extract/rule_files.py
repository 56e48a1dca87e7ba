"""Reading one rule file: YAML with its words checked, sections, word lists and counts, each
problem a `RuleError` naming the file and key. Reads: a path. Writes: plain data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipeline import io
from pipeline.io import yaml_problem


class RuleError(Exception):
    """A rule or vocabulary file that cannot be used."""


def load_yaml(path: Path) -> Any:
    """A YAML rule file's data (aliases refused); a RuleError naming the file if unreadable or
    a word is a bool."""
    try:
        data = io.load_yaml(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise RuleError(f"{path}: {err}") from err
    except yaml.YAMLError as err:
        raise RuleError(yaml_problem(err, str(path))) from err
    _check_words(data, str(path))
    return data


def _check_words(data: Any, where: str) -> None:
    """Word lists hold strings only: YAML reads a bare `on` or `no` as a boolean."""
    if isinstance(data, dict):
        for key, value in data.items():
            _check_words(value, f"{where}: {key}")
    elif isinstance(data, list):
        for i, item in enumerate(data):
            if isinstance(item, bool):
                raise RuleError(f"{where}[{i}]: {item!r} read as a boolean; quote the word")
            _check_words(item, f"{where}[{i}]")


def _section(data: Any, path: Path, key: str) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RuleError(f"{path}: {key or 'the file'}: expected keys and values")
    return data


def _words(data: Any, path: Path, key: str) -> tuple[str, ...]:
    """A non-empty list of words or phrases at `key` of a rule file, else a RuleError."""
    if not isinstance(data, list) or not data or not all(isinstance(w, str) and w.strip()
                                                         for w in data):
        raise RuleError(f"{path}: {key}: expected a non-empty list of words (quote on/off/yes)")
    return tuple(data)


def _count(data: Any, path: Path, key: str) -> int:
    if not isinstance(data, int) or isinstance(data, bool) or data < 1:
        raise RuleError(f"{path}: {key}: expected a whole number of tokens")
    return data
