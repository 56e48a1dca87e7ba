"""Relationships to the host that a sentence states: the patterns' and the cues'.

`host_relationship`: the patterns of rules/host_relationship.jsonl (fixed phrasings); a negated
sentence states nothing, and the host's membership (`host_member_of`) needs a sentence that
names the entry's organisation. `relations`: cue words, in either direction; it reads any sentence
that names the host (a HOST entity: its name, acronym or aliases) and the entry's organisation,
and states a relation with a cue of `relation_cues` (rules/vocabularies.yaml): "Eurojust and
INTERPOL signed a memorandum of understanding", "The Ombudsman cooperates with the OHCHR", "the
NHC was granted participatory status". A new phrasing needs a cue, not a pattern.

- `member of`: the direction decides the term: the host before the cue is the host's membership
  (`host_member_of`), the host right after it the organisation's (`organisational_member_of_host`).
- every other cue is symmetric (an agreement, a partnership, a status the host holds).
- refused: a sentence that does not name the entry's organisation (its acronym, a name that
  refers to it, or a pronoun opening the sentence), a negated one ("has no agreement"), and any
  sentence on the host's own entry.

Reads: the doc of an entry (sentences, HOST entities) and the `Context`. Writes: one
`host_relationship` value per (term, sentence), the sentence as its evidence, rule ids
`host.cue.<term>`.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from pipeline.extract.attribution import refers_to
from pipeline.extract.doc_reading import Entities, add_entities, matched
from pipeline.extract.field_extractors import Context
from pipeline.extract.gate import DocIndex
from pipeline.extract.values import FieldValue

# The host's membership is of one body: the sentence must name it (or be about it: "It").
NAMED_TERMS = ("host_member_of",)
# "a member of the Council of Europe": the body a membership is of follows within a few words
OBJECT_REACH = 4


@lru_cache(maxsize=8)
def cue_table(cues: tuple) -> tuple:
    """((term, words), ...) longest first, from the `relation_cues` items."""
    table = [(term, tuple(phrase.lower().split())) for term, phrases in cues for phrase in phrases]
    return tuple(sorted(table, key=lambda item: -len(item[1])))


@lru_cache(maxsize=32)
def word_ids(words: tuple) -> frozenset:
    """The words' ids in spaCy's string store (a token's `lower`), without adding them."""
    return frozenset(map(get_string_id, words))


def host_relationship(doc: Doc, ctx: Context) -> list[FieldValue]:
    """The patterns' relationships (rules/host_relationship.jsonl), one fact per (term,
    sentence), in a sentence that names the entry; the evidence is the sentence."""
    out, seen = [], set()
    negations = frozenset(ctx.words.get("relation_negations", ()))
    spans = matched(doc, "host_relationship")
    host_ents = Entities.of(doc, "HOST") if spans else None
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        sent = span.sent
        key = (span.label_, sent.start)
        if key in seen:
            continue
        if span.label_ != "no_formal_link" and any(t.lower_ in negations for t in sent):
            # "The ICJ has no agreement with the IAP" states no agreement
            ctx.rejected.append((span.id_, span.start_char, span.end_char, "negated"))
            continue
        hosts = host_ents.within(sent.start, sent.end)
        if span.label_ in NAMED_TERMS and (ctx.host_entry or not names_entry(sent, hosts, ctx)
                                           or not object_is_entry(sent, span.end, hosts, ctx)):
            # "The Ombudsman is a member of various organisations": of which? not said here
            ctx.rejected.append((span.id_, span.start_char, span.end_char, "entry_not_named"))
            continue
        seen.add(key)
        text = sent.text.rstrip()
        out.append(FieldValue("host_relationship", span.label_, sent.start_char,
                         sent.start_char + len(text), span.id_, raw_value=span.text))
    return out


def relations(doc: Doc, ctx: Context) -> list[FieldValue]:
    """Host relationships the entry's sentences state with a cue."""
    cues = ctx.words.get("relation_cues") or {}
    if ctx.host_entry or not cues:
        return []
    hosted = host_sentences(doc)
    if not hosted:   # (most entries: no sentence names the host, no cue table is read)
        return []
    table = cue_table(tuple((t, tuple(p)) for t, p in cues.items()))
    negations = word_ids(tuple(ctx.words.get("relation_negations", ())))
    # a sentence holding no cue's first word states no term: its names are not read
    firsts = word_ids(tuple(cue[0] for _, cue in table)) if all(c for _, c in table) else None
    lowers = DocIndex.of(doc).lowers
    out, seen = [], set()
    for sent, hosts in hosted:
        words = set(lowers[sent.start:sent.end])
        if not negations.isdisjoint(words) or (firsts is not None and firsts.isdisjoint(words)):
            continue
        if not names_entry(sent, hosts, ctx):
            continue
        for term in sentence_terms(sent, hosts, table, lambda at: object_is_entry(sent, at, hosts,
                                                                                ctx)):
            if (term, sent.start) in seen:
                continue
            seen.add((term, sent.start))
            text = sent.text.rstrip()
            out.append(FieldValue("host_relationship", term, sent.start_char,
                                  sent.start_char + len(text), f"host.cue.{term}",
                                  raw_value=text))
    return out


def mark_host_refs(doc: Doc, refs, offset: int) -> None:
    """Make HOST entities of the pronouns the segmenter read as the host (`Entry.host_refs`,
    document offsets; `offset` is where the doc starts), where no entity is already."""
    if not refs:
        return
    spans = [doc.char_span(s - offset, e - offset, label="HOST") for s, e in refs]
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    new = [sp for sp in spans if sp is not None and not taken & set(range(sp.start, sp.end))]
    if new:
        Entities.forget(doc)
        add_entities(doc, new)


def host_sentences(doc: Doc) -> list[tuple[Span, list]]:
    """(sentence, its HOST entities) for each sentence that names the host, in order (found
    from the few HOST entities: reading every sentence's entities costs more than the rest)."""
    by_start: dict[int, tuple[Span, list]] = {}
    for ent in Entities.of(doc, "HOST").ents:
        sent = ent.sent
        by_start.setdefault(sent.start, (sent, []))[1].append(ent)
    return [by_start[k] for k in sorted(by_start)]


def sentence_terms(sent: Span, hosts: list, table, entry_after=lambda at: True) -> list[str]:
    """The terms the sentence's cues state (one per cue position, longest cue first). The
    host's membership needs the entry named right after "member of" (`entry_after`): in "the
    NHC is a founding member of CURE, which makes the Council of Europe stronger" the host is
    no member of the Council of Europe."""
    words = [t.lower_ for t in sent]
    at: dict = {}   # word -> its positions, so each cue is tried only where its first word is
    for i, w in enumerate(words):
        at.setdefault(w, []).append(i)
    taken, terms = set(), []
    for term, cue in table:
        n = len(cue)
        for i in at.get(cue[0], ()) if cue else range(len(words) + 1):
            if i + n > len(words) or tuple(words[i:i + n]) != cue or taken & set(range(i, i + n)):
                continue
            taken.update(range(i, i + n))
            if term == "member":
                term_here = member_direction(sent, sent.start + i + n, hosts)
                if not term_here or (term_here == "host_member_of"
                                     and not entry_after(sent.start + i + n)):
                    continue
            else:
                term_here = term
            if term_here not in terms:
                terms.append(term_here)
    return terms


def member_direction(sent: Span, after: int, hosts: list) -> str:
    """Who is the member: the host right after "member of" (within two tokens: "of the IAP"),
    the organisation; the host before the cue, the host."""
    if any(after <= h.start <= after + 2 for h in hosts):
        return "organisational_member_of_host"
    if any(h.end <= after for h in hosts):
        return "host_member_of"
    return ""


def object_is_entry(sent: Span, after: int, hosts: list, ctx: Context) -> bool:
    """Whether a name starting within OBJECT_REACH tokens after token `after` is the entry's
    ("a member of the MEPA (Central European Police Academy)"), or the sentence names nothing
    after it ("... of which the IAP is a member")."""
    host_tokens = {t.i for h in hosts for t in h}
    tail = sent.doc[after:sent.end]
    runs = name_runs(tail, host_tokens, ctx.word_set("name_run_words"))
    return not runs or any(run[0].i - after <= OBJECT_REACH and refers_to(run, ctx.ref, ctx.vocab)
                           for run in runs)


def names_entry(sent: Span, hosts: list, ctx: Context) -> bool:
    """Whether the sentence names the entry's organisation outside the host's mentions."""
    host_tokens = {t.i for h in hosts for t in h}
    first = next((t for t in sent if not (t.is_space or t.is_punct)), None)
    if first is not None and first.lower_ in ctx.vocab.self_reference \
            and first.i not in host_tokens:
        return True
    for run in name_runs(sent, host_tokens, ctx.word_set("name_run_words")):
        if refers_to(run, ctx.ref, ctx.vocab) and any(t.text[:1].isupper() for t in run):
            return True
    return False


def name_runs(sent: Span, skip: set, small: frozenset) -> list[list]:
    """Runs of capitalised tokens (with the `small` words names hold) outside `skip`."""
    runs, current = [], []
    for tok in sent:
        if tok.i not in skip and (tok.text[:1].isupper() or tok.is_upper
                                  or (current and tok.lower_ in small)):
            current.append(tok)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return [r[:max(i for i, t in enumerate(r) if t.lower_ not in small) + 1]
            for r in runs if any(t.lower_ not in small for t in r)]
