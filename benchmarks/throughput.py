"""Throughput against the bare tokenizer, and the cost per MB of hard inputs against the IAP
page, each measured net of start-up, in the same session as its baseline.

- start-up: `partners run` on a one-entry page, run between the other runs (its median is what
  every run pays before reading anything).
- throughput: words/s of `partners run --workers 1` (median wall time of `rounds` runs, net of
  start-up) over words/s of `spacy.blank("en").tokenizer` on the same texts
  (`benchmarks.tokenizer_baseline`): each input file as one document (`pages`, the target's
  baseline), and each entry as one document (`entries`, the pipeline's own cut). The
  tokenizer runs `rounds` times too, a run after each of the pipeline's, and its median
  counts: one run of it, on a busy machine, moved the ratio by a fifth (the IAP page x60 at
  0.485 against a baseline of 201,930 words/s, 0.581 against one of 155,882).
- cost per MB: seconds per MB of input, net of start-up, of each input of
  `benchmarks.inputs.costly`, over that of the IAP page repeated, run in turn with the input's
  own runs (and, as before, over the throughput phase's).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from .measure import ROOT, env, measured, partners

ONE_ENTRY = "ABC - Alpha Beta Council - The Alpha Beta Council was founded in 1990.\n"


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def runs(folder: Path, rounds: int, startup_page: Path, between=None) -> dict:
    """Wall times of `rounds` runs over the folder, each followed by a one-entry run (and by
    `between()`, whose results are kept under "between")."""
    walls, starts, others = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            walls.append(wall(folder, f"{tmp}/out"))
            starts.append(measured(partners(str(startup_page), "--out", f"{tmp}/one"))["wall_s"])
            if between is not None:
                others.append(between())
    run_s, start_s = statistics.median(walls), statistics.median(starts)
    out = {"run_s": run_s, "startup_s": start_s, "net_s": round(max(run_s - start_s, 1e-3), 3),
           "samples": {"run_s": walls, "startup_s": starts}}
    if between is not None:
        out["between"] = others
    return out


def tokenizer(folder: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.tokenizer_baseline", str(folder)],
                          cwd=ROOT, env=env(), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def median_baseline(reports: list[dict]) -> dict:
    """The tokenizer's reports of several runs as one: each cut at its median time, and every
    run's time kept as a sample."""
    out: dict = {"words": reports[0]["words"]}
    for cut in ("pages", "entries"):
        times = [r[cut]["tokenize_s"] for r in reports]
        seconds = statistics.median(times)
        out[cut] = {"documents": reports[0][cut]["documents"], "tokenize_s": seconds,
                    "words_per_s": round(out["words"] / seconds) if seconds else 0,
                    "samples": times}
    return out


def bench_throughput(inputs: dict[str, Path], rounds: int, startup_page: Path) -> dict:
    """Per input: its runs, the tokenizer's figures (the median of as many runs, one after each
    of the pipeline's) and the ratios."""
    out = {}
    for name, folder in inputs.items():
        timed = runs(folder, rounds, startup_page, between=lambda: tokenizer(folder))
        base = median_baseline(timed.pop("between"))
        rate = base["words"] / timed["net_s"]
        out[name] = dict(timed, mb=round(size_mb(folder), 3), words=base["words"],
                         words_per_s=round(rate), tokenizer=base,
                         ratio=round(rate / base["pages"]["words_per_s"], 3),
                         ratio_entries=round(rate / base["entries"]["words_per_s"], 3))
    return out


def bench_costs(inputs: dict[str, Path], rounds: int, startup_page: Path,
                reference_s_per_mb: float, reference: Optional[Path] = None) -> dict:
    """Per input: its runs, seconds per MB net of start-up, and the ratio to the reference.

    With `reference` (the IAP page's folder), the reference is run in turn with the input's
    own runs, one after each, and the ratio is to its median net of the same start-up: the
    machine's load moves between the bench's phases (in one run the one-entry runs took
    0.88-0.98 s between the IAP page's throughput runs and 1.15-1.27 s between the tiny
    entries' runs). The ratio to `reference_s_per_mb`, the throughput phase's, is kept as
    `ratio_phase_reference`."""
    out = {}
    ref_mb = size_mb(reference) if reference is not None else 0.0
    for name, folder in inputs.items():
        with tempfile.TemporaryDirectory() as tmp:
            between = (lambda: wall(reference, f"{tmp}/ref")) if reference is not None else None
            timed, mb = runs(folder, rounds, startup_page, between=between), size_mb(folder)
        per_mb = timed["net_s"] / mb
        row = dict(timed, mb=round(mb, 3), s_per_mb=round(per_mb, 3),
                   ratio_phase_reference=round(per_mb / reference_s_per_mb, 2))
        if reference is not None:
            ref_walls = row.pop("between")
            ref_per_mb = max(statistics.median(ref_walls) - timed["startup_s"], 1e-3) / ref_mb
            row.update(reference_s_per_mb=round(ref_per_mb, 3), reference_run_s=ref_walls,
                       ratio=round(per_mb / ref_per_mb, 2))
        else:
            row["ratio"] = row["ratio_phase_reference"]
        out[name] = row
    return out


def wall(folder: Path, out: str) -> float:
    """Wall seconds of one `partners run --workers 1` over the folder, into `out`."""
    return measured(partners(str(folder), "--out", out, "--workers", "1",
                             "--allow-partial"))["wall_s"]


def one_entry_page(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "one-entry.txt"
    path.write_text(ONE_ENTRY, encoding="utf-8")
    return path
