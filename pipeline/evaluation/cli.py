"""`python -m pipeline.evaluation [CORPUS_DIR]`: score the pipeline on the annotated corpus.

Runs `partners run` on every page of the corpus (manifest.tsv), aligns the organisations it
finds with the gold records (gold.jsonl) and prints per-field precision, recall and F1 as a
Markdown table (matching rules: `pipeline.evaluation.score`). `--details` adds, per page, what
was predicted wrong and what was missed; `--json FILE` writes all figures.

Exit codes: 0 done; 1 error (corpus unreadable, a page's run failed) or, with `--min-precision`
/ `--min-f1`, a field below its threshold.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence, Union

from pipeline.evaluation.corpus import DEFAULT_CORPUS, CorpusError, load_corpus
from pipeline.evaluation.report import (
    below_thresholds,
    details,
    figures,
    markdown_table,
)
from pipeline.evaluation.runner import run_corpus
from pipeline.evaluation.score import score_corpus
from pipeline.io import progress_wanted


def ratio(text: str) -> float:
    """A threshold between 0 and 1, for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The evaluation's options (also used when `partners eval` registers it)."""
    parser.add_argument("corpus", nargs="?", type=Path, default=None,
                        help=f"corpus folder with manifest.tsv, gold.jsonl and pages/ "
                             f"(default: ../shared/corpus from the project root, "
                             f"{DEFAULT_CORPUS.resolve()})")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="also write the figures (totals, per page, misses) as JSON")
    parser.add_argument("--details", action="store_true",
                        help="print per page what was predicted wrong (FP) and missed (FN)")
    parser.add_argument("--min-precision", type=ratio, default=None, metavar="X",
                        help="exit 1 if a field's precision is below X")
    parser.add_argument("--min-f1", type=ratio, default=None, metavar="Y",
                        help="exit 1 if a field's F1 is below Y")
    parser.add_argument("--page", action="append", dest="pages", default=None, metavar="NAME",
                        help="only the pages whose file name starts with NAME (repeatable)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="keep each page's pipeline output in DIR/<page>/ "
                             "(default: a temporary folder, removed)")
    parser.add_argument("--rules", type=Path, default=None,
                        help="rules folder handed to `partners run` (default: the project's)")


def build_parser() -> argparse.ArgumentParser:
    """The stand-alone parser of `python -m pipeline.evaluation`."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluation",
                                     description=(__doc__ or "").split("\n\n")[1])
    add_arguments(parser)
    return parser


def evaluate(args: argparse.Namespace) -> int:
    """Run, score and report as the parsed options say; the exit code."""
    folder = args.corpus if args.corpus is not None else DEFAULT_CORPUS
    if not folder.is_dir():
        raise CorpusError(f"corpus folder not found: {folder.resolve()} (give its path as "
                          f"the first argument)")
    corpus = load_corpus(folder)
    pages = [p for p in corpus.pages
             if not args.pages or any(Path(p.file).name.startswith(n) for n in args.pages)]
    if not pages:
        raise CorpusError(f"no page of {folder} matches {', '.join(args.pages)}")
    runs = run_corpus(corpus, pages, keep=args.keep, rules=args.rules,
                      progress=progress_wanted(getattr(args, "quiet", False)))
    score = score_corpus((r.page.file, r.organisations, corpus.gold_for(r.page), r.error)
                         for r in runs)
    print(f"partners evaluation: {len(pages)} pages, "
          f"{sum(len(corpus.gold_for(p)) for p in pages)} gold organisations "
          f"({folder.resolve()})\n")
    print(markdown_table(score.totals))
    if args.details:
        print("\n" + details(score), end="")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures(score, str(folder.resolve())), indent=2,
                                        ensure_ascii=False) + "\n", encoding="utf-8")
    failed = [r for r in runs if r.error]
    for r in failed:
        print(f"partners eval: {r.page.file}: run failed: {r.error}", file=sys.stderr)
    low = below_thresholds(score.totals, args.min_precision, args.min_f1)
    for message in low:
        print(f"partners eval: below threshold: {message}", file=sys.stderr)
    return 1 if failed or low else 0


def main(argv: Union[Sequence[str], argparse.Namespace, None] = None) -> int:
    """Entry point: argv (a list, or None for sys.argv) or options already parsed."""
    if isinstance(argv, argparse.Namespace):
        args = argv  # parsed by the main `partners` parser through add_arguments
    else:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exit_:
            # the project's convention: 1 for any error, also a usage error (argparse's 2)
            return 0 if exit_.code in (0, None) else 1
    try:
        return evaluate(args)
    except (CorpusError, OSError) as err:
        print(f"partners eval: error: {err}", file=sys.stderr)
        return 1
