"""Determinism: `partners run` gives byte-identical output across runs, PYTHONHASHSEED values,
time zones and locales (each run in its own process and working folder)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from hardening import ROOT

ENVIRONMENTS = [  # only C, C.UTF-8 and POSIX may be installed: others test the fallback
    {"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8"},
    {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati", "LC_ALL": "POSIX", "PYTHONUTF8": "0"},
    {"PYTHONHASHSEED": "99", "TZ": "America/St_Johns", "LC_ALL": "tr_TR.UTF-8",
     "LANG": "de_DE.UTF-8"},
]


def start_in(folder: Path, env_extra: dict) -> subprocess.Popen:
    """`partners run raw --out extracted` in `folder`, started in the background."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder),
           "PYTHONPATH": str(ROOT), **env_extra}
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "raw", "--out",
                             "extracted", "--quiet", "--overrides",
                             str(ROOT / "rules" / "overrides.yaml")],
                            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def output_of(folder: Path, proc: subprocess.Popen) -> dict[str, str]:
    """sha256 of every output file once the run is done."""
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    out = folder / "extracted"
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != ".partners.lock"}


def test_run_output_is_byte_identical_across_runs_seeds_time_zones_and_locales(tmp_path):
    runs = []
    for n, env in enumerate(ENVIRONMENTS):
        folder = tmp_path / f"run{n}"
        shutil.copytree(ROOT / "raw", folder / "raw")
        # the HTML rendering too: its saved text and links are part of the output
        shutil.copy(ROOT / "tests" / "data" / "iap-page.html", folder / "raw" / "page.html")
        manifest = (folder / "raw" / "sources.yaml").read_text(encoding="utf-8")
        (folder / "raw" / "sources.yaml").write_text(
            manifest + "  - path: page.html\n    media_type: text/html\n"
            "    url: https://www.iap-association.org/About/Co-operation-With-Others\n",
            encoding="utf-8")
        runs.append((folder, start_in(folder, env)))
    outputs = [output_of(folder, proc) for folder, proc in runs]
    assert {"facts.csv", "facts.parquet", "organisations.parquet", "issues.jsonl",
            "metrics.json", "datapackage.json"} <= set(outputs[0])
    assert [name for name in outputs[0] if name.startswith("texts/page.html.")]
    for n, output in enumerate(outputs[1:], start=1):
        assert output == outputs[0], f"run {n} ({ENVIRONMENTS[n]}) differs"
