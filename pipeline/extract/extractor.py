"""Stage 3, extract: entries + rules -> facts with provenance (and issues).

Reads: `Entry`s and the `Document`s they come from. Writes: one `Extraction` per entry (its
org_id, the entry, its facts) and `Issue`s for matches that were not used (a founding year
that belongs to another body, a count that is not membership, ...).

Matching runs on a reading view of the text: spaces that are not plain (no-break, zero-width)
become plain spaces, one character for one, so every offset found is an offset into the
original text, and every fact's evidence is sliced from the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator, Optional, Union

from spacy.util import minibatch

from pipeline.extract.agreements import agreements
from pipeline.extract.attribution import EntryRef, Vocab, is_host
from pipeline.extract.doc_reading import Entities, Window, set_window, with_text
from pipeline.extract.facts import make_fact, to_agreement
from pipeline.extract.field_extractors import (
    Context,
    aliases,
    founded,
    headquarters,
    membership,
    websites,
)
from pipeline.extract.gazetteer import default_places
from pipeline.extract.intros import ListIntros
from pipeline.extract.labelled import labelled
from pipeline.extract.names import names_and_flags
from pipeline.extract.nlp import make_doc, mark_line_starts
from pipeline.extract.org_ids import Assignment, IdAssigner, Registry
from pipeline.extract.relations import host_relationship, mark_host_refs, relations
from pipeline.extract.rules import Rules
from pipeline.extract.shared_docs import groups, host_refs, shared_doc
from pipeline.extract.tables import TableHeaders
from pipeline.extract.values import FieldValue, Statements
from pipeline.ingest.reading_view import matching_view, text_pieces
from pipeline.model import Document, Entry, Extraction, Issue
from pipeline.settings import Host

# Entries longer than this are matched in pieces (memory, and spaCy's max_length).
PIECE_CHARS = 100_000
# The field extractors, in the order their values are listed.
# A label line first: where a sentence pattern reads the same value, the label's is kept.
EXTRACTORS = (labelled, founded, headquarters, membership, host_relationship, relations,
              agreements, websites, aliases)


@dataclass(frozen=True)
class Analysis:
    """What matching found in one entry before it has an org_id: its names, acronyms, group and
    acronym flags (`names`), field values with offsets into the source, matches not used, and
    whether the entry is the host's own."""

    names: tuple
    values: tuple
    rejected: tuple
    host_entry: bool


@dataclass
class OpenEntry:
    """An entry whose pieces are being matched: its place in the input, its names (read from
    its whole text), the extractors' context, and what its pieces have found so far."""

    number: int
    entry: Entry
    document: Optional[Document]   # None when one entry is analysed alone (Extractor.analyse)
    names: list                    # FieldValues: names, acronyms, group, acronym flags
    ctx: Context
    values: list = field(default_factory=list)     # FieldValues, offsets into the document
    rejected: list = field(default_factory=list)   # (rule_id, start, end, reason) in the entry

    def analysis(self) -> Analysis:
        """What the entry's pieces found, frozen."""
        return Analysis(tuple(self.names), tuple(self.values), tuple(self.rejected),
                        self.ctx.host_entry)


class Extractor:
    """Holds the compiled pipeline and rules; turns entries into extractions."""

    def __init__(self, nlp, rules: Rules, host: Host, languages=("en",), batch_size: int = 64,
                 registry: Optional[Registry] = None):
        self.nlp, self.rules, self.host = nlp, rules, host
        self.languages, self.batch_size = tuple(languages), batch_size
        self.vocab = Vocab.from_rules(rules.vocab, rules.segment.function_words)
        # org ids: registered ones kept (rules/org_ids.yaml), new ones numbered past them
        self.registry = registry
        self.ids = IdAssigner(registry or Registry())
        self.acronym_owner: dict[str, str] = {}  # first org_id seen with each acronym
        self.word_sets: dict = {}   # the vocabularies' sets, shared by every entry's Context
        terms = {t["term"] for t in rules.relationships}
        self.intros = ListIntros(rules.vocab, host, tuple(  # the list intro in effect
            (k.id, p) for k in rules.agreement_kinds if k.id in terms for p in k.phrases))
        # the table header in effect; a row flattened to text finds its seat by the gazetteer
        # (the pipeline's; a finisher without one, in the parent of workers, loads the default)
        self.tables = TableHeaders(rules.vocab, dict(rules.segment.column_labels),
                                   self.languages, places=self.places)

    def places(self) -> frozenset:
        """The gazetteer's place names (asked for only when a flattened table needs them)."""
        if self.nlp is not None and "partners_gazetteer" in self.nlp.pipe_names:
            return self.nlp.get_pipe("partners_gazetteer").names
        return default_places()

    def run(self, items: Iterable[tuple[Entry, Document]]) -> Iterator[Union[Extraction, Issue]]:
        """Extractions in entry order, each followed by the issues it raised."""
        for analysis, entry, doc in self.analyses(items):
            yield from self.finish(analysis, entry, doc.text, doc.links)

    def analyse_many(self, items: Iterable[tuple[Entry, Document]]) -> list["Analysis"]:
        """The matching for a chunk of entries (what a worker process runs)."""
        return [analysis for analysis, _, _ in self.analyses(items)]

    def analyses(self, items: Iterable[tuple[Entry, Document]]) -> Iterator[tuple]:
        """(analysis, entry, document) in entry order. An entry longer than PIECE_CHARS (or the
        pipeline's max_length) is matched in pieces cut at line breaks, so no E088 and no
        boundary lost; the pieces' values are merged into the entry's one analysis. Pieces are
        matched a batch at a time (`annotate`), a batch's short ones in shared docs
        (`pipeline.extract.shared_docs`)."""
        current: Optional[OpenEntry] = None
        for batch in minibatch(self.pieces(items), self.batch_size):
            for spacy_doc, window, (k, entry, doc, piece) in self.annotated(batch):
                if current is None or current.number != k:
                    if current is not None:
                        yield current.analysis(), current.entry, current.document
                    current = OpenEntry(k, entry, doc, *self.start_analysis(entry, doc.text))
                self.match_piece(spacy_doc, piece, current, window)
        if current is not None:
            yield current.analysis(), current.entry, current.document

    def annotated(self, batch: list) -> Iterator[tuple]:
        """(spaCy doc, window, piece item) for each piece of the batch, in order: the doc the
        piece is matched in, its own (window None) or one it shares (with its window), every
        doc annotated first. A shared doc's host references are marked at once; what was read
        of it is dropped once its pieces are matched."""
        views = [matching_view(doc.text[p.char_start:p.char_end]) for _, _, doc, p in batch]
        placed: list = [None] * len(batch)   # (doc number, window) of each piece
        docs, shared = [], []
        for group in groups(views):
            if len(group) == 1:
                placed[group[0]] = (len(docs), None)
                docs.append(self.prepare(views[group[0]], batch[group[0]][3]))
                continue
            pieces = [batch[i][3] for i in group]
            spacy_doc, windows = shared_doc(self.nlp, [views[i] for i in group], pieces)
            for i, window in zip(group, windows):
                placed[i] = (len(docs), window)
            shared.append((len(docs), host_refs(pieces, windows)))
            docs.append(spacy_doc)
        docs = self.annotate(docs)
        for d, refs in shared:
            mark_host_refs(docs[d], refs, 0)
        for (d, window), item in zip(placed, batch):
            yield docs[d], window, item
        for d, _ in shared:
            Entities.forget(docs[d])   # its spans hold the doc: no cycle left to the collector

    def pieces(self, items: Iterable[tuple[Entry, Document]]) -> Iterator[tuple]:
        """(number, entry, document, piece) of every piece of every entry, in order."""
        limit = min(PIECE_CHARS, self.nlp.max_length)
        for k, (entry, doc) in enumerate(items):
            for s, e in text_pieces(doc.text, entry.char_start, entry.char_end, limit):
                heading_end = min(max(entry.heading_end, s), e)
                piece = entry if (s, e, heading_end) == (  # (most entries: one piece)
                    entry.char_start, entry.char_end, entry.heading_end) else replace(
                    entry, char_start=s, char_end=e, heading_end=heading_end)
                yield k, entry, doc, piece

    def annotate(self, docs: list) -> list:
        """The pipeline's components over a batch of docs, the whole batch annotated before any
        of its entries is read. Through `nlp.pipe(..., as_tuples=True)` each doc went on to its
        extractors, ids and rows as soon as its components were done, spaCy's code and ours
        taking turns for every doc: the instructions were the same (14.31 against 14.36
        billion for 3,000 tiny entries) but 10,000 tiny entries took 5.9-6.5 s of CPU, against
        4.6-5.0 s annotated a batch at a time. (`nlp.pipe` over the batch's list of docs gains
        as much; this loop is the shorter of the two.)"""
        for _, component in self.nlp.pipeline:
            docs = [component(doc) for doc in docs]
        return docs

    def prepare(self, view: str, entry: Entry):
        """Tokenise, and start a sentence after the heading and at every line break, so
        evidence never runs across paragraphs."""
        doc = with_text(make_doc(self.nlp, view), view)
        mark_line_starts(doc, view, entry.heading_end - entry.char_start)
        return doc

    def analyse(self, spacy_doc, entry: Entry, text: str) -> "Analysis":
        """Names and field values of one entry, before it has an org_id (no state touched)."""
        current = OpenEntry(0, entry, None, *self.start_analysis(entry, text))
        self.match_piece(spacy_doc, entry, current)
        return current.analysis()

    def start_analysis(self, entry: Entry, text: str) -> tuple[list[FieldValue], Context]:
        """The entry's names (read from its whole text) and the context the extractors use."""
        found = names_and_flags(text, entry, self.rules, self.host)
        names = [f.value for f in found if f.field in ("name", "long_form")]
        acronyms = [f.value for f in found if f.field == "acronym"]
        ref = EntryRef.from_names(names, acronyms, self.vocab.function_words)
        host_entry = is_host(names, ref.acronyms, self.host, self.vocab)
        return found, Context(ref, self.vocab, self.rules.vocab, self.rules.parties,
                              self.languages, host_entry=host_entry, sets=self.word_sets)

    def match_piece(self, spacy_doc, piece: Entry, current: OpenEntry,
                    window: Optional[Window] = None) -> None:
        """Run the field extractors on one piece (the whole entry, or part of a long one): the
        whole doc, or its `window` in a doc the piece shares (host references marked)."""
        ctx = current.ctx
        ctx.rejected = []
        if window is None:
            mark_host_refs(spacy_doc, piece.host_refs, piece.char_start)
            base = 0
        else:
            set_window(spacy_doc, window)
            base = window.start_char
        found: list[FieldValue] = []
        kept: dict = {}   # (field, value) -> Statements kept
        for extractor in EXTRACTORS:
            for v in extractor(spacy_doc, ctx):
                if kept.setdefault((v.field, v.value), Statements()).add(v.start, v.end):
                    found.append(v)
        if window is None:
            Entities.forget(spacy_doc)   # its spans hold the doc: no cycle left to the collector
        current.values.extend(v.shifted(piece.char_start - base) for v in found)
        d = piece.char_start - current.entry.char_start - base  # rejected spans: in the entry
        current.rejected.extend((rule, s + d, e + d, why) for rule, s, e, why in ctx.rejected)

    def finish(self, analysis: "Analysis", entry: Entry, text: str, links=()):
        """The entry's extraction and issues: gives the org_id, so call in entry order."""
        found, shifted = list(analysis.names), list(analysis.values)
        assigned = self.assign_id(found, entry.source_file)
        org_id = assigned.org_id
        yield from self.id_issues(assigned, entry)
        values = [f for f in found if f.field != "long_form"] + shifted
        values += [v for v in self.tables.values(entry, text)
                   if not any(w.field == v.field for w in values)]
        intro = self.intros.relation(entry, text)
        # an entry that states its own relationship keeps it ("no formal link" is not undone
        # by the list's "our partners"); an instrument in its heading is its own
        intro = self.intros.heading_label(entry, text) or intro
        if intro and not analysis.host_entry and \
                not any(v.field == "host_relationship" for v in values):
            values.append(intro)
        counts: dict = {}
        facts = []
        for v in values:
            key = (v.field, v.value, v.qualifier, v.unit)
            counts[key] = counts.get(key, 0) + 1
            facts.append(make_fact(org_id, entry, text, v, counts[key]))
        agreements = tuple(to_agreement(f, v, entry, links) for f, v in zip(facts, values)
                           if v.field == "agreement")
        yield Extraction(org_id, entry, tuple(facts), agreements)
        for fact in facts:
            if fact.field == "acronym":
                owner = self.acronym_owner.setdefault(fact.value, org_id)
                if owner != org_id:
                    yield Issue(f"{entry.source_file}:{fact.char_start}-{fact.char_end}",
                                "extract", "shared_acronym", f"{org_id}: {fact.value} is also "
                                f"the acronym of {owner}; both kept")
        for fact in facts:
            if fact.field == "flag":
                yield Issue(f"{entry.source_file}:{fact.char_start}-{fact.char_end}", "extract",
                            fact.value.split(":")[0], f"{org_id}: {fact.value}")
        for rule_id, start, end, reason in analysis.rejected:
            s, e = start + entry.char_start, end + entry.char_start
            yield Issue(f"{entry.source_file}:{s}-{e}", "extract", f"not_used:{reason}",
                        f"{org_id}: {rule_id} matched {text[s:e]!r}")

    def assign_id(self, found: list[FieldValue], source: str = "") -> Assignment:
        """The entry's org_id: its registered id, else a new slug of acronym and name
        (numbered when taken); see `pipeline.extract.org_ids`."""
        of = lambda name: [f.value for f in found if f.field == name]  # noqa: E731
        return self.ids.assign(of("name"), of("acronym"), source, of("long_form"))

    def id_issues(self, assigned: Assignment, entry: Entry) -> Iterator[Issue]:
        """A repeated organisation; with a registry, an id it does not list yet, and a
        registered id kept for an entry whose name or acronym it does not list (a rename)."""
        where = f"{entry.source_file}:{entry.char_start}-{entry.char_end}"
        org_id = assigned.org_id
        if assigned.duplicate:
            yield Issue(where, "extract", "duplicate_organisation", f"{org_id}: a second entry "
                        "with the same acronym and name; kept under a numbered id")
        if self.registry is None:
            return
        if assigned.how == "new" and not assigned.duplicate:  # a repeat: said just above
            yield Issue(where, "extract", "new_org_id", f"{org_id}: not in the id registry; "
                        "`partners ids` records it once the dataset is published")
        elif assigned.unknown:
            yield Issue(where, "extract", "kept_org_id", f"{org_id}: registered id kept (found "
                        f"by {assigned.how}) for {', '.join(map(repr, assigned.unknown))}, "
                        "which the registry does not list: `partners ids` adds it; if this is "
                        "another organisation, give it a record of its own")
