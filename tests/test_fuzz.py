"""Property tests on generated partner pages (hypothesis).

Every generated page goes through ingest, segment, extract and export, and must give: no
exception, the provenance invariant for every fact, entries that cover the page without
overlapping, every paragraph accounted for, CSV and Parquet reading back equal.

CI runs the bounded profile from conftest.py (`ci`); a longer search:
    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import project_host
from hardening import check_provenance, read_dataset
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.ingest.reader import Source, bytes_to_document
from pipeline.ingest.reading_view import reading_view
from pipeline.model import Accounting, Entry, Extraction, Issue
from pipeline.segment.segmenter import segment

ODD_SPACES = ["\u00a0", "\u200b", "\u202f", "\u2009", "\ufeff"]
SEPARATORS = [" - ", " \u2013 ", " \u2014 ", " -", "\u2013 ", " \u2014", "  -  ", "\u00a0- ",
              " \u00e2\u20ac\u201c "]  # the last one is a mojibake en dash
MONTHS = ["January", "March", "May", "December", "Sept.", "june"]

space = st.sampled_from([" "] * 6 + ODD_SPACES)
acronym = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=6)
word = st.sampled_from(["International", "Association", "of", "Prosecutors", "European",
                        "Council", "Bar", "Network", "the", "for", "Law", "Justice", "Union",
                        "Office", "Crime", "Ibero-American", "Commission"])
name = st.lists(word, min_size=1, max_size=6).map(" ".join)
year = st.integers(min_value=0, max_value=99999).map(str)
number = st.one_of(st.integers(min_value=0, max_value=10 ** 24).map(str),
                   st.integers(min_value=1000, max_value=10 ** 9).map(lambda n: f"{n:,}"),
                   st.sampled_from(["five", "two billion", "400\u00a0000", "1.5 million"]))


@st.composite
def date(draw) -> str:
    parts = [draw(year)]
    if draw(st.booleans()):
        parts.insert(0, draw(st.sampled_from(MONTHS)))
        if draw(st.booleans()):
            parts.insert(0, str(draw(st.integers(min_value=0, max_value=40))))
    return draw(space).join(parts)


@st.composite
def sentence(draw) -> str:
    kind = draw(st.sampled_from(["founded", "members", "based", "agreement", "noise", "text",
                                 "decade", "numeric"]))
    if kind == "founded":
        verb = draw(st.sampled_from(["founded", "established", "set up", "created"]))
        return f"It was {verb} {draw(st.sampled_from(['in', 'on']))} {draw(date())}."
    if kind == "members":
        qualifier = draw(st.sampled_from(["", "nearly ", "more than ", "some ", "up to "]))
        unit = draw(st.sampled_from(["members", "member countries", "Member States", "citizens"]))
        return f"It has {qualifier}{draw(number)}{draw(space)}{unit}."
    if kind == "based":
        return f"Its headquarters are in {draw(st.sampled_from(['Chicago', 'Strasbourg', 'Nowhere']))}."
    if kind == "agreement":
        return (f"A memorandum of understanding between the IAP and the {draw(name)} was "
                f"signed on {draw(date())}.")
    if kind == "noise":
        return draw(st.sampled_from(["?", "!", "(", "-", ".", "\u2014", "=", "@"])) \
            * draw(st.integers(min_value=1, max_value=400))
    if kind == "decade":
        return f"It originated in the {draw(st.sampled_from(['late ', 'early ', '']))}" \
               f"{draw(st.sampled_from(['90s', '1980s', '20s']))}."
    if kind == "numeric":
        return f"It was founded on {draw(st.sampled_from(['03/04/2005', '12/31/68', '1234567890']))}."
    return draw(st.text(min_size=0, max_size=60))


@st.composite
def heading(draw) -> str:
    layout = draw(st.sampled_from(["dash", "dash", "paren", "bare", "empty", "group"]))
    sep = draw(st.sampled_from(SEPARATORS))
    if layout == "dash":
        return f"{draw(acronym)}{sep}{draw(name)}{sep}"
    if layout == "paren":
        return f"{draw(name)} ({draw(acronym)}){sep}"
    if layout == "group":
        return f"{draw(name)}{sep}{draw(acronym)}{sep}{draw(name)}{sep}"
    if layout == "empty":
        return draw(st.sampled_from(["", " - ", "\u2013", "-\u00a0-"]))
    return f"{draw(name)}\n"


@st.composite
def page(draw) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["Partners", "Cooperation with other organisations",
                                           "The Association works with:"])) + "\n\n")
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        body = " ".join(draw(st.lists(sentence(), min_size=0, max_size=4)))
        parts.append(draw(heading()) + body)
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            parts.append(draw(st.sampled_from(["\n", "\n\n", "\n \n"])) + draw(sentence()))
        parts.append(draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n\n\n"])))
    return "".join(parts)


def run_page(text: str, folder: Path, rules, extractor):
    """Every stage on one page; returns (document, entries, accounting, dataset)."""
    from pipeline.dataset.export import export
    from pipeline.dataset.staging import output_folder

    path = folder / "page.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = bytes_to_document(path.read_bytes(), Source(path=str(path), media_type="text/plain"))
    entries, accounting, issues = [], [], []
    for record in segment([doc], rules.segment):
        (entries if isinstance(record, Entry) else
         accounting if isinstance(record, Accounting) else issues).append(record)
    extractions = list(extractor.run((e, doc) for e in entries))
    with output_folder(folder / "out") as stage:
        export(extractions, stage, folder / "out", documents=[doc], accounting=accounting,
               issues=issues, host=project_host(),
               relationship_order=[t["term"] for t in rules.relationships])
    return doc, entries, accounting[0], read_dataset(folder / "out"), extractions


MARKUP = " \t\r\n-=*_#>|+\u2022"   # bullets, rules and underlines: in no block of their own


def check_cover(text: str, entries: list[Entry], acc: Accounting) -> None:
    """Entries in order, not overlapping; what lies outside them is whitespace, markup (in no
    block: a bullet, a setext underline) or accounted for: preamble, group headings,
    boilerplate, unused. Every paragraph and block is counted once."""
    view = reading_view(text)
    spans = [(e.char_start, e.char_end) for e in entries]
    if acc.layout == "prose":  # the sentences about each organisation: they may overlap
        merged: list = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        spans = merged
    assert spans == sorted(spans)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end <= start, (end, start)
    outside = sum(1 for s, e in zip([0] + [b for _, b in spans], [a for a, _ in spans] + [len(text)])
                  if view[s:e].strip(MARKUP))
    assert outside == 0 or acc.in_preamble + acc.in_groups + acc.boilerplate + acc.unused > 0 \
        or acc.blocks_total > acc.blocks_in_entries
    assert acc.paragraphs == acc.in_entries + acc.in_preamble + acc.in_groups \
        + acc.boilerplate + acc.unused
    assert acc.blocks_total == acc.blocks_in_entries + acc.blocks_in_preamble \
        + acc.blocks_in_groups + acc.blocks_boilerplate + acc.blocks_unused
    for e in entries:
        assert e.char_start <= e.heading_end <= e.char_end
        paras = list(e.paragraphs)
        assert paras and paras[0][0] == e.char_start and paras[-1][1] == e.char_end
        assert all(a[1] <= b[0] for a, b in zip(paras, paras[1:]))


@given(page())
# pages hypothesis once found: a setext underline after a dash heading; a prose sentence after
# a lone bullet
@example("AA - International - \n---\n\n")
@example("A memorandum of understanding between the IAP and the International Association was "
         "signed on 0.\n - \nIt was founded in 0.\n\n")
def test_fuzz_generated_pages_keep_every_invariant(rules, extractor_factory, text):
    from pipeline.ingest.reader import IngestError

    with tempfile.TemporaryDirectory() as tmp:
        try:
            doc, entries, acc, ds, extractions = run_page(text, Path(tmp), rules,
                                                          extractor_factory())
        except IngestError as err:  # empty, or control characters (a NUL): refused, said why
            assert err.reason in ("empty", "binary")
            assert not text.strip() or any(ord(c) < 32 and c not in "\t\n\r\f\v" for c in text)
            return
        assert [x.entry for x in extractions if isinstance(x, Extraction)] == entries
        check_provenance(ds.facts)
        for agreement in ds.tables["agreements"]:
            assert doc.text[agreement.char_start:agreement.char_end] == agreement.evidence
        check_cover(doc.text, entries, acc)
        if acc.layout != "prose":  # prose: a paragraph counts once however many hold it
            assert acc.in_entries == sum(len(e.paragraphs) for e in entries)
        assert len(ds.tables["organisations"]) == len(entries)
        if doc.text.strip() and not entries:
            raise AssertionError("a page with text has at least one entry")
        for issue in ds.issues:
            assert isinstance(issue, Issue) and issue.stage and issue.reason


@given(st.text(min_size=1, max_size=300))
def test_fuzz_any_unicode_text_is_a_page_or_a_clear_issue(rules, extractor_factory, text):
    from pipeline.ingest.reader import IngestError

    try:
        doc = bytes_to_document(text.encode("utf-8"), Source(path="t.txt", media_type="text/plain"))
    except IngestError as err:
        assert err.reason in ("empty", "binary")
        return
    with tempfile.TemporaryDirectory() as tmp:
        _, entries, acc, ds, _ = run_page(doc.text, Path(tmp), rules, extractor_factory())
        check_cover(doc.text, entries, acc)
        check_provenance(ds.facts)


@given(st.binary(max_size=400))
def test_fuzz_random_bytes_never_crash_ingest(data):
    from pipeline.ingest.reader import IngestError

    try:
        doc = bytes_to_document(data, Source(path="b.txt", media_type="text/plain"))
    except IngestError as err:
        assert err.reason in ("empty", "binary")
    else:
        assert doc.text.strip()
