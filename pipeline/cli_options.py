"""The options the pipeline's commands share (host, rules, checks, workers), and the run
settings made from them. Values come from the command line; a run by hand without host
options falls back to ./params.yaml's `host:` (dvc.yaml passes them explicitly)."""

from __future__ import annotations

import argparse
from pathlib import Path

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


def add_licence(parser: argparse.ArgumentParser) -> None:
    from pipeline.settings import Licence

    d = Licence()
    g = parser.add_argument_group("licence", "The licence datapackage.json states for the "
                                  f"dataset (default: {d.name}, {d.path}).")
    g.add_argument("--licence", default=None, metavar="ID",
                   help="an Open Definition (SPDX) licence id, e.g. CC0-1.0 or ODbL-1.0")
    g.add_argument("--licence-url", default=None, metavar="URL", help="the licence's text")


def licence_from(args):
    """The licence the options name (an id alone: no URL or title), else the default."""
    from pipeline.settings import Licence

    name, url = getattr(args, "licence", None), getattr(args, "licence_url", None)
    if name is None and url is None:
        return Licence()
    if not (name or url):
        raise UsageError("--licence: give a licence id (or --licence-url)")
    return Licence(name or "", url or "", "")


def add_workers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=positive_int, default=1,
                        help="processes for extraction; the output is the same for any number "
                             "(default: %(default)s)")


def add_rules(parser: argparse.ArgumentParser) -> None:
    from pipeline.settings import default_rules_dir

    parser.add_argument("--rules", type=Path, default=None, metavar="FOLDER",
                        help="folder of pattern and vocabulary files (default: the checkout's "
                             "rules/, else the copy installed with the package; now "
                             f"{default_rules_dir()})")


OVERRIDES = Path("rules/overrides.yaml")


def add_overrides(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--overrides", type=Path, default=None, metavar="FILE",
                        help=f"curator overrides applied at export (default: {OVERRIDES} when "
                             "there is one)")


def overrides_from(args):
    """The overrides file: the one named (it must exist), else ./rules/overrides.yaml."""
    if not hasattr(args, "overrides"):
        return None
    if args.overrides is None:
        return OVERRIDES
    if not args.overrides.is_file():
        raise UsageError(f"--overrides {args.overrides}: no such file")
    return args.overrides


def add_languages(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", action="append", dest="languages", default=None,
                        metavar="CODE",
                        help="a language dates are read in, for dateparser (repeatable; "
                             "default: en)")


IDS = Path("rules/org_ids.yaml")


def add_ids(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ids", type=Path, default=None, metavar="FILE",
                        help="the org id registry: published ids kept across renames, the "
                             f"organisations overrides may name (default: {IDS} when it "
                             "exists; `partners ids` records a dataset's organisations in it)")


def ids_from(args):
    """The registry a run uses: the one named (it must exist: a mistyped path would give new
    ids silently), else ./rules/org_ids.yaml if there is one, else none."""
    named = getattr(args, "ids", None)
    if named is not None:
        if not named.is_file():
            raise UsageError(f"{named}: no such id registry (give an existing file, or leave "
                             "--ids out)")
        return named
    return IDS if hasattr(args, "ids") and IDS.is_file() else None


def settings_from(args):
    """The run's settings from the options the command offers (the others keep defaults)."""
    from pipeline.io import progress_wanted
    from pipeline.settings import Settings

    pdf_params = None
    if getattr(args, "pdfs", True):
        from pipeline.documents.pdf import PdfParams

        pdf_params = PdfParams()
    return Settings(host=host_from(args),
                    rules_dir=args.rules,
                    overrides=overrides_from(args), ids=ids_from(args),
                    languages=tuple(getattr(args, "languages", None) or ("en",)),
                    pdf_params=pdf_params, progress=progress_wanted(args.quiet),
                    workers=getattr(args, "workers", 1), checks=checks_from(args),
                    licence=licence_from(args))


def positive_int(text: str) -> int:
    """A whole number >= 1, for argparse."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)
