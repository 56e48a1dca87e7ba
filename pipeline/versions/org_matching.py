"""Which organisation of the old dataset is which of the new one (an id registry keeps org_ids
across renames, but a dataset made without it, or a rename it could not follow, changes them).

Reads: the organisations and facts of two dataset versions. Writes: pairs (old, new, rule).

The matching rule, each step only among the organisations still unmatched:
1. `same_id`: the same org_id.
2. `acronym`: an acronym (case-insensitive) that exactly one old and one new organisation share.
3. `name`: name similarity (difflib ratio, case-folded, spaces collapsed) of at least
   `NAME_SIMILARITY`; the best-scoring pairs are taken first.
4. `facts`: the entries state the same things: Jaccard similarity of their (field, value) pairs,
   names, acronyms and aliases left out, of at least `FACT_SIMILARITY`, with at least
   `FACT_MIN_SHARED` pairs in common; best-scoring first.
Anything left unmatched is a removed (old) or an added (new) organisation.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from pipeline.extract.org_ids import NAME_SIMILARITY, name_similarity
from pipeline.model import Fact, Organisation

IDENTITY_FIELDS = frozenset({"name", "acronym", "alias"})
FACT_SIMILARITY = 0.5
FACT_MIN_SHARED = 2

Pair = tuple[Organisation, Organisation, str]
Scorer = Callable[[Organisation, Organisation], Optional[float]]


def fact_signature(facts: Sequence[Fact]) -> set[tuple[str, str]]:
    return {(f.field, f.value) for f in facts if f.field not in IDENTITY_FIELDS}


def fact_similarity(a: Sequence[Fact], b: Sequence[Fact]) -> Optional[float]:
    """Jaccard similarity of what two entries state, or None below the thresholds."""
    sa, sb = fact_signature(a), fact_signature(b)
    shared = len(sa & sb)
    score = shared / len(sa | sb) if sa | sb else 0.0
    return score if score >= FACT_SIMILARITY and shared >= FACT_MIN_SHARED else None


def acronym_pairs(old: Sequence[Organisation], new: Sequence[Organisation]) -> list[Pair]:
    """Pairs sharing an acronym that no other unmatched organisation on either side has."""
    pairs, taken_old, taken_new = [], set(), set()
    for acronym in sorted({a.casefold() for o in old for a in o.acronyms}):
        olds = [o for o in old if acronym in {a.casefold() for a in o.acronyms}]
        news = [n for n in new if acronym in {a.casefold() for a in n.acronyms}]
        if len(olds) == 1 and len(news) == 1:
            o, n = olds[0], news[0]
            if o.org_id not in taken_old and n.org_id not in taken_new:
                pairs.append((o, n, "acronym"))
                taken_old.add(o.org_id)
                taken_new.add(n.org_id)
    return pairs


def best_pairs(old: Sequence[Organisation], new: Sequence[Organisation], score: Scorer,
               rule: str) -> list[Pair]:
    """Greedy one-to-one pairing, best score first; a None score never pairs."""
    scored = [(s, i, j) for i, o in enumerate(old) for j, n in enumerate(new)
              if (s := score(o, n)) is not None]
    pairs, used_old, used_new = [], set(), set()
    for _, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if i not in used_old and j not in used_new:
            pairs.append((old[i], new[j], rule))
            used_old.add(i)
            used_new.add(j)
    return pairs


def match_organisations(old: Sequence[Organisation], new: Sequence[Organisation],
                        old_facts: dict[str, list[Fact]], new_facts: dict[str, list[Fact]]
                        ) -> list[Pair]:
    """Pairs (old, new, rule) of the same organisation, by the rules in the module docstring."""
    new_by_id = {n.org_id: n for n in new}
    pairs = [(o, new_by_id[o.org_id], "same_id") for o in old if o.org_id in new_by_id]

    def by_name(o: Organisation, n: Organisation) -> Optional[float]:
        s = name_similarity(o.name, n.name)
        return s if s >= NAME_SIMILARITY else None

    def by_facts(o: Organisation, n: Organisation) -> Optional[float]:
        return fact_similarity(old_facts.get(o.org_id, []), new_facts.get(n.org_id, []))

    steps = [acronym_pairs,
             lambda a, b: best_pairs(a, b, by_name, "name"),
             lambda a, b: best_pairs(a, b, by_facts, "facts")]
    for step in steps:
        matched_old = {o.org_id for o, _, _ in pairs}
        matched_new = {n.org_id for _, n, _ in pairs}
        left_old = [o for o in old if o.org_id not in matched_old]
        left_new = [n for n in new if n.org_id not in matched_new]
        pairs += step(left_old, left_new)
    return pairs
