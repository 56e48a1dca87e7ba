"""The floor of any spaCy pipeline: `spacy.blank("en").tokenizer` over the texts of a run.

    python -m benchmarks.tokenizer_baseline benchmarks/out/iap-60x [more inputs ...]
    python -m benchmarks.tokenizer_baseline --cut pages|none INPUT ...   (see one_cut)

Reads the inputs as `partners run` does (HTML through `pipeline.ingest.html`) and gives the
tokenizer the reading view the pipeline gives it (odd spaces made plain, one character for one),
in two cuts:

- `pages`: each input file's text as one document, as the issue's baseline measured it ("spaCy's
  bare tokenizer over the same text in its own process", net of its imports). This is the
  baseline of the throughput target.
- `entries`: the text of each entry the pipeline extracts from (the same cut, the same reading
  view as `Extractor.prepare` tokenises), one document each.

The two differ by up to 8x on the same text, because of spaCy's tokenizer cache: it keeps the
tokens of each whitespace-separated chunk it has split, but stops keeping them for the rest of a
document once it meets a special case ("U.S.", "don't", a lone quote), so a long document
misses the cache from its first special case on, while short ones (entries, paragraphs) fill
it and then hit it. Prints JSON: words (whitespace-separated, the unit of the rates), and for
each cut the seconds the tokenizer took (imports, reading and segmenting excluded) and words per
second.
"""

from __future__ import annotations

import json
import sys
import time


def page_texts(inputs: list[str]) -> list[str]:
    """The reading view of every page the inputs hold, in the order a run reads them."""
    from pipeline.ingest.reader import ingest
    from pipeline.ingest.reading_view import reading_view
    from pipeline.model import Document

    return [reading_view(d.text) for d in ingest(inputs) if isinstance(d, Document)]


def entry_texts(inputs: list[str]) -> list[str]:
    """The matching view of every entry (or piece of a long one) a run extracts from."""
    from pipeline.extract.extractor import PIECE_CHARS
    from pipeline.extract.rules import load_rules
    from pipeline.ingest.reader import ingest
    from pipeline.ingest.reading_view import matching_view, text_pieces
    from pipeline.model import Document, Entry
    from pipeline.segment.segmenter import segment

    rules = load_rules()
    out = []
    for doc in ingest(inputs):
        if not isinstance(doc, Document):
            continue
        for entry in segment([doc], rules.segment):
            if isinstance(entry, Entry):
                out += [matching_view(doc.text[s:e]) for s, e in
                        text_pieces(doc.text, entry.char_start, entry.char_end, PIECE_CHARS)]
    return out


def timed(tokenizer, texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        tokenizer(text)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    import spacy

    if argv[:1] == ["--cut"]:   # for counting instructions (`benchmarks.instructions`)
        return one_cut(argv[1], argv[2:])
    pages, entries = page_texts(argv), entry_texts(argv)
    words = sum(len(text.split()) for text in pages)
    report = {"words": words}
    # each cut with a tokenizer of its own, so neither starts with the other's cache
    for name, texts in (("pages", pages), ("entries", entries)):
        seconds = timed(spacy.blank("en").tokenizer, texts)
        report[name] = {"documents": len(texts), "tokenize_s": round(seconds, 3),
                        "words_per_s": round(words / seconds)}
    print(json.dumps(report))
    return 0


def one_cut(cut: str, inputs: list[str]) -> int:
    """`--cut pages`: the tokenizer over each page, nothing else; `--cut none`: the same run
    without tokenising, so that two instruction counts differ by the tokenizer's work alone."""
    import spacy

    if cut not in ("pages", "none"):
        raise SystemExit(f"--cut: pages or none, not {cut!r}")
    pages, tokenizer = page_texts(inputs), spacy.blank("en").tokenizer
    if cut == "pages":
        for text in pages:
            tokenizer(text)
    print(json.dumps({"cut": cut, "documents": len(pages)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
