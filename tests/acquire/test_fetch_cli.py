"""`partners fetch` at the command line: every expected failure is one line on stderr and an
exit code (1: nothing fetched or nothing could be written, 2: some downloads failed)."""

import os
from pathlib import Path

import pytest
from hardening import make_read_only
from hostile import PDF, hostile, loopback, unlisted  # noqa: F401 (fixtures)

from pipeline.cli import main

ALIAS_BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
sources: []
"""


@pytest.fixture()
def site(hostile):
    server = hostile()
    body = '<a href="/a.pdf">a</a> <a href="/docs/\u00dcbersicht 2024.pdf">b</a>'.encode()
    server.routes["/page"] = lambda h: h.send(200, body, [("Content-Type", "text/html")])
    for path in ("/a.pdf", "/docs/%C3%9Cbersicht%202024.pdf"):
        server.routes[path] = lambda h: h.send(200, PDF, [("Content-Type", "application/pdf")])
    return server


def run(capsys, *args):
    code = main(["fetch", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def params_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_fetch_cli_non_ascii_link_path_comes_in(site, tmp_path, capsys):
    params = params_file(tmp_path, "fetch:\n  timeout_s: 2\n")
    code, out, err = run(capsys, f"{site.url}/page", "--into", tmp_path / "raw", "--params", params)
    assert code == 0 and err == ""
    assert "new       bersicht-2024.pdf  <- " in out and "%C3%9Cbersicht%202024.pdf" in out


@pytest.mark.parametrize("manifest, expected", [
    (ALIAS_BOMB, "sources.yaml:2:8: cannot read the manifest: aliases (*name) are not allowed"),
    ("sources:\n  - path: [unclosed\n", "sources.yaml:3:1: cannot read the manifest:"),
    ("sources: [1, 2]\n", "sources.yaml: 'sources' must be a list of mappings"),
    ("- just\n- a list\n", "sources.yaml: expected a 'sources' list"),
    ("sources:\n  - url: x\n", "sources.yaml: sources[0] needs a 'path'"),
    ("sources: !!python/object/apply:os.system ['true']\n", "cannot read the manifest: could not"),
    (b"sources: \xff\xfe\n", "cannot read the manifest: 'utf-8' codec can't decode"),
])
def test_fetch_cli_bad_manifest_is_one_line_and_nothing_changes(site, tmp_path, capsys,
                                                                manifest, expected):
    raw = tmp_path / "raw"
    raw.mkdir()
    data = manifest if isinstance(manifest, bytes) else manifest.encode()
    (raw / "sources.yaml").write_bytes(data)
    code, out, err = run(capsys, f"{site.url}/page", "--into", raw, "--params", tmp_path / "none")
    assert code == 1 and out == ""
    message = one_line(err)
    assert message.startswith(f"partners fetch: error: {raw}/sources.yaml") and expected in message
    assert os.listdir(raw) == ["sources.yaml"] and (raw / "sources.yaml").read_bytes() == data


def test_fetch_cli_manifest_that_is_a_fifo_is_refused_without_blocking(site, tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    os.mkfifo(raw / "sources.yaml")
    code, _, err = run(capsys, f"{site.url}/page", "--into", raw, "--params", tmp_path / "none")
    assert code == 1 and "not a regular file" in one_line(err)


def test_fetch_cli_read_only_folder_is_one_line(site, tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sources.yaml").write_text("sources: []\n")
    undo = make_read_only(raw)
    try:
        code, out, err = run(capsys, f"{site.url}/page", "--into", raw, "--params", tmp_path / "x")
    finally:
        undo()
    assert code == 1 and out == ""
    assert one_line(err).startswith(f"partners fetch: error: cannot write to {raw}")
    assert os.listdir(raw) == ["sources.yaml"]


def test_fetch_cli_folder_that_is_a_file_is_one_line(site, tmp_path, capsys):
    blocker = tmp_path / "raw"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, f"{site.url}/page", "--into", blocker, "--params", tmp_path / "x")
    assert code == 1 and one_line(err).startswith(f"partners fetch: error: cannot write to {blocker}")


@pytest.mark.parametrize("text, expected", [
    ("fetch: [1]\n", "params.yaml:fetch: expected a mapping of settings, got [1]"),
    ("fetch: 3\n", "params.yaml:fetch: expected a mapping of settings, got 3"),
    ("- fetch\n", "params.yaml: expected a mapping of sections"),
    ("fetch:\n  timeout: 5\n", "params.yaml:fetch: unknown key 'timeout'"),
    ("fetch:\n  max_documents: -1\n", "params.yaml:fetch.max_documents: expected a whole number"),
    ("fetch:\n  max_total_bytes: 1.5\n", "params.yaml:fetch.max_total_bytes: expected a whole"),
    ("fetch:\n  timeout_s: 0\n", "params.yaml:fetch.timeout_s: expected a number > 0"),
    ("fetch:\n  allow_private: 'yes'\n", "params.yaml:fetch.allow_private: expected true or false"),
    ("fetch:\n  allowed_hosts: docs.example.org\n", "params.yaml:fetch.allowed_hosts: expected a list"),
    ("fetch:\n  allowed_hosts: ['docs.example.org:8080']\n", "params.yaml:fetch.allowed_hosts: invalid host"),
    ("fetch: {timeout_s: 1\n", "params.yaml:2:1: not valid YAML"),
    ("x: &x [1]\nfetch: *x\n", "params.yaml:2:8: not valid YAML: aliases (*name) are not allowed"),
])
def test_fetch_cli_bad_params_name_the_key(site, tmp_path, capsys, text, expected):
    params = params_file(tmp_path, text)
    code, out, err = run(capsys, f"{site.url}/page", "--into", tmp_path / "raw", "--params", params)
    assert code == 1 and out == ""
    assert one_line(err) == f"partners fetch: error: {tmp_path}/{expected}" or \
        one_line(err).startswith(f"partners fetch: error: {tmp_path}/{expected}")
    assert not (tmp_path / "raw").exists()


def test_fetch_cli_params_that_are_a_folder_are_one_line(site, tmp_path, capsys):
    code, _, err = run(capsys, f"{site.url}/page", "--into", tmp_path / "raw", "--params", tmp_path)
    assert code == 1 and "cannot read the params file" in one_line(err)


@pytest.mark.parametrize("url", ["http://" + "a" * 64 + ".example/partners",
                                 "http://[::1/partners", "http://example.org:99999/"])
def test_fetch_cli_page_url_that_cannot_be_sent_is_one_line(tmp_path, capsys, url):
    code, out, err = run(capsys, url, "--into", tmp_path / "raw", "--params", tmp_path / "x")
    assert code == 1 and out == ""
    assert one_line(err).startswith(f"failed    {url}: bad_url: ")


def test_fetch_cli_refused_address_is_one_line_and_allow_private_lifts_it(site, tmp_path, capsys):
    params = params_file(tmp_path, "fetch:\n  allowed_hosts: ['127.0.0.2']\n  timeout_s: 2\n")
    site.routes["/r.pdf"] = lambda h: h.send(302, headers=[("Location", "http://127.0.0.2/x.pdf")])
    site.routes["/page"] = lambda h: h.send(200, b'<a href="/r.pdf">r</a>', [("Content-Type", "text/html")])
    code, out, err = run(capsys, f"{site.url}/page", "--into", tmp_path / "raw", "--params", params)
    assert code == 2 and "new       page.html" in out
    assert "r.pdf: non_public_address: 127.0.0.2 resolves to 127.0.0.2 (loopback)" in one_line(err)
    code, out, err = run(capsys, f"{site.url}/page", "--into", tmp_path / "raw", "--params", params,
                         "--allow-private")  # now tried (nothing should listen on 127.0.0.2:80)
    assert code == 2 and "r.pdf: " in one_line(err) and "non_public_address" not in err


def test_fetch_cli_caps_are_summarised(hostile, tmp_path, capsys):
    server = hostile()
    body = "".join(f'<a href="/d{n}.pdf">d</a>' for n in range(12)).encode()
    server.routes["/page"] = lambda h: h.send(200, body, [("Content-Type", "text/html")])
    server.default = lambda h: h.send(200, PDF, [("Content-Type", "application/pdf")])
    params = params_file(tmp_path, "fetch:\n  max_documents: 2\n  timeout_s: 2\n")
    code, out, err = run(capsys, f"{server.url}/page", "--into", tmp_path / "raw", "--params", params)
    assert code == 2 and out.count("\n") == 3
    assert one_line(err) == ("skipped   10 links: over_max_documents "
                             "(listed under failed in sources.yaml)")


def test_fetch_cli_says_it_removed_a_leftover_area(site, tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / ".fetch-tmp-k1ll3d" / "files").mkdir(parents=True)
    code, _, err = run(capsys, f"{site.url}/page", "--into", raw, "--params", tmp_path / "x")
    assert code == 0 and one_line(err) == (
        "partners fetch: removed .fetch-tmp-k1ll3d, left by an interrupted fetch "
        "(nothing in the folder had changed)")
    assert unlisted(raw) == set()
