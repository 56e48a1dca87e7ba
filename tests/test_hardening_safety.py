"""Safety: the pipeline opens no network connection, loads YAML safely, never unpickles or
evaluates anything, and no CSV cell runs as a formula (Parquet keeps the true value)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hardening import ROOT, check_provenance, read_dataset, write_raw

from pipeline.dataset.formats import TableWriter, read_table_csv, read_table_parquet
from pipeline.model import Fact

# Loaded by every Python process of the run (PYTHONPATH): any internet socket is refused and
# logged, so worker processes (PDF reading, --workers) are covered too.
NO_NETWORK = r"""
import os, socket
_log = os.environ["NO_NETWORK_LOG"]
def _refuse(what, target):
    with open(_log, "a") as fh:
        fh.write(f"{os.getpid()} {what} {target!r}\n")
    raise OSError("network use in the pipeline: " + what)
_connect = socket.socket.connect
def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse("connect", address)
    return _connect(self, address)
socket.socket.connect = connect
socket.socket.connect_ex = lambda self, address: _refuse("connect_ex", address)
socket.getaddrinfo = lambda *a, **k: _refuse("getaddrinfo", a[:2])
socket.create_connection = lambda address, *a, **k: _refuse("create_connection", address)
"""


def test_run_opens_no_network_connection(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(NO_NETWORK)
    log = tmp_path / "network.log"
    log.write_text("")
    html = (ROOT / "tests" / "data" / "iap-page.html").read_text(encoding="utf-8")
    raw = write_raw(tmp_path / "raw", {"page.html": html,
                                       "page.txt": (ROOT / "raw" / "iap-co-operation-with-others.txt")
                                       .read_text(encoding="utf-8")})
    # the check itself works: a connection from a process started like the run is refused
    env = {"PYTHONPATH": f"{site}:{ROOT}", "NO_NETWORK_LOG": str(log), "PATH": "/usr/bin:/bin"}
    probe = subprocess.run([sys.executable, "-c", "import urllib.request as u; "
                            "u.urlopen('http://example.org', timeout=2)"],
                           env=env, capture_output=True, text=True)
    assert probe.returncode != 0 and log.read_text()
    log.write_text("")
    command = [sys.executable, "-m", "pipeline.cli", "run", str(raw),
               "--out", str(tmp_path / "out"), "--quiet"]
    if _has_workers():
        command += ["--workers", "2"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert log.read_text() == ""
    ds = read_dataset(tmp_path / "out")
    assert ds.metrics["documents"] == 2 and ds.tables["organisations"]
    check_provenance(ds.facts, cwd=ROOT)


def _has_workers() -> bool:
    from pipeline.cli import build_parser

    try:
        build_parser().parse_args(["run", "--workers", "2"])
    except SystemExit:
        return False
    return True


UNSAFE = {
    "pickle": re.compile(r"^\s*(import|from)\s+(c?pickle|dill|shelve|marshal|jsonpickle)\b"
                         r"|\b(c?pickle|dill|marshal|jsonpickle)\.(loads?|Unpickler)\b", re.M),
    "eval/exec": re.compile(r"(?<![\w.])(eval|exec)\s*\("),
    "yaml.load": re.compile(r"\byaml\.(unsafe_load|full_load|load_all|load)\s*\("
                            r"(?![^)]*Loader\s*=\s*(yaml\.(Safe|CSafe)Loader|NoAliasLoader|C_LOADER))"),
    "yaml Loader": re.compile(r"\byaml\.(Unsafe|Full)?Loader\b"),
}


@pytest.mark.parametrize("kind", sorted(UNSAFE))
def test_pipeline_source_never_unpickles_evaluates_or_loads_yaml_unsafely(kind):
    hits = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        for match in UNSAFE[kind].finditer(path.read_text(encoding="utf-8")):
            hits.append(f"{path.relative_to(ROOT)}: {match.group().strip()}")
    assert hits == []


def test_pipeline_yaml_is_read_with_safe_load_only():
    uses = [p for p in sorted((ROOT / "pipeline").rglob("*.py"))
            if "yaml." in p.read_text(encoding="utf-8")]
    assert uses, "the check looks at the files that use YAML"
    for path in uses:
        text, name = path.read_text(encoding="utf-8"), path.relative_to(ROOT)
        text = text.replace("yaml.load(text, Loader=NoAliasLoader)", "")  # safe_load, no aliases
        text = text.replace("yaml.load(text, Loader=C_LOADER)", "")  # the same, on libyaml
        assert set(re.findall(r"\byaml\.(\w+)\s*\(", text)) <= {"safe_load", "safe_dump",
                                                                "dump"}, name
    import yaml

    from pipeline.io import C_LOADER, NoAliasLoader

    assert issubclass(NoAliasLoader, yaml.SafeLoader)
    assert C_LOADER in (None, getattr(yaml, "CSafeLoader", None))


# --- CSV cells a spreadsheet would run ---------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tTab",
            "\rCR", "=cmd|' /C calc'!A0", "plain", "", "'quoted", "-"]


def test_io_formula_cells_neutralised_in_csv_and_true_in_parquet(tmp_path):
    facts = [Fact(fact_id=f"f{i}", org_id="o", field="name", value=v, evidence=v,
                  unit=v, raw_value=v) for i, v in enumerate(FORMULAS)]
    csv_path, pq_path = tmp_path / "facts.csv", tmp_path / "facts.parquet"
    with TableWriter(Fact, csv_path, pq_path) as writer:
        for fact in facts:
            writer.write(fact)
    with open(csv_path, encoding="utf-8", newline="") as fh:
        cells = [row["value"] for row in csv.DictReader(fh)]
    for cell, value in zip(cells, FORMULAS):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert cell in (value, "'" + value)
    assert read_table_parquet(Fact, pq_path) == facts
    assert read_table_csv(Fact, csv_path) == facts


def test_export_formula_in_a_page_is_inert_in_csv_and_kept_in_parquet(tmp_path, run_raw):
    page = ("Partners\n\n"
            "ABA - American Bar Association - The ABA was founded in 1878.\n"
            "=HYPERLINK(\"http://evil.example\",\"ok\") The ABA has signed a cooperation "
            "agreement with the IAP.\n\n"
            "COE - Council of Europe - Founded in 1949.\n"
            "@SUM(1+1) The Council of Europe has signed a cooperation agreement with the IAP.\n")
    ds = run_raw(write_raw(tmp_path / "raw", {"f.txt": page}))
    risky = [f for f in ds.facts if f.evidence.startswith(("=", "@"))]
    assert {f.evidence[0] for f in risky} == {"=", "@"}  # Parquet: the true text
    check_provenance(ds.facts)
    with open(ds.out / "facts.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for cell in row.values():
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_export_writes_nothing_outside_the_output_folder(tmp_path, run_raw):
    html = (ROOT / "tests" / "data" / "iap-page.html").read_text(encoding="utf-8")
    raw = write_raw(tmp_path / "raw", {"page.html": html})
    before = {p for p in tmp_path.rglob("*")}
    run_raw(raw, out=tmp_path / "out")
    new = {p for p in tmp_path.rglob("*")} - before
    assert new and all(Path(p).is_relative_to(tmp_path / "out") for p in new)


@pytest.mark.parametrize("manifest", [
    'sources:\n  - !!python/object/apply:os.system ["touch {marker}"]\n',
    '!!python/object/new:subprocess.Popen [["touch", "{marker}"]]\n',
    "sources: [unclosed\n",
    "sources: just a string\n",
    b"\xff\xfe sources: not utf-8",
])
def test_cli_hostile_or_broken_manifest_is_a_one_line_error_and_runs_nothing(tmp_path,
                                                                            manifest):
    marker = tmp_path / "pwned"
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sources.yaml").write_bytes(manifest if isinstance(manifest, bytes)
                                       else manifest.format(marker=marker).encode("utf-8"))
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(raw), "--out",
                           str(tmp_path / "out"), "--no-pdfs", "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "sources.yaml" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert not marker.exists()
