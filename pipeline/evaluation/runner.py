"""Run `partners run` on each corpus page and read its organisations back.

The pipeline's internals are being reorganised, so the only interface used here is the command
line (`python -m pipeline.cli run`, in a subprocess) and the CSV files it writes, read with the
csv module. Pages run one after another: each run already starts its own process, and the
machines this runs on have two cores.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from pipeline.evaluation.corpus import PROJECT_ROOT, Corpus, Page
from pipeline.evaluation.host import host_options
from pipeline.io import progress_bar

# `partners run` writes a list as a JSON array, and prefixes a cell that a spreadsheet would
# execute with one apostrophe (README: "a cell that a spreadsheet would execute ... gets a
# leading '"; a JSON array never does).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TIMEOUT = 300  # seconds for one page; a run takes about 1.5 s


@dataclass(frozen=True)
class PredictedOrg:
    """One row of organisations.csv, with its membership counts from facts.csv."""

    org_id: str
    name: str
    acronyms: tuple[str, ...]
    founded_year: Optional[int]
    headquarters: str
    relationship: str  # the pipeline's vocabulary (rules/host_relationship.yaml)
    membership: tuple[int, ...]


@dataclass(frozen=True)
class PageRun:
    """The outcome of one page: its organisations, or the reason the run failed."""

    page: Page
    organisations: tuple[PredictedOrg, ...]
    error: str = ""


def uncell(cell: str) -> str:
    """A CSV cell's value, without the apostrophe that neutralises a formula start."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file written by the pipeline, cells un-neutralised."""
    with open(path, encoding="utf-8", newline="") as f:
        return [{k: uncell(v or "") for k, v in row.items()} for row in csv.DictReader(f)]


def to_year(cell: str) -> Optional[int]:
    """An integer year from a cell, or None when empty or not a number."""
    cell = cell.strip()
    return int(cell) if cell.isdigit() else None


def organisations_from_rows(orgs: list[dict], facts: list[dict]) -> list[PredictedOrg]:
    """Join organisations.csv rows with the membership counts that facts.csv gives them."""
    counts: dict[str, list[int]] = {}
    for fact in facts:
        # membership facts carry the count as plain digits in `value`
        if fact.get("field") == "membership" and fact.get("value", "").isdigit():
            counts.setdefault(fact.get("org_id", ""), []).append(int(fact["value"]))
    out = []
    for row in orgs:
        out.append(PredictedOrg(
            org_id=row.get("org_id", ""), name=row.get("name", ""),
            acronyms=tuple(a for a in json.loads(row.get("acronyms") or "[]") if a),
            founded_year=to_year(row.get("founded_year", "")),
            headquarters=row.get("headquarters", ""),
            relationship=row.get("host_relationship", ""),
            membership=tuple(counts.get(row.get("org_id", ""), ()))))
    return out


def read_output(folder: Path) -> list[PredictedOrg]:
    """The organisations of one run's output folder."""
    return organisations_from_rows(read_rows(folder / "organisations.csv"),
                                   read_rows(folder / "facts.csv"))


def pipeline_command(page_file: Path, out: Path, host_names: Sequence[str],
                     overrides: Path, rules: Optional[Path] = None) -> list[str]:
    """The `partners run` command line for one page."""
    cmd = [sys.executable, "-m", "pipeline.cli", "run", str(page_file), "--out", str(out),
           "--no-pdfs", "--quiet", "--overrides", str(overrides)]
    cmd += host_options(host_names).arguments()
    if rules is not None:
        cmd += ["--rules", str(rules)]
    return cmd


def run_page(page: Page, corpus_folder: Path, out: Path,
             rules: Optional[Path] = None) -> PageRun:
    """Run the pipeline on one page into `out` and read what it found."""
    out.mkdir(parents=True, exist_ok=True)
    # The curator overrides in rules/overrides.yaml are decisions about the bundled page; an
    # empty file keeps them from touching (or being reported stale on) the corpus pages.
    overrides = out / "no-overrides.yaml"
    overrides.write_text("[]\n", encoding="utf-8")
    cmd = pipeline_command((Path(corpus_folder) / page.file).resolve(), out / "dataset",
                           page.host_names, overrides, rules)
    try:
        done = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return PageRun(page, (), f"timed out after {TIMEOUT} s")
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        return PageRun(page, (), f"exit {done.returncode}: {lines[-1] if lines else 'no message'}")
    try:
        return PageRun(page, tuple(read_output(out / "dataset")))
    except (OSError, csv.Error) as err:
        return PageRun(page, (), f"cannot read the output: {err}")


def run_corpus(corpus: Corpus, pages: Optional[Sequence[Page]] = None,
               keep: Optional[Path] = None, rules: Optional[Path] = None,
               progress: bool = False) -> list[PageRun]:
    """Run every page (or the given ones) in sequence; outputs go to `keep` or a temporary
    folder; a progress bar on stderr when `progress`."""
    pages = list(corpus.pages if pages is None else pages)
    with tempfile.TemporaryDirectory(prefix="partners-eval-") as tmp, \
            progress_bar(len(pages), enabled=progress, unit="page", desc="partners eval") as bar:
        base = Path(keep) if keep is not None else Path(tmp)
        runs = []
        for page in pages:
            bar.set_postfix_str(page.stem[:40])
            runs.append(run_page(page, corpus.folder, base / page.stem, rules))
            bar.update(1)
    return runs
