"""The spaCy pipeline the rules run in, built in one function and passed in (no module-level nlp).

Reads: the loaded `Rules` (one pattern list per pattern file), the `Host` (how the page names
its host organisation) and place names. Writes: a `Language`: blank English with the partners
tokenizer, sentences, HOST entities (only when the host has a name to find), PLACE entities
(`partners_gazetteer`), ORG spans when asked (`partners_organisations`, doc.spans["ORG"]) and
the field rules (`partners_field_rules`: a ruler per pattern file, matched in one pass), writing
to `doc.spans[<file>]` (files that matched) with each pattern's id as `Span.id_`.

Importing this module registers the tokenizer (`partners.Tokenizer.v1`) and the components,
so a pipeline saved with `nlp.to_disk` reads back with `spacy.load` once it is imported.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Iterable

import spacy
from spacy.attrs import IDX, ORTH, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# registering their components with spaCy is all these imports do
import pipeline.extract.dates  # noqa: F401
import pipeline.extract.field_rules  # noqa: F401
import pipeline.extract.org_spans  # noqa: F401
import pipeline.extract.span_ruler  # noqa: F401
from pipeline.extract.gate import DocIndex
from pipeline.extract.gazetteer import (
    default_places,  # (and registers partners_gazetteer)
)
from pipeline.extract.lexeme_attrs import speed_up
from pipeline.extract.rules import PATTERN_FILES, RuleError, Rules
from pipeline.extract.sentencizer import FACTORY as SENTENCIZER
from pipeline.settings import Host

TOKENIZER = "partners.Tokenizer.v1"
# Texts longer than this are tokenised after their pieces of about WARM_PIECE characters.
WARM_CHARS, WARM_PIECE = 2_000, 300
# Sentence starts are set token by token while (starts x tokens) is at most this, else as an
# array: `Token.is_sent_start`'s setter reads every token of the doc (`has_annotation("DEP")`).
EACH_START = 2_000
PIECE_START = re.compile(r"(?<=[^ ] )(?=[^ ])")   # after a single space
# "ICC(international Criminal Court)": split a bracket glued to a word.
GLUED_BRACKET = r"(?<=[A-Za-z0-9])[()](?=[A-Za-z])"


@spacy.registry.tokenizers(TOKENIZER)
def partners_tokenizer():
    """spaCy's default tokenizer (`spacy.Tokenizer.v1`) with one more infix, GLUED_BRACKET.
    Built with it rather than given it afterwards: setting an infix on a built tokenizer
    loads its 2,700 special cases a second time (~0.1 s of every run's start-up). Its
    vocabulary makes a new word's lexical attributes with `lexeme_attrs` (the same values)."""
    def make(nlp: Language) -> Tokenizer:
        d = nlp.Defaults
        speed_up(nlp.vocab)
        return Tokenizer(nlp.vocab, rules=caching_exceptions(d.tokenizer_exceptions),
                         prefix_search=compile_prefix_regex(d.prefixes).search,
                         suffix_search=compile_suffix_regex(d.suffixes).search,
                         infix_finditer=compile_infix_regex(
                             list(d.infixes) + [GLUED_BRACKET]).finditer,
                         token_match=d.token_match, url_match=d.url_match)

    return make


def caching_exceptions(exceptions: dict) -> dict:
    """The tokenizer's special cases but those of whitespace that give the token as it is
    (" ", "\\t", "\\n": their text, no other attribute; "\\xa0", whose norm is two spaces, is
    kept). A whitespace chunk is one token either way; but once a text meets a special case,
    spaCy's tokenizer saves none of its later chunks to its cache, so a text's first line
    break cost the rest of it the cache."""
    return {k: v for k, v in exceptions.items()
            if not (k.isspace() and v == [{ORTH: k}])}


def make_doc(nlp: Language, text: str):
    """`nlp.make_doc(text)`, its tokenizer's cache filled first when the text is long. spaCy's
    tokenizer keeps the tokens of each whitespace-separated chunk it splits in a cache, but stops
    adding to it for the rest of a text once it meets a special case ("U.S.", "don't", a
    quote): a long text misses the cache from then on (1 s for the IAP page x60 as one text,
    0.1 s as its entries). Tokenising its pieces first, each a text of its own, fills the cache;
    the tokens are the same (a chunk's tokens do not depend on its neighbours)."""
    if len(text) > WARM_CHARS:
        tokenizer, pos = nlp.tokenizer, 0
        while len(text) - pos > WARM_PIECE:
            cut = PIECE_START.search(text, pos + WARM_PIECE)
            if cut is None:
                break
            tokenizer(text[pos:cut.start()])
            pos = cut.start()
    return nlp.make_doc(text)


def mark_line_starts(doc: Doc, text: str, body: int) -> None:
    """Start a sentence at the token after every line break, and at the body's first word:
    the first token at or after character `body` (the heading's end; <= 0: no heading) that
    is not punctuation or space. Found from the text's line breaks and the tokens' offsets, so
    only the tokens that start a sentence are made Python `Token`s. A line break is always
    inside a whitespace token: the tokenizer splits wherever whitespace other than a single
    space begins or ends, and only a single space trails a token."""
    if text.find("\n") == -1 and body <= 0:
        return
    mark_starts(doc, text, [(body, 0, len(doc))] if body > 0 else [])


def mark_starts(doc: Doc, text: str, bodies: list[tuple[int, int, int]],
                more: Iterable[int] = ()) -> None:
    """`mark_line_starts` for a doc of one or more entries: `bodies` gives, for each entry with
    a heading, where its body starts (a character) and its tokens [first, end); `more`, other
    tokens that start a sentence."""
    n = len(doc)
    offsets = DocIndex.of(doc).column(doc, IDX)
    starts = list(more)
    brk = text.find("\n")
    while brk != -1:
        after = bisect_right(offsets, brk)     # the token after the one holding the break
        if after >= n:
            break
        starts.append(after)
        brk = text.find("\n", offsets[after])
    for body, begin, end in bodies:
        first = bisect_left(offsets, body)
        while first < end and (doc[first].is_punct or doc[first].is_space):
            first += 1
        if begin < first < end:
            starts.append(first)
    if len(starts) * n <= EACH_START:
        for i in starts:
            doc[i].is_sent_start = True
    elif starts:   # one array: each token's setter first checks every token for a parse
        values = doc.to_array(SENT_START)
        values[starts] = 1
        doc.from_array([SENT_START], values)


def host_patterns(host: Host) -> list[dict]:
    """Token patterns for mentions of the host: name, acronym and aliases."""
    patterns = []
    for i, mention in enumerate(host.mentions()):
        words = mention.split()
        # first word case-insensitive ("the Association" / "The Association"), the rest exact
        tokens = [{"LOWER": words[0].lower()}] + [{"ORTH": w} for w in words[1:]]
        if len(words) == 1:
            tokens = [{"ORTH": words[0]}]
        patterns.append({"label": "HOST", "pattern": tokens, "id": f"host.mention.{i}"})
    return patterns


def build_nlp(rules: Rules, host: Host, gazetteer: Iterable[str] = (),
              org_spans: bool = False) -> Language:
    """The extraction pipeline: blank English, sentences, host and place entities (ORG spans
    with `org_spans`), one SpanRuler per pattern file, all matched in one pass (pattern ids
    travel onto matches as Span.id_). ORG spans are off by default: no field pattern reads
    them yet, and finding them in every entry costs ~15% of the extraction's throughput."""
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    nlp.add_pipe(SENTENCIZER, name="sentencizer")
    mentions = host_patterns(host)
    if mentions:  # a page without a host: no ruler (one without patterns warns on every doc)
        nlp.add_pipe("partners_entity_ruler", name="entity_ruler",
                     config={"validate": True}).add_patterns(mentions)
    # DATE entities before places, so "May" in "5 May 1949" is never a place
    nlp.add_pipe("partners_dates", config={"months": list(rules.vocab.get("months", [])),
                                           "decade_parts": list(rules.vocab.get("decade_parts", []))})
    nlp.add_pipe("partners_gazetteer", config={"label": "PLACE"})
    nlp.get_pipe("partners_gazetteer").set_names(gazetteer or default_places())
    if org_spans:
        nlp.add_pipe("partners_organisations").set_rules(rules.segment)
    # one ruler per pattern file, all matched in one pass
    fields = nlp.add_pipe("partners_field_rules", name="field_rules",
                          config={"keys": list(PATTERN_FILES), "validate": True})
    for name in PATTERN_FILES:
        try:
            fields.add_patterns(name, rules.patterns[name])
        except ValueError as err:
            raise RuleError(f"{rules.folder / (name + '.jsonl')}: {err}") from err
    return nlp
