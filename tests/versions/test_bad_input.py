"""Every expected failure of `partners diff` and `partners review`: one line on stderr naming
the file (and line), exit 1, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from dataset_versions import (
    V1,
    build,
    partners_cli,  # noqa: F401 (fixtures)
    write,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def append(name: str, data: bytes):
    def damage(out: Path) -> None:
        with open(out / name, "ab") as fh:
            fh.write(data)
    return damage


def replace_bytes(name: str, old: bytes, new: bytes):
    def damage(out: Path) -> None:
        (out / name).write_bytes((out / name).read_bytes().replace(old, new, 1))
    return damage


def write_file(name: str, data: bytes):
    return lambda out: (out / name).write_bytes(data)


def unlink(*names: str):
    def damage(out: Path) -> None:
        for name in names:
            (out / name).unlink()
    return damage


def truncate(name: str):
    return lambda out: (out / name).write_bytes((out / name).read_bytes()[:100])


# (what is wrong, how to do it to a dataset folder, what the one line must say)
CASES = [
    ("missing Parquet", unlink("facts.parquet"),
     "facts.parquet is missing, though {d}/facts.csv is there"),
    ("truncated Parquet", truncate("organisations.parquet"),
     "organisations.parquet: not a readable Parquet file"),
    ("Parquet that disagrees with its CSV", replace_bytes("facts.csv", b"Chicago", b"Chicagx"),
     "facts.parquet row 5 disagrees with {d}/facts.csv line 6 in column value"),
    ("CSV without its Parquet twin", unlink("agreements.csv"),
     "agreements.csv is missing, though {d}/agreements.parquet is there"),
    ("no table at all", unlink("organisations.csv", "organisations.parquet"),
     "{d}: no organisations.csv"),
    ("a latin-1 byte in a CSV", replace_bytes("facts.csv", b"Chicago", b"Chic\xe0go"),
     "{d}/facts.csv line 6: byte 0xe0 is not UTF-8"),
    ("a row of the wrong width", append("facts.csv", b"a,b\n"),
     "{d}/facts.csv line 21: 2 cells, the header has 16"),
    ("a cell of the wrong type", replace_bytes("organisations.csv", b",65,", b",x65,"),
     "{d}/organisations.csv line 2, column char_start: 'x65' is not a value of this column"),
    ("a non-object line in issues.jsonl", write_file("issues.jsonl", b'{"reason": "a"}\n[1, 2]\n'),
     "{d}/issues.jsonl line 2: a JSON list, not an object"),
    ("a line of issues.jsonl that is not JSON", write_file("issues.jsonl", b"{oops\n"),
     "{d}/issues.jsonl line 1: not JSON"),
    ("a latin-1 byte in issues.jsonl", write_file("issues.jsonl", b'{"detail": "Ren\xe9"}\n'),
     "{d}/issues.jsonl line 1: byte 0xe9 is not UTF-8"),
    ("metrics.json not an object", write_file("metrics.json", b"[1]"),
     "{d}/metrics.json: a JSON list, not an object"),
    ("metrics.json not JSON", write_file("metrics.json", b"{"), "{d}/metrics.json: not JSON"),
    ("datapackage.json sources not a list", write_file("datapackage.json", b'{"sources": 5}'),
     "{d}/datapackage.json: sources is not a list"),
    ("a source entry not an object", write_file("datapackage.json", b'{"sources": [7]}'),
     "{d}/datapackage.json: sources[0] is not an object of strings with a path"),
]


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    return write(tmp_path / "v", build(V1))


def assert_one_line(code: int, err: str, command: str, message: str) -> None:
    assert code == 1
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith(f"partners {command}: ") and message in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("case, damage, message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_diff_says_one_line(dataset, tmp_path, partners_cli, case, damage, message):
    good = write(tmp_path / "good", build(V1))
    damage(dataset)
    code, out, err = partners_cli("diff", good, dataset)
    assert out == ""
    assert_one_line(code, err, "diff", message.format(d=dataset))


@pytest.mark.parametrize("case, damage, message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_review_says_one_line(dataset, partners_cli, case, damage, message):
    damage(dataset)
    code, _, err = partners_cli("review", "--dataset", dataset, "--root", dataset.parent)
    assert_one_line(code, err, "review", message.format(d=dataset))
    assert not (dataset / "review.html").exists()


def test_bad_input_a_corrupt_file_at_a_git_revision_names_the_revision(tmp_path, partners_cli,
                                                                       monkeypatch):
    repo = tmp_path / "repo"
    out = write(repo, build(V1))
    replace_bytes("facts.csv", b"Chicago", b"Chic\xe0go")(out)
    git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True,  # noqa: E731
                                    capture_output=True)
    git("init", "-q")
    git("add", "extracted")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    monkeypatch.chdir(repo)
    code, _, err = partners_cli("diff", "HEAD", out)
    assert_one_line(code, err, "diff", "HEAD:extracted/facts.csv line 6: byte 0xe0 is not UTF-8")


@pytest.mark.parametrize("argv, message", [
    (["diff", "no-such-revision"], "no-such-revision: neither a dataset folder nor a git revision"),
    (["review", "--dataset", "nowhere"], "nowhere: no such dataset folder"),
])
def test_bad_input_unknown_locations(tmp_path, partners_cli, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = partners_cli(*argv)
    assert code == 1 and err.count("\n") == 1 and message in err


def test_bad_input_unwritable_outputs(dataset, partners_cli):
    (dataset / "file").write_text("x", encoding="utf-8")
    code, _, err = partners_cli("review", "--dataset", dataset, "--out", dataset / "file" / "page.html")
    assert code == 1 and err.count("\n") == 1 and "cannot write" in err
    code, out, err = partners_cli("diff", dataset, dataset, "--out", dataset / "file" / "diff.txt")
    assert code == 1 and out == "" and err.startswith("partners diff: cannot write")


def test_bad_input_the_installed_command_prints_no_traceback(dataset, tmp_path):
    """The same through a real process: what a curator sees in a terminal."""
    good = write(tmp_path / "good", build(V1))
    write_file("issues.jsonl", b'"just a string"\n')(dataset)
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "diff", str(good), str(dataset)],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 1 and done.stdout == "", done.stderr
    assert done.stderr == f"partners diff: {dataset}/issues.jsonl line 1: a JSON str, not an object\n"


# --- any damage: never a traceback -------------------------------------------------------

@pytest.fixture(scope="module")
def intact(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("intact")
    write(folder / "old", build(V1))
    write(folder / "new", build(V1), issues=[{"source": "raw/page.txt:1-2", "stage": "extract",
                                              "reason": "r", "detail": "d"}])
    return folder


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_bad_input_any_damaged_byte_gives_a_result_or_one_line(intact, partners_cli, data):
    """Flip, cut, insert or delete bytes in any file of a version: diff and review answer with
    an exit code and, on an error, one line naming the problem; nothing raises."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "p"
        shutil.copytree(intact / "new", project)
        out = project / "extracted"
        path = out / data.draw(st.sampled_from(sorted(p.name for p in out.iterdir())))
        raw = bytearray(path.read_bytes())
        at = data.draw(st.integers(0, max(0, len(raw) - 1)))
        junk = data.draw(st.binary(min_size=1, max_size=6))
        edit = data.draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if edit == "flip" and raw:
            raw[at:at + len(junk)] = junk
        elif edit == "cut":
            raw = raw[:at]
        elif edit == "insert":
            raw[at:at] = junk
        else:
            del raw[at:at + len(junk) * 4]
        path.write_bytes(bytes(raw))
        for argv in (["diff", intact / "old" / "extracted", out, "--format", "json"],
                     ["review", "--dataset", out, "--root", project, "--out", Path(tmp) / "r.html"]):
            code, _, err = partners_cli(*argv)
            assert code in (0, 1, 2, 3)
            assert code != 1 or (err.count("\n") == 1 and "Traceback" not in err), err
