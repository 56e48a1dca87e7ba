"""The inputs of the throughput and cost-per-MB benchmarks, written deterministically.

- `iap-60x/page.txt`: the IAP page (raw/) repeated 60 times in one file (2,040 entries, 1.5 MB).
- `real-pages-20x/`: every page of the real-page corpus (`../shared/corpus/pages`, outside this
  repository; skipped when absent) copied 20 times, each copy a file of its own.
- `dense/page.txt`: thousands of facts in one entry: a heading, then one paragraph of the
  sentence "The XYZ12 was founded in 1912 and has 130 members, based in Vienna." 12,000 times
  (800 KB, 24,000 facts and 12,000 issues).
- `one-line/page.txt`: that sentence 15,000 times on one line, nothing else (1 MB).
- `punctuation/page.txt`: a heading, then runs of punctuation ("?!.,;:()[]-" and ". . .") over
  1 MB.
- `tiny-entries/page.txt`: 10,000 one-line entries ("ABCD - Association of Abcd Lawyers -
  Founded in 1900."), each a different made-up name (540 KB).

    python -m benchmarks.inputs benchmarks/out
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

from .corpus import ROOT
from .corpus import SOURCE as IAP_PAGE

CORPUS_PAGES = ROOT.parent / "shared" / "corpus" / "pages"
DENSE = "The XYZ12 was founded in 1912 and has 130 members, based in Vienna. "
HEADING = "XYZ12 (XYZ Association Twelve)\n\n"


def write(path: Path, text: str) -> Path:
    """Write `text` unless the file already holds it; the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def iap_repeated(out: Path, copies: int = 60) -> Path:
    page = IAP_PAGE.read_text(encoding="utf-8").rstrip("\n") + "\n"
    return write(out / f"iap-{copies}x" / "page.txt", page * copies).parent


def corpus_repeated(out: Path, copies: int = 20, source: Path = CORPUS_PAGES):
    """The corpus pages `copies` times over, or None when the corpus is not there."""
    pages = sorted(p for p in source.glob("*") if p.is_file()) if source.is_dir() else []
    if not pages:
        return None
    folder = out / f"real-pages-{copies}x"   # not corpus-Nx: benchmarks.run's generated corpora
    wanted = {f"{p.stem}-{k:02d}{p.suffix}": p for p in pages for k in range(copies)}
    if folder.is_dir():
        for old in folder.iterdir():
            if old.name not in wanted:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
    for name, page in wanted.items():
        write(folder / name, page.read_text(encoding="utf-8"))
    return folder


def tiny_entries(n: int = 10_000) -> str:
    rng = random.Random(20261201)
    lines = []
    for i in range(n):
        name = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
        lines.append(f"{name} - Association of {name.title()} Lawyers - "
                     f"Founded in {1900 + i % 120}.\n")
    return "".join(lines)


def costly(out: Path, share: float = 1.0) -> dict[str, Path]:
    """The inputs of the cost-per-MB benchmark: name -> folder. `share` scales every input
    (0.3: the same content, 30% of it, for `benchmarks.instructions`)."""
    def times(n: int) -> int:
        return max(1, round(n * share))

    texts = {
        "dense": HEADING + DENSE * times(12_000) + "\n",
        "one-line": DENSE * times(15_000),
        "punctuation": "ABA (American Bar Association)\n\n" + "?!.,;:()[]-" * times(45_000)
                       + "\n" + ". " * times(250_000) + "\n",
        "tiny-entries": tiny_entries(times(10_000)),
    }
    return {name: write(out / name / "page.txt", text).parent for name, text in texts.items()}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "benchmarks" / "out"
    print(iap_repeated(out), corpus_repeated(out), *costly(out).values(), sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
