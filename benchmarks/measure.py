"""Run one command; print its wall time and the peak RSS of it and its children, as JSON.

    python -m benchmarks.measure -- partners run raw --out /tmp/x

A process of its own per measurement: `getrusage(RUSAGE_CHILDREN).ru_maxrss` is the largest
peak of any child waited for, so it only isolates one command in a fresh parent. The peak
covers worker processes too (the largest one, not their sum). `measured` runs a command so,
from the benchmarks.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def env() -> dict:
    e = dict(os.environ, DVC_NO_ANALYTICS="1")
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"
    return e


def compile_package() -> None:
    """Bytecode for the package, as an installed package has. Where PYTHONDONTWRITEBYTECODE is
    set (many container images set it, and this machine does) no process writes its own, so
    every measured run would compile from source each module edited since its bytecode was
    written (in a fresh clone: all of them, 0.68 billion instructions, 13% of a one-entry
    run). Files whose bytecode is up to date are skipped."""
    import compileall

    compileall.compile_dir(ROOT / "pipeline", quiet=1)


def measured(cmd: list[str]) -> dict:
    """Wall time and peak RSS of one command, measured from a fresh parent process."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.measure", "--", *cmd], cwd=ROOT,
                          env=dict(env(), PYTHONPATH=str(ROOT)), capture_output=True,
                          text=True, check=True)
    result = json.loads(done.stdout)
    if result["returncode"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {result['stderr']}")
    return result


def partners(*args: str) -> list[str]:
    return [str(BIN / "partners"), "run", *args, "--quiet"]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"wall_s": round(wall, 3), "peak_rss_mb": round(peak_kb / 1024, 1),
                      "returncode": done.returncode, "stdout": done.stdout[-2000:],
                      "stderr": done.stderr[-2000:]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
