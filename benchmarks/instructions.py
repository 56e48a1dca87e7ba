"""The cost-per-MB and throughput ratios counted in instructions, which the machine's load
does not move.

    python -m benchmarks.instructions [benchmarks/out]

Timed ratios here spread by a third from run to run (other jobs share the cores: the same
code's tiny entries cost 5.8 and 8.1 times the IAP page per MB in two runs ten minutes apart),
which hides a change of a few per cent. Valgrind's cachegrind (`--cache-sim=no`: instructions
only) counts the instructions a whole `partners run --workers 1` executes: four runs of the
same code gave ratios within 0.03 of each other (hash seeds move the dicts' probing). Each input is
counted net of a one-entry run (start-up), per MB, against the IAP page repeated, as
`benchmarks.throughput.bench_costs` times them; and the throughput ratio of the IAP page x10,
of the real pages x4 and of the real pages once each (what pages not seen before cost): the
bare tokenizer's instructions over each file (a run of `benchmarks.tokenizer_baseline --cut
pages` less one of `--cut none`, which reads the same pages without tokenising them) over the
pipeline's, net of start-up. An instruction is not a unit of time (Python code runs fewer per
second than the tokenizer's C), so these ratios stand beside the timed ones, not for them: the
targets are in time.

The inputs are the cost benchmark's at 30% (`inputs.costly(..., share=0.3)`: 3,000 tiny
entries, ...) and the IAP page x10: valgrind runs the interpreter about 30x slower, and a
count needs no repeats. The IAP page is also counted once (`iap-1x`, 25 KB, too little to time
against start-up, not to count): each input's ratio to it (`ratio_once`) is its cost against
a page read once, whose words and chunks meet no cache filled by an earlier copy. About 7
minutes on two cores, the runs two at a time. Needs valgrind (Debian's `valgrind`, which `make
bench` installs where it can); without it the report says so and the timed figures stand
alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

from . import inputs
from .measure import ROOT, compile_package, env, partners
from .throughput import one_entry_page, size_mb

SHARE = 0.3
TOOL = ["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def valgrind() -> str | None:
    return shutil.which("valgrind")


def instructions_of(stderr: str) -> int:
    """The instruction count of cachegrind's summary ("==12== I   refs:   5,176,856,777")."""
    found = REFS.search(stderr)
    if found is None:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"cachegrind gave no instruction count:\n{tail}")
    return int(found.group(1).replace(",", ""))


def count(cmd: list[str]) -> int:
    """Instructions executed by one command (its own process; `--workers 1` runs spawn none)."""
    done = subprocess.run(["valgrind", *TOOL, *cmd], cwd=ROOT, env=env(),
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} under valgrind exited {done.returncode}: "
                           f"{done.stderr.strip().splitlines()[-1:]}")
    return instructions_of(done.stderr)


def ratios(counts: dict[str, int], sizes: dict[str, float], startup: int,
           reference: str, once: Optional[str] = None) -> dict:
    """Per input: instructions, net of start-up, per MB, and the ratio to the reference's
    (and, with `once`, to that input's: `ratio_once`)."""
    per_mb = {name: max(n - startup, 0) / sizes[name] for name, n in counts.items()}
    found = {name: {"mb": round(sizes[name], 3), "instructions": n,
                    "net": max(n - startup, 0), "per_mb": round(per_mb[name]),
                    "ratio": round(per_mb[name] / per_mb[reference], 2)}
             for name, n in counts.items()}
    if once is not None and per_mb.get(once):
        for name, c in found.items():
            c["ratio_once"] = round(per_mb[name] / per_mb[once], 2)
    return found


def throughput_ratio(pipeline_net: int, tokenizer: int) -> float:
    """The pipeline's words per instruction over the bare tokenizer's, on the same text: the
    throughput target's ratio, counted."""
    return round(tokenizer / pipeline_net, 3) if pipeline_net > 0 else 0.0


def bench_instructions(out: Path) -> dict:
    """The counts and ratios, or why there are none."""
    if valgrind() is None:
        return {"skipped": "valgrind not found (Debian: apt-get install valgrind)"}
    compile_package()
    one = one_entry_page(out / "one-entry")
    # the reference, the IAP page x10, and the page as published, read once: repeated, its
    # words and chunks meet spaCy's caches (a chunk's tokens, a word's lexeme) and the
    # pipeline's at every copy after the first, as no new page's do
    folders = {"iap-10x": inputs.iap_repeated(out, copies=10),
               "iap-1x": inputs.iap_repeated(out, copies=1),
               **inputs.costly(out / "instructions", share=SHARE)}
    read = {"iap-10x": folders["iap-10x"]}   # throughput: the pipeline against the tokenizer
    # the real pages x4, and each page once: work done once per page not seen before (a
    # pattern compiled, a word's lexeme made) is a quarter of its cost in the x4 count, and
    # what a curator's new page pays in full (None without ../shared/corpus)
    for copies in (4, 1):
        real = inputs.corpus_repeated(out, copies=copies)
        if real is not None:
            read[f"real-pages-{copies}x"] = real
    baseline = [sys.executable, "-m", "benchmarks.tokenizer_baseline", "--cut"]
    with tempfile.TemporaryDirectory() as tmp, \
            ThreadPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1))) as pool:
        # the first run builds the gazetteer's name cache, if no run has: not counted
        subprocess.run(partners(str(one), "--out", f"{tmp}/warm"), cwd=ROOT, env=env(),
                       capture_output=True, check=True)
        jobs = {name: pool.submit(count, partners(str(folder), "--out", f"{tmp}/{name}",
                                                  "--workers", "1", "--allow-partial"))
                for name, folder in {"one-entry": one, **folders, **read}.items()}
        # the tokenizer's own instructions: a run tokenising the pages less one only reading them
        cuts = {(name, cut): pool.submit(count, baseline + [cut, str(folder)])
                for name, folder in read.items() for cut in ("pages", "none")}
        counts = {name: job.result() for name, job in jobs.items()}
        tokenizer = {name: cuts[name, "pages"].result() - cuts[name, "none"].result()
                     for name in read}
    startup = counts.pop("one-entry")
    version = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout
    return {"tool": f"{version.strip()} {' '.join(TOOL[:2])}", "share": SHARE,
            "startup": startup, "reference": "iap-10x", "once": "iap-1x",
            "inputs": ratios({n: counts[n] for n in folders},
                             {n: size_mb(f) for n, f in folders.items()}, startup, "iap-10x",
                             once="iap-1x"),
            "throughput": {name: {"pipeline_net": counts[name] - startup,
                                  "tokenizer": tokenizer[name],
                                  "ratio": throughput_ratio(counts[name] - startup,
                                                            tokenizer[name])}
                           for name in read}}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "benchmarks" / "out"
    print(json.dumps(bench_instructions(out), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
