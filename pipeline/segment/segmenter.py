"""Stage 2, segment: documents -> entries, one per organisation.

Reads: `Document`s with their blocks (a document read before blocks existed is read again by
the plain-text line reader). Writes: `Entry`s (character spans into the document text, the
heading's labels with their roles), `Issue`s where the structure is doubtful, and one
`Accounting` per document saying where every paragraph and block went. Pure: no I/O.

How a page is cut: every candidate structure (`pipeline.segment.candidates`) is cut into units
(`pipeline.segment.units`) and scored; the best one gives the entries:
  score = sum over heads of how much each looks like an organisation (1 with an acronym or an
          organisation head noun from rules/segment.yaml, 0.5 for a short capitalised name)
          x (0.5 + 0.5 x the share of the page's text the units cover).
Only its units that name an organisation stay (`segment.kept_units`); with none, the page is
prose: one entry per organisation its sentences state a fact about (`segment.prose`), or,
naming none, the page as one entry (`no_entries_recognised` either way). Candidates with the
same heads are one structure. A runner-up within DOUBT of the best, with other heads, is
reported (`doubtful_structure`), as is a heading with two names (`two_names_in_heading`) and an
organisation-like heading of another structure inside a unit (`possible_merge`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Optional, Union

from pipeline.ingest.blocks import text_blocks
from pipeline.ingest.reading_view import reading_view
from pipeline.model import Accounting, Block, Document, Entry, Issue
from pipeline.segment.accounting import accounting, runs
from pipeline.segment.candidates import Candidate, Head, find_candidates
from pipeline.segment.kept_units import kept_units, written_in_capitals
from pipeline.segment.labels import (
    Heading,
    SegmentRules,
    _label_roles,
    assign_groups,
    is_label,
    org_likeness,
)
from pipeline.segment.prose import prose_accounting, prose_entries
from pipeline.segment.sentences import sentences
from pipeline.segment.text_tables import split_text_tables
from pipeline.segment.units import Group, Unit, build_units, find_groups
from pipeline.settings import Host

# A runner-up scoring at least this share of the best, with other heads, makes the cut doubtful.
DOUBT = 0.8
# Prose above the structure shorter than this is an introduction, not a description.
MIN_PREAMBLE = 200


@dataclass
class Scored:
    candidate: Candidate
    heads: list[Head]
    groups: list[Group]
    units: list[Unit]
    score: float
    likeness: float = 0.0


def score(text: str, blocks: tuple[Block, ...], candidate: Candidate, rules: SegmentRules
          ) -> Scored:
    heads = candidate.heads
    if candidate.name == "dash":
        # (a dash head never holds its body: a head assign_groups leaves as it is stays)
        given = {h.block: Heading(h.end, h.labels) for h in heads}
        found = assign_groups(text, given)
        heads = [h if found[h.block] is given[h.block] else
                 Head(h.block, found[h.block].end, found[h.block].labels) for h in heads]
    heads, groups = find_groups(text, blocks, heads, rules)
    units = build_units(blocks, heads, groups) if heads else []
    content = sum(b.end - b.start for b in _top_level(blocks) if not b.boilerplate) or 1
    covered = sum(u.end - blocks[u.head.block].start for u in units)
    likeness = sum(org_likeness(text, h.labels, rules) for h in heads)
    return Scored(candidate, heads, groups, units,
                  likeness * (0.5 + 0.5 * min(1.0, covered / content)), likeness)


def _top_level(blocks: tuple[Block, ...]) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        if not out or b.start >= out[-1].end:
            out.append(b)
    return out


def choose(text: str, blocks: tuple[Block, ...], rules: SegmentRules
           ) -> tuple[Optional[Scored], list[Scored]]:
    """The best structure, and the others (distinct heads), best first."""
    scored: list[Scored] = []
    seen: set[frozenset] = set()
    for candidate in find_candidates(text, blocks, rules):
        key = frozenset(h.block for h in candidate.heads)
        if key in seen:
            continue
        seen.add(key)
        s = score(text, blocks, candidate, rules)
        # one unit is a structure only if it names an organisation outright, or opens with
        # a dash heading (`ACR - Name - text`), which no prose does
        if s.units and s.score > 0 and (len(s.units) > 1 or s.likeness >= 1
                                        or candidate.name == "dash"):
            scored.append(s)
    scored.sort(key=lambda s: (-s.score, s.candidate.rank))
    return (scored[0] if scored else None), scored[1:]


def document_to_entries(doc: Document, rules: SegmentRules, host: Host = Host()
                        ) -> tuple[list[Entry], Accounting, list[Issue]]:
    """Cut one document into entries; account for every paragraph and block."""
    text = reading_view(doc.text)  # one char for one: mojibake dashes still separate
    blocks = split_text_tables(text, doc.blocks or text_blocks(doc.text),
                               dict(rules.column_labels))
    best, others = choose(text, blocks, rules)
    content = sum(b.end - b.start for b in _top_level(blocks) if not b.boilerplate)
    units = kept_units(text, blocks, best.units, content, rules) if best else []
    if not units:  # no structure, or none of its units names an organisation
        return prose_page(doc, text, blocks, rules, host)
    kept = {u.head.block for u in units}
    best = replace(best, units=units, heads=[h for h in best.heads if h.block in kept])
    first = blocks[best.units[0].head.block].start
    before = preamble_entries(doc, text[:first], rules, host)
    entries = [unit_entry(doc, text, blocks, best, n, unit) for n, unit in enumerate(best.units)]
    issues = list(doubts(doc, text, blocks, best, others, rules))
    counts = accounting(doc, blocks, best.candidate.name, {g.block for g in best.groups},
                        entries, before)
    # numbered in page order (the entries below a preamble move up; the others keep theirs)
    return [e if e.index == n else replace(e, index=n) for n, e in enumerate(before + entries)
            ], counts, issues


def preamble_entries(doc: Document, preamble: str, rules: SegmentRules, host: Host
                     ) -> list[Entry]:
    """The organisations the prose above the structure states facts about (a page that
    describes a body, then lists its regional groups), read as a prose page is; the host only
    where the preamble describes it."""
    if len(preamble.strip()) < MIN_PREAMBLE:
        return []
    return prose_entries(doc, preamble, rules, host, whole_page=False)


def unit_entry(doc: Document, text: str, blocks, best: Scored, n: int, unit: Unit) -> Entry:
    head = unit.head
    group = next((g.label for g in best.groups if head.block in g.heads), None)
    labels = written_in_capitals(text, head.labels, head.end, unit.end)
    labels = labels if group is None or any(r == "group" for r, _, _ in head.labels) \
        else (group,) + labels
    start = blocks[head.block].start
    return Entry(source_file=doc.source_file, source_sha256=doc.source_sha256, index=n,
                 char_start=start, char_end=unit.end, heading_end=head.end,
                 layout=best.candidate.name, labels=labels,
                 paragraphs=tuple(runs(doc.text, start, unit.end)))


def prose_page(doc: Document, text: str, blocks, rules: SegmentRules, host: Host
               ) -> tuple[list[Entry], Accounting, list[Issue]]:
    """No structure of organisations: the page is read as prose, one entry per organisation
    its sentences state something about (`segment.prose`); an issue says so. A page naming no
    organisation at all is one entry, named by its first line if that reads like a title."""
    spans = runs(doc.text, 0, len(doc.text))
    if not spans:
        return [], accounting(doc, blocks, "page", set(), []), []
    entries = prose_entries(doc, text, rules, host)
    if not entries:
        return page_entry(doc, text, blocks, rules, spans)
    issue = Issue(doc.source_file, "segment", "no_entries_recognised",
                  f"no heading layout of organisations found: read as prose, "
                  f"{len(entries)} organisation(s) with a stated fact")
    # a prose entry is a run of sentences: each sentence is accounted for, so one that no
    # entry holds is unused even inside a paragraph another sentence of which is used
    units = [sent for s, e in spans for sent in sentences(doc.text, s, e)]
    return entries, prose_accounting(doc, units, blocks, entries), [issue]


def page_entry(doc: Document, text: str, blocks, rules: SegmentRules, spans
               ) -> tuple[list[Entry], Accounting, list[Issue]]:
    """The whole page as one entry, named by its first line if that reads like a title."""
    start, end = spans[0][0], spans[-1][1]
    first_end = text.find("\n", start, end)
    first_end = end if first_end < 0 else len(text[:first_end].rstrip())
    labels: tuple = ()
    if first_end - start <= rules.max_heading_chars and is_label(text[start:first_end], rules):
        labels = tuple(_label_roles(text, [(start, first_end)]))
    entry = Entry(source_file=doc.source_file, source_sha256=doc.source_sha256, index=0,
                  char_start=start, char_end=end, heading_end=first_end if labels else start,
                  layout="page", labels=labels, paragraphs=tuple(spans))
    issue = Issue(doc.source_file, "segment", "no_entries_recognised",
                  "no heading layout and no organisation found: the whole page is one entry")
    return [entry], accounting(doc, blocks, "page", set(), [entry]), [issue]


def doubts(doc: Document, text: str, blocks, best: Scored, others: list[Scored],
           rules: SegmentRules) -> Iterator[Issue]:
    """Where the cut may be wrong: a close runner-up, two names in one heading, another
    structure's organisation heading inside a unit."""
    mine = {h.block for h in best.heads}
    for other in others:
        theirs = {h.block for h in other.heads}
        if other.score >= DOUBT * best.score and len(mine & theirs) < 0.5 * len(mine):
            yield Issue(doc.source_file, "segment", "doubtful_structure",
                        f"{best.candidate.name} ({len(best.units)} entries, score "
                        f"{best.score:.1f}) chosen over {other.candidate.name} "
                        f"({len(other.units)} entries, score {other.score:.1f})")
    for unit in best.units:
        names = [(s, e) for role, s, e in unit.head.labels if role == "name"]
        if len(names) >= 2:
            yield Issue(f"{doc.source_file}:{names[0][0]}-{names[-1][1]}", "segment",
                        "two_names_in_heading", "one entry whose heading gives two names: "
                        + " | ".join(text[s:e] for s, e in names))
    inside = {i: unit for unit in best.units for i in unit.blocks[1:]}
    reported = set()
    for other in others:
        for head in other.heads:
            unit = inside.get(head.block)
            if unit is None or head.block in reported or \
                    not any(role == "acronym" for role, _, _ in head.labels):
                continue
            reported.add(head.block)
            b = blocks[head.block]
            yield Issue(f"{doc.source_file}:{b.start}-{head.end}", "segment", "possible_merge",
                        f"{text[b.start:head.end]!r} reads as an organisation heading "
                        f"({other.candidate.name}) inside the entry of "
                        f"{text[blocks[unit.head.block].start:unit.head.end]!r}")


def segment(documents: Iterable[Document], rules: SegmentRules, host: Host = Host()
            ) -> Iterator[Union[Entry, Accounting, Issue]]:
    """Entries of every document, each document followed by its issues and accounting."""
    for doc in documents:
        entries, counts, issues = document_to_entries(doc, rules, host)
        yield from entries
        yield from issues
        yield counts
