"""`partners ids`: record a published dataset's organisations in the org id registry.

Reads: a dataset folder (default `extracted/`, read and checked as `partners diff` reads it) and
the registry (`rules/org_ids.yaml`, see `pipeline.extract.org_ids`). Writes: the registry, with a
record for every org_id it did not list (its name, acronyms and source file) and, for an id it
lists, the names and acronyms it did not (after a rename both names lead to the id). Nothing is
ever removed: a published id stays reserved. `--check` writes nothing and exits 1 when something
is missing (for a check before publishing).

The registry is an input of the pipeline and this command its only writer besides the curator,
so `dvc repro` never writes its own dependency. The file is rewritten through ruamel.yaml's
round trip, which keeps the curator's comments, order and notes; the write is atomic.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from pipeline.extract.org_ids import Registry, RegistryError, load_registry
from pipeline.io import OutputError, atomic_path
from pipeline.model import Organisation
from pipeline.versions.version import DatasetError, load_folder

HEADER = """\
# The org id registry: every org_id the dataset has published, and what it was published under.
# `partners ids` adds a dataset's new organisations and new names; the curator edits the rest.
# A published id is never given to another organisation and survives a rename: an entry gets a
# registered id when one of its names is listed here (or, for a renamed one, when its acronym is
# listed for this id alone and the record comes from the same file or has a similar name).
#
#   <org_id>:
#     names: [names it was published under]
#     acronyms: [its acronyms]
#     source: the file it was first read from
#     merged_into: <org_id>   # a deliberate merge: this id's names now lead to that id
#     split_from: <org_id>    # a deliberate split: this body was part of that id (move its
#                             # names here from the old record)
#     note: why (for the next curator)
"""


@dataclass(frozen=True)
class Change:
    org_id: str
    kind: str                  # added, extended
    names: tuple[str, ...]     # the names (acronyms) added
    acronyms: tuple[str, ...]
    source: str = ""


def missing(registry: Registry, organisations: Sequence[Organisation]) -> list[Change]:
    """What the registry lacks to know every organisation of a dataset, in page order."""
    changes = []
    for org in organisations:
        names = (org.name,) if org.name else ()
        if org.org_id not in registry.records:
            changes.append(Change(org.org_id, "added", names, org.acronyms, org.source_file))
            continue
        # what extraction reads as known: the record's names and those of ids merged into it
        new_names, new_acronyms = registry.unlisted(org.org_id, names, org.acronyms)
        if new_names or new_acronyms:
            changes.append(Change(org.org_id, "extended", new_names, new_acronyms))
    return changes


def flow(items: Sequence[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def write_changes(path: Path, changes: Sequence[Change]) -> None:
    """Apply the changes to the registry file, keeping everything else of it as it is."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    # the round trip builds plain maps and lists (no Python objects); aliases, which it would
    # expand, are refused first by the project's own reader
    if path.exists():
        load_registry(path)
    rt = YAML(typ="rt")
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = rt.load(text) if text.strip() else None
    header = "" if data is not None else (text if text.strip() else HEADER)
    data = data if data is not None else CommentedMap()
    for change in changes:
        if change.kind == "added":
            record = CommentedMap(names=flow(change.names))
            if change.acronyms:
                record["acronyms"] = flow(change.acronyms)
            if change.source:
                record["source"] = change.source
            data[change.org_id] = record
            continue
        record = data[change.org_id]
        for key, new in (("names", change.names), ("acronyms", change.acronyms)):
            if new:
                record[key] = flow([*(record.get(key) or []), *new])
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(header)
        rt.dump(data, fh)


def add_arguments(parser) -> None:
    """Arguments of `partners ids`."""
    parser.add_argument("--dataset", type=Path, default=Path("extracted"),
                        help="the published dataset whose organisations to record "
                             "(default: %(default)s)")
    parser.add_argument("--ids", type=Path, default=Path("rules/org_ids.yaml"), metavar="FILE",
                        help="the org id registry to update (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when the registry lacks an id, name or "
                             "acronym of the dataset")


def change_line(change: Change) -> str:
    what = ", ".join([*change.names, *change.acronyms])
    return f"{change.kind:9} {change.org_id}: {what}"


def main(args) -> int:
    """Run `partners ids`: the changes on stdout, one line each; 1 on an error."""
    try:
        registry: Optional[Registry] = load_registry(args.ids) if args.ids.exists() else None
        dataset = load_folder(args.dataset)
        changes = missing(registry or Registry(), dataset.organisations)
        if args.check:
            if changes:
                print(f"partners ids: error: {args.ids} lacks {len(changes)} organisations of "
                      f"{args.dataset} (first: {change_line(changes[0]).strip()}); run "
                      "`partners ids`", file=sys.stderr)
                return 1
            return 0
        if changes:
            write_changes(args.ids, changes)
            load_registry(args.ids)  # what was written reads back
    except (RegistryError, DatasetError, OutputError, OSError) as err:
        print(f"partners ids: error: {err}", file=sys.stderr)
        return 1
    for change in changes:
        print(change_line(change))
    if not args.quiet:
        print(f"ids: {len(changes)} records added or extended -> {args.ids}", file=sys.stderr)
    return 0
