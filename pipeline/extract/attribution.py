"""Whose fact is it? Deciding whether a matched phrase is about the entry's own organisation.

Without a parser, attribution reads the tokens around a trigger word ("founded", "based",
"headquarters") the way a reader would:
- a trigger opening its sentence ("Founded in 1924, the ...") is about the sentence's subject,
  the entry's organisation;
- after an auxiliary ("GRECO was established", "It is based") it is about the subject;
- otherwise it is about the noun phrase right before it ("the International Union of Penal law
  founded in 1889"): that phrase must refer to the entry, or be an indefinite description
  ("a European Union body established in 2002") of a subject that does; a phrase that is the
  object of 'by', 'from', 'with', ... is another body's.

Reads: the tokens of a doc, how the entry is named (`EntryRef`) and the word lists of
rules/vocabularies.yaml (`Vocab`). Writes: a yes or no, with the reason for a no.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from spacy.tokens import Doc, Span, Token

from pipeline.settings import Host

STRIP = "’'s"


@dataclass(frozen=True)
class EntryRef:
    """How the entry's organisation is referred to: its acronyms and the words of its names."""

    acronyms: frozenset
    words: frozenset

    @classmethod
    def from_names(cls, names: Sequence[str], acronyms: Sequence[str],
                   function_words) -> "EntryRef":
        """The reference of an entry with these names and acronyms."""
        return cls(frozenset(a.upper() for a in acronyms if a),
                   frozenset().union(*(name_words(n, function_words) for n in names)))


@dataclass(frozen=True)
class Vocab:
    """The word lists attribution reads, lower-cased (from rules/vocabularies.yaml)."""

    determiners: frozenset
    prepositions: frozenset
    other_party: frozenset
    auxiliaries: frozenset
    copulas: frozenset
    self_reference: frozenset
    function_words: frozenset
    name_prepositions: frozenset = frozenset()
    indefinite: frozenset = frozenset()
    name_connectors: frozenset = frozenset()
    subject_heads: frozenset = frozenset()

    @classmethod
    def from_rules(cls, vocab: dict, function_words) -> "Vocab":
        """The lists of a loaded vocabularies.yaml, and the segmenter's function words."""
        get = lambda key: frozenset(w.lower() for w in vocab.get(key, []))  # noqa: E731
        return cls(get("determiners"), get("prepositions"), get("other_party_prepositions"),
                   get("auxiliaries"), get("copulas"), get("self_reference"),
                   frozenset(function_words), get("name_prepositions"),
                   get("indefinite_determiners"), get("name_connectors"),
                   get("subject_heads"))


def refers_to(tokens: Sequence[Token], ref: EntryRef, vocab: Vocab) -> bool:
    """Whether a noun phrase names the entry's organisation, is a pronoun, or describes an
    organisation ("the Secretariat"); anything else ("the annual conference") does not."""
    texts = [t.text.rstrip(STRIP) if t.text.endswith(("’s", "'s")) else t.text for t in tokens]
    if any(t.upper() in ref.acronyms for t in texts if t.isupper() or "/" in t):
        return True
    if any(t.lower() in vocab.self_reference for t in texts):
        return True
    content = [t.lower() for i, t in enumerate(texts)
               if t[:1].isupper() and t.lower() not in vocab.function_words
               and not (i == 0 and t.lower() in vocab.determiners)]
    if not content:
        # "The Secretariat", "the commission": a description of the subject only when its head
        # is a word for an organisation; "the annual conference", "the programme" are not
        words = [t.lower() for t in texts if t[:1].isalpha()]
        return bool(words) and words[-1] in vocab.subject_heads
    overlap = sum(1 for w in content if w in ref.words or w.upper() in ref.acronyms)
    return overlap >= 0.6 * len(content)


def phrase_before(doc: Doc, end: int, start_limit: int, vocab: Vocab) -> tuple[int, int]:
    """Span (start, end) of the noun phrase ending right before token `end`, and where it
    starts including its determiner."""
    i = end - 1
    while i >= start_limit:
        tok = doc[i]
        low = tok.lower_
        if low in vocab.determiners:
            return i, end
        if tok.is_punct and tok.text not in "()":
            return i + 1, end
        if low in vocab.prepositions and low not in vocab.name_prepositions \
                or low in vocab.auxiliaries:
            return i + 1, end
        i -= 1
    return start_limit, end


def subject_of(sent: Span, before: int, vocab: Vocab) -> list[Token]:
    """Tokens of the sentence before its first auxiliary/copula (the subject, roughly)."""
    tokens = []
    for tok in sent:
        if tok.i >= before or tok.lower_ in vocab.auxiliaries:
            break
        tokens.append(tok)
    return tokens


def about_entry(doc: Doc, trigger: int, ref: EntryRef, vocab: Vocab) -> tuple[bool, str]:
    """Whether the phrase at token `trigger` is about the entry; with a reason when not."""
    token = doc[trigger]
    if token.is_sent_start:   # nothing before it in its sentence ("Founded in 1900."): `.sent`
        return True, ""       # would walk the whole sentence to say so
    sent = token.sent
    before = [t for t in doc[sent.start:trigger] if not (t.is_punct or t.is_space)]
    if not before:
        return True, ""
    prev = doc[trigger - 1]
    if prev.lower_ in vocab.auxiliaries:
        subject = subject_of(sent, trigger, vocab)
        return (True, "") if refers_to(subject, ref, vocab) else (False, "subject_is_other_body")
    end = trigger - 1 if prev.text == "," else trigger
    start, end = phrase_before(doc, end, sent.start, vocab)
    det = doc[start].lower_ if start < end else ""
    np = [t for t in doc[start:end] if t.lower_ not in vocab.determiners]
    before_np = doc[start - 1].lower_ if start - 1 >= sent.start else ""
    if before_np in vocab.other_party:
        return False, f"object_of_{before_np}"
    if det in vocab.indefinite:
        # "Eurojust is a European Union body established in 2002": the subject decides.
        copula = start - 1 if before_np in vocab.copulas else None
        if copula is None:
            return False, "indefinite_phrase"
        subject = subject_of(sent, copula + 1, vocab)
        return (True, "") if refers_to(subject, ref, vocab) else (False, "subject_is_other_body")
    if not np and doc[trigger].lower_ in vocab.subject_heads:
        return True, ""  # "The Secretariat is housed with ...": the trigger is the phrase
    if not np and det in vocab.self_reference:
        return True, ""  # "its headquarters are in Vienna", as "it is based in Vienna"
    if refers_to(np, ref, vocab):
        return True, ""
    return False, "phrase_is_other_body"


def phrase_after(doc: Doc, start: int, stop: int, vocab: Vocab) -> list[Token]:
    """A name right after `start` ("establishment of the International ... (IAACA)")."""
    tokens = []
    for tok in doc[start:stop]:
        if tok.is_punct and tok.text not in "()-" or tok.like_url:
            break
        if tok.text[:1].islower() and tok.lower_ not in vocab.name_connectors:
            break
        tokens.append(tok)
    return tokens


def is_host(names, acronyms, host: Host, vocab: Vocab) -> bool:
    """Whether the entry is the host's own: it has the host's acronym, or one of its names has
    the words of the host's name ("European Police Academy" is not the "Police Academy")."""
    if host.acronym and host.acronym.upper() in acronyms:
        return True
    words = name_words(host.name, vocab.function_words)
    return bool(words) and any(name_words(n, vocab.function_words) == words for n in names)


@lru_cache(maxsize=4096)   # the host's name is read for every entry, an entry's names twice
def name_words(name: str, function_words: frozenset) -> frozenset:
    """The words of a name that tell it apart: lowercase, brackets, quotes and stops stripped,
    function words left out ("the International Association of Prosecutors" ->
    {"international", "association", "prosecutors"})."""
    words = (w.lower().strip("()’'.,") for w in name.split())
    return frozenset(w for w in words if w and w not in function_words)
