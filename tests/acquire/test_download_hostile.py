"""One download against a hostile server on 127.0.0.1: deadlines over the whole exchange,
redirect hops in scope, bodies cut short."""

import socket
import threading
import time

import pytest
from hostile import PDF, hostile, loopback  # noqa: F401 (fixtures)

from pipeline.acquire.download import FetchError, FetchParams, download

FAST = FetchParams(timeout_s=1.0, max_bytes=100_000, max_redirects=5)


def reason_of(url, params=FAST, **kwargs):
    with pytest.raises(FetchError) as err:
        download(url, params, **kwargs)
    assert "\n" not in err.value.detail
    return err.value.reason


def drip_headers(handler):
    """The status line, then one header byte every 0.3 s: each read succeeds on its own."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for byte in b"X-Slow: " + b"a" * 100:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        if not handler.wait(0.3):
            return


def test_download_slow_headers_cut_off_at_the_deadline(hostile):
    server = hostile()
    server.routes["/slow-headers"] = drip_headers
    started = time.monotonic()
    assert reason_of(f"{server.url}/slow-headers") == "timeout"
    assert time.monotonic() - started < FAST.timeout_s + 0.5


def test_download_slow_redirects_share_one_deadline(hostile):
    server = hostile()

    def hop(n):
        def route(handler):
            handler.wait(0.4)
            handler.send(302, headers=[("Location", f"/hop{n + 1}")])
        return route

    for n in range(4):
        server.routes[f"/hop{n}"] = hop(n)
    server.routes["/hop4"] = lambda h: h.send(200, PDF, [("Content-Type", "application/pdf")])
    started = time.monotonic()
    assert reason_of(f"{server.url}/hop0") == "timeout"  # 4 x 0.4 s: each hop alone is fast
    assert time.monotonic() - started < FAST.timeout_s + 0.5
    slow = FetchParams(timeout_s=5, max_redirects=5)
    assert download(f"{server.url}/hop0", slow).data == PDF


def test_download_slow_body_cut_off_at_the_deadline(hostile):
    server = hostile()

    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            if not handler.wait(0.1):
                return

    server.routes["/trickle.pdf"] = trickle
    started = time.monotonic()
    assert reason_of(f"{server.url}/trickle.pdf") == "timeout"
    assert time.monotonic() - started < FAST.timeout_s + 0.5


def test_download_redirect_to_another_loopback_host_is_refused(hostile):
    server = hostile()
    other = hostile("127.0.0.2", server.server_address[1])  # the same port on 127.0.0.2
    other.routes["/x.pdf"] = lambda h: h.send(200, PDF, [("Content-Type", "application/pdf")])
    server.routes["/r.pdf"] = lambda h: h.send(302, headers=[("Location", f"{other.url}/x.pdf")])
    assert reason_of(f"{server.url}/r.pdf") == "out_of_scope"
    assert other.requests == []


def test_download_redirect_to_the_same_ip_on_another_port_is_refused(hostile):
    server, other = hostile(), hostile()
    other.routes["/x.pdf"] = lambda h: h.send(200, PDF, [("Content-Type", "application/pdf")])
    server.routes["/r.pdf"] = lambda h: h.send(302, headers=[("Location", f"{other.url}/x.pdf")])
    assert reason_of(f"{server.url}/r.pdf") == "out_of_scope"
    assert other.requests == []


@pytest.mark.parametrize("location, reason", [
    ("http://169.254.169.254/latest/meta-data/", "out_of_scope"),
    ("file:///etc/passwd", "bad_redirect"),
    ("http://[::1/x", "bad_redirect"),
    ("http://" + "a" * 64 + ".example/x.pdf", "bad_redirect"),
])
def test_download_redirect_out_of_scope_or_unusable(hostile, location, reason):
    server = hostile()
    server.routes["/r.pdf"] = lambda h: h.send(302, headers=[("Location", location)])
    assert reason_of(f"{server.url}/r.pdf") == reason


def test_download_redirect_to_metadata_address_refused_even_when_in_scope(hostile):
    """169.254.169.254 named in allowed_hosts: the address check still refuses it, before any
    packet (the test guard would raise on a connection attempt)."""
    server = hostile()
    server.routes["/r.pdf"] = lambda h: h.send(
        302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")])
    params = FetchParams(timeout_s=1, allowed_hosts=("169.254.169.254",))
    assert reason_of(f"{server.url}/r.pdf", params) == "non_public_address"


def test_download_body_shorter_than_content_length_is_truncated(hostile):
    server = hostile()
    server.routes["/short.pdf"] = lambda h: h.send(200, PDF, [("Content-Type", "application/pdf")],
                                                   length=len(PDF) + 1000)
    assert reason_of(f"{server.url}/short.pdf") == "truncated"


def test_download_chunked_body_cut_short_is_truncated(hostile):
    server = hostile()

    def cut(handler):
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        handler.wfile.write(b"400\r\n" + b"x" * 100)
        handler.wfile.flush()
        handler.close_connection = True

    server.routes["/cut.pdf"] = cut
    assert reason_of(f"{server.url}/cut.pdf") == "truncated"


def test_download_content_length_over_the_limit_is_refused_before_reading(hostile):
    server = hostile()
    server.routes["/big.pdf"] = lambda h: h.send(200, PDF, length=10**12)
    assert reason_of(f"{server.url}/big.pdf") == "too_large"
    assert reason_of(f"{server.url}/big.pdf", budget=50) == "too_large"
    server.routes["/mid.pdf"] = lambda h: h.send(200, b"x" * 500)
    assert reason_of(f"{server.url}/mid.pdf", budget=100) == "over_max_total_bytes"


def test_download_garbage_status_line_is_bad_response(hostile):
    server = hostile()

    def garbage(handler):
        handler.wfile.write(b"SSH-2.0-OpenSSH\r\n\r\n")
        handler.close_connection = True

    server.routes["/x"] = garbage
    assert reason_of(f"{server.url}/x") == "bad_response"


def test_download_tls_handshake_that_never_answers_times_out():
    """A server that accepts and never speaks: the TLS handshake waits only until the deadline."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    try:
        started = time.monotonic()
        url = f"https://127.0.0.1:{listener.getsockname()[1]}/x.pdf"
        assert reason_of(url, FetchParams(timeout_s=0.5)) == "timeout"
        assert time.monotonic() - started < 1.5
    finally:
        listener.close()
        for conn, _ in accepted:
            conn.close()


def test_download_nothing_listening_is_unreachable():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    assert reason_of(f"http://127.0.0.1:{port}/x.pdf") == "unreachable"


def test_download_connects_to_the_checked_address_not_a_second_answer(hostile):
    """The host's first answer is pinned: later look-ups would say 10.0.0.1 (rebinding),
    which the test guard would refuse, so success means no second look-up was used."""
    from hostile import stub_lookup

    from pipeline.acquire.scope import Resolver, Scope, parse_url

    server = hostile()
    port = server.server_address[1]
    server.routes["/a.pdf"] = lambda h: h.send(302, headers=[("Location", "/b.pdf")])
    server.routes["/b.pdf"] = lambda h: h.send(200, PDF, [("Content-Type", "application/pdf")])
    lookup = stub_lookup({"site.test": [["127.0.0.1"], ["10.0.0.1"]]})
    page = parse_url(f"http://site.test:{port}/page")
    resolver = Resolver(["site.test"], lookup=lookup)
    for _ in range(3):
        got = download(f"http://site.test:{port}/a.pdf", FAST, scope=Scope.of_page(page),
                       resolver=resolver)
        assert got.data == PDF and got.final_url == f"http://site.test:{port}/b.pdf"
    assert lookup.calls == ["site.test"]
    assert server.requests == ["/a.pdf", "/b.pdf"] * 3
