"""Load and validate rules/: the patterns, vocabularies and segmenter words, as data.

Reads: `rules/*.jsonl` (token patterns, one per line, each with an `id` and a `label`) and
`rules/*.yaml` (vocabularies). A pattern may name a vocabulary list instead of spelling it out:
`{"LOWER": {"IN": "@months"}}` takes the list `months` from `rules/vocabularies.yaml`.
Writes: a `Rules` value (`pipeline.extract.nlp` builds spaCy from it). A broken rule fails at
load with the file, line and key (`RuleError`); nothing runs on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.extract.rule_files import (  # noqa: F401 - RuleError, load_yaml: used from here
    RuleError,
    _count,
    _section,
    _words,
    load_yaml,
)
from pipeline.segment.labels import SegmentRules
from pipeline.settings import default_rules_dir

RULES_DIR = default_rules_dir()
# Pattern files: each becomes a SpanRuler writing to doc.spans[<name>].
PATTERN_FILES = ("founded", "headquarters", "membership", "host_relationship", "agreements",
                 "names", "website")


@dataclass(frozen=True)
class AgreementKind:
    """A kind of agreement (rules/agreement_kinds.yaml): id, what it is, the phrases naming it."""

    id: str
    definition: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class PartyGrammar:
    """How an agreement names its parties (rules/agreement_parties.yaml): words and distances."""

    open: tuple[str, ...]                  # "between" X and Y
    separator: tuple[str, ...]             # between X "and" Y
    open_within: int                       # page: tokens after the agreement's name
    with_words: tuple[str, ...]            # page: signed ... "with" X
    with_within: int
    second_party_starts: tuple[str, ...]   # page: "and the IAP"
    sentence_stops: frozenset              # page: words ending the second party
    document_stops: tuple[str, ...]        # PDF: words and phrases ending the second party
    continues_after: frozenset             # PDF: a party goes on after a line ending with these


@dataclass
class Rules:
    """Everything loaded from rules/: patterns per ruler, vocabularies, segmenter words, the
    agreement kinds and the parties' grammar."""

    folder: Path
    patterns: dict[str, list[dict]] = field(default_factory=dict)
    vocab: dict[str, Any] = field(default_factory=dict)
    relationships: list[dict] = field(default_factory=list)
    segment: SegmentRules = None  # type: ignore[assignment]
    agreement_kinds: tuple[AgreementKind, ...] = ()
    parties: PartyGrammar = None  # type: ignore[assignment]


def expand_vocab(value: Any, vocab: dict[str, Any], where: str) -> Any:
    """Replace "@name" references with the vocabulary list they name."""
    if isinstance(value, str) and value.startswith("@"):
        name = value[1:]
        if name not in vocab or not isinstance(vocab[name], list):
            raise RuleError(f"{where}: unknown vocabulary list {value!r}")
        return list(vocab[name])
    if isinstance(value, dict):
        return {k: expand_vocab(v, vocab, where) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_vocab(v, vocab, where) for v in value]
    return value


# A run of spaces or tabs inside a line ("in  1924") is a spaCy token of its own; a pattern
# steps over one between any two of its tokens. A line break still ends a phrase.
INLINE_SPACE = {"IS_SPACE": True, "TEXT": {"REGEX": r"^[^\S\n\r\u2028\u2029]+$"}, "OP": "?"}


def skip_spaces(pattern: Any) -> Any:
    """A token pattern with an optional inline-whitespace token between each two of its tokens
    (a phrase pattern is returned as it is)."""
    if not isinstance(pattern, list) or len(pattern) < 2:
        return pattern
    out = [pattern[0]]
    for spec in pattern[1:]:
        out += [dict(INLINE_SPACE), spec]
    return out


def load_patterns(path: Path, vocab: dict[str, Any]) -> list[dict]:
    """Patterns of one JSONL file, validated: id and label present, ids unique."""
    patterns, seen = [], set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(f"{path}: {err}") from err
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{n}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise RuleError(f"{where}: invalid JSON: {err}") from err
        for key in ("id", "label", "pattern"):
            if key not in item:
                raise RuleError(f"{where}: missing key {key!r}")
        if item["id"] in seen:
            raise RuleError(f"{where}: duplicate id {item['id']!r}")
        seen.add(item["id"])
        item["pattern"] = skip_spaces(expand_vocab(item["pattern"], vocab, where))
        patterns.append({"id": item["id"], "label": item["label"], "pattern": item["pattern"]})
    return patterns


def load_agreement_kinds(folder: Path = RULES_DIR) -> tuple[AgreementKind, ...]:
    """The kinds of agreement in precedence order, each with an id, definition and phrases."""
    path = Path(folder) / "agreement_kinds.yaml"
    kinds = []
    for i, kind in enumerate(_section(load_yaml(path), path, "").get("kinds") or []):
        where = f"kinds[{i}]"
        if not isinstance(kind, dict) or not kind.get("id") or not kind.get("definition"):
            raise RuleError(f"{path}: {where}: needs an id and a definition")
        phrases = _words(kind.get("phrases"), path, f"{where}.phrases")
        kinds.append(AgreementKind(kind["id"], kind["definition"], phrases))
    if not kinds:
        raise RuleError(f"{path}: kinds: expected a list of kinds")
    return tuple(kinds)


def load_party_grammar(folder: Path = RULES_DIR) -> PartyGrammar:
    """The parties' grammar, every list and distance checked (the error names file and key)."""
    path = Path(folder) / "agreement_parties.yaml"
    data = _section(load_yaml(path), path, "")
    sentence = _section(data.get("sentence"), path, "sentence")
    document = _section(data.get("document"), path, "document")
    return PartyGrammar(
        open=_words(data.get("open"), path, "open"),
        separator=_words(data.get("separator"), path, "separator"),
        open_within=_count(sentence.get("open_within"), path, "sentence.open_within"),
        with_words=_words(sentence.get("with"), path, "sentence.with"),
        with_within=_count(sentence.get("with_within"), path, "sentence.with_within"),
        second_party_starts=_words(sentence.get("second_party_starts"), path,
                                   "sentence.second_party_starts"),
        sentence_stops=frozenset(_words(sentence.get("stops"), path, "sentence.stops")),
        document_stops=_words(document.get("stops"), path, "document.stops"),
        continues_after=frozenset(w.lower() for w in _words(
            document.get("continues_after"), path, "document.continues_after")))


def pattern_words(patterns: list[dict]) -> set[str]:
    """The literal words (LOWER, ORTH, TEXT, and their IN lists) of token patterns."""
    out: set[str] = set()
    for p in patterns:
        for token in p["pattern"]:
            for key in ("LOWER", "ORTH", "TEXT"):
                v = token.get(key)
                words = [v] if isinstance(v, str) else v.get("IN", []) if isinstance(v, dict) \
                    else []
                out |= {w.lower() for w in words if isinstance(w, str) and w.isalpha()}
    return out


def entity_words(folder: Path, rules: Rules) -> SegmentRules:
    """The segmenter's rules with the entity layer's words (rules/organisations.yaml): the fact
    words are read from the pattern files and vocabularies it names, not copied."""
    path = folder / "organisations.yaml"
    data = load_yaml(path) if path.exists() else {}
    data = data or {}

    def words(files_key: str, vocab_key: str) -> frozenset:
        out: set[str] = set()
        for name in data.get(files_key, []):
            if name not in rules.patterns:
                raise RuleError(f"{path}: {files_key}: {name!r} is not a pattern file")
            out |= pattern_words(rules.patterns[name])
        for name in data.get(vocab_key, []):
            if name not in rules.vocab:
                raise RuleError(f"{path}: {vocab_key}: {name!r} is not in vocabularies.yaml")
            out |= {str(w).lower() for w in rules.vocab[name]}
        return frozenset(out - stop)

    stop = set(rules.segment.function_words) | {str(w).lower() for w in data.get(
        "weak_fact_words", [])}
    for name in data.get("not_fact_vocabularies", []):
        stop |= {str(w).lower() for w in rules.vocab.get(name, [])}
    return replace(
        rules.segment,
        instrument_words=frozenset(w.lower() for w in data.get("instrument_words", [])),
        common_acronyms=frozenset(data.get("common_acronyms", [])),
        fact_words=words("fact_pattern_files", "fact_vocabularies"),
        host_fact_words=words("host_fact_pattern_files", "host_fact_vocabularies"),
        # "founding member" is a relation, but "founded" alone dates a body: the founding and
        # seat words are not relation words
        relation_words=words("relation_pattern_files", "relation_vocabularies")
        - words("host_fact_pattern_files", "host_fact_vocabularies"),
        not_prose_heads=frozenset(w.lower() for w in data.get("not_prose_heads", [])),
        indefinite_determiners=frozenset(rules.vocab.get("indefinite_determiners", [])),
        determiners=frozenset(rules.vocab.get("determiners", [])),
        host_pronouns=frozenset(str(w).lower() for w in data.get("host_pronouns", [])),
        host_subject_pronouns=frozenset(str(w).lower()
                                        for w in data.get("host_subject_pronouns", [])),
        subject_verbs=frozenset(str(w).lower() for name in data.get("subject_vocabularies", [])
                                for w in rules.vocab.get(name, [])))


def load_rules(folder: Path = RULES_DIR) -> Rules:
    """Load every rule file; raise RuleError naming the file, line and key on a problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleError(f"{folder}: no such rules folder (give --rules FOLDER)")
    vocab = load_yaml(folder / "vocabularies.yaml") or {}
    rel = load_yaml(folder / "host_relationship.yaml") or {}
    terms = rel.get("terms") if isinstance(rel, dict) else None
    if not isinstance(terms, list) or not all(isinstance(t, dict) and "term" in t
                                              and "definition" in t for t in terms):
        raise RuleError(f"{folder / 'host_relationship.yaml'}: 'terms' must list "
                        "{term, definition} items, strongest first")
    seg = load_yaml(folder / "segment.yaml") or {}
    segment_rules = SegmentRules(
        function_words=frozenset(w.lower() for w in seg.get("label_function_words", [])),
        head_nouns=frozenset(w.lower() for w in seg.get("organisation_head_nouns", [])),
        field_labels=frozenset(w.lower() for w in seg.get("field_labels", [])),
        column_labels=tuple((str(w).lower(), field) for field, ws in
                            (vocab.get("field_labels") or {}).items() for w in ws),
        sub_body_heads=frozenset(w.lower() for w in seg.get("sub_body_heads", [])),
        section_leads=frozenset(w.lower() for w in seg.get("section_lead_words", [])),
        max_label_words=int(seg.get("max_label_words", 12)),
        max_heading_chars=int(seg.get("max_heading_chars", 120)),
        min_capitalised_share=float(seg.get("min_capitalised_share", 0.5)))
    rules = Rules(folder=folder, vocab=vocab, relationships=terms, segment=segment_rules,
                  agreement_kinds=load_agreement_kinds(folder),
                  parties=load_party_grammar(folder))
    for name in PATTERN_FILES:
        rules.patterns[name] = load_patterns(folder / f"{name}.jsonl", vocab)
    rules.segment = entity_words(folder, rules)
    kinds = {k.id for k in rules.agreement_kinds}
    for name, known, what in (("host_relationship", {t["term"] for t in terms},
                               "a term of host_relationship.yaml"),
                              ("agreements", kinds, "a kind of agreement_kinds.yaml")):
        for p in rules.patterns[name]:
            if p["label"] not in known:
                raise RuleError(f"{folder / (name + '.jsonl')}: pattern {p['id']!r} has "
                                f"label {p['label']!r}, not {what}")
    return rules
