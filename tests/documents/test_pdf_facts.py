"""pipeline.documents.pdf_facts: title, kind, parties, dates of agreement PDFs, with exact page offsets."""

from pathlib import Path

import pdfs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.documents.pdf import PdfParams, bytes_to_pdf
from pipeline.documents.pdf_facts import (
    document_summary,
    iso_date,
    load_agreement_rules,
    page_view,
    pdf_facts,
    raw_span,
)
from pipeline.extract.rules import RULES_DIR, RuleError
from pipeline.model import PdfDocument, PdfPage


@pytest.fixture(scope="module")
def rules():
    return load_agreement_rules()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agreements")
    read = lambda path: bytes_to_pdf(path.read_bytes(), path.name, PdfParams())  # noqa: E731
    docs = {"aba": read(pdfs.agreement_pdf(folder / "aba.pdf")),
            "mou": read(pdfs.mou_pdf(folder / "mou.pdf"))}
    if pdfs.DEJAVU.exists():
        docs["lig"] = read(pdfs.ligature_pdf(folder / "lig.pdf"))
    return docs


def by_field(facts):
    out = {}
    for fact in facts:
        out.setdefault(fact.field, []).append(fact)
    return out


def assert_provenance(doc, facts):
    for fact in facts:
        page_text = doc.pages[fact.page - 1].text
        assert page_text[fact.char_start:fact.char_end] == fact.evidence == fact.raw_value
        assert fact.source_file == doc.source_file and fact.source_sha256 == doc.source_sha256


def test_pdf_facts_agreement(built, rules):
    doc = built["aba"]
    facts = pdf_facts(doc, rules, org_id="aba")
    assert_provenance(doc, facts)
    f = by_field(facts)
    assert [x.value for x in f["document_title"]] == ["AGREEMENT TO COOPERATE"]
    assert [x.value for x in f["agreement_kind"]] == ["agreement"]
    assert [x.value for x in f["party"]] == [
        "The American Bar Association Section of Criminal Justice (SCJ)",
        "the International Association of Prosecutors (IAP)"]
    assert [(x.date, x.date_precision, x.page) for x in f["signature_date"]] == [
        ("2014-03-07", "day", 2)]
    assert [x.date for x in f["effective_date"]] == ["2014-04-01"]
    assert "1920" not in {x.evidence for x in facts}  # a recital's founding year has no cue
    assert all(x.org_id == "aba" for x in facts) and len({x.fact_id for x in facts}) == len(facts)


def test_pdf_facts_mou_month_precision(built, rules):
    doc = built["mou"]
    facts = pdf_facts(doc, rules)
    assert_provenance(doc, facts)
    summary = document_summary(doc, facts)
    assert summary.document_kind == "mou"
    assert (summary.document_date, summary.document_date_precision) == ("2012-06", "month")
    assert summary.document_parties[1] == "The Global Prosecutors E-Crime Network (GPEN) of the IAP"
    assert summary.pages == 1 and summary.document_title == "MEMORANDUM OF UNDERSTANDING"


def test_pdf_facts_ligatures_matched_raw_text_kept(built, rules):
    if "lig" not in built:
        pytest.skip("needs DejaVu Sans")
    doc = built["lig"]
    facts = pdf_facts(doc, rules)
    assert_provenance(doc, facts)
    f = by_field(facts)
    assert f["document_title"][0].value == "Official Agreement"
    assert f["document_title"][0].evidence == "O\ufb03cial Agreement"
    assert f["party"][0].value == "the Office of the Prosecutor"
    assert f["party"][0].evidence == "the Of\ufb01ce of the Prosecutor"


def page_doc(*texts):
    return PdfDocument(source_file="d.pdf", source_sha256="0" * 64,
                       pages=tuple(PdfPage(i + 1, t) for i, t in enumerate(texts)))


@pytest.mark.parametrize("text, field, date, precision", [
    ("Done at The Hague on the 7th day of March 2014.", "signature_date", "2014-03-07", "day"),
    ("Signed in Vienna, December 2003.", "signature_date", "2003-12", "month"),
    ("Signed on March 7, 2014 by both parties.", "signature_date", "2014-03-07", "day"),
    ("Dated 2014-03-07.", "signature_date", "2014-03-07", "day"),
    ("Concluded in 2009 at Paris.", "signature_date", "2009", "year"),
    ("It shall enter into force on 1 May 2015.", "effective_date", "2015-05-01", "day"),
])
def test_pdf_facts_dates(text, field, date, precision, rules):
    facts = [f for f in pdf_facts(page_doc(text), rules) if f.field.endswith("_date")]
    assert [(f.field, f.date, f.date_precision) for f in facts] == [(field, date, precision)]


@pytest.mark.parametrize("text", [
    "The Association was founded in 1920.",           # no signature cue
    "Signed under reference 1394150400.",             # ten digits are never a timestamp
    "Signed. The meeting of 7 March 2014 was held.",  # the cue is in another sentence
    "Signed under Section 2014 of the rules.",        # not a month
])
def test_pdf_facts_not_dates(text, rules):
    assert not [f for f in pdf_facts(page_doc(text), rules) if f.field.endswith("_date")]


def test_pdf_facts_iso_date_never_fills_in_today():
    assert iso_date("December 2003", "month") == "2003-12"
    assert iso_date("2003", "year") == "2003"
    assert iso_date("1394150400", "day") is None
    assert iso_date("Section 2014", "month") is None


@pytest.mark.parametrize("text, parties", [
    ("BETWEEN\nThe Council of Europe\nAND\nthe IAP, hereinafter the Parties",
     ["The Council of Europe", "the IAP"]),
    ("made between A Body and B Body; it", ["A Body", "B Body"]),
    ("between the Office of the\nProsecutor and the Union of\nJudges\nArticle 1",
     ["the Office of the\nProsecutor", "the Union of\nJudges"]),
])
def test_pdf_facts_parties(text, parties, rules):
    facts = [f for f in pdf_facts(page_doc(text), rules) if f.field == "party"]
    assert [f.evidence for f in facts] == parties


@given(st.text(alphabet="ab \n\ufb01\ufb03\ufb00\u200b\u00a0", max_size=30), st.data())
def test_pdf_facts_view_spans_map_back(text, data):
    view, index = page_view(text)
    assert len(index) == len(view) + 1
    start = data.draw(st.integers(0, len(view)))
    end = data.draw(st.integers(start, len(view)))
    s, e = raw_span(index, start, end)
    assert 0 <= s <= e <= len(text)
    assert view[start:end] in page_view(text[s:e])[0]


def test_pdf_facts_match_the_reading_view_and_keep_the_raw_text(rules):
    text = "between A\u200bBody and the Of\ufb01ce â€“ Rome; signed on 7\u00a0March 2014."
    facts = pdf_facts(page_doc(text), rules)
    assert [f.value for f in facts if f.field == "party"] == ["A Body", "the Office – Rome"]
    assert [f.evidence for f in facts if f.field == "party"] == ["A\u200bBody",
                                                                 "the Of\ufb01ce â€“ Rome"]
    assert [f.date for f in facts if f.field == "signature_date"] == ["2014-03-07"]


def test_pdf_facts_rules_errors_name_file_and_key(tmp_path):
    (tmp_path / "agreement_kinds.yaml").write_text("kinds:\n  - id: mou\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"agreement_kinds.yaml: kinds\[0\]"):
        load_agreement_rules(tmp_path)
    (tmp_path / "agreement_kinds.yaml").write_text(
        "kinds:\n  - {id: mou, definition: d, phrases: [mou]}\n", encoding="utf-8")
    (tmp_path / "agreement_parties.yaml").write_text(
        "open: [between]\nseparator: [and]\ndocument: {stops: [x], continues_after: [on]}\n",
        encoding="utf-8")
    with pytest.raises(RuleError, match=r"agreement_parties.yaml: document: continues_after"):
        load_agreement_rules(tmp_path)
    (tmp_path / "agreement_parties.yaml").write_text(
        (RULES_DIR / "agreement_parties.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "agreement_document.yaml").write_text(
        "dates: {signature: [signed], effective: []}\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"agreement_document.yaml: dates.effective"):
        load_agreement_rules(tmp_path)


def test_pdf_facts_every_kind_has_a_definition():
    import yaml

    rules_dir = Path(__file__).resolve().parents[2] / "rules"
    data = yaml.safe_load((rules_dir / "agreement_kinds.yaml").read_text(encoding="utf-8"))
    assert {k["id"] for k in data["kinds"]} >= {"agreement", "mou"}
    assert all(k["definition"].strip() for k in data["kinds"])
