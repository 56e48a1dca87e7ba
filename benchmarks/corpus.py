"""A deterministic benchmark corpus: the IAP page's entries recombined into many pages.

Reads: the real page (`raw/iap-co-operation-with-others.txt`), cut into its preamble and its
entries by the pipeline's own segmenter. Writes, into one folder: `page-NNNNN.txt` pages, each
the page's preamble followed by 12-40 entries drawn (with repetition) by a seeded generator,
every tenth page rendered as HTML (`page-NNNNN.html`, like `tests/data/iap-page.html`: one <p>
per paragraph, the heading in <strong>); and, beside the folder, `<folder>.json` describing
what was written (outside it, so `partners run <folder>` reads pages only).

The same `entries` and `seed` always give the same bytes (the summary carries their sha256).

    python -m benchmarks.corpus --entries 1000 --out benchmarks/out/corpus-1x
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "raw" / "iap-co-operation-with-others.txt"
ENTRIES_PER_1X = 1000
SEED = 20261127
PAGE_SIZES = (12, 40)  # entries per page, inclusive
HTML_EVERY = 10        # every tenth page is an HTML rendering


@dataclass(frozen=True)
class Block:
    """One entry of the source page: its heading and its paragraphs, as text."""

    heading: str
    paragraphs: tuple[str, ...]

    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def source_blocks(source: Path = SOURCE) -> tuple[str, list[Block]]:
    """The page's preamble and its entries, cut by the pipeline's segmenter."""
    from pipeline.extract.rules import load_rules
    from pipeline.ingest.reader import ingest
    from pipeline.model import Document, Entry
    from pipeline.segment.segmenter import segment

    doc = next(r for r in ingest([str(source)]) if isinstance(r, Document))
    entries = [e for e in segment([doc], load_rules().segment) if isinstance(e, Entry)]
    text = doc.text
    blocks = [Block(text[e.char_start:e.heading_end],
                    tuple(text[s:t] for s, t in e.paragraphs)) for e in entries]
    return text[:entries[0].char_start].rstrip("\n"), blocks


def page_to_html(title: str, intro: str, blocks: list[Block]) -> str:
    """An HTML rendering of a page: each paragraph a <p>, each heading in <strong>."""
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{html.escape(title)}</title>", "</head>", "<body>", "<main>",
           f"<h1>{html.escape(title)}</h1>"]
    out.extend(f"<p>{html.escape(p)}</p>" for p in intro.split("\n\n") if p)
    for block in blocks:
        first, rest = block.paragraphs[0], block.paragraphs[1:]
        head = first[:len(block.heading)] if first.startswith(block.heading) else ""
        out.append(f"<p><strong>{html.escape(head)}</strong>{html.escape(first[len(head):])}</p>")
        out.extend(f"<p>{html.escape(p)}</p>" for p in rest)
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def summary_path(out: Path) -> Path:
    return Path(out).parent / f"{Path(out).name}.json"


def generate(out: Path, entries: int, seed: int = SEED, source: Path = SOURCE) -> dict:
    """Write a corpus of about `entries` entries into `out` (replaced); return its summary."""
    preamble, blocks = source_blocks(source)
    title, _, intro = preamble.partition("\n\n")
    rng = random.Random(seed)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    digest, pages, written, words = hashlib.sha256(), 0, 0, 0
    while written < entries:
        pages += 1
        chosen = rng.choices(blocks, k=min(rng.randint(*PAGE_SIZES), entries - written))
        written += len(chosen)
        words += sum(len(b.text().split()) for b in chosen)
        if pages % HTML_EVERY == 0:
            name, body = f"page-{pages:05d}.html", page_to_html(title, intro, chosen)
        else:
            name = f"page-{pages:05d}.txt"
            body = "\n\n".join([preamble] + [b.text() for b in chosen]) + "\n"
        data = body.encode("utf-8")
        (out / name).write_bytes(data)
        digest.update(name.encode() + b"\0" + data)
    summary = {"entries": written, "pages": pages, "entry_words": words, "seed": seed,
               "source": str(source.relative_to(ROOT)) if source.is_relative_to(ROOT) else str(source),
               "sha256": digest.hexdigest()}
    summary_path(out).write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=ENTRIES_PER_1X)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.out, args.entries, args.seed), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
