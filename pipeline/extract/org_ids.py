"""The organisation id registry: an id, once published, stays with its organisation.

Reads: `rules/org_ids.yaml`, edited by the curator and extended by `partners ids` from a
published dataset; a mapping from each published org_id to what it was published under:

    ilac-international-legal-assistance-consortium:
      names: [International Legal Assistance Consortium]   # every name it was published under
      acronyms: [ILAC]
      source: raw/iap-co-operation-with-others.txt          # the file it was first read from
      merged_into: <org_id>   # optional: a deliberate merge; this id's names lead to that id
      split_from: <org_id>    # optional: a deliberate split; this body was part of that id
      note: why the curator merged or split (optional, free text)

Writes (`IdAssigner.assign`, called in page order): each entry's org_id and how it was found.

Matching, precision first (a wrong id joins two organisations for every downstream user):
1. `name`: a registered name equal to one of the entry's names, compared as slugs (case,
   accents, punctuation and spacing aside). Several records: those that also share an acronym,
   then the first in the file not yet given in this run (a page that repeats an organisation).
2. `acronym`, only when no registered name matches (a rename): an acronym that exactly one
   organisation of the registry carries, and that record was first read from the same file or
   has a name similar to the entry's (`name_similarity` >= `NAME_SIMILARITY`, the rule
   `partners diff` matches renames with). A shared acronym (COE) never matches alone.
3. `new`: the slug of acronym and name, numbered (-2, -3, ...) past every id registered or
   already given in this run, so a published id is never given to another organisation.
A merged record's names and acronyms lead to the id it was merged into.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Optional, Sequence

import yaml

from pipeline.io import load_yaml_items, yaml_problem

NAME_SIMILARITY = 0.8
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NOT_SLUG = re.compile(r"[^a-z0-9]+")
KEYS = ("names", "acronyms", "source", "merged_into", "split_from", "note")


class RegistryError(Exception):
    """A broken id registry: names the file, line and id."""


def slug(text: str) -> str:
    """The text as a lower-case ASCII slug ("ABA American Bar" -> "aba-american-bar")."""
    ascii_text = text if text.isascii() else \
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "organisation"


def name_similarity(a: str, b: str) -> float:
    """Similarity of two names in [0, 1], ignoring case and spacing."""
    return SequenceMatcher(None, " ".join(a.casefold().split()),
                           " ".join(b.casefold().split())).ratio()


def base_id(names: Sequence[str], acronyms: Sequence[str]) -> str:
    """The id a new organisation gets: the slug of its first acronym and name."""
    acronym, name = (acronyms or [""])[0], (names or [""])[0]
    return slug(f"{acronym} {name}" if name != acronym else acronym)


@dataclass(frozen=True)
class OrgRecord:
    """One published id and what it was published under."""

    org_id: str
    names: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    source: str = ""
    merged_into: str = ""
    split_from: str = ""
    note: str = ""
    line: int = 0


class Registry:
    """The records of the registry, in file order, with their names and acronyms indexed."""

    def __init__(self, records: Sequence[OrgRecord] = (), path: str = ""):
        self.records = {r.org_id: r for r in records}
        self.path = path
        self.by_name: dict[str, list[str]] = {}
        self.by_acronym: dict[str, list[str]] = {}
        self.family: dict[str, list[OrgRecord]] = {}  # an id's record and those merged into it
        for r in records:
            for name in r.names:
                self.by_name.setdefault(slug(name), []).append(r.org_id)
            for acronym in r.acronyms:
                self.by_acronym.setdefault(acronym.casefold(), []).append(r.org_id)
            self.family.setdefault(self.resolve(r.org_id), []).append(r)

    def resolve(self, org_id: str) -> str:
        """The id an id stands for now: itself, or the id it was merged into."""
        record = self.records.get(org_id)
        return record.merged_into if record and record.merged_into else org_id

    def ids_named(self, name: str) -> list[str]:
        return list(dict.fromkeys(self.resolve(i) for i in self.by_name.get(slug(name), ())))

    def ids_with_acronym(self, acronym: str) -> list[str]:
        return list(dict.fromkeys(self.resolve(i) for i in self.by_acronym.get(acronym.casefold(), ())))

    def unlisted(self, org_id: str, names: Sequence[str], acronyms: Sequence[str]
                 ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names and the acronyms the registry does not list for the id, nor for an id
        merged into it (nor, for an id merged into another, for that one's family)."""
        mine = self.family.get(self.resolve(org_id), ())
        known_names = {slug(n) for r in mine for n in r.names}
        known_acronyms = {a.casefold() for r in mine for a in r.acronyms}
        return (tuple(n for n in names if slug(n) not in known_names),
                tuple(a for a in acronyms if a.casefold() not in known_acronyms))

    def unknown(self, org_id: str, names: Sequence[str], acronyms: Sequence[str]
                ) -> tuple[str, ...]:
        """The names, then the acronyms, the registry does not list for the id (`unlisted`)."""
        new_names, new_acronyms = self.unlisted(org_id, names, acronyms)
        return new_names + new_acronyms


@dataclass(frozen=True)
class Assignment:
    """An entry's id: how it was found (name, acronym, new) and whether the page repeats the
    organisation (an earlier entry had the same acronym and name)."""

    org_id: str
    how: str
    duplicate: bool = False
    unknown: tuple[str, ...] = ()  # the entry's names and acronyms the registry does not list


@dataclass
class IdAssigner:
    """Gives ids in page order (one per run): registered ones by the rules of the module
    docstring, new ones numbered past every id registered or given."""

    registry: Registry = field(default_factory=Registry)
    given: set = field(default_factory=set)
    bases: set = field(default_factory=set)
    last_number: dict = field(default_factory=dict)

    def assign(self, names: Sequence[str], acronyms: Sequence[str], source: str,
               long_forms: Sequence[str] = ()) -> Assignment:
        """The id of an entry with these names (its heading's first, which a new id is made
        of), acronyms and long forms (definitions in its text, matched as names too)."""
        base = base_id(names, acronyms)
        duplicate = base in self.bases
        self.bases.add(base)
        names = [*names, *long_forms]
        found = self.by_name(names, acronyms)
        how = "name"
        if found is None:
            found, how = self.by_acronym(names, acronyms, source), "acronym"
        if not found:  # None: no record; "": every matching record already given in this run
            org_id, how = self.new_id(base), "new"
        else:
            org_id = found
        self.given.add(org_id)
        unknown = () if how == "new" else self.registry.unknown(org_id, names, acronyms)
        return Assignment(org_id, how, duplicate, unknown)

    def by_name(self, names: Sequence[str], acronyms: Sequence[str]) -> Optional[str]:
        """The first free record sharing a name (and an acronym, if some do); None: no record
        has the name; "": all that have it are given already."""
        ids = list(dict.fromkeys(i for n in names for i in self.registry.ids_named(n)))
        if not ids:
            return None
        with_acronym = [i for i in ids if any(i in self.registry.ids_with_acronym(a)
                                              for a in acronyms)]
        free = [i for i in (with_acronym or ids) if i not in self.given]
        return free[0] if free else ""

    def by_acronym(self, names: Sequence[str], acronyms: Sequence[str], source: str
                   ) -> Optional[str]:
        """The one free record carrying an acronym that no other record carries, read from the
        same file or with a similar name; else None."""
        for acronym in acronyms:
            ids = self.registry.ids_with_acronym(acronym)
            if len(ids) != 1 or ids[0] in self.given:
                continue
            carriers = [self.registry.records[i]
                        for i in self.registry.by_acronym[acronym.casefold()]]
            if any(r.source == source or any(name_similarity(n, m) >= NAME_SIMILARITY
                                             for n in names for m in r.names)
                   for r in carriers):
                return ids[0]
        return None

    def new_id(self, base: str) -> str:
        # the search for a free number resumes where it stopped (a page archive repeats an
        # organisation thousands of times)
        org_id, n = base, self.last_number.get(base, 1)
        if n > 1:
            org_id = f"{base}-{n}"
        while org_id in self.given or org_id in self.registry.records:
            n += 1
            org_id = f"{base}-{n}"
        self.last_number[base] = n
        return org_id


# --- the file ---------------------------------------------------------------------------


def strings(value: object, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{where}: {key!r} must be a list of names, e.g. [{key[:-1]}]")
    return tuple(v.strip() for v in value)


def to_record(org_id: object, value: object, line: int, keys: dict, path: str) -> OrgRecord:
    """One record, checked; RegistryError names the file, line and id."""
    where = f"{path}:{line}: {org_id}"
    if not isinstance(org_id, str) or not ID_PATTERN.fullmatch(org_id):
        raise RegistryError(f"{where}: an id is lower-case letters and digits joined by '-'")
    if not isinstance(value, dict):
        raise RegistryError(f"{where}: expected a mapping with {', '.join(KEYS)}")
    for key in value:
        if key not in KEYS:
            raise RegistryError(f"{path}:{keys.get(str(key), line)}: {org_id}: unknown key "
                                f"{key!r} (allowed: {', '.join(KEYS)})")
    text = {}
    for key in ("source", "merged_into", "split_from", "note"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise RegistryError(f"{path}:{keys.get(key, line)}: {org_id}: {key!r} must be text")
        text[key] = (value.get(key) or "").strip()
    record = OrgRecord(org_id, strings(value.get("names"), where, "names"),
                       strings(value.get("acronyms"), where, "acronyms"), line=line, **text)
    return record  # a record without names still reserves its id


def check_links(records: dict[str, OrgRecord], path: str) -> None:
    """merged_into and split_from name registered ids; a merge target is not merged itself."""
    for r in records.values():
        for key in ("merged_into", "split_from"):
            target = getattr(r, key)
            if target and (target == r.org_id or target not in records):
                raise RegistryError(f"{path}:{r.line}: {r.org_id}: {key} {target!r} is not "
                                    "another id of the registry")
        if r.merged_into and records[r.merged_into].merged_into:
            raise RegistryError(f"{path}:{r.line}: {r.org_id}: merged into {r.merged_into}, "
                                f"which is merged into {records[r.merged_into].merged_into}; "
                                "name the last one")


def load_registry(path: Path) -> Registry:
    """The registry in a YAML file (an empty file means no id registered yet)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        data, items = load_yaml_items(text)
    except OSError as err:
        raise RegistryError(f"{path}: cannot read the id registry: {err}") from err
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        if isinstance(err, UnicodeDecodeError):
            raise RegistryError(f"{path}: the id registry is not UTF-8") from err
        raise RegistryError(yaml_problem(err, str(path), "cannot read the id registry")) from err
    if data is None:
        return Registry((), str(path))
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: expected a mapping of org_id to its names, found "
                            f"{type(data).__name__}")
    seen: dict[object, int] = {}
    for item in items:
        if item.key in seen:
            raise RegistryError(f"{path}:{item.line}: {item.key}: listed twice (also line "
                                f"{seen[item.key]})")
        seen[item.key] = item.line
    # duplicates refused above, so the mapping holds the items in the file's order
    records = [to_record(key, value, item.line, item.keys, str(path))
               for item, (key, value) in zip(items, data.items())]
    by_id = {r.org_id: r for r in records}
    check_links(by_id, str(path))
    return Registry(records, str(path))
