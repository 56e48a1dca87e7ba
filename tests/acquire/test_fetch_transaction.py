"""A fetch changes the raw folder and its manifest together or not at all: crashes, failures
while committing, `kill -9` at random moments and inside the commit window, and what the
next fetch does with the leftovers.

FETCH_KILL_ROUNDS (default 6) sets how many random kills the kill test tries."""

import fcntl
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hostile import PDF, hostile, listed, loopback, provenance_problems, unlisted  # noqa: F401

from pipeline.acquire import fetch as fetch_module
from pipeline.acquire import transaction
from pipeline.acquire.download import FetchParams
from pipeline.acquire.fetch import fetch
from pipeline.acquire.transaction import FetchLockedError, recover
from pipeline.io import OutputError

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 28, 9, 30, tzinfo=timezone.utc)
PARAMS = FetchParams(timeout_s=5)
DOCS = 60

# The fetch in a child process: it may connect to loopback only, and with a third argument k
# it kills itself (SIGKILL) just before the k-th placement (files, then the manifest) of its
# commit, inside the commit window.
CHILD = r"""
import ipaddress, os, signal, socket, sys
from pathlib import Path

real_connect = socket.socket.connect
def connect(self, address):
    if isinstance(address, tuple) and not ipaddress.ip_address(address[0]).is_loopback:
        raise SystemExit(f"connection to {address[0]} refused: tests stay on loopback")
    return real_connect(self, address)
socket.socket.connect = connect

kill_at = int(sys.argv[3])
if kill_at:
    real_replace, placed = os.replace, [0]
    def replace(src, dst, *args, **kwargs):
        src, dst = str(src), str(dst)
        if (".fetch-tmp-" in src and ".fetch-tmp-" not in dst) or dst.endswith("/sources.yaml"):
            placed[0] += 1
            if placed[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return real_replace(src, dst, *args, **kwargs)
    os.replace = replace

from pipeline.acquire.download import FetchParams
from pipeline.acquire.fetch import fetch
fetch(sys.argv[1], Path(sys.argv[2]), params=FetchParams(timeout_s=5))
"""


class VersionedSite:
    """A page whose every version changes all its documents and links one new one."""

    def __init__(self, server):
        self.server, self.version = server, 0
        server.default = self.answer

    def doc(self, path: str) -> bytes:
        return PDF + f"{self.version} {path}".encode()

    def page(self) -> bytes:
        links = [f"/d/{n}.pdf" for n in range(DOCS)] + [f"/new/{self.version}.pdf"]
        return (f"<html><body><h1>v{self.version}</h1>"
                + "".join(f'<a href="{link}">{link}</a> ' for link in links)
                + "</body></html>").encode()

    def answer(self, handler):
        path = handler.path
        if path == "/page":
            return handler.send(200, self.page(), [("Content-Type", "text/html")])
        return handler.send(200, self.doc(path), [("Content-Type", "application/pdf")])

    def expected(self) -> dict[str, str]:
        """sha256 of every document of the current version, by URL path."""
        paths = [f"/d/{n}.pdf" for n in range(DOCS)] + [f"/new/{self.version}.pdf"]
        return {p: hashlib.sha256(self.doc(p)).hexdigest() for p in paths}


def snapshot(raw: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in raw.iterdir() if p.is_file()}


def fully_updated(raw: Path, site: VersionedSite) -> bool:
    """The manifest lists every document of the site's current version with its bytes."""
    import yaml

    manifest = yaml.safe_load((raw / "sources.yaml").read_text(encoding="utf-8"))
    by_path = {s["url"].split(":", 2)[2].split("/", 1)[1]: s["sha256"]
               for s in manifest["sources"] if s["media_type"] == "application/pdf"}
    return not provenance_problems(raw) and all(
        by_path.get(path.lstrip("/")) == digest for path, digest in site.expected().items())


def run_child(url: str, raw: Path, kill_at: int = 0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, url, str(raw), str(kill_at)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def areas(raw: Path) -> list[Path]:
    return sorted(raw.glob(".fetch-tmp-*"))


def test_fetch_killed_at_random_moments_leaves_the_folder_whole(hostile, tmp_path):
    rounds = int(os.environ.get("FETCH_KILL_ROUNDS", "6"))
    site = VersionedSite(hostile(max_threads=8, lifetime=60 + 5 * rounds))
    url, raw = f"{site.server.url}/page", tmp_path / "raw"
    fetch(url, raw, params=PARAMS, now=NOW)
    started = time.monotonic()
    site.version += 1
    assert run_child(url, raw).wait(timeout=60) == 0 and fully_updated(raw, site)
    full = time.monotonic() - started
    rng = random.Random(os.environ.get("FETCH_KILL_SEED", "fetch"))
    tally = {"before": 0, "updated": 0, "commit window": 0}
    for _ in range(rounds):
        site.version += 1
        before = snapshot(raw)
        child = run_child(url, raw)
        time.sleep(rng.uniform(0.1, full))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        if snapshot(raw) == before:
            state = "before"
        elif (raw / "sources.yaml").read_bytes() != before["sources.yaml"]:
            assert fully_updated(raw, site), "manifest written but files not all in place"
            state = "updated"
        else:  # files moved, manifest not yet: only inside the commit window, with its record
            assert any((area / "commit.json").exists() for area in areas(raw))
            state = "commit window"
        tally[state] += 1
        notes: list[str] = []
        recover(raw, notes.append)
        assert not provenance_problems(raw) and unlisted(raw) == set()
        if state != "updated":
            assert snapshot(raw) == before  # rolled back: exactly the previous capture
        report = fetch(url, raw, params=PARAMS, now=NOW)
        assert report.issues == () and fully_updated(raw, site) and unlisted(raw) == set()
    print(f"kills: {tally}")


@pytest.mark.parametrize("kill_at", [1, DOCS // 2, DOCS + 1, DOCS + 2])
def test_fetch_killed_inside_the_commit_window_is_rolled_back_by_the_next(hostile, tmp_path,
                                                                         kill_at, capsys):
    """k = 1: the first file placed (the new one); DOCS + 2: every file placed, the manifest
    not yet. The next fetch puts the old capture back, says so, then fetches anew."""
    site = VersionedSite(hostile(max_threads=8))
    url, raw = f"{site.server.url}/page", tmp_path / "raw"
    fetch(url, raw, params=PARAMS, now=NOW)
    site.version += 1
    before = snapshot(raw)
    child = run_child(url, raw, kill_at)
    assert child.wait(timeout=60) == -signal.SIGKILL
    assert (raw / "sources.yaml").read_bytes() == before["sources.yaml"]
    assert [a for a in areas(raw) if (a / "commit.json").exists()]
    notes: list[str] = []
    recover(raw, notes.append)
    assert snapshot(raw) == before and unlisted(raw) == set() and areas(raw) == []
    assert len(notes) == 1 and "rolled back" in notes[0]
    report = fetch(url, raw, params=PARAMS, now=NOW)
    assert fully_updated(raw, site) and report.manifest_written


def test_fetch_that_crashes_midway_changes_nothing(hostile, tmp_path, monkeypatch):
    site = VersionedSite(hostile())
    url, raw = f"{site.server.url}/page", tmp_path / "raw"
    fetch(url, raw, params=PARAMS, now=NOW)
    before = snapshot(raw)
    site.version += 1
    real, calls = fetch_module.download, []

    def crashing(link, *args, **kwargs):
        calls.append(link)
        if len(calls) == 10:
            raise UnicodeEncodeError("ascii", "\u00fc", 0, 1, "a bug under test")
        return real(link, *args, **kwargs)

    monkeypatch.setattr(fetch_module, "download", crashing)
    with pytest.raises(UnicodeEncodeError):
        fetch(url, raw, params=PARAMS, now=NOW)
    assert snapshot(raw) == before and areas(raw) == []


def test_fetch_failing_while_committing_rolls_back_at_once(hostile, tmp_path, monkeypatch):
    site = VersionedSite(hostile())
    url, raw = f"{site.server.url}/page", tmp_path / "raw"
    fetch(url, raw, params=PARAMS, now=NOW)
    before = snapshot(raw)
    site.version += 1

    real_atomic_path = transaction.atomic_path

    def disk_full(path):
        if path.name == "sources.yaml":
            raise OutputError(f"cannot write {path}: No space left on device")
        return real_atomic_path(path)

    monkeypatch.setattr(transaction, "atomic_path", disk_full)
    with pytest.raises(OutputError, match="No space left"):
        fetch(url, raw, params=PARAMS, now=NOW)
    assert snapshot(raw) == before and areas(raw) == []


def test_fetch_removes_leftovers_and_says_so(hostile, tmp_path):
    site = VersionedSite(hostile())
    url, raw = f"{site.server.url}/page", tmp_path / "raw"
    fetch(url, raw, params=PARAMS, now=NOW)
    (raw / ".fetch-tmp-dead" / "files").mkdir(parents=True)
    (raw / ".fetch-tmp-dead" / "files" / "0").write_bytes(b"half a download")
    (raw / ".fetch-a1b2c3").write_bytes(b"an older fetch's temporary file")
    (raw / ".sources.yaml.x1y2.tmp").write_text("sources:\n  - pa")
    notes: list[str] = []
    fetch(url, raw, params=PARAMS, now=NOW, note=notes.append)
    assert sorted(notes) == [
        "removed .fetch-a1b2c3, left by an interrupted fetch",
        "removed .fetch-tmp-dead, left by an interrupted fetch (nothing in the folder had changed)",
        "removed .sources.yaml.x1y2.tmp, left by an interrupted fetch"]
    assert unlisted(raw) == set() and not provenance_problems(raw)


def test_fetch_second_fetch_into_a_busy_folder_stops_at_once(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    fd = os.open(raw, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(FetchLockedError, match="another partners fetch is writing"):
            fetch("http://127.0.0.1:9/page", raw, params=PARAMS)
    finally:
        os.close(fd)
    assert list(raw.iterdir()) == []
