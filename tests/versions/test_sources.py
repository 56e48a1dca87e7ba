"""The review page shows only source texts the dataset lists, and only with their sha256."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from html import unescape
from pathlib import Path

import pytest
from dataset_versions import (  # noqa: F401 (fixtures)
    V2,
    build,
    edit_table,
    partners_cli,
    project,
    sha256,
    versions,
    write,
)

PASSWD = Path("/etc/passwd")
ABA = "aba-american-bar-association"


def passwd_lines() -> list[str]:
    return [line for line in PASSWD.read_text(encoding="utf-8", errors="replace").splitlines()
            if len(line) > 8]


def set_org_source(out: Path, org_id: str, source_file: str, sha: str = "") -> None:
    """Point one organisation row (CSV and Parquet alike) at another file."""
    def edit(rows):
        header = rows[0]
        for row in rows[1:]:
            if row[header.index("org_id")] == org_id:
                row[header.index("source_file")] = source_file
                row[header.index("source_sha256")] = sha or row[header.index("source_sha256")]
        return rows
    edit_table(out, "organisations", edit)


def list_source(out: Path, path: str, sha: str, **extra: str) -> None:
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    package["sources"].append({"path": path, "sha256": sha, **extra})
    (out / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


def review(partners_cli, project: Path, *argv: str) -> str:
    code, _, err = partners_cli("review", "--dataset", project / "extracted", "--root", project,
                                *argv)
    assert code == 0, err
    return (project / "extracted" / "review.html").read_text(encoding="utf-8")


def card(page: str, org_id: str) -> str:
    return unescape(page[page.index(f'id="org-{org_id}"'):].split("</article>")[0])


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(not PASSWD.is_file(), reason="no /etc/passwd here")
@pytest.mark.parametrize("name, listed, note", [
    ("/etc/passwd", False, "source_not_listed: /etc/passwd: it is not among the sources"),
    ("/etc/passwd", True, "source_outside: /etc/passwd lies outside the project"),
    ("../../../../../../../../etc/passwd", True, "source_outside: ../../../../../../../../etc/passwd"),
    ("raw/link.txt", True, "source_outside: raw/link.txt"),  # a symlink out of the project
])
def test_sources_a_row_naming_another_file_never_shows_it(project, partners_cli, name, listed, note):
    out = project / "extracted"
    (project / "raw" / "link.txt").symlink_to(PASSWD)
    sha = file_sha(PASSWD)
    set_org_source(out, ABA, name, sha)
    if listed:  # even listed with the right hash, a file outside the project is refused
        list_source(out, name, sha)
    page = review(partners_cli, project)
    assert not [line for line in passwd_lines() if line in unescape(page)]
    assert note in card(page, ABA)
    assert '<div class="entry">' not in card(page, ABA)
    assert '<div class="entry">' in card(page, "npn-new-prosecutors-network")  # others shown


@pytest.mark.skipif(not PASSWD.is_file(), reason="no /etc/passwd here")
def test_sources_diff_html_never_shows_an_unlisted_file(versions, partners_cli, monkeypatch):
    set_org_source(versions[1], ABA, "/etc/passwd", file_sha(PASSWD))
    monkeypatch.chdir(versions[1].parent)
    code, out, _ = partners_cli("diff", versions[0], versions[1], "--format", "html")
    assert code == 2
    assert not [line for line in passwd_lines() if line in unescape(out)]
    assert "source_not_listed: /etc/passwd" in unescape(out)


def test_sources_a_source_edited_since_the_run_is_not_shown(project, partners_cli):
    page_file = project / "raw" / "page.txt"
    page_file.write_text(page_file.read_text(encoding="utf-8").replace("410,000", "999,999"),
                         encoding="utf-8")
    page = review(partners_cli, project)
    assert "999,999" not in page
    assert "source_changed: raw/page.txt's bytes no longer have the listed sha256" in card(page, ABA)


def test_sources_a_row_whose_sha256_is_not_the_listed_one_is_not_shown(project, partners_cli):
    set_org_source(project / "extracted", ABA, "raw/page.txt", "0" * 64)
    text = card(review(partners_cli, project), ABA)
    assert "source_sha256_mismatch: raw/page.txt: the row's sha256 000000000000 is not the listed" in text


def test_sources_a_dataset_without_datapackage_shows_no_text(project, partners_cli):
    (project / "extracted" / "datapackage.json").unlink()
    text = card(review(partners_cli, project), ABA)
    assert "source_not_listed: raw/page.txt: the dataset has no datapackage.json" in text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_sources_a_listed_fifo_is_refused_without_blocking(project, partners_cli):
    os.mkfifo(project / "raw" / "fifo.txt")
    sha = "a" * 64
    set_org_source(project / "extracted", ABA, "raw/fifo.txt", sha)
    list_source(project / "extracted", "raw/fifo.txt", sha)
    assert "source_missing: raw/fifo.txt is not a regular file" in card(review(partners_cli, project), ABA)


def html_dataset(folder: Path, texts_name: str) -> Path:
    """A dataset of an HTML page: rows point at its saved text, which datapackage.json lists
    as the page's text_file, written under the dataset's texts/."""
    version = build(V2)
    text_sha = sha256(version.text)
    out = write(folder, version)
    (out / "texts").mkdir()
    (out / "texts" / "page.html.txt").write_text(version.text, encoding="utf-8")
    (folder / "raw" / "page.html").write_text("<p>the page</p>", encoding="utf-8")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    package["sources"] = [{"path": "raw/page.html", "sha256": file_sha(folder / "raw" / "page.html"),
                           "text_file": texts_name, "text_sha256": text_sha}]
    (out / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    for table in ("organisations", "facts"):
        edit_table(out, table, lambda rows: [[texts_name if c == "raw/page.txt" else c for c in r]
                                             for r in rows])
    return out


@pytest.mark.parametrize("texts_name", ["extracted/texts/page.html.txt",
                                        "/somewhere/else/extracted/texts/page.html.txt"])
def test_sources_html_text_is_read_from_the_datasets_own_texts(tmp_path, partners_cli, texts_name):
    """Wherever the run wrote it (a relative or an absolute --out), the text is the one under
    this dataset's texts/, checked against text_sha256."""
    out = html_dataset(tmp_path / "project", texts_name)
    moved = tmp_path / "moved"
    shutil.copytree(tmp_path / "project", moved)
    page = review(partners_cli, moved)
    assert "source_" not in card(page, ABA)
    assert "nearly 410,000 members" in card(page, ABA)
    assert out.exists()


@pytest.mark.parametrize("key, listed_as, row_names", [
    ("file", "../raw/page.txt", "raw/page.txt"),  # from datapackage.json's folder (Frictionless)
    ("file", "raw/page.txt", "./raw/page.txt"),   # the same file, written another way
    ("path", "raw/page.txt", "raw/page.txt"),     # versions before `file`: from the project
])
def test_sources_a_listed_file_may_be_named_another_way(project, partners_cli, key, listed_as,
                                                        row_names):
    out = project / "extracted"
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    package["sources"][0].pop("file")
    package["sources"][0][key] = listed_as
    (out / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    set_org_source(out, ABA, row_names)
    text = card(review(partners_cli, project), ABA)
    assert "source_" not in text and "nearly 410,000 members" in text


def test_sources_a_name_holding_a_nul_is_not_listed(project, partners_cli):
    set_org_source(project / "extracted", ABA, "raw/page.txt\x00.png")
    assert "source_not_listed: raw/page.txt\x00.png" in card(review(partners_cli, project), ABA)
