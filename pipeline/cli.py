"""`partners`: the command line. Thin: parse arguments, call a stage, turn errors into one line.

    partners run [INPUT ...] [--out extracted]     all stages in one process (raw/ by default)
    partners ingest | segment | extract | export   the stages dvc.yaml runs, file to file
    partners pdf RAW --out FILE                    read the PDFs the manifest lists
    partners fetch URL [--into raw/]               download a page and its linked documents
    partners add FILE [--url URL]                  record a page saved by hand in raw/
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

PARAMS = Path("params.yaml")


def add_host(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group(
        "host organisation", "Who the page's partners are partners of. Without --host-name, "
        "the `host:` section of ./params.yaml is used; without either, the page has no host "
        "and no relationship to a host is extracted.")
    g.add_argument("--host-name", default=None, help="the host's full name")
    g.add_argument("--host-acronym", default=None, help="the host's acronym")
    g.add_argument("--host-alias", action="append", dest="host_aliases", default=None,
                   help="another way the page names the host, e.g. 'the Association' "
                        "(repeatable)")


def host_from(args):
    """The host the options name, else the one params.yaml names (runs by hand)."""
    from pipeline.settings import Host

    if args.host_name is None and args.host_acronym is None and PARAMS.is_file():
        import yaml

        from pipeline.io import load_yaml

        try:
            return Host.from_params(load_yaml(PARAMS.read_text(encoding="utf-8"))["host"])
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as err:
            raise UsageError(f"{PARAMS}: no usable host section ({err}); give --host-name") from err
    return Host(args.host_name or "", args.host_acronym or "", tuple(args.host_aliases or ()))


class UsageError(Exception):
    """Options that do not make a run."""


def add_checks(parser: argparse.ArgumentParser) -> None:
    from pipeline.dataset.checks import OutputChecks

    d = OutputChecks()
    g = parser.add_argument_group(
        "output checks (params.yaml: checks)", "A run failing them replaces no dataset: it "
        "exits 1 naming the input and reason, and keeps its issues in OUT/.failed-run/.")
    g.add_argument("--error-reason", action="append", dest="error_reasons", default=None,
                   metavar="REASON", help="an issue reason that fails the run (repeatable; "
                   f"default: {', '.join(d.error_reasons)})")
    g.add_argument("--min-organisations-per-page", type=int, default=d.min_organisations_per_page,
                   metavar="N", help="fail when a page gives fewer (default: %(default)s)")
    g.add_argument("--allow-partial", action=argparse.BooleanOptionalAction, default=False,
                   help="write the dataset even when checks fail (batch runs that accept "
                        "partial output on purpose)")


def checks_from(args):
    from pipeline.dataset.checks import OutputChecks

    if not hasattr(args, "allow_partial"):
        return None
    reasons = tuple(args.error_reasons) if args.error_reasons else OutputChecks().error_reasons
    return OutputChecks(error_reasons=reasons, allow_partial=args.allow_partial,
                        min_organisations_per_page=args.min_organisations_per_page)


def add_workers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=positive_int, default=1,
                        help="processes for extraction; the output is the same for any number "
                             "(default: %(default)s)")


def add_rules(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", type=Path, default=None,
                        help="folder of pattern and vocabulary files (default: the project's rules/)")
    parser.add_argument("--overrides", type=Path, default=Path("rules/overrides.yaml"),
                        help="curator overrides applied at export (default: %(default)s)")
    parser.add_argument("--language", action="append", dest="languages", default=None,
                        help="date languages for dateparser (repeatable; default: en)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def settings_from(args):
    from pipeline.settings import Settings

    pdf_params = None
    if getattr(args, "pdfs", True):
        from pipeline.documents.pdf import PdfParams

        pdf_params = PdfParams()
    return Settings(host=host_from(args),
                    rules_dir=args.rules, overrides=args.overrides,
                    languages=tuple(args.languages or ("en",)), pdf_params=pdf_params,
                    progress=not args.quiet and sys.stderr.isatty(),
                    workers=getattr(args, "workers", 1), checks=checks_from(args))


def cmd_run(args) -> int:
    from pipeline.stages import run_all

    metrics = run_all(args.inputs or ["raw"], args.out, settings_from(args))
    print(f"partners: {metrics['organisations']} organisations, {metrics['facts']} facts, "
          f"{metrics['agreements']} agreements, {metrics['issues']} issues -> {args.out}/")
    return 0


def cmd_ingest(args) -> int:
    from pipeline.stages import ingest_stage

    n = ingest_stage(args.inputs, args.out, args.texts)
    print(f"ingest: {n} records -> {args.out}")
    return 0


def cmd_segment(args) -> int:
    from pipeline.stages import segment_stage

    n = segment_stage(args.documents, args.out, settings_from(args))
    print(f"segment: {n} records -> {args.out}")
    return 0


def cmd_extract(args) -> int:
    from pipeline.stages import extract_stage

    n = extract_stage(args.documents, args.entries, args.out, settings_from(args))
    print(f"extract: {n} records -> {args.out}")
    return 0


def cmd_export(args) -> int:
    from pipeline.stages import export_stage

    metrics = export_stage(args.documents, args.extractions, args.out, settings_from(args),
                           pdfs=args.pdf_records)
    print(f"export: {metrics['organisations']} organisations, {metrics['facts']} facts -> {args.out}/")
    return 0


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


# Commands whose module is imported only when they run: (name, module, its function adding the
# arguments, its function running the command, help).
COMMANDS = (
    ("pdf", "pipeline.documents.pdf", "add_arguments", "main",
     "read the PDFs a manifest lists (each in a limited worker)"),
    ("fetch", "pipeline.acquire.fetch", "add_arguments", "main",
     "download a page and the documents it links to into raw/"),
    ("add", "pipeline.acquire.add", "add_arguments", "main",
     "record a page saved by hand in raw/ and sources.yaml (path, url, sha256, date)"),
    ("diff", "pipeline.versions.commands", "add_diff_arguments", "diff_main",
     "field-level changes between two dataset versions"),
    ("review", "pipeline.versions.commands", "add_review_arguments", "review_main",
     "write the evidence review page (self-contained HTML)"),
    ("eval", "pipeline.evaluation.cli", "add_arguments", "main",
     "score the pipeline on an annotated corpus of real pages (precision, recall, F1)"),
)


def build_parser(command: Optional[str] = None) -> argparse.ArgumentParser:
    """The parser; given the command about to run, only that command's module is imported."""
    parser = argparse.ArgumentParser(prog="partners", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="all stages in one process: raw page(s) -> dataset")
    p.add_argument("inputs", nargs="*", help="files or folders (a folder with sources.yaml is "
                                             "read through it; default: raw)")
    p.add_argument("--out", type=Path, default=Path("extracted"), help="default: %(default)s")
    p.add_argument("--no-pdfs", dest="pdfs", action="store_false",
                   help="do not read the PDFs the manifest lists")
    add_workers(p), add_host(p), add_rules(p), add_checks(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("ingest", help="raw files -> documents (JSON lines)")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--texts", type=Path, default=Path("extracted/texts"),
                   help="where the text of HTML pages is saved (default: %(default)s)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("segment", help="documents -> entries (JSON lines)")
    p.add_argument("documents", type=Path)
    p.add_argument("--out", type=Path, required=True)
    add_host(p), add_rules(p)
    p.set_defaults(func=cmd_segment, pdfs=False)

    p = sub.add_parser("extract", help="documents + entries -> extractions (JSON lines)")
    p.add_argument("documents", type=Path)
    p.add_argument("entries", type=Path)
    p.add_argument("--out", type=Path, required=True)
    add_workers(p), add_host(p), add_rules(p)
    p.set_defaults(func=cmd_extract, pdfs=False)

    p = sub.add_parser("export", help="extractions -> the dataset (CSV, Parquet, metadata)")
    p.add_argument("documents", type=Path)
    p.add_argument("extractions", type=Path)
    p.add_argument("--pdf-records", type=Path, default=None,
                   help="output of `partners pdf`, to link agreements to their PDFs")
    p.add_argument("--out", type=Path, required=True)
    add_host(p), add_rules(p), add_checks(p)
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
    from pipeline.dataset.checks import CheckError
    from pipeline.dataset.staging import LockedError
    from pipeline.extract.rules import RuleError
    from pipeline.ingest.manifest import ManifestError
    from pipeline.io import OutputError
    from pipeline.records import RecordError

    known = (RuleError, ManifestError, OutputError, LockedError, UsageError, CheckError,
             RecordError)
    try:
        from pipeline.dataset.overrides import OverrideError
        known += (OverrideError,)
    except ImportError:  # pragma: no cover
        pass
    try:
        return int(args.func(args) or 0)
    except known as err:
        print(f"partners {args.command}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"partners {args.command}: interrupted; the previous dataset is untouched",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
