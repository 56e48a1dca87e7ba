"""pipeline.documents.linking: entries linked to their PDFs; page and PDF dates compared."""

from pathlib import Path

import pytest

from pipeline.documents.linking import (
    agreement_columns,
    date_disagreement,
    dates_agree,
    link_documents,
    pdf_for_url,
    url_key,
)
from pipeline.documents.pdf_facts import DocumentSummary
from pipeline.ingest.reader import Source, bytes_to_document
from pipeline.model import Agreement, Entry, PdfDocument, PdfPage

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://www.iap-association.org"


def pdf(name, url=""):
    return PdfDocument(source_file=f"raw/{name}", source_sha256="0" * 64,
                       pages=(PdfPage(1, "x"),), url=url)


@pytest.fixture(scope="module")
def page():
    raw = (ROOT / "tests/data/iap-page.html").read_bytes()
    return bytes_to_document(raw, Source(path="raw/iap.html", media_type="text/html",
                                         url=f"{SITE}/About/Co-operation-With-Others"))


def entry(doc, index, start_text, end_text):
    start, end = doc.text.index(start_text), doc.text.index(end_text)
    return Entry(source_file=doc.source_file, source_sha256=doc.source_sha256, index=index,
                 char_start=start, char_end=end, heading_end=start, layout="dash")


def test_linking_iap_entries_get_their_pdfs(page):
    entries = [entry(page, 0, "ABA - American", "AIDP/IAPL\u00a0"),
               entry(page, 1, "AIDP/IAPL\u00a0", "COE -Council"),
               entry(page, 5, "Comnet\u00a0", "EJTN - ")]
    aba = pdf("aba-scj-2014.pdf", f"{SITE}/Portals/0/agreements/aba-scj-2014.pdf")
    comnet = pdf("comnet-mou-2012.pdf")  # no URL recorded: matched by file name
    leaflet = pdf("aidp-leaflet.pdf", "HTTPS://WWW.IAP-ASSOCIATION.ORG:443/Portals/0/leaflets/"
                                      "aidp-leaflet.pdf#page=1")
    linked = link_documents(page, entries, [aba, comnet, leaflet, pdf("other.pdf")])
    assert {i: [ld.pdf.source_file for ld in lds] for i, lds in linked.items()} == {
        0: ["raw/aba-scj-2014.pdf"], 1: ["raw/aidp-leaflet.pdf"], 5: ["raw/comnet-mou-2012.pdf"]}
    link = linked[0][0].link
    assert page.text[link.char_start:link.char_end] == "here"
    assert "dated 7 March 2014" in page.text[entries[0].char_start:link.char_start]


def test_linking_url_key():
    assert url_key("HTTP://Example.org:80/a%20b.pdf#x") == "http://example.org/a b.pdf"
    assert url_key("https://example.org:8443/a.pdf?v=2") == "https://example.org:8443/a.pdf?v=2"
    assert pdf_for_url("https://x.org/none.pdf", [pdf("a.pdf", "https://x.org/a.pdf")]) is None


@pytest.mark.parametrize("a, ap, b, bp, agree", [
    ("2014-03-07", "day", "2014-03-07", "day", True),
    ("2014-03-07", "day", "2014-03", "month", True),
    ("2014", "year", "2014-03-07", "day", True),
    ("2014-03-07", "day", "2014-03-08", "day", False),
    ("2012-06", "month", "2012-07-01", "day", False),
])
def test_linking_dates_agree(a, ap, b, bp, agree):
    assert dates_agree(a, ap, b, bp) is agree


def summary(date, precision):
    return DocumentSummary(document="raw/aba.pdf", document_sha256="0" * 64, pages=2,
                           document_title="AGREEMENT TO COOPERATE", document_date=date,
                           document_date_precision=precision,
                           document_parties=("ABA SCJ", "IAP"), document_kind="agreement")


def mention(date, precision):
    return Agreement(agreement_id="a1", org_id="aba", kind="agreement", parties=(), date=date,
                     date_precision=precision, evidence="dated 7 March 2014",
                     source_file="raw/iap.html", source_sha256="1" * 64, char_start=10,
                     char_end=28, link="", rule_id="r")


def test_linking_date_disagreement_flagged_and_reported():
    assert date_disagreement(mention("2014-03-07", "day"), summary("2014-03-07", "day")) == (
        "", None)
    assert date_disagreement(mention("", ""), summary("2014-03-07", "day")) == ("", None)
    flag, issue = date_disagreement(mention("2014-03-07", "day"), summary("2014-04-07", "day"))
    assert flag == "document_date_mismatch:2014-03-07!=2014-04-07"
    assert (issue.stage, issue.reason, issue.source) == (
        "link", "document_date_mismatch", "raw/iap.html:10-28")


def test_linking_agreement_columns():
    columns = agreement_columns(summary("2014-03-07", "day"))
    assert list(columns) == ["document", "document_sha256", "pages", "document_title",
                             "document_date", "document_parties"]
    assert columns["document_parties"] == ("ABA SCJ", "IAP")
    assert agreement_columns(None)["document"] == ""
