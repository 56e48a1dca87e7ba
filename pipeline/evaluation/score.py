"""Per-field precision, recall and F1 of the pipeline's organisations against the gold records.

Alignment (per page, one-to-one). Every predicted organisation is compared with every gold
organisation of the same page; a pair is a candidate when
  1. `name`: their normalised names are equal (case-folded, Unicode NFKC, every run of
     punctuation or whitespace folded to one space, a leading "the" dropped), else
  2. `acronym`: they share an acronym (compared case-folded, like names), else
  3. `name~acronym`: the predicted name equals a gold acronym, or a predicted acronym equals
     the gold name (normalised as in 1: the page may give only "INTERPOL" as a name).
Candidates are taken greedily, strongest basis first; among equals, the pair whose values agree
most (summed TPs of the value fields below: a page may yield the same organisation twice, once
bare and once with its facts), then page order of the gold record, then of the prediction. A
candidate whose prediction or gold record is already taken is skipped. Empty names and acronyms
never match.

Fields. `entries`: an aligned pair is a TP, a predicted organisation without a gold partner a FP
(including rows with no name at all), a gold record without a predicted partner a FN. Every
other field counts (organisation, value) items:
  - `acronyms`: the set of acronyms, compared case-sensitively (EJN-Civil, ECtHR, UN/ECE);
  - `founded_year`: the year, as an integer;
  - `headquarters`: normalised text as for names (without dropping "the": The Hague). A
    prediction is correct when the normalised predicted place equals the gold place, is a
    whole-word part of it, or contains it as a whole-word part: gold "Strasbourg, France" vs
    predicted "Strasbourg" is correct, "Strasbourger Str." is not a whole-word part;
  - `membership`: the set of member counts (qualifier and unit are not scored);
  - `relationship`: the row's `host_relationship` mapped to the gold vocabulary by
    `relationships.RELATIONSHIP_MAP`; `none_stated` (and an empty cell) is no value, as is a gold `type: null`.
For an aligned pair, values on both sides that match are TPs, predicted values left over are
FPs and gold values left over FNs (a wrong year is one FP and one FN). Values of a predicted
organisation without a gold partner are all FPs; values of an unmatched gold record all FNs.

Figures are micro-averaged over the corpus (the counts are summed, then divided); per-page counts
and the list of wrong and missed items are kept for the detail view. A ratio whose denominator is
0 (nothing predicted, nothing to find) is reported as 0.0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Sequence

from pipeline.evaluation.relationships import map_relationship

FIELDS = ("entries", "acronyms", "founded_year", "headquarters", "membership", "relationship")

PUNCT_OR_SPACE = re.compile(r"[\W_]+")


@dataclass
class Counts:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        """Add another count in place."""
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The counts and ratios (rounded to 4 places) as a JSON-ready dict."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class Miss:
    """One wrong (FP) or missed (FN) item: which field, which organisation, which value."""

    field: str
    kind: str  # "FP" or "FN"
    org: str
    value: str


@dataclass(frozen=True)
class Pair:
    """An aligned predicted and gold organisation and what they were matched on."""

    predicted: str
    gold: str
    basis: str


@dataclass
class PageScore:
    file: str
    counts: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    misses: list[Miss] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    error: str = ""


@dataclass
class CorpusScore:
    totals: dict[str, Counts]
    pages: list[PageScore]


def fold(text: str) -> str:
    """Case-folded NFKC text with runs of punctuation and whitespace as one space."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return PUNCT_OR_SPACE.sub(" ", text).strip()


def normalise_name(name: str) -> str:
    """A name for comparison: folded, leading "the" dropped."""
    text = fold(name)
    return text[4:] if text.startswith("the ") else text


def same_place(predicted: str, gold: str) -> bool:
    """True when one normalised place equals the other or is a whole-word part of it."""
    p, g = fold(predicted), fold(gold)
    return bool(p and g) and (f" {p} " in f" {g} " or f" {g} " in f" {p} ")


def match_basis(pred: Any, gold: Any) -> Optional[tuple[int, str]]:
    """(strength, basis) when the two organisations may be the same, else None."""
    p_name, g_name = normalise_name(pred.name), normalise_name(gold.name)
    p_acr = {normalise_name(a) for a in pred.acronyms} - {""}
    g_acr = {normalise_name(a) for a in gold.acronyms} - {""}
    if p_name and p_name == g_name:
        return 3, "name"
    if p_acr & g_acr:
        return 2, "acronym"
    if (p_name and p_name in g_acr) or (g_name and g_name in p_acr):
        return 1, "name~acronym"
    return None


def agreement(pred: Any, gold: Any) -> int:
    """How many of the pair's values agree, over every value field: breaks ties in align."""
    return sum(match_values(predicted_values(f, pred), gold_values(f, gold), same_value(f))[0]
               for f in FIELDS[1:])


def align(predicted: Sequence[Any], gold: Sequence[Any]) -> list[tuple[int, int, str]]:
    """One-to-one (predicted index, gold index, basis) pairs, greedy by best match."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            found = match_basis(p, g)
            if found:
                candidates.append((-found[0], -agreement(p, g), gi, pi, found[1]))
    used_p, used_g, pairs = set(), set(), []
    for _, _, gi, pi, basis in sorted(candidates):
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            pairs.append((pi, gi, basis))
    return sorted(pairs, key=lambda t: t[1])


def predicted_values(name: str, org: Any) -> list:
    """The values a predicted organisation gives a field (empty: none)."""
    if name == "relationship":
        mapped = map_relationship(org.relationship)
        return [mapped] if mapped else []
    return gold_values(name, org)


def gold_values(name: str, org: Any) -> list:
    """The values an organisation record gives a field (empty: none)."""
    if name == "acronyms":
        return sorted(set(org.acronyms))
    if name == "membership":
        return sorted(set(org.membership))
    if name == "headquarters":
        return [org.headquarters.strip()] if (org.headquarters or "").strip() else []
    value = getattr(org, name)
    return [] if value is None else [value]


def match_values(predicted: list, gold: list,
                 same: Callable[[Any, Any], bool]) -> tuple[int, list, list]:
    """(TP count, unmatched predicted values, unmatched gold values), one-to-one in order."""
    left = list(gold)
    wrong = []
    for value in predicted:
        hit = next((i for i, g in enumerate(left) if same(value, g)), None)
        if hit is None:
            wrong.append(value)
        else:
            left.pop(hit)
    return len(predicted) - len(wrong), wrong, left


def same_value(name: str) -> Callable[[Any, Any], bool]:
    """How two values of a field are compared."""
    return same_place if name == "headquarters" else (lambda a, b: a == b)


def shown_name(org: Any) -> str:
    """A readable label for an organisation, also when the pipeline found no name."""
    if org.name:
        return org.name
    if org.acronyms:
        return org.acronyms[0]
    return "(no name)"


def score_page(file: str, predicted: Sequence[Any], gold: Sequence[Any]) -> PageScore:
    """Counts and misses of one page's predictions against its gold records."""
    score = PageScore(file)
    pairs = align(predicted, gold)
    paired_p = {pi for pi, _, _ in pairs}
    paired_g = {gi for _, gi, _ in pairs}
    score.counts["entries"] = Counts(tp=len(pairs), fp=len(predicted) - len(pairs),
                                     fn=len(gold) - len(pairs))
    score.pairs = [Pair(shown_name(predicted[pi]), gold[gi].name, basis) for pi, gi, basis in pairs]
    # the org_id tells apart nameless rows and a name the pipeline gave twice
    score.misses += [Miss("entries", "FP", shown_name(p), getattr(p, "org_id", ""))
                     for i, p in enumerate(predicted) if i not in paired_p]
    score.misses += [Miss("entries", "FN", g.name, "")
                     for i, g in enumerate(gold) if i not in paired_g]
    # (predicted or None, gold or None) for every organisation on the page
    items = [(predicted[pi], gold[gi]) for pi, gi, _ in pairs]
    items += [(p, None) for i, p in enumerate(predicted) if i not in paired_p]
    items += [(None, g) for i, g in enumerate(gold) if i not in paired_g]
    for name in FIELDS[1:]:
        counts = score.counts[name]
        for p, g in items:
            p_vals = predicted_values(name, p) if p is not None else []
            g_vals = gold_values(name, g) if g is not None else []
            tp, wrong, missed = match_values(p_vals, g_vals, same_value(name))
            counts.add(Counts(tp, len(wrong), len(missed)))
            label = g.name if g is not None else shown_name(p)
            score.misses += [Miss(name, "FP", label, str(v)) for v in wrong]
            score.misses += [Miss(name, "FN", label, str(v)) for v in missed]
    return score


def score_corpus(pages: Iterable[tuple[str, Sequence[Any], Sequence[Any], str]]) -> CorpusScore:
    """Score (file, predicted, gold, error) per page and sum the counts over the corpus."""
    totals = {f: Counts() for f in FIELDS}
    scored = []
    for file, predicted, gold, error in pages:
        page = score_page(file, predicted, gold)
        page.error = error
        for f in FIELDS:
            totals[f].add(page.counts[f])
        scored.append(page)
    return CorpusScore(totals, scored)
