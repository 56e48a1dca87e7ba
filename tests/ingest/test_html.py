"""pipeline.ingest.html: HTML pages -> text laid out like the text version, links with spans, title."""

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest.html import html_to_text

ROOT = Path(__file__).resolve().parents[2]
PAGE_URL = "https://www.iap-association.org/About/Co-operation-With-Others"


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


@pytest.fixture(scope="module")
def iap_html():
    html = (ROOT / "tests/data/iap-page.html").read_text(encoding="utf-8")
    return html_to_text(html, PAGE_URL)


def test_html_iap_rendering_gives_the_text_version(iap_html):
    text = (ROOT / "raw/iap-co-operation-with-others.txt").read_text(encoding="utf-8")
    assert paragraphs(iap_html.text) == paragraphs(text)
    assert iap_html.text == text  # the same layout too: the segmenter sees the same lines


def test_html_iap_noise_is_not_content(iap_html):
    for noise in ("Contact", "Privacy", "enable JavaScript", "dataLayer",
                  "margin", "IAP logo", "not text"):
        assert noise not in iap_html.text


def test_html_iap_links_point_into_the_text(iap_html):
    by_url = {link.url: link for link in iap_html.links}
    aba = by_url["https://www.iap-association.org/Portals/0/agreements/aba-scj-2014.pdf"]
    assert aba.text == "here"
    assert "dated 7 March 2014 can be accessed here" in iap_html.text[aba.char_start - 40:aba.char_end]
    leaflet = by_url["https://www.iap-association.org/Portals/0/leaflets/aidp-leaflet.pdf"]
    assert leaflet.text == "Download leaflet"
    assert "https://www.iap-association.org/Portals/0/agreements/comnet-mou-2012.pdf" in by_url
    for link in iap_html.links:
        assert iap_html.text[link.char_start:link.char_end] == link.text
    assert not any(link.url.endswith(("/About", "/Privacy")) for link in iap_html.links)


def test_html_title_prefers_h1(iap_html):
    assert iap_html.title == "Cooperation with other International Organisations"
    assert html_to_text("<title> A  &amp; B </title><p>x</p>").title == "A & B"


@pytest.mark.parametrize("html, text", [
    ("<p>one</p><p>two</p>", "one\n\ntwo"),
    ("<div>a<br>b</div>", "a\n\nb"),
    ("<ul><li>x</li>\n<li> y </li></ul>", "x\n\ny"),
    ("<h2>Head</h2>text <b>bold</b>  and\n\t more", "Head\n\ntext bold and more"),
    ("<p>a&nbsp;&nbsp;b &amp; c&#8212;d &rsquo;</p>", "a\u00a0\u00a0b & c\u2014d \u2019"),
    ("<p>x</p><script>var s = '<p>y</p>';</script><style>p{}</style><p>z</p>", "x\n\nz"),
    ("<nav><p>menu</p></nav><header>h</header><footer>f</footer><p>body</p>", "body"),
    ("<svg><text>label</text></svg><template><p>t</p></template><p>ok</p>", "ok"),
    ("<p>  </p><p></p><p>only</p>", "only"),
    ("<head><title>T</title><p>never closed head", "never closed head"),
    ("<table><tr><td>a</td><td>b</td></tr></table>", "a\n\nb"),
    ("", ""),
])
def test_html_layout(html, text):
    assert html_to_text(html).text == text


def test_html_links_resolved_and_spanned():
    result = html_to_text('<base href="/docs/"><p>See <a href=" a.pdf ">the <i>agreement</i></a>'
                          ' and <a href="https://x.org/b">b</a> or <a>no href</a>'
                          '<a href="#top"></a></p>', "http://site.org/page")
    assert [(lk.text, lk.url) for lk in result.links] == [
        ("the agreement", "http://site.org/docs/a.pdf"), ("b", "https://x.org/b"),
        ("", "http://site.org/docs/#top")]
    for link in result.links:
        assert result.text[link.char_start:link.char_end] == link.text


def test_html_link_spanning_blocks_keeps_exact_span():
    result = html_to_text('<p>before <a href="/x">one</p><p>two</a> after</p>')
    (link,) = result.links
    assert result.text[link.char_start:link.char_end] == link.text == "one\n\ntwo"


def test_html_deep_nesting_and_huge_text_node():
    depth = 5000
    html = "<div>" * depth + "deep" + "</div>" * depth + "<p>" + "word " * 2_000_000 + "</p>"
    result = html_to_text(html)
    assert result.text.startswith("deep\n\nword word")
    assert len(result.text) == len("deep\n\n") + len("word " * 2_000_000) - 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab <>&;\u00a0\n", max_size=12),
                          st.booleans()), max_size=8))
def test_html_link_spans_always_match(pieces):
    html = "".join(f'<a href="/{i}">{t}</a>' if is_link else f"<p>{t}</p>"
                   for i, (t, is_link) in enumerate(pieces))
    result = html_to_text(html)
    for link in result.links:
        assert 0 <= link.char_start <= link.char_end <= len(result.text)
        assert result.text[link.char_start:link.char_end] == link.text
    assert result.text == result.text.strip("\n ")


def test_html_ingest_routes_html_pages(tmp_path):
    from pipeline.ingest.reader import (
        Source,
        bytes_to_document,
        name_text_file,
        sha256_hex,
    )

    raw = (ROOT / "tests/data/iap-page.html").read_bytes()
    source = Source(path="raw/iap.html", media_type="text/html", sha256=sha256_hex(raw),
                    url=PAGE_URL)
    doc = bytes_to_document(raw, source)
    text = (ROOT / "raw/iap-co-operation-with-others.txt").read_text(encoding="utf-8")
    assert doc.text == text and doc.source_sha256 == sha256_hex(raw)
    assert doc.text_sha256 == sha256_hex(text.encode("utf-8"))
    assert doc.title.startswith("Cooperation") and len(doc.links) == 10
    named = name_text_file(doc, tmp_path / "texts")
    assert Path(named.text_file).parent == tmp_path / "texts"
    assert Path(named.text_file).name.startswith("iap.html.") and named.text == doc.text
    other = name_text_file(replace(doc, source_file="raw/b/iap.html"), tmp_path / "texts")
    assert other.text_file != named.text_file  # two inputs with one name never share a text


def test_html_ingest_page_without_content_is_an_issue():
    from pipeline.ingest.reader import IngestError, Source, bytes_to_document

    with pytest.raises(IngestError) as err:
        bytes_to_document(b"<html><script>x()</script></html>",
                          Source(path="raw/a.html", media_type="text/html"))
    assert err.value.reason == "empty"
