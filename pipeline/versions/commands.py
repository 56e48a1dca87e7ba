"""The commands `partners diff` and `partners review`: arguments in, a report or a page out.

Thin: parse, load the two versions, call `diff_datasets`, `FORMATS` or `render_page`, and turn
the expected failures (a dataset that cannot be read: a missing, truncated or disagreeing file,
a line that is not what the pipeline writes; an output that cannot be written) into one line
on stderr and exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.io import OutputError, atomic_path
from pipeline.versions.diff import ERROR as EXIT_ERROR
from pipeline.versions.diff import diff_datasets
from pipeline.versions.report import FORMATS
from pipeline.versions.review import render_page
from pipeline.versions.version import DatasetError, load_dataset, load_folder


def add_diff_arguments(parser) -> None:
    """Arguments of `partners diff`."""
    parser.add_argument("old", help="the old dataset: a folder, or a git revision of DATASET_DIR")
    parser.add_argument("new", nargs="?", default=None,
                        help="the new dataset (default: DATASET_DIR in the working tree)")
    parser.add_argument("--format", "-f", choices=["text", "markdown", "json", "html"],
                        default="text", help="output format (html: the review page)")
    parser.add_argument("--out", "-o", default=None, help="write here instead of stdout")
    parser.add_argument("--dataset-dir", default="extracted",
                        help="the dataset folder inside the repository (default: extracted)")


def one_line(command: str, err: Exception) -> str:
    """The message of an expected failure as one line (a path may hold a newline)."""
    return f"partners {command}: " + str(err).replace("\r", "\\r").replace("\n", "\\n")


def diff_main(args) -> int:
    """Run `partners diff`; exit 0 nothing to report, 1 error, 2 organisations, issues or
    metrics changed, 3 schema changed (a column, or a file only one version has)."""

    try:
        old = load_dataset(args.old, args.dataset_dir)
        new = load_dataset(args.new or args.dataset_dir, args.dataset_dir)
        result = diff_datasets(old, new)
        if args.format == "html":
            text = render_page(new, result)
        else:
            text = FORMATS[args.format](result)
        if args.out:
            with atomic_path(args.out) as tmp:
                tmp.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    except (DatasetError, OutputError, OSError) as err:
        print(one_line("diff", err), file=sys.stderr)
        return EXIT_ERROR
    return result.exit_code


def add_review_arguments(parser) -> None:
    """Arguments of `partners review`."""
    parser.add_argument("--dataset", default="extracted", help="the dataset folder (default: extracted)")
    parser.add_argument("--diff", default=None, metavar="OLD",
                        help="show what changed since OLD (a dataset folder or a git revision)")
    parser.add_argument("--out", default=None,
                        help="the page to write (default: DATASET/review.html)")
    parser.add_argument("--root", default=".",
                        help="the project folder the sources' paths start from (default: .); "
                             "only files the dataset's datapackage.json lists, inside it or "
                             "beside the dataset, are read, and only with their sha256")


def review_main(args) -> int:
    """Run `partners review`: write the page; 1 on an error."""

    try:
        dataset = load_folder(Path(args.dataset))
        diff = diff_datasets(load_dataset(args.diff, args.dataset), dataset) if args.diff else None
        out = Path(args.out) if args.out else Path(args.dataset) / "review.html"
        with atomic_path(out) as tmp:
            tmp.write_text(render_page(dataset, diff, root=Path(args.root)), encoding="utf-8")
    except (DatasetError, OutputError, OSError) as err:
        print(one_line("review", err), file=sys.stderr)
        return 1
    if not getattr(args, "quiet", False):
        print(f"wrote {out}", file=sys.stderr)
    return 0
