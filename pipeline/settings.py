"""What a run is configured with: the host organisation, the rules folder and the run's
settings.

The values come from the command line, which `dvc.yaml` fills from `params.yaml`; code never
reads `params.yaml` for them (the CLI alone falls back to it for runs by hand), so the host's
default is written in one place: `params.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional


def default_rules_dir() -> Path:
    """The rules a run reads unless `--rules` names others: the checkout's `rules/` when the
    code runs from a checkout (the source of truth, what dvc.yaml tracks), else the copy the
    wheel carries as `pipeline/rules/` (setup.py builds it from the same folder)."""
    package = Path(__file__).resolve().parent
    checkout = package.parent / "rules"
    if (package.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return package / "rules"


@dataclass(frozen=True)
class Host:
    """The organisation whose partners the page lists (empty: a page with no host, such as a
    directory; then no relationship to a host is extracted)."""

    name: str = ""
    acronym: str = ""
    aliases: tuple[str, ...] = ()

    def mentions(self) -> list[str]:
        """Every way the page names the host."""
        return [m for m in (self.name, self.acronym, *self.aliases) if m]

    @classmethod
    def from_params(cls, section: Optional[Mapping[str, Any]]) -> "Host":
        """The host of a `params.yaml` `host:` section (its keys are the CLI's options)."""
        section = section or {}
        aliases = section.get("host-alias") or ()
        return cls(str(section.get("host-name") or ""), str(section.get("host-acronym") or ""),
                   tuple(str(a) for a in ([aliases] if isinstance(aliases, str) else aliases)))


@dataclass(frozen=True)
class Licence:
    """The licence `datapackage.json` states for the dataset (`licenses`: an Open Definition /
    SPDX id, its URL and title). The default, CC BY 4.0, lets anyone reuse the data with
    attribution; the evidence column quotes the source pages, whose text stays their
    publishers'."""

    name: str = "CC-BY-4.0"
    path: str = "https://creativecommons.org/licenses/by/4.0/"
    title: str = "Creative Commons Attribution 4.0 International"


@dataclass(frozen=True)
class Settings:
    """Everything a run is configured with (from the command line / params.yaml)."""

    host: Host = Host()
    rules_dir: Optional[Path] = None
    overrides: Optional[Path] = None
    ids: Optional[Path] = None  # the org id registry (rules/org_ids.yaml); None or absent: none
    languages: tuple = ("en",)
    batch_size: int = 64
    pdf_params: object = None
    progress: bool = False
    workers: int = 1
    checks: Any = None  # pipeline.dataset.checks.OutputChecks; None: its defaults
    licence: Licence = Licence()

    @property
    def rules_folder(self) -> Path:
        """The rules the run reads: `rules_dir`, or when it is None the default folder."""
        return self.rules_dir if self.rules_dir is not None else default_rules_dir()
