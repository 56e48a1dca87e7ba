"""Output assertions: what a run must have achieved before its dataset replaces the last one.

Declared in params.yaml (`checks:`), handed to `partners run` / `partners export` as options,
checked on the staged dataset just before the swap (after OpenSanctions' dataset assertions).
A run that fails them leaves the published dataset untouched and keeps its own issues and
metrics in `<out>/.failed-run/` for the curator; `--allow-partial` accepts such output on purpose.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.model import Issue

FAILED_RUN = ".failed-run"


class CheckError(Exception):
    """A run whose output does not pass the checks: one line naming the input and reason."""


@dataclass(frozen=True)
class OutputChecks:
    """What every run must achieve (params.yaml `checks:`)."""

    # issues that mean an input was not read at all: its organisations would silently vanish
    error_reasons: tuple[str, ...] = ("missing", "sha256_mismatch", "outside_raw", "unreadable",
                                      "binary", "empty", "special_file", "no_text_layer")
    min_organisations_per_page: int = 1
    allow_partial: bool = False


def failures(checks: OutputChecks, issues: Iterable[Issue], pages: Sequence[str],
             organisations: Counter) -> list[str]:
    """One line per failed check, in input order: the input first, then the reason."""
    if checks.allow_partial:
        return []
    found = [f"{i.source}: {i.reason} ({i.detail})" for i in issues
             if i.reason in checks.error_reasons]
    found += [f"{page}: {organisations[page]} organisations, fewer than "
              f"{checks.min_organisations_per_page}" for page in pages
              if organisations[page] < checks.min_organisations_per_page]
    if not pages and not found:
        found.append("no page was read: no input gave a document")
    return found


def keep_failed_run(stage: Path, out: Path, found: list[str]) -> CheckError:
    """Save the failed run's issues and metrics in `out/.failed-run/`; the error to raise."""
    target = out / FAILED_RUN
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("issues.jsonl", "metrics.json"):
        if (stage / name).exists():
            shutil.copy2(stage / name, target / name)
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return CheckError(f"{found[0]}{more}; the dataset in {out}/ is unchanged; this run's "
                      f"issues: {target / 'issues.jsonl'}; --allow-partial accepts partial output")
