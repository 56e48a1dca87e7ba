"""The floor of any spaCy pipeline: `spacy.blank("en").tokenizer` over a corpus's texts.

    python -m benchmarks.tokenizer_baseline benchmarks/out/corpus-10x

Reads every page of the folder as `partners run` does (HTML through `pipeline.ingest.html`) and gives
the tokenizer the reading view the pipeline gives it (odd spaces made plain, one character for
one): on the raw text every no-break space sends a long "word" down spaCy's slow affix path,
which made the tokenizer 8x slower and the ratio flattering. Prints JSON: words
(whitespace-separated, the unit of both rates), the seconds the tokenizer took (imports and
reading excluded) and words per second.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def page_texts(folder: Path) -> list[str]:
    from pipeline.ingest.html import html_to_text

    texts = []
    for path in sorted(Path(folder).iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        texts.append(html_to_text(text).text if path.suffix == ".html" else text)
    return texts


def main(argv: list[str]) -> int:
    import spacy

    from pipeline.ingest.reading_view import reading_view

    texts = [reading_view(text) for text in page_texts(Path(argv[0]))]
    tokenizer = spacy.blank("en").tokenizer
    start = time.perf_counter()
    tokens = sum(len(tokenizer(text)) for text in texts)
    seconds = time.perf_counter() - start
    words = sum(len(text.split()) for text in texts)
    print(json.dumps({"words": words, "tokens": tokens, "tokenize_s": round(seconds, 3),
                      "words_per_s": round(words / seconds)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
