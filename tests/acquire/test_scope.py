"""pipeline.acquire.scope: URLs made ASCII, the origins in scope, the address check and the
pinned DNS answers. No test here opens a connection; look-ups are stubbed."""

import pytest
from hostile import loopback, stub_lookup  # noqa: F401 (loopback: autouse fixture)

from pipeline.acquire.limits import FetchError
from pipeline.acquire.scope import Resolver, Scope, non_public_kind, parse_url


@pytest.mark.parametrize("url, expected", [
    ("http://Example.ORG/docs/a.pdf", "http://example.org/docs/a.pdf"),
    ("http://example.org/docs/\u00dcbersicht 2024.pdf", "http://example.org/docs/%C3%9Cbersicht%202024.pdf"),
    ("http://example.org/docs/%C3%9Cbersicht.pdf", "http://example.org/docs/%C3%9Cbersicht.pdf"),
    ("http://example.org/100%.pdf?q=\u20ac&x=1%zz", "http://example.org/100%25.pdf?q=%E2%82%AC&x=1%25zz"),
    ("http://b\u00fccher.example/x.pdf", "http://xn--bcher-kva.example/x.pdf"),
    ("http://example.org", "http://example.org/"),
    ("https://example.org:8443/a#frag", "https://example.org:8443/a"),
    ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ("http://example.org./a\u2028b", "http://example.org/a%E2%80%A8b"),
])
def test_scope_parse_url_percent_encodes_and_idna(url, expected):
    assert parse_url(url).url == expected


@pytest.mark.parametrize("url, reason", [
    ("http://" + "a" * 64 + ".example/x.pdf", "bad_url"),      # label over 63 characters
    ("http://" + "\u00e9" * 70 + ".example/x.pdf", "bad_url"),
    ("http://a..b/x.pdf", "bad_url"),
    ("http://[::1/x.pdf", "bad_url"),
    ("http://example.org:99999/x.pdf", "bad_url"),
    ("http://example.org:port/x.pdf", "bad_url"),
    ("http://user:secret@example.org/x.pdf", "bad_url"),
    ("http://exa mple.org/x.pdf", "bad_url"),
    ("http:///x.pdf", "bad_url"),
    ("file:///etc/passwd", "bad_scheme"),
    ("gopher://example.org/", "bad_scheme"),
])
def test_scope_parse_url_refuses_what_cannot_be_sent(url, reason):
    with pytest.raises(FetchError) as err:
        parse_url(url)
    assert err.value.reason == reason and "\n" not in err.value.detail


def test_scope_origin_is_scheme_host_and_port():
    scope = Scope.of_page(parse_url("http://127.0.0.1:8080/page"), ["docs.example.org"])
    scope.check(parse_url("http://127.0.0.1:8080/a.pdf"))
    scope.check(parse_url("https://docs.example.org/a.pdf"))
    for url in ("http://127.0.0.1:8081/a.pdf", "http://127.0.0.2:8080/a.pdf",
                "https://127.0.0.1:8080/a.pdf", "http://docs.example.org:8080/a.pdf",
                "http://169.254.169.254/latest/meta-data/"):
        with pytest.raises(FetchError, match="outside") as err:
            scope.check(parse_url(url), "redirect")
        assert err.value.reason == "out_of_scope"


def test_scope_http_page_may_upgrade_to_https_on_the_standard_port():
    scope = Scope.of_page(parse_url("http://example.org/page"))
    scope.check(parse_url("https://example.org/a.pdf"))
    with pytest.raises(FetchError):
        scope.check(parse_url("https://example.org:8443/a.pdf"))


@pytest.mark.parametrize("address, kind", [
    ("8.8.8.8", None), ("2606:4700::1111", None),
    ("127.0.0.1", "loopback"), ("127.0.0.2", "loopback"), ("::1", "loopback"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("10.0.0.1", "private"), ("192.168.1.1", "private"), ("172.16.0.1", "private"),
    ("fc00::1", "private"), ("100.64.0.1", "not global"), ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"), ("192.0.2.1", "private"),
    ("::ffff:127.0.0.1", "loopback (embedded in ::ffff:7f00:1)"), ("::ffff:8.8.8.8", None),
    ("2002:a9fe:a9fe::1", "link-local (embedded in 2002:a9fe:a9fe::1)"),
    ("64:ff9b::a00:1", "private (embedded in 64:ff9b::a00:1)"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"),
])
def test_scope_non_public_kind(address, kind):
    assert non_public_kind(address) == kind


@pytest.mark.parametrize("host, address", [
    ("metadata.test", "169.254.169.254"), ("ten.test", "10.0.0.1"),
    ("home.test", "192.168.1.1"), ("six.test", "::1"), ("lo.test", "127.0.0.1"),
])
def test_scope_resolver_refuses_non_public_addresses(host, address):
    resolver = Resolver(["page.test"], lookup=stub_lookup({host: ["93.184.216.34", address]}))
    with pytest.raises(FetchError) as err:
        resolver.addresses(parse_url(f"http://{host}/x.pdf"))
    assert err.value.reason == "non_public_address" and address in err.value.detail


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/",
                                 "http://[::1]:8080/x", "http://10.0.0.1/x"])
def test_scope_resolver_checks_address_literals_without_a_look_up(url):
    lookup = stub_lookup({})
    with pytest.raises(FetchError) as err:
        Resolver(["page.test"], lookup=lookup).addresses(parse_url(url))
    assert err.value.reason == "non_public_address" and lookup.calls == []


def test_scope_resolver_trusts_the_page_host_and_allow_private():
    lookup = stub_lookup({"page.test": ["127.0.0.1"], "ten.test": ["10.0.0.1"]})
    assert Resolver(["page.test"], lookup=lookup).addresses(
        parse_url("http://page.test:8080/")) == ("127.0.0.1",)
    assert Resolver(["::1"], lookup=lookup).addresses(parse_url("http://[::1]:8080/")) == ("::1",)
    assert Resolver([], allow_private=True, lookup=lookup).addresses(
        parse_url("http://ten.test/")) == ("10.0.0.1",)


def test_scope_resolver_pins_the_first_answer_against_rebinding():
    lookup = stub_lookup({"docs.test": [["93.184.216.34"], ["127.0.0.1"]]})
    resolver = Resolver(["page.test"], lookup=lookup)
    first = resolver.addresses(parse_url("http://docs.test/a.pdf"))
    again = resolver.addresses(parse_url("https://docs.test/b.pdf"))
    assert first == again == ("93.184.216.34",) and lookup.calls == ["docs.test"]


def test_scope_resolver_unknown_host_is_unreachable():
    with pytest.raises(FetchError) as err:
        Resolver([], lookup=stub_lookup({})).addresses(parse_url("http://nowhere.test/"))
    assert err.value.reason == "unreachable"
