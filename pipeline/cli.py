"""`partners`: the command line. Thin: parse arguments, call a stage, turn errors into one line.

    partners run [INPUT ...] [--out extracted]     all stages in one process (raw/ by default)
    partners ingest | segment | extract | export   the stages dvc.yaml runs, file to file
    partners pdf RAW --out FILE                    read the PDFs the manifest lists
    partners fetch URL [--into raw/]               download a page and its linked documents
    partners add FILE [--url URL]                  record a page saved by hand in raw/
    partners ids [--dataset extracted]             record published org ids in rules/org_ids.yaml
    partners diff OLD [NEW]                        what changed between two dataset versions
    partners review [--diff OLD]                   one HTML page to check every value's evidence
    partners eval [CORPUS]                         per-field precision/recall on real pages

Exit codes: 0 success, 1 error (a one-line message on stderr); `diff` adds 2 (values
changed) and 3 (schema changed).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Optional

from pipeline import runtime
from pipeline.cli_options import (
    UsageError,
    add_checks,
    add_host,
    add_ids,
    add_languages,
    add_licence,
    add_overrides,
    add_rules,
    add_workers,
    settings_from,
)


def say(args, text: str) -> None:
    """A status line on stderr (results go to stdout or files), unless -q."""
    if not args.quiet:
        print(text, file=sys.stderr)


def cmd_run(args) -> int:
    from pipeline.stages import run_all

    metrics = run_all(args.inputs or ["raw"], args.out, settings_from(args))
    say(args, f"partners: {metrics['organisations']} organisations, {metrics['facts']} facts, "
        f"{metrics['agreements']} agreements, {metrics['issues']} issues -> {args.out}/")
    if args.verbose and not args.quiet:
        for reason, n in metrics["issues_by_reason"].items():
            if n:
                print(f"  {n:5} {reason}  (details: {args.out}/issues.jsonl)", file=sys.stderr)
    return 0


def cmd_ingest(args) -> int:
    from pipeline.stages import ingest_stage

    n = ingest_stage(args.inputs, args.out, args.texts)
    say(args, f"ingest: {n} records -> {args.out}")
    return 0


def cmd_segment(args) -> int:
    from pipeline.stages import segment_stage

    n = segment_stage(args.documents, args.out, settings_from(args))
    say(args, f"segment: {n} records -> {args.out}")
    return 0


def cmd_extract(args) -> int:
    from pipeline.stages import extract_stage

    n = extract_stage(args.documents, args.entries, args.out, settings_from(args))
    say(args, f"extract: {n} records -> {args.out}")
    return 0


def cmd_export(args) -> int:
    from pipeline.stages import export_stage

    metrics = export_stage(args.documents, args.extractions, args.out, settings_from(args),
                           pdfs=args.pdf_records)
    say(args, f"export: {metrics['organisations']} organisations, {metrics['facts']} facts -> {args.out}/")
    return 0


# Commands whose module is imported only when they run: (name, module, its function adding the
# arguments, its function running the command, help).
COMMANDS = (
    ("pdf", "pipeline.documents.pdf", "add_arguments", "main",
     "read the PDFs a manifest lists (each in a limited worker)"),
    ("fetch", "pipeline.acquire.fetch", "add_arguments", "main",
     "download a page and the documents it links to into raw/"),
    ("add", "pipeline.acquire.add", "add_arguments", "main",
     "record a page saved by hand in raw/ and sources.yaml (path, url, sha256, date)"),
    ("ids", "pipeline.versions.ids", "add_arguments", "main",
     "record a published dataset's organisations in the org id registry (rules/org_ids.yaml)"),
    ("diff", "pipeline.versions.commands", "add_diff_arguments", "diff_main",
     "field-level changes between two dataset versions"),
    ("review", "pipeline.versions.commands", "add_review_arguments", "review_main",
     "write the evidence review page (self-contained HTML)"),
    ("eval", "pipeline.evaluation.cli", "add_arguments", "main",
     "score the pipeline on an annotated corpus of real pages (precision, recall, F1)"),
)


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("partners")
    except PackageNotFoundError:  # run from a checkout without installing
        return "unknown"


class Parser(argparse.ArgumentParser):
    """argparse's parser, with a usage error in one line that says where the help is."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(command: Optional[str] = None) -> argparse.ArgumentParser:
    """The parser; given the command about to run, only that command's module is imported."""
    parser = Parser(prog="partners", description=__doc__.split("\n\n")[0],
                    formatter_class=argparse.RawDescriptionHelpFormatter,
                    epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--version", action="version", version=f"partners {version()}",
                        help="say which version of partners runs, and exit")
    common = Parser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true",
                        help="no status lines or progress on stderr (errors still)")
    common.add_argument("-v", "--verbose", action="store_true",
                        help="also say where a run's issues are, by reason")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_parser = sub.add_parser
    sub.add_parser = lambda name, **kw: add_parser(name, parents=[common], **kw)  # -q/-v on all

    p = sub.add_parser("run", help="all stages in one process: raw page(s) -> dataset")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="files or folders (a folder with sources.yaml is read through it; "
                        "default: raw)")
    p.add_argument("--out", type=Path, default=Path("extracted"), metavar="DIR",
                   help="the dataset folder, replaced whole (default: %(default)s)")
    p.add_argument("--no-pdfs", dest="pdfs", action="store_false",
                   help="do not read the PDFs the manifest lists")
    add_workers(p), add_host(p), add_rules(p), add_ids(p), add_overrides(p), add_languages(p)
    add_checks(p), add_licence(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("ingest", help="raw files -> documents (JSON lines)")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files or folders (a folder with sources.yaml is read through it)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE",
                   help="the documents and issues, as JSON lines")
    p.add_argument("--texts", type=Path, default=Path("extracted/texts"), metavar="DIR",
                   help="where the text of HTML and PDF pages is named (the export saves it "
                        "there; default: %(default)s)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("segment", help="documents -> entries (JSON lines)")
    p.add_argument("documents", type=Path, help="output of `partners ingest`")
    p.add_argument("--out", type=Path, required=True, metavar="FILE",
                   help="the entries, paragraph accounting and issues, as JSON lines")
    add_host(p), add_rules(p)
    p.set_defaults(func=cmd_segment, pdfs=False)

    p = sub.add_parser("extract", help="documents + entries -> extractions (JSON lines)")
    p.add_argument("documents", type=Path, help="output of `partners ingest`")
    p.add_argument("entries", type=Path, help="output of `partners segment`")
    p.add_argument("--out", type=Path, required=True, metavar="FILE",
                   help="the extractions (facts per entry) and issues, as JSON lines")
    add_workers(p), add_host(p), add_rules(p), add_ids(p), add_languages(p)
    p.set_defaults(func=cmd_extract, pdfs=False)

    p = sub.add_parser("export", help="extractions -> the dataset (CSV, Parquet, metadata)")
    p.add_argument("documents", type=Path, help="output of `partners ingest`")
    p.add_argument("extractions", type=Path, help="output of `partners extract`")
    p.add_argument("--pdf-records", type=Path, default=None, metavar="FILE",
                   help="output of `partners pdf`, to link agreements to their PDFs")
    p.add_argument("--out", type=Path, required=True, metavar="DIR",
                   help="the dataset folder, replaced whole")
    add_host(p), add_rules(p), add_ids(p), add_overrides(p), add_checks(p), add_licence(p)
    p.set_defaults(func=cmd_export, pdfs=False)

    for name, module, add, run, helptext in COMMANDS:
        if command not in (None, name):
            sub.add_parser(name, help=helptext)  # listed in --help; its options load when used
            continue
        mod = importlib.import_module(module)
        p = sub.add_parser(name, help=helptext, description=helptext)
        getattr(mod, add)(p)
        p.set_defaults(func=getattr(mod, run))
    return parser


def main(argv=None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        command = next((a for a in argv if not a.startswith("-")), None)
        args = build_parser(command).parse_args(argv)
    except SystemExit as exit_:
        # argparse exits 2 on a usage error; 2 means "values changed" for `partners diff`
        return 0 if exit_.code in (0, None) else 1
    if args.func.__module__ == __name__:  # a stage command, run by pipeline.stages
        importlib.import_module("pipeline.stages")
    from pipeline.dataset.checks import CheckError
    from pipeline.dataset.staging import LockedError
    from pipeline.extract.org_ids import RegistryError
    from pipeline.extract.rules import RuleError
    from pipeline.ingest.manifest import ManifestError
    from pipeline.io import OutputError
    from pipeline.records import RecordError

    known = (RuleError, ManifestError, OutputError, LockedError, UsageError, CheckError,
             RecordError, RegistryError)
    try:
        from pipeline.dataset.overrides import OverrideError
        known += (OverrideError,)
    except ImportError:  # pragma: no cover
        pass
    runtime.settled()
    try:
        return int(args.func(args) or 0)
    except known as err:
        print(f"partners {args.command}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"partners {args.command}: interrupted; the previous dataset is untouched",
              file=sys.stderr)
        return 130


def entry() -> None:
    """The `partners` console script: `main` in a process of its own, the garbage collector
    tuned for one (see pipeline.runtime)."""
    runtime.start()
    code = main()
    runtime.end()
    sys.exit(code)


if __name__ == "__main__":
    entry()
