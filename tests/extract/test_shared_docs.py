"""pipeline.extract.shared_docs: short entries matched in one doc find what their own docs find."""

from __future__ import annotations

import layouts
import pytest

import pipeline.extract.extractor as extractor_module
import pipeline.extract.shared_docs as shared_docs
from pipeline.extract.doc_reading import Window, matched, set_window, words_before
from pipeline.ingest.reader import Source, bytes_to_document
from pipeline.model import Entry
from pipeline.segment.segmenter import segment
from pipeline.stages import as_text_source

# Entries whose edges would read into their neighbours in a shared doc: a count whose unit
# ends the entry (the next entry's first word would make it a count of another noun), a
# pattern's words across the break, label lines, an entry of punctuation first, host mentions.
EDGES = """\
AAA - Alpha Association of Lawyers - It has 15 member

BBB - Beta Network - Formed by 20 members. Its secretariat is based in

CCC - Gamma Council - Vienna hosts it. It signed a memorandum of understanding with the

IAP - the IAP said so. Founded: 1995
Headquarters: Geneva

DDD - Delta Forum - (Founded in 1990) It has more than 300 members, based in Paris

EEE - Epsilon Union - The association was founded in
"""


def items_of(name: str, data: bytes, rules) -> list[tuple[Entry, object]]:
    media = "text/html" if name.endswith(".html") else "text/plain"
    doc = as_text_source(bytes_to_document(data, Source(path=name, media_type=media)))
    return [(e, doc) for e in segment([doc], rules.segment) if isinstance(e, Entry)]


def analyses(extractor, items, monkeypatch, short: int) -> tuple[list, int]:
    """The entries' analyses with entries up to `short` characters sharing docs, and how many
    docs were shared."""
    shared = []
    make = shared_docs.shared_doc

    def spy(*args):
        shared.append(1)
        return make(*args)

    monkeypatch.setattr(shared_docs, "SHORT_CHARS", short)
    monkeypatch.setattr(extractor_module, "shared_doc", spy)
    return [a for a, _, _ in extractor.analyses(items)], len(shared)


def assert_same_when_shared(items, extractor_factory, monkeypatch):
    own, none = analyses(extractor_factory(), items, monkeypatch, short=0)
    together, docs = analyses(extractor_factory(), items, monkeypatch, short=10**9)
    assert none == 0 and docs > 0
    assert together == own


@pytest.mark.parametrize("layout", sorted(set(layouts.LAYOUTS) - {"pdf"}))
def test_entries_of_every_layout_find_the_same_in_shared_docs(layout, rules, extractor_factory,
                                                               monkeypatch):
    name, data = layouts.LAYOUTS[layout](layouts.page())
    assert_same_when_shared(items_of(name, data, rules), extractor_factory, monkeypatch)


def test_entries_whose_edges_meet_find_the_same_in_shared_docs(rules, extractor_factory,
                                                                monkeypatch):
    items = items_of("edges.txt", EDGES.encode(), rules)
    assert len(items) == 6
    assert_same_when_shared(items, extractor_factory, monkeypatch)


def test_only_short_entries_trimmed_of_whitespace_share_a_doc():
    views = ["ab", " lead", "x" * (shared_docs.SHORT_CHARS + 1), "cd", "trail ", "ef"]
    assert shared_docs.groups(views) == [[0, 3, 5], [1], [2], [4]]
    many = ["y" * 100] * (shared_docs.DOC_CHARS // 100 + 5)
    assert all(len(g) * 101 <= shared_docs.DOC_CHARS + 101 for g in shared_docs.groups(many))


def test_a_shared_doc_keeps_each_entry_in_its_window(nlp, rules):
    items = items_of("two.txt", b"AAA - Alpha - It has 15 members\n\nBBB - Beta - Founded 1990",
                     rules)
    views = [doc.text[e.char_start:e.char_end] for e, doc in items]
    doc, windows = shared_docs.shared_doc(nlp, views, [e for e, _ in items])
    assert [doc.text[w.start_char:w.end_char] for w in windows] == views
    assert [doc[w.start:w.end].text for w in windows] == views
    # the break between them is a sentence of its own; each entry starts one
    assert doc[windows[0].end].text == "\n" and doc[windows[0].end].is_sent_start
    assert doc[windows[1].start].is_sent_start
    set_window(doc, windows[1])
    assert words_before(doc, windows[1].start + 1, 5)[0].i == windows[1].start


def test_matched_gives_only_the_spans_inside_the_window(nlp):
    from spacy.tokens import Span

    doc = nlp.make_doc("a b\nc d")
    doc.spans["k"] = [Span(doc, 0, 2), Span(doc, 1, 4), Span(doc, 3, 5), Span(doc, 4, 5)]
    set_window(doc, Window(0, 2, 0, 3))
    assert [(s.start, s.end) for s in matched(doc, "k")] == [(0, 2)]
    set_window(doc, Window(3, 5, 4, 7))
    assert [(s.start, s.end) for s in matched(doc, "k")] == [(3, 5), (4, 5)]
    assert matched(doc, "none") == ()
