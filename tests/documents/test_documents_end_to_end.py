"""Linked documents end to end: fetch the page and its PDFs from 127.0.0.1, ingest the HTML,
read the PDFs, segment, link each PDF to its entry and compare the dates."""

import threading
from datetime import datetime, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pdfs
import pytest
import yaml
from conftest import project_settings

from pipeline.acquire.download import FetchParams
from pipeline.acquire.fetch import fetch
from pipeline.documents.linking import link_documents
from pipeline.documents.pdf import PdfParams, read_pdfs
from pipeline.documents.pdf_facts import (
    document_summary,
    load_agreement_rules,
    pdf_facts,
)
from pipeline.ingest.reader import ingest
from pipeline.model import Document, Issue, PdfDocument
from pipeline.segment.labels import SegmentRules
from pipeline.segment.segmenter import document_to_entries

ROOT = Path(__file__).resolve().parents[2]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture()
def site(tmp_path, monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    www = tmp_path / "www"
    (www / "About").mkdir(parents=True)
    (www / "Portals/0/agreements").mkdir(parents=True)
    (www / "About/Co-operation-With-Others.html").write_bytes(
        (ROOT / "tests/data/iap-page.html").read_bytes())
    pdfs.agreement_pdf(www / "Portals/0/agreements/aba-scj-2014.pdf", signed="8 March 2014")
    pdfs.mou_pdf(www / "Portals/0/agreements/comnet-mou-2012.pdf")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(www)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_documents_fetch_ingest_read_link(site, tmp_path):
    raw = tmp_path / "raw"
    report = fetch(f"{site}/About/Co-operation-With-Others.html", raw,
                   params=FetchParams(timeout_s=5), now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    assert [p for p, _, _ in report.stored] == [
        "co-operation-with-others.html", "aba-scj-2014.pdf", "comnet-mou-2012.pdf"]
    assert [i.reason for i in report.issues] == ["http_error"]  # the leaflet is not served

    (page,) = [d for d in ingest([str(raw)]) if isinstance(d, Document)]
    assert page.text == (ROOT / "raw/iap-co-operation-with-others.txt").read_text(encoding="utf-8")
    results = list(read_pdfs([str(raw)], PdfParams()))
    docs = [r for r in results if isinstance(r, PdfDocument)]
    assert not [r for r in results if isinstance(r, Issue)] and len(docs) == 2

    seg = yaml.safe_load((ROOT / "rules/segment.yaml").read_text(encoding="utf-8"))
    entries, _, _ = document_to_entries(page, SegmentRules(
        function_words=frozenset(w.lower() for w in seg["label_function_words"])))
    linked = link_documents(page, entries, docs)
    heading = {e.index: page.text[e.char_start:e.char_start + 6] for e in entries}
    names = {heading[i]: [Path(ld.pdf.source_file).name for ld in lds] for i, lds in linked.items()}
    assert names == {"ABA - ": ["aba-scj-2014.pdf"], "Comnet": ["comnet-mou-2012.pdf"]}

    rules = load_agreement_rules()
    summaries = {Path(d.source_file).name: document_summary(d, pdf_facts(d, rules)) for d in docs}
    assert summaries["aba-scj-2014.pdf"].document_date == "2014-03-08"  # the page says 7 March
    assert summaries["comnet-mou-2012.pdf"].document_kind == "mou"


def test_documents_fetched_page_runs_into_a_dataset_with_linked_pdfs(site, tmp_path):
    """`partners fetch` then the pipeline: agreements carry their PDF, and every fact read from
    a PDF points to the saved text of its page (the provenance invariant holds for them too)."""
    from pipeline.dataset.formats import read_table_csv
    from pipeline.model import Agreement, Fact
    from pipeline.stages import run_all

    raw = tmp_path / "raw"
    fetch(f"{site}/About/Co-operation-With-Others.html", raw, params=FetchParams(timeout_s=5),
          now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    out = tmp_path / "extracted"
    metrics = run_all([str(raw)], out, project_settings(pdf_params=PdfParams()))
    assert metrics["organisations"] == 34

    agreements = {a.org_id: a for a in read_table_csv(Agreement, out / "agreements.csv")
                  if a.document}
    aba = agreements["aba-american-bar-association"]
    assert Path(aba.document).name == "aba-scj-2014.pdf" and aba.pages
    assert aba.date == "2014-03-07" and aba.document_date == "2014-03-08"
    assert aba.flags == ("document_date_mismatch:2014-03-07!=2014-03-08",)
    assert Path(agreements["comnet"].document).name == "comnet-mou-2012.pdf"

    facts = read_table_csv(Fact, out / "facts.csv")
    from_pdfs = [f for f in facts if f.page]
    assert {f.field for f in from_pdfs} >= {"document_title", "party", "signature_date"}
    for fact in facts:
        text = Path(fact.source_file).read_text(encoding="utf-8")
        assert text[fact.char_start:fact.char_end] == fact.evidence, fact
    issues = (out / "issues.jsonl").read_text(encoding="utf-8")
    assert "document_date_mismatch" in issues
