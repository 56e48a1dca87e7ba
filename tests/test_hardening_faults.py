"""Faults: a run killed during export, two runs on one output, an output folder that cannot be
written. The previous dataset stays whole, the inputs are never touched. (Issue 5, "Faults".)"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hardening import ROOT, check_provenance, make_read_only, read_dataset, write_raw

PAGE_A = ("Partners\n\n"
          "ABA - American Bar Association - The ABA was founded in 1878.\n\n"
          "COE - Council of Europe - Founded in 1949.\n")
PAGE_B = PAGE_A + "\nIBA - International Bar Association - Founded in 1947.\n"
PARTNERS = [sys.executable, "-m", "pipeline.cli"]

# Run the CLI in a child process that stops inside export, at a point the test names, and
# says so on stdout; the test then kills it. Nothing in the pipeline knows about this hook.
HOOK = r"""
import sys, time
from pipeline.dataset import formats as io
from pipeline.dataset import export
where = sys.argv.pop(1)
def pause():
    print("PAUSED", flush=True)
    time.sleep(120)
if where == "writing":   # half of the tables written into the staging folder
    real = io.TableWriter.write
    def write(self, record):
        real(self, record)
        if self.count == 2 and self.csv_path.name == "facts.csv":
            self._csv.flush()
            pause()
    io.TableWriter.write = write
elif where == "after_swap":  # the new folder in place, the old one not yet removed
    from pipeline.dataset import staging
    real_swap = staging.swap
    def swap(new, out):
        real_swap(new, out)
        pause()
    staging.swap = swap
else:                    # every file complete in staging, none moved into place yet
    real_json = export.write_json
    def write_json(path, data):
        real_json(path, data)
        if path.name == "datapackage.json":
            pause()
    export.write_json = write_json
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def staging_folders(out: Path) -> list[Path]:
    """The staging folders of runs on `out` (beside it)."""
    return sorted(out.resolve().parent.glob(f".{out.name}.staging-*"))


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder` (the lock file aside)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".partners.lock"}


def partners(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(PARTNERS + list(args), cwd=ROOT, capture_output=True, text=True,
                          timeout=120, **kwargs)


def start_paused(where: str, raw: Path, out: Path) -> subprocess.Popen:
    """A `partners run` stopped inside export (see HOOK); returns once it is there."""
    proc = subprocess.Popen([sys.executable, "-c", HOOK, where, "run", str(raw), "--out", str(out),
                             "--no-pdfs", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if line.strip() != "PAUSED":
        proc.kill()
        raise AssertionError(f"the run did not reach export: {line!r} {proc.stderr.read()}")
    return proc


@pytest.fixture
def previous(tmp_path):
    """A raw folder and a complete dataset made from it (the 'previous' dataset)."""
    raw = write_raw(tmp_path / "raw", {"page.txt": PAGE_A})
    out = tmp_path / "out"
    done = partners("run", str(raw), "--out", str(out), "--no-pdfs", "--quiet")
    assert done.returncode == 0, done.stderr
    return raw, out, snapshot(out), snapshot(raw)


@pytest.mark.parametrize("where", ["writing", "before_moves"])
def test_export_killed_run_leaves_the_previous_dataset_whole(previous, where):
    raw, out, before, raw_before = previous
    write_raw(raw, {"page.txt": PAGE_B})      # the next run would add an organisation
    proc = start_paused(where, raw, out)
    assert staging_folders(out), "the run writes into a staging folder"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert snapshot(out) == before                  # every previous file, byte for byte
    ds = read_dataset(out)                          # complete and readable: CSV == Parquet
    assert len(ds.tables["organisations"]) == 2
    # the next run takes the lock the dead one held, clears its staging folder, succeeds
    done = partners("run", str(raw), "--out", str(out), "--no-pdfs", "--quiet")
    assert done.returncode == 0, done.stderr
    assert not staging_folders(out)
    assert len(read_dataset(out).tables["organisations"]) == 3


def test_export_killed_in_the_swap_leaves_the_new_dataset_whole(previous):
    """Killed right after the new folder took the old one's place: a reader sees the new
    dataset whole (never a mix); the old folder left beside it goes with the next run."""
    raw, out, before, raw_before = previous
    write_raw(raw, {"page.txt": PAGE_B})
    proc = start_paused("after_swap", raw, out)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert len(read_dataset(out).tables["organisations"]) == 3
    assert len(staging_folders(out)) == 1           # the old dataset, beside it
    done = partners("run", str(raw), "--out", str(out), "--no-pdfs", "--quiet")
    assert done.returncode == 0, done.stderr
    assert not staging_folders(out)


def test_export_second_run_on_the_same_output_refuses_while_the_first_writes(previous):
    raw, out, before, raw_before = previous
    first = start_paused("before_moves", raw, out)
    try:
        second = partners("run", str(raw), "--out", str(out), "--no-pdfs", "--quiet")
    finally:
        first.kill()
        first.wait(timeout=30)
    assert second.returncode == 1
    message = second.stderr.strip()
    assert message.count("\n") == 0, message
    assert "another partners run is writing" in message and str(out) in message
    assert snapshot(out).items() >= before.items()
    assert snapshot(raw) == raw_before


def test_cli_read_only_output_folder_is_a_one_line_error_naming_it(previous):
    raw, out, before, raw_before = previous
    undo = make_read_only(out)
    try:
        done = partners("run", str(raw), "--out", str(out), "--no-pdfs", "--quiet")
    finally:
        undo()
    assert done.returncode == 1
    message = done.stderr.strip()
    assert message.startswith("partners run: error: cannot write") and str(out) in message
    assert "Traceback" not in done.stderr and message.count("\n") == 0
    assert snapshot(out) == before
    assert snapshot(raw) == raw_before


def test_cli_output_path_that_is_a_file_is_a_one_line_error(previous, tmp_path):
    raw, _, _, raw_before = previous
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    done = partners("run", str(raw), "--out", str(blocker / "out"), "--no-pdfs", "--quiet")
    assert done.returncode == 1
    assert "cannot write" in done.stderr and str(blocker) in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(raw) == raw_before


def test_cli_full_disk_during_export_keeps_the_previous_dataset(previous, monkeypatch, nlp,
                                                                 capsys):
    from pipeline import cli, stages
    from pipeline.extract.extractor import Extractor

    raw, out, before, raw_before = previous
    monkeypatch.setattr(stages, "make_extractor", lambda rules, s, registry=None: Extractor(
        nlp, rules, s.host, s.languages, s.batch_size, registry))
    real = Path.write_text

    def full(self, *args, **kwargs):
        if self.name.startswith(".metrics.json"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    write_raw(raw, {"page.txt": PAGE_B})
    raw_now = snapshot(raw)
    assert cli.main(["run", str(raw), "--out", str(out), "--no-pdfs", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and str(out) in err
    assert snapshot(out) == before
    assert snapshot(raw) == raw_now


def test_cli_interrupted_run_says_the_previous_dataset_is_untouched(previous):
    raw, out, before, _ = previous
    proc = start_paused("writing", raw, out)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted; the previous dataset is untouched" in err
    time.sleep(0.1)
    assert snapshot(out) == before                # the staging folder was removed too


def html_page(text: str) -> str:
    """The same entries as an HTML page: its facts then point into a saved text file."""
    body = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n") if p.strip())
    return f"<html><body>{body}</body></html>\n"


def test_export_killed_at_random_moments_never_leaves_a_mix(tmp_path):
    """`kill -9` at random moments of a run (ingest to swap): after each, the output is one of
    the two complete datasets, byte for byte, and every fact's evidence is in its text.
    PARTNERS_KILL_ROUNDS sets the rounds (README: the figures of a longer run)."""
    import random

    rounds = int(os.environ.get("PARTNERS_KILL_ROUNDS", "6"))
    rng = random.Random(20261201)
    raws, complete, out = {}, {}, tmp_path / "out"
    for name, page in (("a", PAGE_A), ("b", PAGE_B)):
        raws[name] = write_raw(tmp_path / f"raw-{name}", {"page.html": html_page(page)})
        started = time.monotonic()
        done = partners("run", str(raws[name]), "--out", str(out), "--no-pdfs", "--quiet")
        assert done.returncode == 0, done.stderr
        duration = time.monotonic() - started
        complete[name] = snapshot(out)
    outcomes = []
    for n in range(rounds):
        target = "a" if n % 2 == 0 else "b"
        proc = subprocess.Popen(PARTNERS + ["run", str(raws[target]), "--out", str(out),
                                            "--no-pdfs", "--quiet"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        now = snapshot(out)
        found = [name for name, snap in complete.items() if snap == now]
        assert found, f"round {n}: the output is neither complete dataset"
        outcomes.append(found[0])
        check_provenance(read_dataset(out).facts, cwd=ROOT)
    targets = ["a" if n % 2 == 0 else "b" for n in range(rounds)]
    new = sum(o == t for o, t in zip(outcomes, targets))
    print(f"kills survived: {rounds} of {rounds} ({rounds - new} old kept, {new} new whole)")
    assert len(outcomes) == rounds
