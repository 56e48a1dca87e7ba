"""pipeline.acquire.fetch against a real HTTP server on 127.0.0.1: page, PDFs, redirects, failures."""

import argparse
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from hostile import loopback  # noqa: F401 (autouse: no connection leaves loopback)

from pipeline.acquire import fetch as fetch_module
from pipeline.acquire.download import FetchError, FetchParams, download
from pipeline.acquire.fetch import fetch, safe_name
from pipeline.ingest.manifest import dump_manifest, parse_manifest

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 28, 9, 30, tzinfo=timezone.utc)
PARAMS = FetchParams(timeout_s=0.5, max_bytes=100_000, max_redirects=3)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

PAGE = b"""<html><body><nav><a href="/About">About</a></nav>
<p>ABA - American Bar Association - The agreement can be accessed <a href="/docs/aba.pdf">here</a>.</p>
<p>Comnet - the MoU can be accessed <a href="/docs/mou.pdf#page=2">here</a>.
<a href="/docs/missing.pdf">gone</a> <a href="/docs/huge.pdf">huge</a> <a href="/docs/slow.pdf">slow</a>
<a href="/docs/trickle.pdf">trickle</a> <a href="/docs/evil.pdf">evil</a> <a href="/docs/loop.pdf">loop</a>
<a href="/docs/file.pdf">file</a> <a href="https://elsewhere.example/x.pdf">elsewhere</a>
<a href="mailto:info@example.org">mail</a> <a href="/docs/aba.pdf">again</a></p></body></html>"""


class Site(BaseHTTPRequestHandler):
    files: dict = {}

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        if not any(k == "Content-Length" for k, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/About/Co-operation-With-Others":
            return self.send(200, PAGE, [("Content-Type", "text/html; charset=utf-8")])
        if path in self.files:
            return self.send(200, self.files[path], [("Content-Type", "application/pdf")])
        if path == "/docs/mou.pdf":
            return self.send(302, headers=[("Location", "/files/comnet%20mou%202012.pdf")])
        if path == "/files/comnet%20mou%202012.pdf":
            return self.send(200, PDF + b"mou", [("Content-Type", "application/octet-stream")])
        if path == "/docs/huge.pdf":
            return self.send(200, b"%PDF-" + b"0" * 200_000, [("Content-Type", "application/pdf")])
        if path == "/docs/slow.pdf":
            time.sleep(1.5)
            return self.send(200, PDF, [("Content-Type", "application/pdf")])
        if path == "/docs/trickle.pdf":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
            return None
        if path == "/docs/evil.pdf":
            return self.send(200, PDF + b"evil", [
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", 'attachment; filename="../../sources.yaml/../.bashrc"')])
        if path == "/docs/loop.pdf":
            return self.send(302, headers=[("Location", "/docs/loop.pdf?again")])
        if path.startswith("/docs/loop.pdf"):
            return self.send(302, headers=[("Location", path + "x")])
        if path == "/docs/file.pdf":
            return self.send(302, headers=[("Location", "file:///etc/passwd")])
        return self.send(404, b"<h1>Not found</h1>", [("Content-Type", "text/html")])


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client gave up on a slow answer: expected here


@pytest.fixture()
def site(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    Site.files = {"/docs/aba.pdf": PDF + b"aba"}
    server = QuietServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_page_and_documents(site, tmp_path):
    raw = tmp_path / "raw"
    report = fetch(f"{site}/About/Co-operation-With-Others", raw, params=PARAMS, now=NOW)
    assert [(p, o) for p, _, o in report.stored] == [
        ("co-operation-with-others.html", "new"), ("aba.pdf", "new"),
        ("comnet-mou-2012.pdf", "new"), ("bashrc.pdf", "new")]
    reasons = {issue.source.rsplit("/", 1)[-1]: issue.reason for issue in report.issues}
    assert reasons == {"missing.pdf": "http_error", "huge.pdf": "too_large",
                       "slow.pdf": "timeout", "trickle.pdf": "timeout",
                       "loop.pdf": "too_many_redirects", "file.pdf": "bad_redirect"}
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["raw", "sources.yaml", "co-operation-with-others.html", "aba.pdf",
         "comnet-mou-2012.pdf", "bashrc.pdf"])
    manifest = yaml.safe_load((raw / "sources.yaml").read_text(encoding="utf-8"))
    entries = {e["path"]: e for e in manifest["sources"]}
    assert list(entries) == sorted(entries)
    mou = entries["comnet-mou-2012.pdf"]
    assert mou["url"] == f"{site}/docs/mou.pdf"
    assert mou["final_url"] == f"{site}/files/comnet%20mou%202012.pdf"
    assert (mou["status"], mou["media_type"], mou["bytes"]) == (200, "application/pdf", len(PDF) + 3)
    assert mou["content_type"] == "application/octet-stream"
    assert (mou["retrieved"], mou["captured"]) == ("2026-11-28T09:30:00Z", "2026-11-28")
    assert entries["co-operation-with-others.html"]["media_type"] == "text/html"
    assert {f["reason"] for f in manifest["failed"]} == set(reasons.values())


def test_fetch_progress_counts_the_linked_documents(site, tmp_path, capsys):
    fetch(f"{site}/About/Co-operation-With-Others", tmp_path / "raw", params=PARAMS, now=NOW,
          progress=True)
    bar = capsys.readouterr().err.split("\r")[-1]
    # nine documents: aba.pdf is linked twice, elsewhere.example is out of scope, mailto: none
    assert bar.startswith("partners fetch: 100%") and "9/9" in bar, bar
    fetch(f"{site}/About/Co-operation-With-Others", tmp_path / "raw", params=PARAMS, now=NOW)
    assert capsys.readouterr().err == ""


def test_fetch_again_unchanged_is_byte_identical(site, tmp_path):
    url = f"{site}/About/Co-operation-With-Others"
    fetch(url, tmp_path, params=PARAMS, now=NOW)
    before = (tmp_path / "sources.yaml").read_bytes()
    report = fetch(url, tmp_path, params=PARAMS, now=datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert not report.manifest_written
    assert {o for _, _, o in report.stored} == {"unchanged"}
    assert (tmp_path / "sources.yaml").read_bytes() == before


def test_fetch_changed_file_replaced_and_noted(site, tmp_path):
    url = f"{site}/About/Co-operation-With-Others"
    fetch(url, tmp_path, params=PARAMS, now=NOW)
    old = yaml.safe_load((tmp_path / "sources.yaml").read_text())["sources"]
    Site.files["/docs/aba.pdf"] = PDF + b"aba, second version"
    report = fetch(url, tmp_path, params=PARAMS, now=NOW)
    assert ("aba.pdf", f"{site}/docs/aba.pdf", "changed") in report.stored
    entry = next(e for e in yaml.safe_load((tmp_path / "sources.yaml").read_text())["sources"]
                 if e["path"] == "aba.pdf")
    assert entry["previous_sha256"] == next(e["sha256"] for e in old if e["path"] == "aba.pdf")
    assert (tmp_path / "aba.pdf").read_bytes() == PDF + b"aba, second version"


def test_fetch_keeps_existing_entries_and_comments(site, tmp_path):
    existing = (ROOT / "raw/sources.yaml").read_text(encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(existing, encoding="utf-8")
    fetch(f"{site}/About/Co-operation-With-Others", tmp_path, params=PARAMS, now=NOW)
    text = (tmp_path / "sources.yaml").read_text(encoding="utf-8")
    assert text.startswith(existing.split("sources:")[0])
    old = yaml.safe_load(existing)["sources"][0]
    assert old in yaml.safe_load(text)["sources"]
    assert "    captured: \"2026-11-27\"\n    note: Text of the page" in text


def test_fetch_unreachable_page_is_recorded(site, tmp_path):
    report = fetch(f"{site}/nothing-here", tmp_path, params=PARAMS, now=NOW)
    assert report.stored == () and [i.reason for i in report.issues] == ["http_error"]
    assert yaml.safe_load((tmp_path / "sources.yaml").read_text())["failed"][0]["reason"] == (
        "http_error")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:,x",
                                 "javascript:alert(1)"])
def test_fetch_only_http(url):
    with pytest.raises(FetchError) as err:
        download(url, PARAMS)
    assert err.value.reason == "bad_scheme"


def test_fetch_cli(site, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    fetch_module.add_arguments(parser)
    params = tmp_path / "params.yaml"
    params.write_text("fetch:\n  timeout_s: 0.5\n  max_bytes: 100000\n", encoding="utf-8")
    args = parser.parse_args([f"{site}/docs/aba.pdf", "--into", str(tmp_path / "raw"),
                              "--params", str(params)])
    assert fetch_module.main(args) == 0
    assert "new       aba.pdf" in capsys.readouterr().out
    params.write_text("fetch:\n  timeout: 5\n", encoding="utf-8")
    assert fetch_module.main(args) == 1
    assert "fetch: unknown key 'timeout'" in capsys.readouterr().err


@pytest.mark.parametrize("name, media_type, expected", [
    ("../../etc/passwd", "application/pdf", "passwd.pdf"),
    ("..%2F..%2Fsources.yaml", "text/plain", "sources.yaml.txt"),
    ("C:\\Windows\\evil.PDF", "application/pdf", "evil.pdf"),
    ("", "text/html", "document.html"),
    (".hidden", "application/pdf", "hidden.pdf"),
    ("Co-operation-With-Others", "text/html", "co-operation-with-others.html"),
    ("a b\u00e9\u2028c.pdf", "application/pdf", "a-b-c.pdf"),
    ("x" * 300 + ".pdf", "application/pdf", "x" * 100 + ".pdf"),
])
def test_fetch_safe_name(name, media_type, expected):
    assert safe_name(name, media_type, set()) == expected


def test_fetch_safe_name_avoids_taken_names_and_the_manifest():
    assert safe_name("a.pdf", "application/pdf", {"a.pdf", "a-2.pdf"}) == "a-3.pdf"
    assert safe_name("sources.yaml", "", set()) == "sources-2.yaml"


def test_fetch_manifest_round_trip_is_byte_identical():
    text = (ROOT / "raw/sources.yaml").read_text(encoding="utf-8")
    assert dump_manifest(parse_manifest(text)) == text


def test_fetch_params_from_mapping():
    params = FetchParams.from_mapping({"allowed_hosts": ["Docs.Example.org"], "max_redirects": 2})
    assert params.allowed_hosts == ("docs.example.org",) and params.max_redirects == 2
    with pytest.raises(ValueError, match="allowed_hosts"):
        FetchParams.from_mapping({"allowed_hosts": "docs.example.org"})


def test_fetch_deleted_file_restored_without_touching_the_manifest(site, tmp_path):
    url = f"{site}/docs/aba.pdf"
    fetch(url, tmp_path, params=PARAMS, now=NOW)
    before = (tmp_path / "sources.yaml").read_bytes()
    (tmp_path / "aba.pdf").unlink()
    report = fetch(url, tmp_path, params=PARAMS, now=NOW)
    assert report.stored == (("aba.pdf", url, "restored"),) and not report.manifest_written
    assert (tmp_path / "aba.pdf").read_bytes() == PDF + b"aba"
    assert (tmp_path / "sources.yaml").read_bytes() == before


def test_fetch_params_yaml_section_loads():
    from pipeline.acquire.fetch import load_params

    assert isinstance(load_params(str(ROOT / "params.yaml")), FetchParams)
