"""A page's `host_names` (manifest.tsv, most formal first) as the pipeline's host options.

- `--host-name`: the first name, the most formal one the manifest gives.
- `--host-acronym`: the first other name shaped like an acronym: one token of 2-10 letters
  (a hyphen allowed inside) starting with a capital and with at least two capitals, mostly
  capitals (INTERPOL, EJTN, and DHPol, which the page writes in mixed case). When the only name
  is acronym-shaped (INTERPOL, EUFLP), it is both the name and the acronym. When there is none,
  the acronym is empty: `partners run` accepts an empty acronym (the host's mentions skip empty
  strings), and inventing initials would teach the pipeline a host mention the page never uses.
- `--host-alias`: every other name ("the Ombudsman", "we", "Riigikontroll").
- The options are always passed, empty where the page names nothing: without any host option
  `partners run` falls back to the host of ./params.yaml (the IAP), which is not the host of
  these pages. A page without a host (directory and encyclopedia pages) gets empty ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

ACRONYM_SHAPE = re.compile(r"[A-Z][A-Za-z]*(?:-[A-Za-z]+)?")


@dataclass(frozen=True)
class HostOptions:
    name: str
    acronym: str
    aliases: tuple[str, ...]

    def arguments(self) -> list[str]:
        """The options as `partners run` arguments."""
        args = ["--host-name", self.name, "--host-acronym", self.acronym]
        for alias in self.aliases or ("",):
            args += ["--host-alias", alias]
        return args


def is_acronym(word: str) -> bool:
    """True for a single token of 2-10 letters that is mostly capitals (EJTN, DHPol)."""
    letters = [c for c in word if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return (bool(ACRONYM_SHAPE.fullmatch(word)) and 2 <= len(letters) <= 10
            and capitals >= 2 and capitals * 2 > len(letters))


def host_options(host_names: Sequence[str]) -> HostOptions:
    """Name, acronym and aliases for a page from its manifest `host_names`."""
    names = [n.strip() for n in host_names if n and n.strip()]
    if not names:
        return HostOptions("", "", ())
    name, rest = names[0], names[1:]
    acronym = next((n for n in rest if is_acronym(n)), "")
    if not acronym and is_acronym(name):
        acronym = name
    aliases = tuple(n for n in rest if n != acronym)
    return HostOptions(name, acronym, aliases)
