"""`fetch` against hostile pages: which links are followed, which addresses are refused
(look-ups stubbed: no packet leaves loopback), the caps per fetch, and URLs that cannot be
sent as written."""

from datetime import datetime, timezone

import pytest
import yaml
from hostile import PDF, hostile, loopback, stub_lookup, unlisted  # noqa: F401 (fixtures)

from pipeline.acquire.download import FetchParams
from pipeline.acquire.fetch import fetch

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=timezone.utc)
PARAMS = FetchParams(timeout_s=2, max_bytes=100_000)


def page_of(*hrefs: str) -> bytes:
    return ("<html><body>" + "".join(f'<p><a href="{h}">doc</a></p>' for h in hrefs)
            + "</body></html>").encode("utf-8")


def serve_page(server, body: bytes, path: str = "/page"):
    server.routes[path] = lambda h: h.send(200, body, [("Content-Type", "text/html")])


def serve_pdf(server, path: str, data: bytes = PDF):
    server.routes[path] = lambda h: h.send(200, data, [("Content-Type", "application/pdf")])


def reasons(report) -> dict[str, str]:
    return {issue.source: issue.reason for issue in report.issues}


def test_fetch_link_to_the_same_ip_on_another_port_is_not_followed(hostile, tmp_path):
    server, other = hostile(), hostile()
    serve_pdf(other, "/x.pdf")
    serve_pdf(server, "/a.pdf")
    serve_page(server, page_of("/a.pdf", f"{other.url}/x.pdf"))
    report = fetch(f"{server.url}/page", tmp_path, params=PARAMS, now=NOW)
    assert [p for p, _, _ in report.stored] == ["page.html", "a.pdf"]
    assert other.requests == []


def test_fetch_same_host_redirect_to_127_0_0_2_is_refused_and_not_stored(hostile, tmp_path):
    server = hostile()
    other = hostile("127.0.0.2", server.server_address[1])
    serve_pdf(other, "/x.pdf")
    server.routes["/r.pdf"] = lambda h: h.send(302, headers=[("Location", f"{other.url}/x.pdf")])
    serve_page(server, page_of("/r.pdf"))
    report = fetch(f"{server.url}/page", tmp_path, params=PARAMS, now=NOW)
    assert reasons(report) == {f"{server.url}/r.pdf": "out_of_scope"}
    assert other.requests == [] and [p for p, _, _ in report.stored] == ["page.html"]
    assert unlisted(tmp_path) == set()


@pytest.mark.parametrize("host, address", [
    ("metadata.test", "169.254.169.254"), ("ten.test", "10.0.0.1"),
    ("home.test", "192.168.1.1"), ("six.test", "::1"),
])
def test_fetch_allowed_host_with_a_private_address_is_refused(hostile, tmp_path, host, address):
    """The page's own host may be loopback; an allowed host resolving to a non-public address
    is refused before any connection (the test guard raises on one)."""
    server = hostile()
    port = server.server_address[1]
    serve_page(server, page_of(f"http://{host}/doc.pdf"))
    lookup = stub_lookup({"site.test": ["127.0.0.1"], host: [address]})
    params = FetchParams(timeout_s=2, allowed_hosts=(host,))
    report = fetch(f"http://site.test:{port}/page", tmp_path, params=params, now=NOW,
                   lookup=lookup)
    assert reasons(report) == {f"http://{host}/doc.pdf": "non_public_address"}
    assert [p for p, _, _ in report.stored] == ["page.html"]


def test_fetch_redirect_to_a_name_of_the_metadata_address_is_refused(hostile, tmp_path):
    server = hostile()
    server.routes["/r.pdf"] = lambda h: h.send(302, headers=[("Location", "http://meta.test/x")])
    serve_page(server, page_of("/r.pdf"))
    lookup = stub_lookup({"meta.test": ["169.254.169.254"]})
    params = FetchParams(timeout_s=2, allowed_hosts=("meta.test",))
    report = fetch(f"{server.url}/page", tmp_path, params=params, now=NOW, lookup=lookup)
    assert reasons(report) == {f"{server.url}/r.pdf": "non_public_address"}


def test_fetch_allow_private_lifts_the_address_check_not_the_scope(hostile, tmp_path):
    server = hostile()
    port = server.server_address[1]
    serve_pdf(server, "/a.pdf")
    serve_page(server, page_of("/a.pdf", f"http://127.0.0.1:{port + 1}/x.pdf"))
    lookup = stub_lookup({"site.test": ["127.0.0.1"]})
    params = FetchParams(timeout_s=2, allow_private=True)
    report = fetch(f"http://site.test:{port}/page", tmp_path, params=params, now=NOW,
                   lookup=lookup)
    assert [p for p, _, _ in report.stored] == ["page.html", "a.pdf"] and report.issues == ()


def test_fetch_page_host_is_looked_up_once_for_the_whole_fetch(hostile, tmp_path):
    """DNS rebinding: after the first answer the name would point at 10.0.0.1; every
    connection still goes to the address checked first."""
    server = hostile()
    port = server.server_address[1]
    for name in ("a", "b", "c"):
        serve_pdf(server, f"/{name}.pdf", PDF + name.encode())
    serve_page(server, page_of("/a.pdf", "/b.pdf", "/c.pdf"))
    lookup = stub_lookup({"site.test": [["127.0.0.1"], ["10.0.0.1"]]})
    report = fetch(f"http://site.test:{port}/page", tmp_path, params=PARAMS, now=NOW,
                   lookup=lookup)
    assert len(report.stored) == 4 and report.issues == ()
    assert lookup.calls == ["site.test"]


def test_fetch_caps_the_number_of_documents(hostile, tmp_path):
    server = hostile()
    for n in range(30):
        serve_pdf(server, f"/d{n}.pdf", PDF + b"%d" % n)
    serve_page(server, page_of(*(f"/d{n}.pdf" for n in range(30))))
    params = FetchParams(timeout_s=2, max_documents=5)
    report = fetch(f"{server.url}/page", tmp_path, params=params, now=NOW)
    assert len(report.stored) == 6 and len(server.requests) == 6
    assert list(reasons(report).values()) == ["over_max_documents"] * 25
    failed = yaml.safe_load((tmp_path / "sources.yaml").read_text())["failed"]
    assert len(failed) == 25 and {f["reason"] for f in failed} == {"over_max_documents"}


def test_fetch_caps_the_total_bytes(hostile, tmp_path):
    server = hostile()
    for n in range(10):
        serve_pdf(server, f"/d{n}.pdf", PDF + b"x" * 1000)
    page = page_of(*(f"/d{n}.pdf" for n in range(10)))
    serve_page(server, page)
    doc = len(PDF) + 1000
    params = FetchParams(timeout_s=2, max_total_bytes=len(page) + 3 * doc + doc // 2)
    report = fetch(f"{server.url}/page", tmp_path, params=params, now=NOW)
    assert len(report.stored) == 4  # the page and three documents
    assert list(reasons(report).values()) == ["over_max_total_bytes"] * 7
    assert len(server.requests) == 5  # the fourth was refused on its Content-Length
    assert sum(p.stat().st_size for p in tmp_path.iterdir() if p.suffix in (".pdf", ".html")) \
        <= params.max_total_bytes


def test_fetch_non_ascii_link_path_is_percent_encoded(hostile, tmp_path):
    server = hostile()
    serve_pdf(server, "/docs/%C3%9Cbersicht%202024.pdf", PDF + b"u")
    serve_pdf(server, "/docs/%E2%82%AC.pdf", PDF + b"e")
    serve_pdf(server, "/docs/100%25.pdf", PDF + b"p")
    serve_page(server, page_of("/docs/\u00dcbersicht 2024.pdf", "/docs/%E2%82%AC.pdf",
                               "/docs/100%.pdf"))
    report = fetch(f"{server.url}/page", tmp_path, params=PARAMS, now=NOW)
    assert report.issues == ()
    assert [u for _, u, _ in report.stored][1:] == [
        f"{server.url}/docs/%C3%9Cbersicht%202024.pdf", f"{server.url}/docs/%E2%82%AC.pdf",
        f"{server.url}/docs/100%25.pdf"]
    assert unlisted(tmp_path) == set()


def test_fetch_unusable_document_links_are_issues_and_the_rest_comes_in(hostile, tmp_path):
    server = hostile()
    serve_pdf(server, "/a.pdf")
    long_host = "http://" + "a" * 64 + ".example/x.pdf"
    serve_page(server, page_of("http://[::1/x.pdf", long_host, "/a.pdf", "http://x:99999/y.pdf"))
    report = fetch(f"{server.url}/page", tmp_path, params=PARAMS, now=NOW)
    assert reasons(report) == {"http://[::1/x.pdf": "bad_url", long_host: "bad_url",
                               "http://x:99999/y.pdf": "bad_url"}
    assert [p for p, _, _ in report.stored] == ["page.html", "a.pdf"]


@pytest.mark.parametrize("url", ["http://" + "a" * 64 + ".example/", "http://[::1/",
                                 "http://\u00e9" + "\u00e9" * 70 + ".example/"])
def test_fetch_page_url_that_cannot_be_sent_is_recorded(tmp_path, url):
    report = fetch(url, tmp_path, params=PARAMS, now=NOW)
    assert report.stored == () and [i.reason for i in report.issues] == ["bad_url"]
